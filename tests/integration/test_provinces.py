"""Provinces: 34 units since 1 July 2025, 63 before, every old unit with its successor."""

from sqlalchemy import text


def test_counts_and_successors(engine):
    with engine.connect() as conn:
        current = conn.execute(text("SELECT count(*) FROM provinces WHERE is_current")).scalar()
        before = conn.execute(text("SELECT count(*) FROM provinces WHERE in_pre_2025")).scalar()
        succ = dict(conn.execute(text(
            "SELECT p.name, s.name FROM provinces p JOIN provinces s ON s.code = p.successor_code"
        )).all())
        orphans = conn.execute(text(
            "SELECT count(*) FROM provinces WHERE in_pre_2025 AND successor_code IS NULL")).scalar()
        non_current_successor = conn.execute(text(
            "SELECT count(*) FROM provinces p JOIN provinces s ON s.code = p.successor_code"
            " WHERE NOT s.is_current")).scalar()
    assert (current, before) == (34, 63)
    assert orphans == 0 and non_current_successor == 0
    assert succ["Vĩnh Phúc"] == succ["Hòa Bình"] == "Phú Thọ"
    assert succ["Kon Tum"] == "Quảng Ngãi"
    assert succ["Bắc Giang"] == "Bắc Ninh"
    assert succ["Thanh Hóa"] == "Thanh Hóa"


def test_sources_name_their_province(engine):
    with engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT slug, province_code FROM sources")).all())
    assert rows["baothanhhoa"] == "thanh-hoa"
    assert rows["baophutho"] == "phu-tho"
    assert rows["baoquangngai"] == "quang-ngai"
    assert rows["phunuvietnam"] is None
