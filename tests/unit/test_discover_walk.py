"""The endpoint walk over an in-memory endpoint store: what a 304 is trusted for, when a
listing stops, and that a sitemap index only opens the months the interval touches."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from scrapers.dates import VN_TZ
from scrapers.discover import EndpointState, EndpointWalker, after_read
from scrapers.http import FetchResult
from scrapers.registry import Endpoint, get_site
from scrapers.store.endpoints import MemoryEndpointStore

BASE = "https://baothanhhoa.vn"


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=VN_TZ)


@dataclass
class PageSession:
    """Answers from a dict of bodies, with ETags, honouring If-None-Match (a test double of
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


def listing(ids_and_days: list[tuple[int, int]], month: int = 7) -> str:
    items = "".join(
        f'<article class="story"><h3 class="story__heading"><a href="/tin-{i}-{10000 + i}.htm">'
        f'T</a></h3><time class="story__time">{day:02d}/{month:02d}/2024 08:00</time></article>'
        for i, day in ids_and_days)
    return f"<html><body>{items}</body></html>"


def site_with(*endpoints: Endpoint):
    return get_site("baothanhhoa").model_copy(update={"endpoints": list(endpoints)})


def walk(session, store, site, start, end) -> set[str]:
    walker = EndpointWalker(session, store, site, start, end, max_pages=10)
    return {c.url for c in walker.walk()}


def test_a_listing_is_walked_until_its_teasers_are_older_than_the_interval():
    site = site_with(Endpoint(kind="listing", url="/thoi-su",
                              pagination="/thoi-su/trang-{page}.htm"))
    session = PageSession({
        f"{BASE}/thoi-su": listing([(1, 20), (2, 18)]),
        f"{BASE}/thoi-su/trang-2.htm": listing([(3, 12), (4, 9)]),
        f"{BASE}/thoi-su/trang-3.htm": listing([(5, 5)]),
    })
    store = MemoryEndpointStore()
    found = walk(session, store, site, local(2024, 7, 10), local(2024, 7, 19))
    assert found == {f"{BASE}/tin-{i}-{10000 + i}.htm" for i in (1, 2, 3, 4)}
    assert [u for u, _ in session.asked] == [f"{BASE}/thoi-su", f"{BASE}/thoi-su/trang-2.htm"]
    page2 = store.load(f"{BASE}/thoi-su/trang-2.htm")
    assert page2.items_oldest == local(2024, 7, 9, 8) and page2.etag
    assert (page2.covered_start, page2.covered_end) == (local(2024, 7, 10), local(2024, 7, 19))


def test_a_304_is_trusted_only_for_an_interval_the_stored_body_covered():
    # (a listing without pagination is one page: a covered 304 used to be asked again
    # up to the page cap)
    site = site_with(Endpoint(kind="listing", url="/thoi-su"))
    session = PageSession({f"{BASE}/thoi-su": listing([(1, 20), (2, 18)])})
    store = MemoryEndpointStore()
    walk(session, store, site, local(2024, 7, 18), local(2024, 7, 21))
    session.asked.clear()
    # the same interval again: one conditional request, answered 304, nothing re-read
    assert walk(session, store, site, local(2024, 7, 18), local(2024, 7, 21)) == set()
    assert len(session.asked) == 1 and session.asked[0][1] is not None
    session.asked.clear()
    # another interval: the 304 does not prove the body was read for it, so read it again
    assert walk(session, store, site, local(2024, 7, 17), local(2024, 7, 19)) == {
        f"{BASE}/tin-1-10001.htm", f"{BASE}/tin-2-10002.htm"}  # the step filters by date
    assert [etag is None for _, etag in session.asked] == [False, True]


def test_a_sitemap_index_opens_only_the_months_of_the_interval():
    site = site_with(Endpoint(kind="sitemap_index", url="/sitemap.xml",
                              month_pattern=r"sitemap-(?P<year>\d{4})-(?P<month>\d{2})\.xml"))
    month = """<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url>
      <loc>https://baothanhhoa.vn/tin-{i}-{id}.htm</loc><lastmod>{day}</lastmod></url></urlset>"""
    session = PageSession({
        f"{BASE}/sitemap.xml": '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(f"<sitemap><loc>{BASE}/sitemaps/sitemap-2024-{m:02d}.xml</loc></sitemap>"
                  for m in (5, 6, 7)) + "</sitemapindex>",
        f"{BASE}/sitemaps/sitemap-2024-06.xml": month.format(i=6, id=10006, day="2024-06-30"),
        f"{BASE}/sitemaps/sitemap-2024-07.xml": month.format(i=7, id=10007, day="2024-07-01"),
    })
    store = MemoryEndpointStore()
    found = walk(session, store, site, local(2024, 6, 30), local(2024, 7, 2))
    assert found == {f"{BASE}/tin-6-10006.htm", f"{BASE}/tin-7-10007.htm"}
    assert f"{BASE}/sitemaps/sitemap-2024-05.xml" not in {u for u, _ in session.asked}
    assert store.load(f"{BASE}/sitemap.xml").children == (
        f"{BASE}/sitemaps/sitemap-2024-06.xml", f"{BASE}/sitemaps/sitemap-2024-07.xml")


def test_coverage_grows_while_the_body_is_unchanged_and_resets_when_it_changes():
    ok = FetchResult("u", "u", status=200, content=b"a", text="a")
    state, unchanged = after_read(EndpointState(), ok, items=[local(2024, 7, 3)],
                                  start=local(2024, 7, 1), end=local(2024, 7, 5))
    assert not unchanged
    state, unchanged = after_read(state, ok, items=[local(2024, 7, 3)],
                                  start=local(2024, 7, 5), end=local(2024, 7, 9))
    assert unchanged and (state.covered_start, state.covered_end) == (
        local(2024, 7, 1), local(2024, 7, 9))
    changed = FetchResult("u", "u", status=200, content=b"b", text="b")
    state, unchanged = after_read(state, changed, items=[], start=local(2024, 7, 9),
                                  end=local(2024, 7, 10))
    assert not unchanged and (state.covered_start, state.covered_end) == (
        local(2024, 7, 9), local(2024, 7, 10))
    assert state.items_oldest is None
