"""A probe as a site file draft: the YAML ``include/sites/<slug>.yaml`` takes, with comments
saying where each part was found and how sure the probe is."""

from __future__ import annotations

from typing import Any

from scrapers.probe.model import Finding, Identity, ProbeReport


def _q(value: str) -> str:
    """A YAML single-quoted scalar (backslashes stay as they are)."""
    return "'" + value.replace("'", "''") + "'"


def _note(evidence: dict[str, Any]) -> str:
    return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in evidence.items())


def _endpoint(f: Finding) -> list[str]:
    ep = f.endpoint
    parts = [f"kind: {ep.kind}", f"url: {_q(ep.url)}"]
    if ep.pagination:
        parts.append(f"pagination: {_q(ep.pagination)}")
    if ep.month_pattern:
        parts.append(f"month_pattern: {_q(ep.month_pattern)}")
    paging = f" ({f.paging})" if f.paging else ""
    where = ", ".join(f.found_in)
    return [f"  # {ep.kind}, {f.confidence}: {where}{paging}; {_note(f.evidence)}",
            "  - {" + ", ".join(parts) + "}"]


def draft_yaml(report: ProbeReport, identity: Identity) -> str:
    """The site file for ``report``; ``identity`` names the site (slug, name, province)."""
    lines = [f"# provnews sites probe {report.base_url}: {report.outcome}, confidence "
             f"{report.confidence} ({report.requests} requests)"]
    if report.crawl_delay is not None:
        lines.append(f"# robots.txt Crawl-delay: {report.crawl_delay:g} s (the larger of it "
                     "and min_delay is kept)")
    province = identity.province or "null  # set a code from include/provinces.csv"
    lines += [f"slug: {identity.slug}", f"name: {_q(identity.name)}",
              f"base_url: {report.base_url}", f"province: {province}"]
    if report.crawl_delay and report.crawl_delay > 1.0:
        lines.append(f"min_delay: {report.crawl_delay:g}")
    if (p := report.pattern) is not None:
        support = ", ".join(f"{k} {v}" for k, v in p.support.items())
        lines += [f"# {p.confidence}: {p.confirmed} of {p.samples} samples extract as "
                  f"articles ({p.dated} dated); URLs matching: {support}",
                  f"article_url_pattern: {_q(p.regex)}"]
    if (rules := report.listing) is not None:
        lines += ["listing:", f"  item: {_q(rules.item)}", f"  link: {_q(rules.link)}"]
        if rules.date:
            lines.append(f"  date: {_q(rules.date)}")
    if report.findings:
        lines.append("endpoints:")
        for f in report.findings:
            lines += _endpoint(f)
    return "\n".join(lines) + "\n"
