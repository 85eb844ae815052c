"""The article browser: search by title, site, province and day; one article with its clean
text, metadata, flags, extractor, duplicate cluster and earlier versions."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from provnews_ui.deps import WarehouseDep
from provnews_ui.overview import extractor_label
from provnews_ui.render import page
from scrapers.store import browse, health

router = APIRouter()
PAGE_SIZE = 50


def _day(value: str, name: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise HTTPException(400, f"{name}: use YYYY-MM-DD") from None


@router.get("/articles", response_class=HTMLResponse)
def article_list(request: Request, engine: WarehouseDep, q: str = "", site: str = "",
                 province: str = "", day_from: Annotated[str, Query(alias="from")] = "",
                 day_to: Annotated[str, Query(alias="to")] = "",
                 page_no: Annotated[int, Query(alias="page", ge=1)] = 1) -> HTMLResponse:
    found = browse.search_articles(
        engine, title=q.strip(), site=site, province=province,
        day_from=_day(day_from, "from"), day_to=_day(day_to, "to"),
        limit=PAGE_SIZE + 1, offset=(page_no - 1) * PAGE_SIZE)
    filters = {"q": q, "site": site, "province": province, "from": day_from, "to": day_to}
    return page(request, "articles.html", articles=found[:PAGE_SIZE], filters=filters,
                page_no=page_no, more=len(found) > PAGE_SIZE, sites=health.sources(engine),
                provinces=browse.provinces_with_sources(engine))


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: int, engine: WarehouseDep) -> HTMLResponse:
    art = browse.article(engine, article_id)
    if art is None:
        raise HTTPException(404, f"no article {article_id}")
    copies = browse.cluster_copies(engine, art["cluster_id"]) if art["cluster_id"] else []
    return page(request, "article.html", article=art, copies=copies,
                paragraphs=[p for p in art["body"].split("\n\n") if p.strip()],
                extractor=extractor_label(art["extractor"]),
                versions=browse.versions(engine, article_id))
