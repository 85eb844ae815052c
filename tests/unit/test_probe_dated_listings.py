"""The walk over a listing that shows no dates (a probed site's): its teasers are dated by
reading them, as few as the interval needs, and coverage is claimed only where every teaser
was dated."""

from __future__ import annotations

from datetime import datetime

from scrapers.discover import Candidate, EndpointWalker
from scrapers.discover.state import covers
from scrapers.registry import ListingRules
from scrapers.store.endpoints import MemoryEndpointStore
from tests.unit.test_discover_walk import (
    BASE,
    LIMITS,
    LISTING,
    NOW,
    PageSession,
    article,
    local,
    site_with,
)

RULES = ListingRules(item="article.story", link="h3.story__heading a[href]")


def undated_pages() -> tuple[dict[str, str], dict[str, datetime]]:
    """Two undated teasers a page, newest first: page n holds July 32-2n and 31-2n."""
    pages, dates = {}, {}
    for n in range(1, 11):
        items = []
        for i, day in ((2 * n - 1, 32 - 2 * n), (2 * n, 31 - 2 * n)):
            items.append(f'<article class="story"><h3 class="story__heading">'
                         f'<a href="/tin-{i}-{10000 + i}.htm">T</a></h3></article>')
            dates[article(i)] = local(2024, 7, day, 8)
        url = f"{BASE}/thoi-su" if n == 1 else f"{BASE}/thoi-su/trang-{n}.htm"
        pages[url] = f"<html><body>{''.join(items)}</body></html>"
    return pages, dates


class Reader:
    """A dater that 'reads' teaser pages from the ground truth and counts what it read."""

    def __init__(self, dates: dict[str, datetime]) -> None:
        self.dates, self.read = dates, []

    def __call__(self, cands: list[Candidate]) -> dict[str, datetime]:
        self.read += [c.url for c in cands]
        return {c.url: self.dates[c.url] for c in cands}


def test_undated_teasers_are_dated_by_reading_only_what_the_interval_needs():
    pages, dates = undated_pages()
    site = site_with(LISTING).model_copy(update={"listing": RULES})
    store, session, reader = MemoryEndpointStore(), PageSession(pages), Reader(dates)
    start, end = local(2024, 7, 19), local(2024, 7, 23)
    walker = EndpointWalker(session, store, site, start, end, limits=LIMITS, now=NOW,
                            dater=reader)
    found = {c.url for c in walker.walk() if c.hint and start <= c.hint < end}
    assert found == {article(i) for i in (9, 10, 11, 12)}  # July 22, 21, 20, 19
    # pages 1-4: only their last teaser (newer than the interval, so is the page);
    # pages 5-7: their last, then from the top until one is older than the interval
    assert reader.read == [article(2), article(4), article(6), article(8),
                           article(10), article(9), article(12), article(11),
                           article(14), article(13)]
    # the pages left partly undated vouch for nothing above them
    segments = store.states[f"{BASE}/thoi-su"].segments
    assert covers(segments, local(2024, 7, 19, 8), local(2024, 7, 21, 8))
    assert not covers(segments, start, local(2024, 7, 25))


def test_a_dated_listing_never_asks_the_dater():
    site = site_with(LISTING).model_copy(update={"listing": RULES.model_copy(
        update={"date": "time.story__time"})})
    pages = {f"{BASE}/thoi-su": '<article class="story"><h3 class="story__heading"><a '
             'href="/tin-1-10001.htm">T</a></h3><time class="story__time">20/07/2024 08:00'
             "</time></article>"}
    reader = Reader({})
    walker = EndpointWalker(PageSession(pages), MemoryEndpointStore(), site, local(2024, 7, 19),
                            local(2024, 7, 21), limits=LIMITS, now=NOW, dater=reader)
    assert [c.url for c in walker.walk()] == [article(1)] and reader.read == []
