"""The bench's gold set parses, and provnews scores at least 0.9 on every split of it."""

import importlib.util
import sys
from pathlib import Path

import pytest

from scrapers.indicators import Subject

BENCH = Path(__file__).resolve().parents[2] / "bench" / "indicators_quality.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("indicators_quality", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def test_gold_parses_and_covers_the_spec(bench):
    gold = bench.load_gold()
    assert len(gold) >= 60
    assert {i.split for i in gold} == set(bench.SPLITS)
    expected = [e for i in gold for e in i.expect]
    assert {e["subject"] for e in expected} == {str(s) for s in Subject}
    assert {a for e in expected for a in e.get("attrs", [])} == set(bench.ATTRS)
    assert {e.get("approx", "none") for e in expected} >= {
        "none", "more_than", "at_least", "nearly", "about", "hundreds", "thousands"}
    assert {e.get("qualifier", "actual") for e in expected} == {"actual", "target", "change"}
    assert sum(not i.expect for i in gold) >= 15  # hard negatives
    assert len({i.id for i in gold}) == len(gold)


@pytest.mark.parametrize("split", ["dev", "heldout", "fresh"])
def test_precision_and_recall_at_least_0_9(bench, split):
    ours, _ = bench.score([i for i in bench.load_gold() if i.split == split])
    assert ours.precision >= 0.9, (ours.matched, ours.predicted)
    assert ours.recall >= 0.9, (ours.matched, ours.expected)
