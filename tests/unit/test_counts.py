"""scrapers.counts: run summaries, run status and the quality verdict."""

from __future__ import annotations

from scrapers.counts import QualityReport, summarize


def test_run_status_is_partial_only_when_a_step_recorded_failures():
    ok = {"discover": {"endpoint_errors": {}, "discovered": 5}, "extract": {"failed": 0},
          "fetch:12": {"failed": {}, "fetched": 3, "gone": 1, "skipped_robots": 1},
          "fetch:40": {"failed": {}, "fetched": 1}, "quality": {"fetched": 3}}
    summary = summarize(ok)
    assert (summary.discovered, summary.fetched, summary.gone) == (5, 4, 1)
    assert summary.status == "success"
    failing = summarize({**ok, "fetch:40": {"failed": {"timeout": 1}},
                         "discover": {"endpoint_errors": {"timeout": 2, "http_5xx": 1}}})
    assert failing.failed == {"http_5xx": 1, "timeout": 3}
    assert failing.status == "partial"
    assert summarize({**ok, "extract": {"failed": 2}}).status == "partial"

def test_quality_problems_flag_only_real_breakage():
    good = {"fetched": 40, "articles": 39, "no_title": 0, "no_body": 1, "no_date": 2,
            "same_body": 1}

    def quality_problems(counts: dict[str, int]) -> list[str]:
        return QualityReport(**counts).problems(min_pages=10, max_bad_share=0.5)
    assert quality_problems(good) == []
    assert quality_problems({**good, "fetched": 5, "articles": 0}) == []  # too small to judge
    assert quality_problems({**good, "articles": 10}) == ["only 10 articles from 40 fetched pages"]
    assert quality_problems({**good, "no_date": 30}) == ["30 of 39 articles have no date"]
    assert quality_problems({**good, "same_body": 38}) == [
        "38 of 39 articles repeat another's body"]
