"""Layout drift verdicts: what drifts, what is too small to judge, how the message reads."""

from __future__ import annotations

from datetime import date, timedelta

from scrapers.drift import Figures, Thresholds, compare, trailing_median
from scrapers.settings import Settings

LIMITS = Thresholds.from_settings(Settings())
HEALTHY = Figures(articles=40, rules_missed=0, empty_body=1, undated=0,
                  median_body_chars=2900, per_day=6.0)


def test_a_redesign_names_the_site_and_what_changed():
    redesigned = Figures(articles=10, rules_missed=8, empty_body=0, undated=0,
                         median_body_chars=120, per_day=5.0)
    verdict = compare("baophutho", redesigned, HEALTHY, LIMITS)
    assert verdict.judged and verdict.drifted
    assert [c.metric for c in verdict.changes] == ["rules_missed", "median_body"]
    assert verdict.message == (
        "baophutho: 80% of the run's 10 pages missed the body rule (baseline 0%); "
        "median body 120 chars (baseline 2,900)")
    assert verdict.details()["changes"][0]["current"] == 0.8


def test_the_same_shape_is_healthy():
    verdict = compare("baophutho", Figures(articles=8, rules_missed=1, empty_body=0,
                                           undated=1, median_body_chars=2500, per_day=5.0),
                      HEALTHY, LIMITS)
    assert verdict.judged and not verdict.drifted


def test_empty_undated_and_too_long_bodies_drift():
    broken = Figures(articles=10, rules_missed=0, empty_body=6, undated=9,
                     median_body_chars=9000, per_day=6.0)
    verdict = compare("baothanhhoa", broken, HEALTHY, LIMITS)
    assert [c.metric for c in verdict.changes] == ["empty_body", "undated", "median_body"]
    assert "90% of the run's 10 articles have no date (baseline 0%)" in verdict.message


def test_fewer_articles_than_the_trailing_median():
    verdict = compare("baophutho", Figures(per_day=0.0), HEALTHY, LIMITS)
    assert verdict.judged and verdict.message == (
        "baophutho: 0.0 articles per day (trailing median 6.0)")


def test_small_runs_and_quiet_sites_are_not_judged():
    tiny = Figures(articles=2, rules_missed=2, median_body_chars=100, per_day=None)
    assert not compare("x", tiny, HEALTHY, LIMITS).judged
    quiet = Figures(articles=40, per_day=1.0)
    assert not compare("x", Figures(per_day=0.0), quiet, LIMITS).judged
    assert not compare("x", HEALTHY, Figures(), LIMITS).judged


def test_trailing_median_counts_quiet_days_but_not_days_before_the_site():
    start = date(2025, 12, 1)
    per_day = {start + timedelta(days=i): 4 for i in range(0, 10, 2)}  # every other day
    assert trailing_median(per_day, start, start + timedelta(days=10), start) == 2.0
    later = start + timedelta(days=7)  # the site's first article: days before do not count
    assert trailing_median(per_day, start, start + timedelta(days=8), later) == 0.0
    assert trailing_median({}, start, start + timedelta(days=9), None) is None
    assert trailing_median(per_day, start, start, start) is None
