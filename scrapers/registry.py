"""The site registry: include/sites/<slug>.yaml, validated, optionally sharing CMS rules.

A site file may name ``cms: <family>``; include/cms/<family>.yaml then supplies defaults
(selectors, URL pattern, endpoints) that the site file overrides key by key. The shortest
file names only slug, name, base_url and province: what it leaves out (endpoints, the
article URL pattern, listing rules) is probed at the site's first run (``scrapers.probe``)
and filled in with :meth:`Site.filled`, where a hand-written key always wins.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from scrapers.errors import ProvnewsError
from scrapers.settings import get_settings


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Endpoint(Strict):
    kind: Literal["feed", "sitemap_index", "sitemap", "news_sitemap", "listing"]
    url: str  # absolute, or relative to base_url
    # listings: page N's URL; {page} is replaced (page 1 is `url` itself)
    pagination: str | None = None
    max_pages: int | None = Field(None, ge=1)
    # sitemap indexes with one sitemap per month: only months overlapping the interval
    # are read when the child URL matches this pattern with (?P<year>) and (?P<month>)
    month_pattern: str | None = None


class ListingRules(Strict):
    item: str = Field(..., description="CSS selector of one article teaser")
    link: str = "a[href]"
    date: str | None = None
    date_format: str | None = None  # strptime format; default: day-first parsing


class ExtractRules(Strict):
    title: list[str] = Field(default_factory=list)
    lead: list[str] = Field(default_factory=list)
    body: list[str] = Field(default_factory=list)
    author: list[str] = Field(default_factory=list)
    date: list[str] = Field(default_factory=list)
    modified: list[str] = Field(default_factory=list)
    category: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    lead_prefixes: list[str] = Field(default_factory=list)  # regexes stripped from lead/body
    script_body: list[str] = Field(default_factory=list)  # regexes capturing a script body
    byline_last_paragraph: bool = True

    @field_validator("lead_prefixes", "script_body")
    @classmethod
    def _regexes_compile(cls, v: list[str]) -> list[str]:
        for pattern in v:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"bad regex {pattern!r}: {exc}") from exc
        return v

    @field_validator(
        "title", "lead", "body", "author", "date", "modified", "category", "tags", "exclude",
        mode="before")
    @classmethod
    def _one_or_many(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v


class Site(Strict):
    slug: str = Field(..., pattern=r"^[a-z0-9_]+$")
    name: str
    base_url: str = Field(..., pattern=r"^https?://[^/]+/?$")
    province: str | None = None
    kind: Literal["provincial", "national", "aggregator"] = "provincial"
    cms: str | None = None
    language: str = "vi"
    enabled: bool = True
    schedule: Literal["daily", "hourly"] = "daily"
    start_date: str = "2024-01-01"
    min_delay: float = Field(1.0, ge=0)
    article_url_pattern: str | None = None  # None: probed
    endpoints: list[Endpoint] = Field(default_factory=list)
    listing: ListingRules | None = None
    extract: ExtractRules = Field(default_factory=ExtractRules)

    @field_validator("article_url_pattern")
    @classmethod
    def _pattern_compiles(cls, v: str | None) -> str | None:
        try:
            re.compile(v or "")
        except re.error as exc:
            raise ValueError(f"bad regex: {exc}") from exc
        return v

    @property
    def needs_probe(self) -> bool:
        """Whether the site file leaves discovery to a probe (no endpoints or URL pattern)."""
        return self.article_url_pattern is None or not self.endpoints

    def filled(self, **probed: Any) -> Site:
        """This site with probed values for the keys its file (or CMS family) leaves out."""
        return self.model_copy(update={k: v for k, v in probed.items()
                                       if k not in self.model_fields_set and v is not None})

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).hostname or ""

    def absolute(self, url: str) -> str:
        return urljoin(self.base_url.rstrip("/") + "/", url)

    def config_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)


def _format_validation_error(path: Path, exc: ValidationError) -> str:
    err = exc.errors()[0]
    field = ".".join(str(p) for p in err["loc"]) or "(file)"
    more = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{path}: field '{field}': {err['msg']}{more}"


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ProvnewsError(f"{path}:{where} invalid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise ProvnewsError(f"{path}: field '(file)': expected a mapping of site settings")
    return data


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def load_site(path: Path, cms_dir: Path | None = None) -> Site:
    data = _read_yaml(path)
    cms = data.get("cms")
    cms_dir = cms_dir or get_settings().cms_dir
    if isinstance(cms, str) and (cms_dir / f"{cms}.yaml").exists():
        data = _merge(_read_yaml(cms_dir / f"{cms}.yaml"), data)
    try:
        site = Site.model_validate(data)
    except ValidationError as exc:
        raise ProvnewsError(_format_validation_error(path, exc)) from None
    if site.slug != path.stem:
        raise ProvnewsError(f"{path}: field 'slug': '{site.slug}' differs from the file name")
    return site


def load_sites(sites_dir: Path | None = None, cms_dir: Path | None = None) -> dict[str, Site]:
    sites_dir = sites_dir or get_settings().sites_dir
    sites = [load_site(p, cms_dir) for p in sorted(sites_dir.glob("*.yaml"))]
    return {s.slug: s for s in sites}


def get_site(slug: str, sites_dir: Path | None = None) -> Site:
    sites = load_sites(sites_dir)
    if slug not in sites:
        raise ProvnewsError(f"unknown site '{slug}'; known: {', '.join(sorted(sites))}")
    return sites[slug]


def site_for_host(host: str, sites: dict[str, Site]) -> Site | None:
    host = host.lower().removeprefix("www.").removeprefix("m.")
    for site in sites.values():
        if site.host.removeprefix("www.") == host:
            return site
    return None
