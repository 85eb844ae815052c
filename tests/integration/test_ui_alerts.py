"""Layout-drift alerts end to end: a healthy month, a redesigned month whose quality stage
fails naming what changed (the alert opens), a healthy month again (the alert closes)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from replica.server import ReplicaServer
from scrapers.pipeline import QualityFailure, RunOptions, RunWindow, crawl
from scrapers.settings import get_settings
from scrapers.store.alerts import alerts
from tests.crawlutil import fast_site, local

SLUG = "baophutho"
# the redesign: the article body leaves the container the site rules select (#dcontent)
REDESIGN = {"old": 'id="dcontent"', "new": 'id="noi-dung-bai-viet"'}
ARTICLE_PAGES = r"-\d{4,}\.htm$"


def _crawl(engine, server: ReplicaServer, month: int):
    window = RunWindow(local(2025, month, 1), local(2025, month + 1, 1))
    return crawl(engine, fast_site(SLUG), window, settings=get_settings(),
                 options=RunOptions(base_url=server.base_url))


def test_a_redesign_fails_the_quality_stage_and_opens_an_alert_until_healthy_again(engine):
    with ReplicaServer(SLUG) as server:
        assert _crawl(engine, server, 5).new_articles >= 10
        _crawl(engine, server, 6)
        assert alerts(engine) == []

        server.faults.add(ARTICLE_PAGES, "redesign", **REDESIGN)
        with pytest.raises(QualityFailure) as failure:
            _crawl(engine, server, 7)
        message = str(failure.value)
        assert message.startswith(f"{SLUG}: 100% of the run's ")
        assert "pages missed the body rule (baseline 0%)" in message
        [alert] = alerts(engine)
        assert alert["kind"] == "layout_drift" and alert["closed_at"] is None
        assert alert["message"] == message
        assert alert["details"]["changes"][0]["metric"] == "rules_missed"
        with engine.connect() as conn:
            july = conn.execute(text("SELECT id, status, error, counts->'drift' AS drift"
                                     " FROM crawl_runs ORDER BY id DESC LIMIT 1")).one()
        assert july.status == "failed" and message in july.error
        assert alert["run_id"] == july.id and july.drift["changes"]

        server.faults.clear()
        _crawl(engine, server, 8)
    [closed] = alerts(engine)
    assert closed["id"] == alert["id"] and closed["closed_at"] is not None
    assert closed["closed_by_run_id"] not in (None, july.id)
