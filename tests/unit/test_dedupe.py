"""Pure near-duplicate primitives: shingles, signatures, LSH band keys."""

import hashlib
import random
import struct
import unicodedata

from scrapers.dedupe import band_keys, estimated_jaccard, min_shared_bands, shingles, signature

BODY = ("Hợp tác xã Dệt thổ cẩm Chiềng Châu do chị Hà Thị Lan làm giám đốc hiện có 32 thành viên, "
        "tạo việc làm thường xuyên cho 58 lao động nữ với thu nhập bình quân 5,2 triệu đồng mỗi "
        "tháng. Năm 2024, sản phẩm khăn thổ cẩm của hợp tác xã đạt chuẩn OCOP 4 sao và được tiêu "
        "thụ tại nhiều tỉnh, thành phố. Mục tiêu đến năm 2030, hợp tác xã mở rộng quy mô lên "
        "100 thành viên và xây dựng điểm du lịch cộng đồng gắn với làng nghề truyền thống.")


def test_shingles_are_nfc_and_case_insensitive():
    decomposed = unicodedata.normalize("NFD", BODY.upper())
    assert shingles(decomposed, 5) == shingles(BODY, 5)
    assert all(len(s.decode().split()) == 5 for s in shingles(BODY, 5))


def test_signature_is_deterministic_and_sized():
    a = signature(BODY, num_perm=128, shingle_size=5)
    assert a == signature(BODY, num_perm=128, shingle_size=5)
    assert len(a) == 128 and all(0 <= v < 2**63 for v in a)


def test_small_edit_is_near_and_other_story_is_far():
    edited = BODY + " Tin, ảnh: Hoàng Anh."
    other = ("Sáng nay, Ủy ban nhân dân tỉnh tổ chức hội nghị tổng kết công tác phòng chống "
             "thiên tai năm 2024, triển khai nhiệm vụ năm 2025 với sự tham dự của đại diện các "
             "sở, ngành và 26 huyện, thị xã, thành phố trong tỉnh. Các đại biểu đã thảo luận về "
             "giải pháp ứng phó với bão lũ và hạn hán trong bối cảnh biến đổi khí hậu.")
    sig = signature(BODY, num_perm=128, shingle_size=5)
    assert estimated_jaccard(sig, signature(edited, num_perm=128, shingle_size=5)) >= 0.8
    assert estimated_jaccard(sig, signature(other, num_perm=128, shingle_size=5)) < 0.1


def test_band_keys_collide_only_on_equal_bands():
    sig = list(range(128))
    keys = band_keys(sig, 32)
    assert [b for b, _ in keys] == list(range(32))
    changed = sig.copy()
    changed[5] = 999  # band 1 (rows 4..7) changes
    other = band_keys(changed, 32)
    assert [k1 == k2 for (_, k1), (_, k2) in zip(keys, other, strict=True)].count(False) == 1
    assert keys[1] != other[1]
    assert all(-(2**63) <= k < 2**63 for _, k in keys)


def test_band_keys_are_the_stored_buckets():
    """Buckets stored by earlier versions stay comparable: each is the signed blake2b-64 of
    its band's rows alone, as little-endian uint64s; rows past the last whole band are not
    in any."""
    rng = random.Random(7)
    for bands in (32, 20, 1):
        sig = [rng.getrandbits(64) for _ in range(128)]
        rows = 128 // bands
        expected = [(b, struct.unpack("<q", hashlib.blake2b(
            struct.pack(f"<{rows}Q", *sig[b * rows:(b + 1) * rows]), digest_size=8).digest())[0])
            for b in range(bands)]
        assert band_keys(sig, bands) == expected


def test_min_shared_bands_is_the_fewest_a_match_can_share():
    """Every pair at the threshold shares at least that many bands; one shares no more."""
    assert min_shared_bands(128, 32, 0.8) == 7
    assert min_shared_bands(128, 32, 0.5) == 1 and min_shared_bands(128, 32, 1.0) == 32
    rng = random.Random(7)
    base = [rng.getrandbits(63) for _ in range(128)]
    fewest = 32
    for _ in range(2000):
        other = base.copy()
        for row in rng.sample(range(128), rng.randint(0, 40)):
            other[row] = rng.getrandbits(63)
        if estimated_jaccard(base, other) >= 0.8:
            shared = sum(a == b for a, b in zip(band_keys(base, 32), band_keys(other, 32),
                                                strict=True))
            fewest = min(fewest, shared)
    spread = base.copy()
    for band in range(25):  # one changed row in each of 25 bands: 103 of 128 rows equal
        spread[band * 4] += 1
    assert estimated_jaccard(base, spread) >= 0.8
    assert sum(a == b for a, b in zip(band_keys(base, 32), band_keys(spread, 32),
                                      strict=True)) == 7 <= fewest
