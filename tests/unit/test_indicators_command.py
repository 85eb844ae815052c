"""``provnews indicators extract -``: one JSON object a line from standard input."""

import argparse
import io
import json
import sys

import pytest

from scrapers.errors import ProvnewsError
from scrapers.indicators import INDICATOR_EXTRACTOR_VERSION
from scrapers.indicators.command import add_commands


def run(argv: list[str], stdin: str, monkeypatch) -> int:
    parser = argparse.ArgumentParser(prog="provnews")
    indicators = parser.add_subparsers(dest="command").add_parser("indicators")
    add_commands(indicators.add_subparsers(dest="indicators_command", required=True))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8"))))
    args = parser.parse_args(argv)
    return args.func(args)


def test_prints_one_json_object_per_indicator(monkeypatch, capsys):
    text = "Tỉnh Hà Giang có 312 HTX, trong đó 58 HTX do phụ nữ làm giám đốc."
    rc = run(["indicators", "extract", "-", "--date", "2025-03-01", "--province",
              "tuyen-quang"], text, monkeypatch)
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rc == 0
    assert [(r["subject"], r["value"], r["women"]) for r in rows] == [
        ("cooperatives", 312, False), ("cooperatives", 58, True)]
    assert rows[0]["as_of"] == "2025-03-01"
    assert rows[0]["province_code"] == "tuyen-quang"
    assert rows[0]["text_province_code"] == "ha-giang"
    assert rows[0]["text_province_successor_code"] == "tuyen-quang"
    assert rows[0]["extractor_version"] == INDICATOR_EXTRACTOR_VERSION
    assert text[rows[1]["start"]:rows[1]["end"]] == rows[1]["sentence"]


def test_unknown_province_is_a_clear_error(monkeypatch):
    with pytest.raises(ProvnewsError, match="unknown province code"):
        run(["indicators", "extract", "-", "--province", "atlantis"], "5 HTX", monkeypatch)
