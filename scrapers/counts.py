"""What each stage counts, and the run summary built from those counts.

Stages return these dataclasses; ``crawl_runs.counts`` stores them as JSON under the stage's
key (``discover``, ``fetch:<first url id>`` per mapped batch, ``extract``, ``dedupe``,
``quality``), and :func:`summarize` reads them back, so the command line and the DAG report
the same numbers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Self

from scrapers.outcomes import CountKey, ErrorKind


class _Counts:
    """JSON round trip: unknown keys (from older runs) are ignored, missing ones default."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Self:
        names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        return cls(**{k: v for k, v in (data or {}).items() if k in names})


@dataclass
class DiscoverCounts(_Counts):
    endpoint_requests: int = 0
    endpoint_not_modified: int = 0
    endpoint_reused: int = 0  # answered from stored reads, without a request
    endpoint_failed: int = 0
    endpoint_errors: dict[str, int] = field(default_factory=dict)
    candidates: int = 0
    in_interval: int = 0
    discovered: int = 0
    known: int = 0


@dataclass
class FetchCounts(_Counts):
    queued: int = 0
    fetched: int = 0
    duplicate_url: int = 0
    not_modified: int = 0
    gone: int = 0
    skipped_robots: int = 0
    failed: dict[str, int] = field(default_factory=dict)  # by error kind

    def add(self, key: CountKey, kind: ErrorKind | None = None) -> None:
        if key is CountKey.FAILED:
            name = str(kind or ErrorKind.CONNECTION)
            self.failed[name] = self.failed.get(name, 0) + 1
        else:
            setattr(self, key.value, getattr(self, key.value) + 1)


@dataclass
class ExtractCounts(_Counts):
    extracted: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0


@dataclass
class DedupeCounts(_Counts):
    deduped: int = 0
    unique: int = 0
    exact: int = 0
    near: int = 0
    title: int = 0


@dataclass
class QualityReport(_Counts):
    """Whether a run's extraction worked: ``fetched`` pages of this run, the ``articles``
    made from them, those without a title, body or date, those repeating another one's
    body; ``in_interval`` counts every article of the site published in the run's window.
    ``rules_missed`` articles were pages the site's hand rules found no body on, ``generic``
    ones only the generic path read; when they are many the site's template is learned
    again (``relearned``), and ``template_version`` is the one active after the check."""

    fetched: int = 0
    articles: int = 0
    no_title: int = 0
    no_body: int = 0
    no_date: int = 0
    same_body: int = 0
    in_interval: int = 0
    rules_missed: int = 0
    generic: int = 0
    relearned: bool = False
    template_version: int | None = None

    def problems(self, *, min_pages: int, max_bad_share: float) -> list[str]:
        """Real breakage only: most pages gave no article, or broken ones. A few odd pages
        are normal (galleries, videos); a markup change breaks most of them. Runs with
        fewer than ``min_pages`` fetched pages are too small to judge."""
        if self.fetched < min_pages:
            return []
        out = []
        if self.articles < self.fetched * (1 - max_bad_share):
            out.append(f"only {self.articles} articles from {self.fetched} fetched pages")
        for key, what in (("no_title", "have no title"), ("no_body", "have no body"),
                          ("no_date", "have no date"), ("same_body", "repeat another's body")):
            if self.articles and getattr(self, key) > self.articles * max_bad_share:
                out.append(f"{getattr(self, key)} of {self.articles} articles {what}")
        return out


@dataclass
class RunSummary(_Counts):
    discovered: int = 0
    fetched: int = 0
    not_modified: int = 0
    failed: dict[str, int] = field(default_factory=dict)
    gone: int = 0
    skipped_robots: int = 0
    duplicate_urls: int = 0
    extracted: int = 0
    extract_failed: int = 0
    new_articles: int = 0
    updated: int = 0
    duplicates: int = 0

    @property
    def status(self) -> str:
        """``partial`` when something is left to retry (failed fetches or endpoints, pages
        that did not extract); gone and robots-skipped URLs are final, not failures."""
        return "partial" if self.failed or self.extract_failed else "success"


def summarize(counts: dict[str, Any]) -> RunSummary:
    """The run's summary from the counts its stages recorded (fetch batches added up)."""
    disc = DiscoverCounts.from_json(counts.get("discover"))
    ext = ExtractCounts.from_json(counts.get("extract"))
    dedupe = DedupeCounts.from_json(counts.get("dedupe"))
    batches = [FetchCounts.from_json(v) for k, v in counts.items()
               if k.split(":", 1)[0] == "fetch"]
    failed = Counter(disc.endpoint_errors)
    for b in batches:
        failed.update(b.failed)
    return RunSummary(
        discovered=disc.discovered,
        fetched=sum(b.fetched for b in batches),
        not_modified=sum(b.not_modified for b in batches) + disc.endpoint_not_modified,
        failed=dict(sorted((+failed).items())),
        gone=sum(b.gone for b in batches),
        skipped_robots=sum(b.skipped_robots for b in batches),
        duplicate_urls=sum(b.duplicate_url for b in batches),
        extracted=ext.extracted, extract_failed=ext.failed, new_articles=ext.new,
        updated=ext.updated, duplicates=dedupe.exact + dedupe.near + dedupe.title,
    )
