"""extract_indicators: subjects across clauses, attributes, approximations, qualifiers,
as_of dates, offsets into the given text, determinism."""

import unicodedata
from datetime import date

from scrapers.indicators import Approx, Qualifier, Subject, extract_indicators

D = date(2025, 3, 12)


def summary(text: str, day: date = D) -> list[tuple]:
    return [(i.subject, i.value, i.approx, i.women, i.new)
            for i in extract_indicators(text, day, "thanh-hoa")]


def test_subjects_resolved_across_clauses():
    text = ("Toàn tỉnh hiện có 312 HTX và 845 tổ hợp tác, trong đó 58 HTX do phụ nữ làm "
            "giám đốc, thu hút gần 1.900 thành viên.")
    assert summary(text) == [
        (Subject.COOPERATIVES, 312, Approx.NONE, False, False),
        (Subject.COOPERATIVE_GROUPS, 845, Approx.NONE, False, False),
        (Subject.COOPERATIVES, 58, Approx.NONE, True, False),
        (Subject.MEMBERS, 1900, Approx.NEARLY, False, False),
    ]


def test_a_part_without_its_noun_takes_the_whole_s_subject():
    assert summary("Tỉnh có 4.560 thành viên tổ hợp tác, trong đó 3.900 là phụ nữ.") == [
        (Subject.MEMBERS, 4560, Approx.NONE, False, False),
        (Subject.MEMBERS, 3900, Approx.NONE, True, False)]
    assert summary("Số HTX do phụ nữ làm giám đốc là 58, chiếm 18,6%.") == [
        (Subject.COOPERATIVES, 58, Approx.NONE, True, False),
        (Subject.SHARE, 18.6, Approx.NONE, True, False)]


def test_person_nouns_count_what_the_verb_says():
    text = ("Hội đã giải quyết việc làm cho hơn 2.300 lao động, trong đó 1.600 lao động nữ; "
            "đào tạo nghề cho 600 chị em; các HTX thu hút 1.200 lao động.")
    assert [(i.subject, i.value, i.women) for i in extract_indicators(text, D)] == [
        (Subject.JOBS, 2300, False), (Subject.JOBS, 1600, True),
        (Subject.TRAINING_PARTICIPANTS, 600, True), (Subject.WORKERS, 1200, False)]


def test_a_list_shares_its_verb_and_its_modifier():
    text = ("Mục tiêu giai đoạn 2026 - 2030, tỉnh hỗ trợ thành lập 50 HTX, 200 tổ hợp tác do "
            "phụ nữ làm chủ.")
    found = extract_indicators(text, D)
    assert [(i.subject, i.women, i.new, i.qualifier, i.target_year) for i in found] == [
        (Subject.COOPERATIVES, True, True, Qualifier.TARGET, 2030),
        (Subject.COOPERATIVE_GROUPS, True, True, Qualifier.TARGET, 2030)]


def test_money_subjects_and_units():
    text = ("Năm 2024, các cấp Hội đã hỗ trợ hơn 1,2 tỷ đồng vốn vay ưu đãi cho 9 tổ hợp tác "
            "của chị em; thu nhập bình quân đạt 5,5 triệu đồng/người/tháng, lợi nhuận "
            "300 triệu đồng.")
    found = extract_indicators(text, D)
    assert [(i.subject, i.value, i.unit, i.approx, i.women) for i in found] == [
        (Subject.SUPPORT_VALUE, 1_200_000_000, "VND", Approx.MORE_THAN, False),
        (Subject.COOPERATIVE_GROUPS, 9, "count", Approx.NONE, True),
        (Subject.INCOME, 5_500_000, "VND/person/month", Approx.NONE, False)]


def test_ocop_products_and_stars():
    found = extract_indicators(
        "Sản phẩm của 14 HTX do phụ nữ quản lý đạt chuẩn OCOP, trong đó 3 sản phẩm 4 sao.", D)
    assert [(i.subject, i.value, i.women, i.ocop, i.ocop_stars) for i in found] == [
        (Subject.COOPERATIVES, 14, True, True, None),
        (Subject.OCOP_PRODUCTS, 3, False, False, 4)]


def test_target_with_year_and_share_of():
    text = ("Phấn đấu đến năm 2030 thành lập mới ít nhất 12 HTX do phụ nữ làm chủ, tạo việc "
            "làm cho khoảng 800 lao động nữ, 100% nữ quản lý được tập huấn.")
    found = extract_indicators(text, D)
    assert [(i.subject, i.value, i.approx, i.women, i.new) for i in found] == [
        (Subject.COOPERATIVES, 12, Approx.AT_LEAST, True, True),
        (Subject.JOBS, 800, Approx.ABOUT, True, False),
        (Subject.SHARE, 100, Approx.NONE, True, False)]
    assert {(i.qualifier, i.target_year) for i in found} == {(Qualifier.TARGET, 2030)}
    assert found[2].share_of == "nữ quản lý được tập huấn"


def test_change_against_a_period_and_explicit_as_of():
    text = ("Tính đến 30/6/2025, toàn tỉnh có 97 HTX nông nghiệp (tăng 11 HTX so với cùng "
            "kỳ), doanh thu bình quân 1,6 tỷ đồng/HTX/năm.")
    a, b, c = extract_indicators(text, date(2025, 7, 10))
    assert (a.value, a.qualifier, a.as_of) == (97, Qualifier.ACTUAL, date(2025, 6, 30))
    assert (b.value, b.qualifier, b.change_period) == (11, Qualifier.CHANGE, "cùng kỳ")
    assert (c.subject, c.unit, c.as_of) == (Subject.REVENUE, "VND/cooperative/year",
                                            date(2025, 6, 30))


def test_a_decrease_is_negative_and_a_level_reached_is_actual():
    found = extract_indicators("Năm 2023 có 5 HTX giải thể, giảm 3 HTX so với năm 2022; "
                               "số HTX tăng lên 418 HTX.", date(2024, 1, 1))
    assert [(i.value, i.qualifier, i.change_period) for i in found] == [
        (5, Qualifier.ACTUAL, None), (-3, Qualifier.CHANGE, "năm 2022"),
        (418, Qualifier.ACTUAL, None)]


def test_as_of_defaults_to_the_article_date_and_reads_month_and_year_ends():
    assert extract_indicators("Toàn tỉnh có 5 HTX.", D)[0].as_of == D
    assert extract_indicators("Tính đến hết tháng 9/2024, có 5 HTX.", D)[0].as_of == date(
        2024, 9, 30)
    assert extract_indicators("Đến cuối năm 2024, có 5 HTX.", D)[0].as_of == date(2024, 12, 31)


def test_hard_negatives_give_nothing():
    for text in [
        "Thực hiện Nghị quyết số 20-NQ/TW ngày 16/6/2022 về kinh tế tập thể.",
        "Liên hệ Hội LHPN tỉnh, số điện thoại 0237.3852.461.",
        "Chị Hoa, 42 tuổi, Giám đốc HTX, có hơn 20 năm gắn bó với nghề.",
        "HTX đã trồng 35 ha chè, sản lượng đạt 420 tấn/năm.",
        "Hội viên phụ nữ được vay vốn với lãi suất 0,6%/tháng.",
    ]:
        assert extract_indicators(text, D) == [], text


def test_offsets_index_the_given_text_even_when_decomposed():
    text = unicodedata.normalize(
        "NFD", "Mở đầu bài viết. Toàn tỉnh có 312 HTX, thu hút gần 1.900 thành viên.")
    found = extract_indicators(text, D)
    assert [i.value for i in found] == [312, 1900]
    for i in found:
        assert text[i.start:i.end] == i.sentence
        assert i.sentence.startswith(unicodedata.normalize("NFD", "Toàn tỉnh"))
    assert unicodedata.normalize("NFC", text[found[1].mention_start:found[1].mention_end]) == (
        "gần 1.900")


def test_deterministic():
    text = ("Năm 2024, toàn tỉnh có 126 sản phẩm đạt chuẩn OCOP, trong đó có 38 sản phẩm của "
            "các HTX do phụ nữ làm chủ. Thu nhập của thành viên HTX từ 4 - 6 triệu đồng/người/"
            "tháng.")
    runs = [extract_indicators(text, D, "quang-ninh") for _ in range(3)]
    assert runs[0] == runs[1] == runs[2]
    assert [i.to_dict() for i in runs[0]] == [i.to_dict() for i in runs[2]]
