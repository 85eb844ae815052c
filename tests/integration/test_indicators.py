"""indicators_step and the analysts' views on a real crawl of two replica sites, one of which
republishes the other: incremental, idempotent, re-extracted on a version bump, and each
syndicated story counted once."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from replica.data import dataset
from replica.server import ReplicaServer
from scrapers.db import create_database, drop_database, scratch_database
from scrapers.indicators import Approx, Qualifier, Subject, Topic, article_text
from scrapers.pipeline import RunOptions, RunWindow, crawl
from scrapers.settings import get_settings
from scrapers.steps.indicators import IndicatorCounts, indicators_step
from tests.crawlutil import fast_site, local

START, END = local(2025, 3, 1), local(2025, 5, 1)
# every column but the ones a re-extraction renews
CONTENT = ("md5(string_agg((to_jsonb(i) - 'id' - 'extracted_at' - 'extractor_version')::text,"
           " '|' ORDER BY i.article_id, i.mention_start, i.subject))")


@pytest.fixture(scope="module")
def crawled_db(pg_admin_url: str, template_db: str) -> Iterator[str]:
    """baothanhhoa and phunuvietnam (30% of it republished from baothanhhoa) over two
    months, crawled once; each test gets a copy."""
    syndicated = dataset("phunuvietnam", republish_from="baothanhhoa", fraction=0.3)
    with scratch_database(pg_admin_url, template=make_url(template_db).database,
                          prefix="pn_ind") as url:
        engine = create_engine(url)
        with ReplicaServer("baothanhhoa") as original, ReplicaServer(syndicated) as copier:
            for slug, server in (("baothanhhoa", original), ("phunuvietnam", copier)):
                crawl(engine, fast_site(slug), RunWindow(START, END),
                      settings=get_settings(), options=RunOptions(base_url=server.base_url))
        engine.dispose()
        yield url


@pytest.fixture
def warehouse(pg_admin_url: str, crawled_db: str) -> Iterator[Engine]:
    url = create_database(pg_admin_url, template=make_url(crawled_db).database)
    engine = create_engine(url)
    yield engine
    engine.dispose()
    drop_database(pg_admin_url, url)


def scalar(engine: Engine, sql: str, **params):
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def snapshot(engine: Engine) -> tuple:
    """Row counts and hashes of both tables, every column included."""
    return tuple(scalar(engine, f"SELECT (count(*), md5(string_agg(to_jsonb(t)::text, '|'"
                                f" ORDER BY t::text)))::text FROM {table} t")
                 for table in ("indicators", "article_topics"))


def test_first_run_mines_tagged_articles_and_a_rerun_changes_nothing(warehouse):
    settings = get_settings()
    articles = scalar(warehouse, "SELECT count(*) FROM articles")
    counts = indicators_step(warehouse, settings=settings)
    print(counts)
    assert counts.articles == counts.new == articles > 100
    assert counts.untagged + counts.undated + counts.mined == articles
    assert 0 < counts.untagged < counts.mined and counts.replaced == 0
    assert counts.indicators == scalar(warehouse, "SELECT count(*) FROM indicators") > 300
    assert scalar(warehouse, "SELECT count(*) FROM article_topics") == articles
    # figures come from tagged articles only
    assert scalar(warehouse, "SELECT count(*) FROM indicators i JOIN article_topics t"
                             " USING (article_id) WHERE t.topics = '{}'") == 0
    before = snapshot(warehouse)
    assert indicators_step(warehouse, settings=settings) == IndicatorCounts()
    assert snapshot(warehouse) == before


def test_a_new_extractor_version_reads_every_article_again(warehouse, monkeypatch):
    settings = get_settings()
    first = indicators_step(warehouse, settings=settings)
    content = scalar(warehouse, f"SELECT {CONTENT} FROM indicators i")
    monkeypatch.setattr("scrapers.steps.indicators.INDICATOR_EXTRACTOR_VERSION", "test-2")
    second = indicators_step(warehouse, settings=settings)
    assert second.articles == second.old_version == first.articles
    assert second.indicators == second.replaced == first.indicators
    assert scalar(warehouse, f"SELECT {CONTENT} FROM indicators i") == content
    for table in ("indicators", "article_topics"):
        assert scalar(warehouse, f"SELECT array_agg(DISTINCT extractor_version) FROM {table}"
                      ) == ["test-2"]
    assert indicators_step(warehouse, settings=settings) == IndicatorCounts()


def test_a_changed_article_loses_its_stale_figures(warehouse):
    settings = get_settings()
    indicators_step(warehouse, settings=settings)
    with warehouse.connect() as conn:
        art, cut = conn.execute(text(
            "SELECT article_id, min(sentence_end) FROM indicators GROUP BY article_id"
            " HAVING count(DISTINCT sentence_start) >= 3 ORDER BY article_id LIMIT 1")).one()
        kept = conn.execute(text("SELECT id FROM indicators WHERE article_id = :a"
                                 " AND sentence_end <= :c ORDER BY id"), {"a": art, "c": cut}
                            ).scalars().all()
        had = conn.execute(text("SELECT count(*) FROM indicators WHERE article_id = :a"),
                           {"a": art}).scalar()
    others = scalar(warehouse, f"SELECT {CONTENT} FROM indicators i WHERE article_id <> :a",
                    a=art)
    # the page now ends after the first sentence with figures (offsets index the article
    # text, lead and body: it becomes the body, the lead is gone)
    with warehouse.begin() as conn:
        conn.execute(text("UPDATE articles a SET lead = NULL, body = left(t.text, :c),"
                          " updated_at = now() FROM article_texts t"
                          " WHERE t.article_id = a.id AND a.id = :a"), {"a": art, "c": cut})
    counts = indicators_step(warehouse, settings=settings)
    assert (counts.articles, counts.changed, counts.replaced) == (1, 1, had)
    assert counts.indicators == len(kept) < had
    assert scalar(warehouse, "SELECT max(sentence_end) FROM indicators WHERE article_id = :a",
                  a=art) == cut
    assert scalar(warehouse, f"SELECT {CONTENT} FROM indicators i WHERE article_id <> :a",
                  a=art) == others


def test_a_figure_stated_only_in_the_lead_is_mined_at_its_offset_in_the_article_text(
        warehouse):
    lead = "Toàn tỉnh hiện có 45 hợp tác xã do phụ nữ làm chủ."
    repeated = "Huyện Nga Sơn có 12 tổ hợp tác do chị em quản lý."
    body = "Nhiều hộ đã mạnh dạn chuyển đổi cây trồng, liên kết tiêu thụ nông sản."
    with warehouse.begin() as conn:
        only_lead, in_body = conn.execute(text(
            "SELECT a.id FROM articles a JOIN sources s ON s.id = a.source_id"
            " WHERE s.slug = 'baothanhhoa' AND a.published_day IS NOT NULL"
            " ORDER BY a.id LIMIT 2")).scalars().all()
        # no topic word nor figure outside the lead; the second page repeats its lead at
        # the top of the body, in decomposed accents
        update = text("UPDATE articles SET title = 'Tổng kết năm', lead = :lead,"
                      " body = :body, updated_at = now() WHERE id = :a")
        conn.execute(update, [
            {"a": only_lead, "lead": lead, "body": body},
            {"a": in_body, "lead": repeated,
             "body": unicodedata.normalize("NFD", f"{repeated}\n{body}")}])
    indicators_step(warehouse, settings=get_settings())
    with warehouse.connect() as conn:
        rows = conn.execute(text(
            "SELECT i.article_id, i.subject, i.value, i.women, i.province_code, i.sentence,"
            " substr(t.text, i.sentence_start + 1, i.sentence_end - i.sentence_start) AS at,"
            " substr(t.text, i.mention_start + 1, i.mention_end - i.mention_start) AS mention"
            " FROM indicators i JOIN article_texts t USING (article_id)"
            " WHERE i.article_id IN (:a, :b) ORDER BY i.article_id"),
            {"a": only_lead, "b": in_body}).all()
        texts = conn.execute(text("SELECT a.lead, a.body, t.text FROM articles a"
                                  " JOIN article_texts t ON t.article_id = a.id")).all()
    assert [(r.article_id, r.subject, r.value, r.women, r.province_code, r.mention)
            for r in rows] == [(only_lead, "cooperatives", 45, True, "thanh-hoa", "45"),
                               (in_body, "cooperative_groups", 12, True, "thanh-hoa", "12")]
    assert rows[0].at == rows[0].sentence == lead
    assert rows[1].at == rows[1].sentence == unicodedata.normalize("NFD", repeated)
    # the view rebuilds the text the step mined, and every stored offset indexes it
    assert all(article_text(r.lead, r.body) == r.text for r in texts)
    assert scalar(warehouse, "SELECT count(*) FROM indicators i JOIN article_texts t"
                             " USING (article_id) WHERE substr(t.text, i.sentence_start + 1,"
                             " i.sentence_end - i.sentence_start) <> i.sentence") == 0
    # the replica pages state figures in their leads too
    assert scalar(warehouse, "SELECT count(*) FROM indicators i JOIN articles a"
                             " ON a.id = i.article_id JOIN article_texts t USING (article_id)"
                             " WHERE t.text <> a.body AND i.sentence_end <= length(a.lead)"
                             " AND a.id <> :a", a=only_lead) > 0


def test_limit_then_the_rest_then_force_reads_all_again(warehouse):
    settings = get_settings().model_copy(update={"indicators_batch_size": 7})
    articles = scalar(warehouse, "SELECT count(*) FROM articles")
    assert indicators_step(warehouse, settings=settings, limit=10).articles == 10
    assert indicators_step(warehouse, settings=settings).new == articles - 10
    content = scalar(warehouse, f"SELECT {CONTENT} FROM indicators i")
    forced = indicators_step(warehouse, settings=settings, force=True)
    assert forced.articles == forced.forced == articles
    assert scalar(warehouse, f"SELECT {CONTENT} FROM indicators i") == content


def test_province_is_the_sources_else_the_one_the_text_names(warehouse):
    indicators_step(warehouse, settings=get_settings())
    with warehouse.connect() as conn:
        rows = conn.execute(text(
            "SELECT s.slug, i.province_code, i.text_province_code,"
            " i.text_province_successor_code, p.successor_code AS successor"
            " FROM indicators i JOIN articles a ON a.id = i.article_id"
            " JOIN sources s ON s.id = a.source_id"
            " LEFT JOIN provinces p ON p.code = i.text_province_code")).all()
    assert {r.province_code for r in rows if r.slug == "baothanhhoa"} == {"thanh-hoa"}
    national = [r for r in rows if r.slug == "phunuvietnam"]
    assert all(r.province_code == r.text_province_code for r in national)
    assert sum(r.province_code is not None for r in national) > len(national) / 2
    assert all(r.text_province_successor_code == r.successor for r in rows)


def test_enum_checks_hold_the_extractors_values(engine):
    with engine.connect() as conn:
        checks = conn.execute(text(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid IN ('indicators'::regclass, 'article_topics'::regclass)"
            " AND contype = 'c'")).scalars().all()

    def allowed(column: str) -> set[str]:
        (check,) = [c for c in checks if re.search(rf"\({column}\b", c)]
        return set(re.findall(r"'([a-z_]+)'", check))

    assert allowed("subject") == {str(s) for s in Subject}
    assert allowed("approx") == {str(a) for a in Approx}
    assert allowed("qualifier") == {str(q) for q in Qualifier}
    assert allowed("topics") == {str(t) for t in Topic}


def test_a_syndicated_story_counts_once_in_the_views(warehouse):
    indicators_step(warehouse, settings=get_settings())
    # stories with figures: distinct clusters among the articles with indicators
    stories = scalar(warehouse, "SELECT count(DISTINCT COALESCE(a.cluster_id, -a.id))"
                                " FROM articles a WHERE EXISTS (SELECT 1 FROM indicators i"
                                " WHERE i.article_id = a.id)")
    copies = scalar(warehouse, "SELECT count(*) FROM articles a WHERE a.dup_kind IS NOT NULL"
                               " AND EXISTS (SELECT 1 FROM indicators i"
                               " WHERE i.article_id = a.id)")
    assert copies >= 5, "the window should hold syndicated stories with figures"
    assert scalar(warehouse, "SELECT count(DISTINCT article_id) FROM indicators_clean"
                  ) == stories
    assert scalar(warehouse, "SELECT count(*) FROM indicators") > scalar(
        warehouse, "SELECT count(*) FROM indicators_clean") == scalar(
        warehouse, "SELECT sum(indicators) FROM indicators_by_province_year")
    # the copies on phunuvietnam state the same figures as their originals, which count
    assert scalar(warehouse, """
        SELECT count(*) FROM articles copy JOIN articles orig ON orig.id = copy.dup_of
        WHERE copy.dup_kind IS NOT NULL
          AND (SELECT count(*) FROM indicators WHERE article_id = copy.id)
           <> (SELECT count(*) FROM indicators WHERE article_id = orig.id)""") == 0
    assert scalar(warehouse, "SELECT count(*) FROM indicators_clean c JOIN articles a"
                             " ON a.id = c.article_id WHERE a.dup_kind IS NOT NULL") == 0


def test_merged_provinces_roll_up_and_keep_their_own_code(warehouse):
    indicators_step(warehouse, settings=get_settings())
    with warehouse.connect() as conn:
        rolled = conn.execute(text(
            "SELECT province_code, reported_province_codes FROM indicators_by_province_year"
            " WHERE NOT reported_province_codes <@ ARRAY[province_code]")).all()
        wrong = conn.execute(text(
            "SELECT count(*) FROM indicators_clean c JOIN provinces p"
            " ON p.code = c.reported_province_code WHERE c.province_code <> p.successor_code"
        )).scalar()
    print(rolled)
    assert rolled, "some figure should name a province merged in 2025"
    assert wrong == 0


def test_latest_is_the_newest_figure_of_each_series(warehouse):
    indicators_step(warehouse, settings=get_settings())
    series = ("province_code", "subject", "women", "new", "ocop", "ocop_stars",
              "ethnic_minority", "value_chain", "share_of", "qualifier", "unit", "target_year")
    n_series = scalar(warehouse, f"SELECT count(*) FROM (SELECT DISTINCT {', '.join(series)}"
                                 f" FROM indicators_clean) s")
    assert scalar(warehouse, "SELECT count(*) FROM indicators_latest") == n_series > 50
    same = " AND ".join(f"c.{col} IS NOT DISTINCT FROM l.{col}" for col in series)
    newer = scalar(warehouse, f"SELECT count(*) FROM indicators_latest l"
                              f" JOIN indicators_clean c ON {same} WHERE c.as_of > l.as_of")
    assert newer == 0
    assert scalar(warehouse, "SELECT count(*) FROM indicators_latest WHERE url IS NULL"
                             " OR title IS NULL OR published_at IS NULL") == 0
