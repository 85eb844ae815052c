"""HTML from Jinja templates, autoescaped: every value from the warehouse (article text comes
from the internet) is escaped on output; only the templates write markup."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from scrapers.dates import VN_TZ

TEMPLATES = Path(__file__).parent / "templates"


def num(value: float | None) -> str:
    """1,234; a dash for nothing."""
    if value is None:
        return "–"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def pct(part: int | None, whole: int | None) -> str:
    return f"{part / whole:.0%}" if whole and part is not None else "–"


def when(value: datetime | date | None) -> str:
    """A time in Vietnamese local time, to the minute."""
    if value is None:
        return "–"
    if isinstance(value, datetime):
        return value.astimezone(VN_TZ).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def age(value: datetime | None, today: date) -> str:
    """How many days before ``today``."""
    if value is None:
        return "–"
    days = (today - value.astimezone(VN_TZ).date()).days
    return "today" if days <= 0 else f"{days} d"


def href(url: str | None) -> str:
    """A link target only for http(s) URLs: a ``javascript:`` URL stays inert even escaped."""
    return url if url and url.lower().startswith(("http://", "https://")) else "#"


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True)
    env.filters.update(num=num, when=when, href=href)
    env.globals.update(pct=pct, age=age)
    return env


def page(request: Request, template: str, **values: Any) -> HTMLResponse:
    """Render ``template``; ``url(path, **query)`` in it makes links inside the app that
    keep a pinned ``today``."""
    root = request.scope.get("root_path", "")
    pinned = {"today": request.query_params["today"]} if "today" in request.query_params else {}

    def url(path: str, **query: Any) -> str:
        params = {k: v for k, v in {**pinned, **query}.items() if v not in (None, "")}
        return root + path + ("?" + urlencode(params) if params else "")

    html = environment().get_template(template).render(request=request, url=url, **values)
    return HTMLResponse(html)
