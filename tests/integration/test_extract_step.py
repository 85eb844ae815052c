"""extract_step and upsert_article against a real PostgreSQL: pages → articles, idempotent
re-runs, changed pages kept as versions, feed dates, failures that do not stop the batch."""

import hashlib
import zlib
from datetime import date, datetime

import pytest
from sqlalchemy import text

from replica.cases import load_cases
from scrapers.cli import main
from scrapers.counts import ExtractCounts
from scrapers.dates import VN_TZ
from scrapers.db import get_engine
from scrapers.extract import EXTRACTOR_VERSION
from scrapers.registry import load_sites
from scrapers.settings import get_settings
from scrapers.steps.extract import extract_step
from scrapers.text import normalise_for_hash, title_key

SITES = load_sites()
SETTINGS = get_settings()
FETCHED = datetime(2025, 1, 1, 9, 0, tzinfo=VN_TZ)


def _case(name: str):
    return next(c for c in load_cases() if c.name == name)


def add_page(engine, slug: str, url: str, html: str | bytes, *,
             hint: datetime | None = None) -> int:
    """A fetched URL with its stored page, as the fetch step leaves them."""
    body = html.encode("utf-8") if isinstance(html, str) else html
    with engine.begin() as conn:
        sid = conn.execute(text("SELECT id FROM sources WHERE slug = :s"), {"s": slug}).scalar()
        url_id = conn.execute(text(
            "INSERT INTO urls (source_id, url, published_hint, state)"
            " VALUES (:sid, :url, :hint, 'fetched') RETURNING id"),
            {"sid": sid, "url": url, "hint": hint}).scalar()
        conn.execute(text(
            "INSERT INTO pages (url_id, final_url, status, body_z, body_sha256, fetched_at)"
            " VALUES (:id, :url, 200, :z, :sha, :at)"),
            {"id": url_id, "url": url, "z": zlib.compress(body),
             "sha": hashlib.sha256(body).hexdigest(), "at": FETCHED})
    return url_id


def change_page(engine, url_id: int, html: str) -> None:
    """A refetch that got a different body: new bytes, extracted_at cleared."""
    body = html.encode("utf-8")
    with engine.begin() as conn:
        conn.execute(text("UPDATE pages SET body_z = :z, body_sha256 = :sha, extracted_at = NULL"
                          " WHERE url_id = :id"),
                     {"z": zlib.compress(body), "sha": hashlib.sha256(body).hexdigest(),
                      "id": url_id})


def article(engine, url_id: int):
    with engine.connect() as conn:
        return conn.execute(text("SELECT * FROM articles WHERE url_id = :id"),
                            {"id": url_id}).mappings().one()


def extract(engine, site, **kw) -> ExtractCounts:
    return extract_step(engine, site, settings=SETTINGS, **kw)


def counts(**kw: int) -> ExtractCounts:
    return ExtractCounts(**kw)


def test_pages_become_articles_and_reruns_change_nothing(engine):
    case = _case("baothanhhoa/htx-phu-nu-lam-chu")
    url_id = add_page(engine, "baothanhhoa", case.url, case.html)
    site = SITES["baothanhhoa"]

    assert extract(engine, site) == counts(extracted=1, new=1)
    row = article(engine, url_id)
    assert row["title"] == case.expected["title"]
    assert row["author"] == "P.Y"
    assert row["lead"] == case.expected["lead"]
    assert row["body"] == case.body
    assert row["published_at"] == datetime(2024, 7, 5, 4, 19, tzinfo=VN_TZ)
    assert row["published_day"] == date(2024, 7, 5)
    assert row["date_source"] == "jsonld"
    assert row["province_code"] == "thanh-hoa"
    assert row["url"] == case.url and row["canonical_url"] == case.url
    assert row["tags"] == ["hợp tác xã", "phụ nữ", "Hoằng Hóa"]
    assert row["images"] == case.expected["images"]
    assert row["body_sha256"] == hashlib.sha256(
        normalise_for_hash(case.body).encode()).hexdigest()
    assert row["title_key"] == title_key(case.expected["title"])
    assert (row["extractor"], row["extractor_version"]) == ("provnews-rules", EXTRACTOR_VERSION)
    assert row["word_count"] > 200 and row["flags"] == []
    with engine.connect() as conn:
        page = conn.execute(text("SELECT extracted_at, extractor_version FROM pages"
                                 " WHERE url_id = :id"), {"id": url_id}).one()
    assert page.extracted_at is not None and page.extractor_version == EXTRACTOR_VERSION

    assert extract(engine, site) == counts()  # nothing left to extract
    assert extract(engine, site, force=True) == counts(extracted=1, unchanged=1)
    assert article(engine, url_id)["updated_at"] == row["updated_at"]


def test_a_changed_page_updates_the_article_and_keeps_the_old_text(engine):
    case = _case("baophutho/kinh-te-tap-the")
    url_id = add_page(engine, "baophutho", case.url, case.html)
    site = SITES["baophutho"]
    extract(engine, site)
    with engine.begin() as conn:
        conn.execute(text("UPDATE articles SET deduped_at = now()"))
    before = article(engine, url_id)

    change_page(engine, url_id, case.html.replace("96 hợp tác xã", "97 hợp tác xã").replace(
        "chiếm gần 20%", "chiếm 20%").replace("Hợp tác xã Chè Phú Hộ ở thị xã Phú Thọ",
                                              "Hợp tác xã Chè Phú Hộ (thị xã Phú Thọ)"))
    assert extract(engine, site) == counts(extracted=1, updated=1)
    after = article(engine, url_id)
    assert after["body"].startswith("Hợp tác xã Chè Phú Hộ (thị xã Phú Thọ)")
    assert after["lead"].startswith("Toàn tỉnh hiện có 97 hợp tác xã")
    assert after["body_sha256"] != before["body_sha256"]
    assert after["deduped_at"] is None  # dedupe looks at it again
    with engine.connect() as conn:
        versions = conn.execute(text("SELECT * FROM article_versions")).mappings().all()
    assert len(versions) == 1
    assert versions[0]["article_id"] == before["id"]
    assert versions[0]["body"] == before["body"] and versions[0]["lead"] == before["lead"]
    assert versions[0]["body_sha256"] == before["body_sha256"]

    assert extract(engine, site, force=True) == counts(extracted=1, unchanged=1)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM article_versions")).scalar() == 1


def test_feed_date_when_the_page_has_none_and_failures_do_not_stop_the_batch(engine, caplog):
    site = SITES["baothanhhoa"]
    undated = _case("baothanhhoa/base64-blob").html.replace(
        '<meta property="article:published_time" content="2024-07-08T15:42:00+07:00">', "")\
        .replace('<time class="time">Thứ hai, 08/07/2024 - 15:42</time>', "")
    hint = datetime(2024, 7, 8, 8, 42, tzinfo=VN_TZ)
    broken = add_page(engine, "baothanhhoa", "https://baothanhhoa.vn/hong-1001.htm",
                      b"\xff\xfe not utf-8 \xc3")
    empty = add_page(engine, "baothanhhoa", "https://baothanhhoa.vn/trong-1002.htm",
                     "<html><body><div class='x'></div></body></html>")
    good = add_page(engine, "baothanhhoa", "https://baothanhhoa.vn/ocop-219102.htm", undated,
                    hint=hint)

    assert extract(engine, site) == counts(extracted=1, new=1, failed=2)
    assert "hong-1001" in caplog.text and "trong-1002" in caplog.text
    row = article(engine, good)
    assert row["published_at"] == hint and row["date_source"] == "feed"
    assert row["published_day"] == date(2024, 7, 8)
    assert row["flags"] == ["body_incomplete"]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM articles WHERE url_id IN (:a, :b)"),
                            {"a": broken, "b": empty}).scalar() == 0
        errors = dict(conn.execute(text("SELECT url_id, extract_error FROM pages")).all())
    assert errors[broken].startswith("UnicodeDecodeError")
    assert errors[empty].startswith("EmptyPage") and errors[good] is None
    # failed pages are not retried until the extractor changes
    assert extract(engine, site) == counts()


def test_a_corrupt_stored_body_is_recorded_with_zlibs_reason(engine):
    """Bodies are inflated by ISA-L; one it refuses still gets zlib's reason, as before."""
    site = SITES["baothanhhoa"]
    html = _case("baothanhhoa/base64-blob").html
    good = add_page(engine, "baothanhhoa", "https://baothanhhoa.vn/ocop-219102.htm", html)
    bad = {add_page(engine, "baothanhhoa", f"https://baothanhhoa.vn/hong-{i}.htm", html): z
           for i, z in enumerate((b"not zlib at all", zlib.compress(html.encode())[:-9]))}
    with engine.begin() as conn:
        for url_id, z in bad.items():
            conn.execute(text("UPDATE pages SET body_z = :z WHERE url_id = :id"),
                         {"z": z, "id": url_id})

    assert extract(engine, site) == counts(extracted=1, new=1, failed=2)
    with engine.connect() as conn:
        errors = dict(conn.execute(text("SELECT url_id, extract_error FROM pages")).all())
    assert errors[good] is None
    assert sorted(errors[i] for i in bad) == [
        "error: Error -3 while decompressing data: incorrect header check",
        "error: Error -5 while decompressing data: incomplete or truncated stream"]


def _national_pages(engine) -> list[int]:
    return [add_page(engine, "phunuvietnam", c.url, c.html)
            for c in load_cases() if c.name.startswith("phunuvietnam/")]


def test_one_batch_reports_each_article_new_updated_or_unchanged(engine):
    site = SITES["phunuvietnam"]
    ids = _national_pages(engine)
    assert extract(engine, site) == counts(extracted=len(ids), new=len(ids))
    before = article(engine, ids[0])
    html = next(c for c in load_cases() if c.url == before["url"]).html
    change_page(engine, ids[0], html.replace("Sa Pa", "Sa Pả"))
    late = add_page(engine, "phunuvietnam", "https://phunuvietnam.vn/muon-20250101000000001.htm",
                    html)

    assert extract(engine, site, force=True) == counts(
        extracted=len(ids) + 1, new=1, updated=1, unchanged=len(ids) - 1)
    assert "Sa Pả" in article(engine, ids[0])["body"]
    assert article(engine, late)["body"] == before["body"]
    with engine.connect() as conn:
        versions = conn.execute(text("SELECT article_id, body FROM article_versions")).all()
    assert [tuple(v) for v in versions] == [(before["id"], before["body"])]


def test_an_article_the_database_refuses_costs_only_its_own_page(engine, caplog):
    """The batch's articles go together; when the database refuses one row, the
    others are stored one by one and only the refused page is left for the next run."""
    site = SITES["phunuvietnam"]
    ids = _national_pages(engine)
    refused = ids[2]
    with engine.begin() as conn:
        article_url = conn.execute(text("SELECT url FROM urls WHERE id = :id"),
                                   {"id": refused}).scalar()
        # an article of another URL already holds this page's URL (articles.url is unique)
        conn.execute(text(
            "WITH u AS (INSERT INTO urls (source_id, url, state) SELECT source_id,"
            " url || '?cu', 'fetched' FROM urls WHERE id = :id RETURNING id, source_id)"
            " INSERT INTO articles (url_id, source_id, url, title, body, word_count,"
            " body_sha256, extractor, extractor_version, deduped_at)"
            " SELECT u.id, u.source_id, :url, 'cũ', 'cũ', 1, 'x', 'test', '1', now() FROM u"),
            {"id": refused, "url": article_url})

    assert extract(engine, site) == counts(extracted=len(ids) - 1, new=len(ids) - 1, failed=1)
    assert f"store {article_url}: IntegrityError" in caplog.text
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT url_id FROM articles WHERE extractor <> 'test'")
                              ).scalars().all()
        unread = conn.execute(text("SELECT url_id FROM pages WHERE extracted_at IS NULL")
                              ).scalars().all()
    assert sorted(stored) == sorted(set(ids) - {refused}) and unread == [refused]

    with engine.begin() as conn:
        conn.execute(text("DELETE FROM articles WHERE extractor = 'test'"))
    assert extract(engine, site) == counts(extracted=1, new=1)


def test_national_site_limit_and_run_counts(engine):
    site = SITES["phunuvietnam"]
    cases = [c for c in load_cases() if c.name.startswith("phunuvietnam/")]
    for case in cases:
        add_page(engine, "phunuvietnam", case.url, case.html)
    with engine.begin() as conn:
        run_id = conn.execute(text(
            "INSERT INTO crawl_runs (source_id, run_key) SELECT id, 'test' FROM sources"
            " WHERE slug = 'phunuvietnam' RETURNING id")).scalar()

    assert extract(engine, site, limit=2, run_id=run_id) == counts(extracted=2, new=2)
    assert extract(engine, site, run_id=run_id) == counts(extracted=len(cases) - 2,
                                                          new=len(cases) - 2)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT province_code, author FROM articles")).all()
        run_counts = conn.execute(text("SELECT counts FROM crawl_runs WHERE id = :id"),
                                  {"id": run_id}).scalar()
    assert len(rows) == len(cases) and {r.province_code for r in rows} == {None}
    assert "Báo Phụ nữ Việt Nam" not in {r.author for r in rows}
    assert ExtractCounts.from_json(run_counts["extract"]) == counts(extracted=len(cases) - 2,
                                                                    new=len(cases) - 2)


@pytest.fixture
def cli_db(db_url, monkeypatch):
    """`provnews` commands aimed at the test database."""
    monkeypatch.setenv("NEWS_DB_URL", db_url)
    get_settings.cache_clear()
    yield
    get_engine(db_url).dispose()  # its database is dropped after the test
    get_settings.cache_clear()


def test_reextract_command_runs_over_stored_pages(engine, cli_db, capsys):
    case = _case("baoquangngai/output-data")
    add_page(engine, "baoquangngai", case.url, case.html)
    assert main(["reextract", "baoquangngai"]) == 0
    assert "baoquangngai reextract: extracted 1, new 1" in capsys.readouterr().out
    assert main(["reextract", "baoquangngai"]) == 0
    assert "extracted 1, new 0, updated 0, unchanged 1" in capsys.readouterr().out
    assert main(["reextract", "nosuchsite"]) == 2
