"""`provnews settings`: every setting listed, secrets masked."""

from __future__ import annotations

import pytest

from scrapers.cli import main
from scrapers.settings import Settings, get_settings


def test_settings_lists_every_field_and_masks_the_password(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    monkeypatch.setenv("NEWS_DB_URL", "postgresql://news:s3cr3t-pw@db.example:5432/provnews")
    monkeypatch.setenv("NEWS_LOOKBACK_HOURS", "12")
    get_settings.cache_clear()
    try:
        assert main(["settings"]) == 0
    finally:
        get_settings.cache_clear()
    out = capsys.readouterr().out
    assert "s3cr3t-pw" not in out and "postgresql://news:***@db.example" in out
    names = {line.split()[0] for line in out.splitlines()}
    assert names == {f"NEWS_{n.upper()}" for n in Settings.model_fields}
    assert any(line.split()[:2] == ["NEWS_LOOKBACK_HOURS", "12.0"] for line in out.splitlines())
