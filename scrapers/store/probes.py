"""``source_probes`` and the probed rows of ``endpoints``: what a probe found for a site
whose file leaves discovery out, when, and why it is believed; when to probe again; and
the publication dates the warehouse already knows, which date the teasers of listings that
show none.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, text

from scrapers.probe.model import Outcome, ProbeReport
from scrapers.registry import Endpoint, ListingRules
from scrapers.store.pages import page_text


@dataclass(frozen=True)
class StoredProbe:
    probed_at: datetime
    outcome: Outcome
    article_url_pattern: str | None
    listing: ListingRules | None
    endpoints: list[Endpoint]


@dataclass(frozen=True)
class ProbeOverview:
    """For `provnews sites`: the latest probe of a source and its endpoints."""

    probed_at: datetime
    outcome: Outcome
    endpoints: int


_SAVE_PROBE = text(
    "INSERT INTO source_probes (source_id, probed_at, outcome, reason, confidence,"
    " article_url_pattern, listing, crawl_delay, requests, report)"
    " VALUES (:sid, now(), :outcome, :reason, :confidence, :pattern, CAST(:listing AS jsonb),"
    " :delay, :requests, CAST(:report AS jsonb))"
    " ON CONFLICT (source_id) DO UPDATE SET probed_at = EXCLUDED.probed_at,"
    " outcome = EXCLUDED.outcome, reason = EXCLUDED.reason, confidence = EXCLUDED.confidence,"
    " article_url_pattern = EXCLUDED.article_url_pattern, listing = EXCLUDED.listing,"
    " crawl_delay = EXCLUDED.crawl_delay, requests = EXCLUDED.requests,"
    " report = EXCLUDED.report")
_SAVE_ENDPOINT = text(
    "INSERT INTO endpoints (source_id, kind, url, origin, evidence, probed_at, spec)"
    " VALUES (:sid, :kind, :url, 'probed', CAST(:evidence AS jsonb), now(),"
    " CAST(:spec AS jsonb))"
    " ON CONFLICT (source_id, url) DO UPDATE SET kind = EXCLUDED.kind, origin = 'probed',"
    " evidence = EXCLUDED.evidence, probed_at = EXCLUDED.probed_at, spec = EXCLUDED.spec")


def save_probe(engine: Engine, source: int, report: ProbeReport) -> None:
    """Keep the report; its endpoints become the source's probed ones (one timestamp)."""
    pattern = report.pattern
    with engine.begin() as conn:
        conn.execute(_SAVE_PROBE, {
            "sid": source, "outcome": str(report.outcome), "reason": report.reason or None,
            "confidence": str(report.confidence) if pattern else None,
            "pattern": pattern.regex if pattern else None,
            "listing": report.listing.model_dump_json() if report.listing else None,
            "delay": report.crawl_delay, "requests": report.requests,
            "report": json.dumps({
                "findings": [f.to_json() for f in report.findings],
                "pattern": {"support": pattern.support, "samples": pattern.samples,
                            "confirmed": pattern.confirmed, "dated": pattern.dated,
                            "confidence": str(pattern.confidence)} if pattern else None,
            }, ensure_ascii=False)})
        for f in report.findings:
            data = f.to_json()
            conn.execute(_SAVE_ENDPOINT, {
                "sid": source, "kind": f.endpoint.kind, "url": f.endpoint.url,
                "spec": json.dumps(data.pop("endpoint")),
                "evidence": json.dumps(data, ensure_ascii=False)})


def load_probe(engine: Engine, source: int) -> StoredProbe | None:
    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT probed_at, outcome, article_url_pattern, listing FROM source_probes"
            " WHERE source_id = :sid"), {"sid": source}).first()
        if row is None:
            return None
        specs = conn.execute(text(
            "SELECT spec FROM endpoints WHERE source_id = :sid AND origin = 'probed'"
            " AND parent_id IS NULL AND probed_at = :at ORDER BY id"),
            {"sid": source, "at": row.probed_at}).scalars()
        endpoints = [Endpoint.model_validate(s) for s in specs]
    return StoredProbe(row.probed_at, Outcome(row.outcome), row.article_url_pattern,
                       ListingRules.model_validate(row.listing) if row.listing else None,
                       endpoints)


_FAILING = text("""
SELECT e.url FROM endpoints e JOIN source_probes p
  ON p.source_id = e.source_id AND e.probed_at = p.probed_at
WHERE e.source_id = :sid AND e.origin = 'probed' AND e.parent_id IS NULL
  AND (SELECT count(*) FILTER (WHERE r.gone) = :runs AND count(*) = :runs FROM (
         SELECT bool_and(f.status IN (404, 410)) AS gone FROM fetches f
         WHERE f.endpoint_id = e.id AND f.run_id IS NOT NULL
         GROUP BY f.run_id ORDER BY max(f.fetched_at) DESC LIMIT :runs) r)
ORDER BY e.id LIMIT 1
""")


def probe_due(engine: Engine, source: int, *, max_age: timedelta, retry_after: timedelta,
              failing_runs: int) -> str | None:
    """Why the source should be probed now, or None: never probed, a probe that found
    nothing is old enough to retry, the probe is older than ``max_age``, or one of its
    endpoints answered 404/410 on the last ``failing_runs`` runs that asked it."""
    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT outcome, now() - probed_at AS age FROM source_probes"
            " WHERE source_id = :sid"), {"sid": source}).first()
        if row is None:
            return "never probed"
        if row.outcome != Outcome.FOUND:
            return f"last probe: {row.outcome}" if row.age >= retry_after else None
        if row.age >= max_age:
            return f"last probe {row.age.days} day(s) ago"
        url = conn.execute(_FAILING, {"sid": source, "runs": failing_runs}).scalar()
    return f"{url} answered 404/410 on {failing_runs} runs in a row" if url else None


def probe_overview(engine: Engine) -> dict[str, ProbeOverview]:
    """The latest probe of every probed source, by slug."""
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT s.slug, p.probed_at, p.outcome, (SELECT count(*) FROM endpoints e"
            "  WHERE e.source_id = p.source_id AND e.origin = 'probed' AND e.parent_id IS NULL"
            "  AND e.probed_at = p.probed_at) AS n"
            " FROM source_probes p JOIN sources s ON s.id = p.source_id")).all()
    return {r.slug: ProbeOverview(r.probed_at, Outcome(r.outcome), r.n) for r in rows}


def known_dates(conn: Connection, source: int, urls: list[str]) -> dict[str, datetime]:
    """Publication dates the warehouse holds for these URLs: the frontier's hint, else the
    stored article's."""
    rows = conn.execute(text(
        "SELECT u.url, COALESCE(u.published_hint, a.published_at) AS at FROM urls u"
        " LEFT JOIN articles a ON a.url_id = u.id WHERE u.source_id = :sid"
        " AND u.url = ANY(:urls)"), {"sid": source, "urls": urls}).all()
    return {r.url: r.at for r in rows if r.at is not None}


def stored_bodies(conn: Connection, source: int, urls: list[str]
                  ) -> dict[str, tuple[str, str, datetime]]:
    """(final URL, HTML, fetched at) of the stored pages of these URLs."""
    rows = conn.execute(text(
        "SELECT u.url, p.final_url, p.body_z, p.fetched_at FROM urls u"
        " JOIN pages p ON p.url_id = u.id WHERE u.source_id = :sid AND u.url = ANY(:urls)"
        " AND p.status BETWEEN 200 AND 299"), {"sid": source, "urls": urls}).all()
    return {r.url: (r.final_url or r.url, page_text(r.body_z),
                    r.fetched_at) for r in rows}
