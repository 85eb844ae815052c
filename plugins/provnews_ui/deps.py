"""What every page reads from its request: the warehouse engine and the day it calls today."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import Depends, HTTPException, Query
from sqlalchemy import Engine

from scrapers.dates import VN_TZ
from scrapers.settings import get_settings


def warehouse() -> Engine:
    """The warehouse as the harvest tasks see it (Connection ``provnews_db``, ...)."""
    from provnews_hook import ProvnewsHook

    return ProvnewsHook().get_sqlalchemy_engine()


def today(day: Annotated[str | None, Query(alias="today")] = None) -> date:
    """``?today=YYYY-MM-DD``, else ``NEWS_UI_TODAY``, else the local date: pinning it shows
    data that ends earlier (the replica's ends on 2026-01-01)."""
    if day:
        try:
            return date.fromisoformat(day)
        except ValueError:
            raise HTTPException(400, "today: use YYYY-MM-DD") from None
    return get_settings().ui_today or datetime.now(VN_TZ).date()


WarehouseDep = Annotated[Engine, Depends(warehouse)]
TodayDep = Annotated[date, Depends(today)]
