"""upsert_articles against a real PostgreSQL: an article that has no row yet is written by
COPY, one that has a row by the upsert; both must store the same values, every column, and
a batch the database refuses must leave nothing behind and raise as SQLAlchemy raises."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from scrapers.dates import VN_TZ
from scrapers.extract.model import Article, Image
from scrapers.outcomes import ArticleChange
from scrapers.store.articles import ALL_COLUMNS, ArticleInput, body_sha256, upsert_articles
from scrapers.text import title_key

SLUG = "baothanhhoa"


def _full(published: datetime) -> Article:
    """Every column set, with the values that are easy to get wrong in one format or the
    other: quotes, backslashes, braces and commas in arrays, JSON in captions, microseconds,
    a NULL caption, an empty tag list beside a full one."""
    return Article(
        title='Hợp tác xã "Đặc sản" Bá Thước - Báo Thanh Hóa', lead="Sa Pa, {mù}\\ sương",
        body="Đoạn một có 84% thành viên.\n\nĐoạn hai: \"trích\" và \\ gạch, {ngoặc}.",
        author="Lê Văn A, Trần B", published_at=published,
        modified_at=published + timedelta(hours=2, microseconds=7), date_source="jsonld",
        category="Kinh tế", tags=["phụ nữ", 'khởi "nghiệp"', "a,b", "{x}", "NULL", "\\"],
        language="vi", canonical_url="https://baothanhhoa.vn/htx-1.htm?a=1&b=2",
        images=[Image("https://baothanhhoa.vn/1.jpg", 'Ảnh "một" {"k": [1]}'),
                Image("https://baothanhhoa.vn/2.jpg", None)],
        word_count=17, extractor="rules", extractor_version="9", flags=["decoded_body", "x y"])


def _setup(engine, n: int) -> tuple[int, str, list[tuple[int, str]]]:
    with engine.begin() as conn:
        sid, province = conn.execute(text(
            "SELECT id, province_code FROM sources WHERE slug = :s"), {"s": SLUG}).one()
        urls = [(conn.execute(text(
            "INSERT INTO urls (source_id, url, state) VALUES (:s, :u, 'fetched') RETURNING id"),
            {"s": sid, "u": f"https://baothanhhoa.vn/a-{i}.htm"}).scalar(),
            f"https://baothanhhoa.vn/a-{i}.htm") for i in range(n)]
    return sid, province, urls


def _stored(engine, url_id: int) -> dict:
    with engine.connect() as conn:
        return dict(conn.execute(text("SELECT * FROM articles WHERE url_id = :u"),
                                 {"u": url_id}).mappings().one())


@pytest.mark.parametrize("published", [
    datetime(2025, 3, 8, 8, 0, 1, 123456, tzinfo=VN_TZ),
    datetime(2025, 3, 8, 1, 0, tzinfo=UTC),  # the day is Vietnam's (8:00 there)
    datetime(1900, 1, 1, tzinfo=VN_TZ),  # local mean time: +07:06:30, seconds in the offset
], ids=["vn", "utc", "lmt"])
def test_an_article_copied_and_the_same_article_upserted_store_the_same_values(
        engine, published):
    sid, province, [(copied, copied_url), (upserted, upserted_url)] = _setup(engine, 2)
    full = _full(published)
    with engine.begin() as conn:
        assert upsert_articles(conn, [ArticleInput(copied, sid, copied_url, full, province,
                                                   0.667)]) == {copied: ArticleChange.NEW}
        placeholder = Article(title="cũ", body="cũ", extractor="test", extractor_version="1")
        upsert_articles(conn, [ArticleInput(upserted, sid, upserted_url, placeholder, None)])
    with engine.begin() as conn:
        assert upsert_articles(conn, [ArticleInput(upserted, sid, upserted_url, full, province,
                                                   0.667)]) == {upserted: ArticleChange.UPDATED}

    a, b = _stored(engine, copied), _stored(engine, upserted)
    assert {c: a[c] for c in ALL_COLUMNS if c != "url"} == \
        {c: b[c] for c in ALL_COLUMNS if c != "url"}
    assert a["url"] == copied_url and a["source_id"] == sid and a["province_code"] == province
    assert a["published_at"] == published and a["modified_at"] == full.modified_at
    assert a["published_day"] == published.astimezone(VN_TZ).date()
    assert a["tags"] == full.tags and a["flags"] == full.flags
    assert a["images"] == [{"src": im.src, "caption": im.caption} for im in full.images]
    assert a["body_sha256"] == body_sha256(full.body) and a["title_key"] == title_key(full.title)
    assert a["extract_confidence"] == pytest.approx(0.667, abs=1e-6)
    assert a["deduped_at"] is None and a["first_loaded_at"] is not None

    with engine.begin() as conn:  # stored again as it is: unchanged, whichever way it came
        assert upsert_articles(conn, [
            ArticleInput(copied, sid, copied_url, full, province, 0.667),
            ArticleInput(upserted, sid, upserted_url, full, province, 0.667),
        ]) == {copied: ArticleChange.UNCHANGED, upserted: ArticleChange.UNCHANGED}


def test_a_sparse_article_is_copied_with_the_columns_defaults_and_nulls(engine):
    sid, _, [(url_id, url)] = _setup(engine, 1)
    with engine.begin() as conn:
        upsert_articles(conn, [ArticleInput(url_id, sid, url, Article(
            title="", body="", extractor="generic", extractor_version="1"), None)])
    row = _stored(engine, url_id)
    assert (row["tags"], row["images"], row["flags"], row["title_key"], row["lead"],
            row["published_at"], row["published_day"], row["province_code"],
            row["extract_confidence"]) == ([], [], [], None, None, None, None, None, None)


def test_a_refused_batch_of_new_articles_raises_an_integrity_error_and_stores_none(engine):
    sid, _, [(first, url), (second, _)] = _setup(engine, 2)
    article = Article(title="t", body="b", extractor="test", extractor_version="1")
    with engine.connect() as conn, conn.begin():
        with pytest.raises(IntegrityError), conn.begin_nested():
            # two url_ids, one URL: articles.url is unique
            upsert_articles(conn, [ArticleInput(first, sid, url, article, None),
                                   ArticleInput(second, sid, url, article, None)])
        assert conn.execute(text("SELECT count(*) FROM articles")).scalar() == 0
        # the savepoint is gone, the transaction goes on
        assert upsert_articles(conn, [ArticleInput(first, sid, url, article, None)]) == {
            first: ArticleChange.NEW}
