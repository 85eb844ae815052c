"""The endpoint walk over an in-memory store: what is asked, and what stored reads answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from scrapers.dates import VN_TZ
from scrapers.discover import EndpointWalker, WalkLimits
from scrapers.discover.state import covers, merge_segments
from scrapers.http import FetchResult
from scrapers.registry import Endpoint, get_site
from scrapers.store.endpoints import MemoryEndpointStore

BASE = "https://baothanhhoa.vn"
NOW = datetime(2024, 9, 1, tzinfo=UTC)
LIMITS = WalkLimits(max_pages=10, closed_grace=timedelta(hours=48),
                    revalidate=timedelta(days=30))


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=VN_TZ)


@dataclass
class PageSession:
    """Answers from a dict of bodies with ETags, honouring If-None-Match (a test double of
    PoliteSession's contract: ``get`` returns a FetchResult and never raises)."""

    pages: dict[str, str]
    asked: list[tuple[str, str | None]] = field(default_factory=list)

    def get(self, url: str, *, etag: str | None = None,
            last_modified: str | None = None) -> FetchResult:
        self.asked.append((url, etag))
        body = self.pages.get(url)
        if body is None:
            return FetchResult(url, url, status=404, error_kind="http_4xx", error="HTTP 404",
                               attempts=1)
        tag = f'"{abs(hash(body))}"'
        if etag == tag:
            return FetchResult(url, url, status=304, not_modified=True, attempts=1)
        return FetchResult(url, url, status=200, headers={"etag": tag},
                           content=body.encode(), text=body, attempts=1)

    def urls(self) -> list[str]:
        return [u for u, _ in self.asked]


def teasers(ids_and_days: list[tuple[int, int]], month: int = 7) -> str:
    items = "".join(
        f'<article class="story"><h3 class="story__heading"><a href="/tin-{i}-{10000 + i}.htm">'
        f'T</a></h3><time class="story__time">{day:02d}/{month:02d}/2024 08:00</time></article>'
        for i, day in ids_and_days)
    return f"<html><body>{items}</body></html>"


def article(i: int) -> str:
    return f"{BASE}/tin-{i}-{10000 + i}.htm"


def site_with(*endpoints: Endpoint):
    return get_site("baothanhhoa").model_copy(update={"endpoints": list(endpoints)})


def walk(session, store, site, start, end, now=NOW) -> set[str]:
    walker = EndpointWalker(session, store, site, start, end, limits=LIMITS, now=now)
    return {c.url for c in walker.walk() if c.hint is not None and start <= c.hint < end}


LISTING = Endpoint(kind="listing", url="/thoi-su", pagination="/thoi-su/trang-{page}.htm")


def listing_pages() -> dict[str, str]:
    """Two teasers a page, newest first: page n holds days 30-2n+2 and 30-2n+1 of July."""
    pages = {}
    for n in range(1, 11):
        days = [(2 * n - 1, 32 - 2 * n), (2 * n, 31 - 2 * n)]
        url = f"{BASE}/thoi-su" if n == 1 else f"{BASE}/thoi-su/trang-{n}.htm"
        pages[url] = teasers(days)
    return pages


def test_a_listing_is_walked_until_the_interval_and_then_answers_from_the_store():
    site, store = site_with(LISTING), MemoryEndpointStore()
    session = PageSession(listing_pages())
    found = walk(session, store, site, local(2024, 7, 24), local(2024, 7, 27))
    assert found == {article(i) for i in (5, 6, 7)}  # July 26, 25, 24
    assert session.urls() == [f"{BASE}/thoi-su"] + [f"{BASE}/thoi-su/trang-{n}.htm"
                                                    for n in (2, 3, 4)]
    assert covers(store.states[f"{BASE}/thoi-su"].segments, local(2024, 7, 23, 8),
                  local(2024, 7, 30, 8))
    # a later day-by-day run inside what was read asks nothing
    session.asked.clear()
    assert walk(session, store, site, local(2024, 7, 25), local(2024, 7, 26)) == {article(6)}
    assert session.asked == []


def test_an_older_interval_starts_past_the_pages_that_held_only_newer_items():
    site, store = site_with(LISTING), MemoryEndpointStore()
    session = PageSession(listing_pages())
    walk(session, store, site, local(2024, 7, 27), local(2024, 7, 31))
    # page 2 ends at 08:00 on July 27: page 3 shows nothing else came that morning
    assert session.urls() == [f"{BASE}/thoi-su", f"{BASE}/thoi-su/trang-2.htm",
                              f"{BASE}/thoi-su/trang-3.htm"]
    session.asked.clear()
    found = walk(session, store, site, local(2024, 7, 19), local(2024, 7, 21))
    assert found == {article(11), article(12)}  # July 20, 19
    # pages 1-3 held only items newer than the interval: the walk starts at page 4
    assert session.urls() == [f"{BASE}/thoi-su/trang-{n}.htm" for n in (4, 5, 6, 7)]
    # and what it covered joins what the first walk covered: one range
    segments = store.states[f"{BASE}/thoi-su"].segments
    assert segments == merge_segments(list(segments)) and len(segments) == 1
    assert covers(segments, local(2024, 7, 18, 8), local(2024, 7, 30, 8))


def test_a_304_answers_with_the_stored_items():
    site = site_with(Endpoint(kind="listing", url="/thoi-su"))
    session = PageSession({f"{BASE}/thoi-su": teasers([(1, 20), (2, 18)])})
    store = MemoryEndpointStore()
    walk(session, store, site, local(2024, 7, 18), local(2024, 7, 21))
    store.save_segments(f"{BASE}/thoi-su", ())  # forget the coverage: force a request
    session.asked.clear()
    assert walk(session, store, site, local(2024, 7, 17), local(2024, 7, 19)) == {article(2)}
    assert len(session.asked) == 1 and session.asked[0][1] is not None  # conditional: 304


def test_a_feed_that_only_lists_newer_items_is_not_asked_for_an_old_interval():
    site = site_with(Endpoint(kind="feed", url="/rss/tin-moi.xml"))
    rss = ('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
           f"<item><title>A</title><link>{article(1)}</link>"
           "<pubDate>Sat, 31 Aug 2024 08:00:00 +0700</pubDate></item></channel></rss>")
    session, store = PageSession({f"{BASE}/rss/tin-moi.xml": rss}), MemoryEndpointStore()
    assert walk(session, store, site, local(2024, 8, 31), local(2024, 9, 1)) == {article(1)}
    session.asked.clear()
    assert walk(session, store, site, local(2024, 8, 1), local(2024, 8, 2)) == set()
    assert session.asked == []
    assert walk(session, store, site, local(2024, 8, 30), local(2024, 9, 2)) == {article(1)}
    assert len(session.asked) == 1  # an interval the feed may hold: asked (conditionally)


def test_a_closed_month_sitemap_is_read_once_and_the_index_is_then_not_asked():
    site = site_with(Endpoint(kind="sitemap_index", url="/sitemap.xml",
                              month_pattern=r"sitemap-(?P<year>\d{4})-(?P<month>\d{2})\.xml"))
    month = """<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url>
      <loc>{loc}</loc><lastmod>{day}</lastmod></url></urlset>"""
    session = PageSession({
        f"{BASE}/sitemap.xml": '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(f"<sitemap><loc>{BASE}/sitemaps/sitemap-2024-{m:02d}.xml</loc></sitemap>"
                  for m in (5, 6, 7)) + "</sitemapindex>",
        f"{BASE}/sitemaps/sitemap-2024-06.xml": month.format(loc=article(6), day="2024-06-30"),
        f"{BASE}/sitemaps/sitemap-2024-07.xml": month.format(loc=article(7), day="2024-07-01"),
    })
    store = MemoryEndpointStore()
    found = walk(session, store, site, local(2024, 6, 30), local(2024, 7, 2))
    assert found == {article(6), article(7)}
    assert f"{BASE}/sitemaps/sitemap-2024-05.xml" not in session.urls()
    session.asked.clear()
    assert walk(session, store, site, local(2024, 6, 29), local(2024, 7, 1)) == {article(6)}
    assert session.asked == []  # June is closed and was read after it ended
    # a month read before it ended is asked again, conditionally
    july_read_early = NOW.replace(month=7, day=15)
    store.states[f"{BASE}/sitemaps/sitemap-2024-07.xml"] = store.states[
        f"{BASE}/sitemaps/sitemap-2024-07.xml"].__class__(
        **{**store.states[f"{BASE}/sitemaps/sitemap-2024-07.xml"].__dict__,
           "parsed_at": july_read_early})
    assert walk(session, store, site, local(2024, 7, 1), local(2024, 7, 2)) == {article(7)}
    assert session.urls() == [f"{BASE}/sitemap.xml", f"{BASE}/sitemaps/sitemap-2024-07.xml"]
