"""Probing: a site's endpoints and article URL pattern from its base URL alone, politely.

Every request goes through the site's ``PoliteSession`` (robots.txt first, the site's pace,
a larger Crawl-delay winning). In order: robots.txt (its Sitemap: lines and Crawl-delay, or
a refusal), the homepage (feeds in its <head>, its navigation menu, a page of feeds), the
announced sitemaps (else the usual addresses), the feeds, each menu link as a candidate
listing, then the article URL pattern the URLs of all of them share; each listing's page 2
(as page 1 links it, else a usual scheme) and the teaser selectors both pages agree on; and
a few article pages, fetched to confirm that the pattern names articles.

``probe_step`` probes a site whose file leaves discovery out, at its first run and again
when due (weekly, or when a probed endpoint keeps answering 404/410), and keeps the result
in the warehouse; ``probed_site`` gives any stage the site with its probed parts filled in.

Settings: ``probe_max_sections``, ``probe_max_feeds``, ``probe_samples``, ``probe_min_words``,
``probe_max_age_days``, ``probe_failing_runs``, ``probe_retry_hours``, ``provinces_csv``
(and the HTTP settings of the session it makes).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import Engine

from scrapers.discover.parsers import parse_listing
from scrapers.extract import extract_article
from scrapers.http import FetchResult, PoliteSession
from scrapers.outcomes import ErrorKind
from scrapers.probe.feeds import read_feed
from scrapers.probe.identity import guess_identity
from scrapers.probe.listing import ListingGuess, infer_listing_rules
from scrapers.probe.model import (
    Confidence,
    Finding,
    FoundIn,
    Outcome,
    Paging,
    PatternGuess,
    ProbeReport,
)
from scrapers.probe.pages import PageFacts, read_page, same_site
from scrapers.probe.pagination import PageTwo, find_page_two, usual_pages_two
from scrapers.probe.patterns import infer_article_pattern
from scrapers.probe.robots import read_robots
from scrapers.probe.sitemaps import read_sitemap
from scrapers.provinces import read_provinces
from scrapers.registry import Endpoint, ListingRules, Site
from scrapers.settings import Settings
from scrapers.steps.common import session_for
from scrapers.store import probes
from scrapers.store.frontier import record_fetch
from scrapers.store.runs import record_counts
from scrapers.store.sources import source_id
from scrapers.urls import canonicalize

log = logging.getLogger(__name__)

USUAL_SITEMAPS = ("/sitemap.xml", "/sitemap_index.xml", "/sitemaps/news.xml",
                  "/news-sitemap.xml")
USUAL_RSS_PAGE = "/rss"
MIN_TEASERS = 3


def _newest_child(children: tuple[str, ...], month_pattern: str | None) -> str:
    """The latest month's sitemap of an index (its first child when not monthly)."""
    months = {u: m.groups() for u in children
              if month_pattern and (m := re.search(month_pattern, u))}
    return max(months, key=lambda u: months[u]) if months else children[0]


class _Section:
    """A menu link read as a candidate listing: its page 1, and page 2 once found."""

    def __init__(self, url: str, body: str, facts: PageFacts) -> None:
        self.url, self.body, self.facts = url, body, facts
        self.page_two: PageTwo | None = None
        self.body_two: str | None = None
        self.guess: ListingGuess | None = None


class _Prober:
    def __init__(self, session: PoliteSession, base_url: str, settings: Settings,
                 results: list[FetchResult]) -> None:
        self.session, self.settings, self.results = session, settings, results
        self.base = base_url.rstrip("/")
        self.requests = 0
        self.urls: dict[str, set[str]] = {}  # source -> canonical same-site URLs

    # -- requests --

    def get(self, url: str) -> FetchResult:
        result = self.session.get(url)
        if result.error_kind is not ErrorKind.ROBOTS:
            self.requests += 1
        self.results.append(result)
        return result

    def text(self, url: str) -> str | None:
        result = self.get(url)
        return result.text if result.ok and result.text else None

    def _keep(self, source: str, urls: list[str] | tuple[str, ...]) -> list[str]:
        out = [canonicalize(u, base=self.base) for u in urls]
        out = [u for u in out if same_site(u, self.base)]
        self.urls.setdefault(source, set()).update(out)
        return out

    # -- the probe --

    def run(self) -> ProbeReport:
        report = ProbeReport(self.base, Outcome.FOUND)
        robots = self.get(self.base + "/robots.txt")
        facts = read_robots(robots.text if robots.ok else None, self.session.user_agent,
                            self.base)
        report.crawl_delay = facts.crawl_delay
        home = self.get(self.base + "/") if not facts.blocked else None
        if home is None or not home.ok or not home.text:
            report.outcome = (Outcome.BLOCKED if home is None
                              or home.error_kind is ErrorKind.ROBOTS else Outcome.UNREACHABLE)
            report.reason = ("robots.txt disallows the homepage for provnews" if home is None
                             else f"the homepage answered {home.error_kind}: {home.error}")
            return self._done(report)
        page = read_page(home.text, home.final_url, self.base)
        report.identity = guess_identity(
            self.base, page.title, page.site_name, read_provinces(self.settings.provinces_csv))
        self._keep("homepage", page.links)
        sitemaps = self._sitemaps(facts.sitemaps)
        sections = self._sections(page)
        feeds = self._feeds(page, sections)
        report.pattern = infer_article_pattern(self.urls)
        if report.pattern is None:
            report.outcome, report.reason = (
                Outcome.NOTHING_FOUND, "no feed, sitemap or listing names article URLs")
            return self._done(report)
        pattern = re.compile(report.pattern.regex)
        report.listing, listings = self._listings(sections, pattern)
        report.findings = [*self._judge(sitemaps, pattern), *self._judge(feeds, pattern),
                           *listings]
        report.pattern = self._confirm(report.pattern, pattern)
        if not report.findings:
            report.outcome, report.reason = (
                Outcome.NOTHING_FOUND, "no feed, sitemap or listing of articles found")
        return self._done(report)

    def _done(self, report: ProbeReport) -> ProbeReport:
        report.requests = self.requests
        return report

    # -- sitemaps --

    def _sitemaps(self, announced: tuple[str, ...]
                  ) -> list[tuple[Endpoint, FoundIn, list[str], dict]]:
        """(endpoint, where found, the URLs it lists, evidence) per sitemap that answers."""
        where = FoundIn.ROBOTS if announced else FoundIn.USUAL_PATH
        out = []
        for url in announced or tuple(self.base + p for p in USUAL_SITEMAPS):
            body = self.text(url)
            sitemap = read_sitemap(body) if body else None
            if sitemap is None:
                continue
            if not sitemap.index:
                kind = "news_sitemap" if sitemap.news else "sitemap"
                source = self._keep(kind, sitemap.locs)
                out.append((Endpoint(kind=kind, url=url), where, source,
                            {"urls": len(sitemap.locs)}))
                continue
            child = _newest_child(sitemap.locs, sitemap.month_pattern)
            child_body = self.text(child)
            leaf = read_sitemap(child_body) if child_body else None
            source = self._keep("sitemap", leaf.locs if leaf and not leaf.index else ())
            out.append((Endpoint(kind="sitemap_index", url=url,
                                 month_pattern=sitemap.month_pattern),
                        where, source, {"sitemaps": len(sitemap.locs), "sampled": child,
                                        "urls": len(source)}))
        return out

    # -- feeds --

    def _feeds(self, home: PageFacts, sections: list[_Section]
               ) -> list[tuple[Endpoint, FoundIn, list[str], dict]]:
        announced: dict[str, FoundIn] = {}
        in_sections = [set(s.facts.feeds) for s in sections]
        for url in home.feeds:
            everywhere = bool(sections) and all(url in f for f in in_sections)
            announced[url] = FoundIn.PAGE_HEAD if everywhere else FoundIn.HOMEPAGE_HEAD
        for url in set().union(*in_sections) - set(announced):
            announced[url] = FoundIn.SECTION_HEAD
        rss_pages = list(home.rss_pages[:2]) or ([] if announced else
                                                 [self.base + USUAL_RSS_PAGE])
        for rss in rss_pages:
            body = self.text(rss)
            if body:
                listed = read_page(body, rss, self.base)
                for url in (*listed.feed_links, *listed.feeds):
                    announced.setdefault(url, FoundIn.RSS_PAGE)
        out = []
        for url, where in list(announced.items())[:self.settings.probe_max_feeds]:
            body = self.text(url)
            links = read_feed(body) if body else None
            if links:
                out.append((Endpoint(kind="feed", url=url), where, self._keep("feed", links),
                            {"entries": len(links)}))
        return out

    @staticmethod
    def _judge(found: list[tuple[Endpoint, FoundIn, list[str], dict]],
               pattern: re.Pattern[str]) -> list[Finding]:
        """Feeds and sitemaps that list articles: high when most of what they list is."""
        out = []
        for endpoint, where, urls, evidence in found:
            articles = sum(1 for u in urls if pattern.search(u))
            if not articles:
                continue
            confidence = Confidence.HIGH if articles >= 0.5 * len(urls) else Confidence.MEDIUM
            out.append(Finding(endpoint, (where,), confidence,
                               {**evidence, "article_urls": articles}))
        return out

    # -- listings --

    def _sections(self, home: PageFacts) -> list[_Section]:
        out = []
        for url in home.nav[:self.settings.probe_max_sections]:
            body = self.text(url)
            if body:
                facts = read_page(body, url, self.base)
                self._keep("listing", facts.links)
                out.append(_Section(url, body, facts))
        return out

    def _page_two(self, section: _Section, pattern: re.Pattern[str]) -> None:
        """Page 2 as page 1 links it, else the first usual scheme that shows new teasers."""
        linked = find_page_two(section.body, section.url, self.base)
        for option in [linked] if linked else usual_pages_two(section.url):
            body = self.text(option.url)
            guess = infer_listing_rules(section.body, section.url, body, option.url,
                                        pattern) if body else None
            if guess is not None:
                section.page_two, section.body_two, section.guess = option, body, guess
                return

    def _listings(self, sections: list[_Section], pattern: re.Pattern[str]
                  ) -> tuple[ListingRules | None, list[Finding]]:
        """The site's listing rules (those most listings agree on), and each menu link
        whose pages show articles under them."""
        sections = [s for s in sections if not pattern.search(canonicalize(s.url))]
        for s in sections:
            if sum(1 for u in s.facts.links if pattern.search(canonicalize(u))) >= MIN_TEASERS:
                self._page_two(s, pattern)
        votes = Counter(s.guess.rules for s in sections if s.guess)
        if not votes:
            return None, []
        rules = votes.most_common(1)[0][0]
        site = Site(slug="probe", name="probe", base_url=self.base,
                    article_url_pattern=pattern.pattern, listing=rules)
        out = []
        for s in sections:
            one = {c.url for c in parse_listing(s.body, s.url, site, rules)}
            two = ({c.url for c in parse_listing(s.body_two, s.page_two.url, site, rules)}
                   if s.page_two and s.body_two else set())
            if len(one) < MIN_TEASERS or (s.page_two and not two - one):
                continue
            paging = s.page_two.paging if s.page_two else Paging.NONE
            evidence = {"teasers": len(one), "dated": s.guess.dated if s.guess else 0}
            if s.page_two:
                evidence |= {"page_two": s.page_two.url, "new_on_page_two": len(two - one)}
            out.append(Finding(
                Endpoint(kind="listing", url=s.url,
                         pagination=s.page_two.template if s.page_two else None),
                (FoundIn.HOMEPAGE_NAV,), Confidence.HIGH if s.page_two else Confidence.MEDIUM,
                evidence, paging))
        return rules, out

    # -- the article URL pattern --

    def _confirm(self, guess: PatternGuess, pattern: re.Pattern[str]) -> PatternGuess:
        """Fetch a few URLs most sources share; count those that extract as articles."""
        spread = Counter(u for urls in self.urls.values() for u in urls if pattern.search(u))
        samples = confirmed = dated = 0
        for url, _ in spread.most_common():
            if samples >= self.settings.probe_samples:
                break
            result = self.get(url)
            if result.error_kind is ErrorKind.ROBOTS:
                continue
            samples += 1
            if not result.ok or not result.text:
                continue
            try:
                article = extract_article(result.text, result.final_url)
            except ValueError:
                continue
            if article.title and article.word_count >= self.settings.probe_min_words:
                confirmed += 1
                dated += article.published_at is not None
        return PatternGuess(guess.regex, guess.support, samples, confirmed, dated)


def probe_site(session: PoliteSession, base_url: str, *, settings: Settings,
               results: list[FetchResult] | None = None) -> ProbeReport:
    """Probe the site at ``base_url`` through ``session``; no warehouse involved. Each
    request's result is appended to ``results``."""
    return _Prober(session, base_url, settings, [] if results is None else results).run()


def probe_url(base_url: str, *, settings: Settings, mirror: str | None = None) -> ProbeReport:
    """Probe a site that is not registered yet (`provnews sites probe URL`), at the default
    pace (or the Crawl-delay robots.txt asks, when larger)."""
    host = urlsplit(base_url).hostname or ""
    site = Site(slug="probe", name=host, base_url=base_url,
                min_delay=settings.default_min_delay)
    with session_for(site, mirror, settings) as session:
        return probe_site(session, site.base_url, settings=settings)


def probed_site(engine: Engine, site: Site) -> Site:
    """``site`` with what its last probe found where its file says nothing."""
    if not site.needs_probe:
        return site
    stored = probes.load_probe(engine, source_id(engine, site.slug))
    if stored is None:
        return site
    return site.filled(article_url_pattern=stored.article_url_pattern,
                       endpoints=stored.endpoints or None, listing=stored.listing)


def probe_step(engine: Engine, site: Site, *, settings: Settings, base_url: str | None = None,
               run_id: int | None = None, session: PoliteSession | None = None) -> Site:
    """Probe the site when its file leaves discovery out and a probe is due; return it
    with its probed parts (unchanged for a site whose file says it all)."""
    if not site.needs_probe:
        return site
    sid = source_id(engine, site.slug)
    reason = probes.probe_due(
        engine, sid, max_age=timedelta(days=settings.probe_max_age_days),
        retry_after=timedelta(hours=settings.probe_retry_hours),
        failing_runs=settings.probe_failing_runs)
    if reason is not None:
        log.info("%s: probing %s (%s)", site.slug, site.base_url, reason)
        own_session = session is None
        session = session or session_for(site, base_url, settings)
        results: list[FetchResult] = []
        try:
            report = probe_site(session, site.base_url, settings=settings, results=results)
        finally:
            if own_session:
                session.close()
        log.info("probe %s", report.summary())
        probes.save_probe(engine, sid, report)
        with engine.begin() as conn:  # every request is a fetches row, as everywhere
            for result in results:
                record_fetch(conn, result, source=sid, run_id=run_id)
        record_counts(engine, run_id, "probe", {
            "reason": reason, "outcome": str(report.outcome), "requests": report.requests,
            "endpoints": len(report.findings), "note": report.reason})
    return probed_site(engine, site)
