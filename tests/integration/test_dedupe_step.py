"""dedupe_step against a real Postgres: exact, near and title levels, incremental and idempotent."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from scrapers.counts import DedupeCounts
from scrapers.dates import VN_TZ
from scrapers.dedupe import band_keys
from scrapers.extract.model import Article
from scrapers.settings import get_settings
from scrapers.steps.dedupe import dedupe_step
from scrapers.store.articles import upsert_article
from scrapers.store.clusters import LOOKUP_STATISTICS_TARGET, LOOKUP_TABLES, band_candidates
from scrapers.store.stats import analyze_grown

T0 = datetime(2025, 3, 8, 8, 0, tzinfo=VN_TZ)

STORY = ("Hợp tác xã Dệt thổ cẩm Chiềng Châu do chị Hà Thị Lan làm giám đốc hiện có 32 thành "
         "viên, tạo việc làm thường xuyên cho 58 lao động nữ với thu nhập bình quân 5,2 triệu "
         "đồng mỗi tháng.\n\nNăm 2024, sản phẩm khăn thổ cẩm của hợp tác xã đạt chuẩn OCOP 4 sao "
         "và được tiêu thụ tại nhiều tỉnh, thành phố.\n\nMục tiêu đến năm 2030, hợp tác xã mở "
         "rộng quy mô lên 100 thành viên và xây dựng điểm du lịch cộng đồng gắn với làng nghề "
         "truyền thống của đồng bào Thái.")
OTHER = ("Sáng nay, Ủy ban nhân dân tỉnh tổ chức hội nghị tổng kết công tác phòng chống thiên "
         "tai năm 2024, triển khai nhiệm vụ năm 2025 với sự tham dự của đại diện các sở, ngành "
         "và 26 huyện, thị xã, thành phố.\n\nCác đại biểu đã thảo luận về giải pháp ứng phó "
         "với bão lũ, hạn hán trong bối cảnh biến đổi khí hậu ngày càng phức tạp.")


def _load(engine, slug: str, path: str, title: str, body: str, published: datetime) -> int:
    url = f"https://{slug}.vn/{path}"
    with engine.begin() as conn:
        sid = conn.execute(text("SELECT id FROM sources WHERE slug = :s"), {"s": slug}).scalar()
        url_id = conn.execute(text(
            "INSERT INTO urls (source_id, url, state) VALUES (:s, :u, 'fetched')"
            " ON CONFLICT (url) DO UPDATE SET state = 'fetched' RETURNING id"),
            {"s": sid, "u": url}).scalar()
        upsert_article(conn, url_id=url_id, source_id=sid, url=url, province_code=None,
                       article=Article(title=title, body=body, published_at=published,
                                       extractor="test", extractor_version="1"))
        return conn.execute(text("SELECT id FROM articles WHERE url_id = :u"),
                            {"u": url_id}).scalar()


def _state(engine) -> dict[int, tuple]:
    with engine.connect() as conn:
        return {r.id: (r.cluster_id, r.dup_kind, r.dup_of) for r in conn.execute(text(
            "SELECT id, cluster_id, dup_kind, dup_of FROM articles"))}


@pytest.fixture
def loaded(engine):
    ids = {
        "orig": _load(engine, "baothanhhoa", "hop-tac-xa-1001.htm", "HTX dệt thổ cẩm", STORY, T0),
        "exact": _load(engine, "phunuvietnam", "htx-20250308120000000.htm",
                       "Thanh Hóa: HTX dệt thổ cẩm", STORY, T0 + timedelta(hours=4)),
        "near": _load(engine, "baophutho", "htx-2002.htm", "Một HTX dệt thổ cẩm",
                      STORY + "\n\nTin, ảnh: P.Y", T0 + timedelta(hours=6)),
        "other": _load(engine, "baothanhhoa", "hoi-nghi-1002.htm", "Tổng kết phòng chống thiên tai",
                       OTHER, T0 + timedelta(hours=1)),
        "title": _load(engine, "baothanhhoa", "hoi-nghi-1003.htm",
                       "Tổng kết phòng chống thiên tai - Thời sự",
                       "Bản tin ngắn: hội nghị tổng kết diễn ra sáng nay.",
                       T0 + timedelta(hours=2)),
    }
    counts = dedupe_step(engine, settings=get_settings())
    return ids, counts


def test_levels_and_clusters(engine, loaded):
    ids, counts = loaded
    assert counts == DedupeCounts(deduped=5, unique=2, exact=1, near=1, title=1)
    state = _state(engine)
    orig_cluster = state[ids["orig"]][0]
    assert state[ids["exact"]] == (orig_cluster, "exact", ids["orig"])
    assert state[ids["near"]][:2] == (orig_cluster, "near")
    assert state[ids["title"]] == (state[ids["other"]][0], "title", ids["other"])
    assert state[ids["other"]][0] != orig_cluster
    with engine.connect() as conn:
        cluster = conn.execute(text("SELECT size, canonical_article_id FROM clusters"
                                    " WHERE id = :c"), {"c": orig_cluster}).one()
        score = conn.execute(text("SELECT dup_score FROM articles WHERE id = :i"),
                             {"i": ids["near"]}).scalar()
    assert tuple(cluster) == (3, ids["orig"])
    assert 0.8 <= score < 1.0


def test_rerun_changes_nothing(engine, loaded):
    before = _state(engine)
    assert dedupe_step(engine, settings=get_settings()).deduped == 0
    assert _state(engine) == before


def test_earlier_copy_arriving_later_becomes_canonical(engine, loaded):
    ids, _ = loaded
    early = _load(engine, "baoquangngai", "channel/2025/202503/htx-3001/", "HTX dệt thổ cẩm",
                  STORY, T0 - timedelta(hours=3))
    dedupe_step(engine, settings=get_settings())
    state = _state(engine)
    assert state[early][0] == state[ids["orig"]][0]
    with engine.connect() as conn:
        canonical = conn.execute(text("SELECT canonical_article_id FROM clusters WHERE id = :c"),
                                 {"c": state[early][0]}).scalar()
    assert canonical == early


def test_changed_body_is_versioned_and_reclustered(engine, loaded):
    ids, _ = loaded
    _load(engine, "baophutho", "htx-2002.htm", "Một HTX dệt thổ cẩm",
          "Nội dung hoàn toàn mới về giá lúa vụ chiêm xuân tại các huyện miền núi phía tây.",
          T0 + timedelta(hours=6))
    with engine.connect() as conn:
        versions = conn.execute(text("SELECT body FROM article_versions WHERE article_id = :i"),
                                {"i": ids["near"]}).scalars().all()
    assert versions == [STORY + "\n\nTin, ảnh: P.Y"]
    assert dedupe_step(engine, settings=get_settings()).unique == 1
    state = _state(engine)
    assert state[ids["near"]][0] != state[ids["orig"]][0]
    assert state[ids["near"]][1] is None
    with engine.connect() as conn:
        size = conn.execute(text("SELECT size FROM clusters WHERE id = :c"),
                            {"c": state[ids["orig"]][0]}).scalar()
    assert size == 2


def _clustering(engine) -> tuple[set[frozenset[int]], dict[int, tuple]]:
    """The clusters as sets of article ids (whatever their ids), and what each article copies."""
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, cluster_id, dup_kind, dup_of, dup_score,"
                                 " deduped_at IS NOT NULL AS done FROM articles")).all()
        sizes = dict(conn.execute(text("SELECT id, size FROM clusters")).all())
    groups: dict[int, set[int]] = {}
    for r in rows:
        groups.setdefault(r.cluster_id, set()).add(r.id)
    assert {c: len(g) for c, g in groups.items()} == sizes and all(r.done for r in rows)
    return ({frozenset(g) for g in groups.values()},
            {r.id: (r.dup_kind, r.dup_of, r.dup_score) for r in rows})


def test_batches_of_any_size_give_the_same_clusters(engine):
    """Copies within one batch match each other as they match earlier batches' articles."""
    hours = iter(range(0, 100, 2))
    for slug in ("baothanhhoa", "phunuvietnam", "baophutho", "baoquangngai"):
        for path, title, body in [
                ("htx", "HTX dệt thổ cẩm", STORY),
                ("htx-anh", "HTX dệt", STORY + f"\n\nTin, ảnh: {slug}"),
                ("hoi-nghi", "Tổng kết phòng chống thiên tai", OTHER),
                ("hoi-nghi-ngan", "Tổng kết phòng chống thiên tai - Thời sự",
                 "Bản tin ngắn: hội nghị tổng kết diễn ra sáng nay."),
                ("anh", "Tổng kết phòng chống thiên tai", "")]:
            _load(engine, slug, f"{path}-{next(hours)}.htm", title, body,
                  T0 + timedelta(hours=next(hours) % 7))
    results = []
    for size in (1, 3, 200):
        with engine.begin() as conn:
            conn.execute(text("UPDATE articles SET cluster_id = NULL, dup_kind = NULL,"
                              " dup_of = NULL, dup_score = NULL, deduped_at = NULL;"
                              " DELETE FROM clusters"))
        counts = dedupe_step(engine, settings=get_settings().model_copy(
            update={"dedupe_batch_size": size}))
        assert counts == DedupeCounts(deduped=20, unique=3, exact=9, near=4, title=4)
        results.append(_clustering(engine))
    assert results[0] == results[1] == results[2]


def test_a_changed_article_keeps_its_cluster_only_while_alone_in_it(engine, loaded):
    ids, _ = loaded
    before = _state(engine)

    def change(title: str, body: str) -> DedupeCounts:
        _load(engine, "baothanhhoa", "hoi-nghi-1003.htm", title, body, T0 + timedelta(hours=2))
        return dedupe_step(engine, settings=get_settings())

    assert change("Giá lúa", "Giá lúa vụ chiêm xuân tăng nhẹ tại các huyện miền núi.") == \
        DedupeCounts(deduped=1, unique=1)
    alone = _state(engine)[ids["title"]][0]
    assert alone != before[ids["other"]][0]
    assert change("Giá cà phê", "Giá cà phê hôm nay giảm nhẹ ở các tỉnh Tây Nguyên.") == \
        DedupeCounts(deduped=1, unique=1)
    assert _state(engine)[ids["title"]] == (alone, None, None)
    assert change("Tổng kết phòng chống thiên tai - Thời sự",
                  "Bản tin ngắn: hội nghị tổng kết diễn ra sáng nay.") == \
        DedupeCounts(deduped=1, title=1)
    assert _state(engine) == before
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM clusters WHERE id = :c"),
                            {"c": alone}).scalar() == 0


def test_articles_with_nothing_to_look_up_get_clusters_of_their_own(engine):
    """No body to hash and no date for a title match: each is alone in a new cluster."""
    ids = [_load(engine, "baothanhhoa", f"anh-{i}.htm", "Ảnh", "", None) for i in range(2)]
    assert dedupe_step(engine, settings=get_settings()) == DedupeCounts(deduped=2, unique=2)
    state = _state(engine)
    assert state[ids[0]][0] != state[ids[1]][0] and _clustering(engine)[0] == {
        frozenset([ids[0]]), frozenset([ids[1]])}


def test_band_candidates_share_at_least_the_bands_asked_for(engine, loaded):
    """A stored article sharing fewer LSH buckets than asked (boilerplate) is no candidate."""
    ids, _ = loaded
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT signature FROM minhash_signatures"
                                   " WHERE article_id = :i"), {"i": ids["other"]}).scalar()

    def probe(equal_bands: int) -> list[tuple[int, int]]:
        sig = list(stored)
        for band in range(equal_bands, 32):
            sig[band * 4] ^= 1
        return band_keys(sig, 32)

    with engine.connect() as conn:
        def found(equal_bands: int, min_shared: int) -> set[int]:
            hits = band_candidates(conn, {-1: probe(equal_bands)}, min_shared)
            return {c.article_id for c in hits.get(-1, [])}

        assert ids["other"] in found(7, 7) and ids["other"] in found(32, 7)
        assert ids["other"] not in found(6, 7)
        assert ids["other"] in found(1, 1)


def test_grown_lookup_tables_are_analyzed_from_a_small_sample_in_that_transaction_only(engine):
    for i in range(30):
        _load(engine, "baothanhhoa", f"bai-{i}.htm", f"Bài {i}", f"{STORY} {i}",
              T0 + timedelta(days=i))
    with engine.begin() as conn:
        # every lookup table counts as grown
        assert analyze_grown(conn, LOOKUP_TABLES, min_changes=-1, share=0,
                             statistics_target=LOOKUP_STATISTICS_TARGET) == sorted(LOOKUP_TABLES)
        assert conn.execute(text("SHOW default_statistics_target")).scalar() == "10"
    with engine.connect() as conn:
        assert conn.execute(text("SHOW default_statistics_target")).scalar() == "100"
        bounds = conn.execute(text(
            "SELECT cardinality(histogram_bounds::text::text[]) FROM pg_stats"
            " WHERE tablename = 'articles' AND attname = 'published_at'")).scalar()
    assert bounds == 11  # 30 distinct dates, histogram of the small target's 10 buckets


def test_bands_go_with_their_signature_and_article(engine, loaded):
    ids, _ = loaded

    def bands(article_id: int) -> int:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM minhash_bands WHERE article_id = :i"),
                                {"i": article_id}).scalar()

    assert bands(ids["orig"]) == bands(ids["other"]) == get_settings().minhash_bands
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM minhash_signatures WHERE article_id = :i"),
                     {"i": ids["other"]})
        conn.execute(text("DELETE FROM articles WHERE id = :i"), {"i": ids["orig"]})
    assert bands(ids["other"]) == bands(ids["orig"]) == 0
    assert bands(ids["near"]) == get_settings().minhash_bands
