"""scrapers.pipeline: the windows of scheduled, triggered and command-line runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from scrapers.errors import ProvnewsError
from scrapers.pipeline import days_window, run_window
from scrapers.schedule import LOCAL_TZ

DAY_START = datetime(2024, 7, 4, 17, tzinfo=UTC)  # 2024-07-05 00:00 in Vietnam
DAY_END = DAY_START + timedelta(days=1)

def test_window_is_the_data_interval_with_a_lookback_for_discovery():
    w = run_window("daily", data_interval_start=DAY_START, data_interval_end=DAY_END,
                   run_after=DAY_END + timedelta(hours=3), lookback_hours=6)
    assert (w.start, w.end) == (DAY_START, DAY_END)
    assert w.discover_start == DAY_START - timedelta(hours=6)

@pytest.mark.parametrize(("schedule", "period"), [("daily", timedelta(days=1)),
                                                  ("hourly", timedelta(hours=1))])

def test_runs_without_a_data_interval_take_the_period_ending_at_run_after(schedule, period):
    run_after = datetime(2024, 7, 5, 9, 30, tzinfo=UTC)
    for start, end in ((None, None), (run_after, run_after)):  # null, or zero-width
        w = run_window(schedule, data_interval_start=start, data_interval_end=end,
                       run_after=run_after, lookback_hours=6)
        assert (w.start, w.end) == (run_after - period, run_after)

def test_since_and_until_override_the_interval_naive_values_are_local_time():
    w = run_window("daily", data_interval_start=DAY_START, data_interval_end=DAY_END,
                   run_after=DAY_END, since="2024-07-01", until="2024-07-03T12:00:00+00:00",
                   lookback_hours=6)
    assert w.start == datetime(2024, 7, 1, tzinfo=LOCAL_TZ)
    assert w.end == datetime(2024, 7, 3, 12, tzinfo=UTC)
    w = run_window("daily", data_interval_start=None, data_interval_end=None,
                   run_after=DAY_END, since="2024-07-04T10:00:00Z", lookback_hours=6)
    assert (w.start, w.end) == (datetime(2024, 7, 4, 10, tzinfo=UTC), DAY_END)

def test_an_empty_or_bad_override_is_refused():
    with pytest.raises(ValueError, match="empty interval"):
        run_window("daily", data_interval_start=DAY_START, data_interval_end=DAY_END,
                   run_after=DAY_END, since="2024-07-06", lookback_hours=6)
    with pytest.raises(ValueError, match="not an ISO date"):
        run_window("daily", data_interval_start=DAY_START, data_interval_end=DAY_END,
                   run_after=DAY_END, until="05/07/2024", lookback_hours=6)

def test_crawl_days_are_local_and_until_is_inclusive():
    w = days_window("2024-07-01", "2024-07-03", lookback_hours=6)
    assert (w.start, w.end) == (datetime(2024, 7, 1, tzinfo=LOCAL_TZ),
                                datetime(2024, 7, 4, tzinfo=LOCAL_TZ))
    assert w.discover_start == datetime(2024, 6, 30, 18, tzinfo=LOCAL_TZ)
    assert days_window("2024-07-01T08:00", "2024-07-01T09:00+00:00",
                       lookback_hours=0).start == datetime(2024, 7, 1, 8, tzinfo=LOCAL_TZ)
    with pytest.raises(ProvnewsError, match="bad date"):
        days_window("05/07/2024", "2024-07-06", lookback_hours=6)
    with pytest.raises(ProvnewsError, match="empty interval"):
        days_window("2024-07-06", "2024-07-01", lookback_hours=6)
