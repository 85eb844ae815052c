"""``provnews indicators extract -``: the indicators of a text on standard input, one JSON
object a line, so an analyst can try a sentence without a database.

The main CLI wires it with ``add_commands(sub)`` on its ``indicators`` parser.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from pathlib import Path

from scrapers.dates import VN_TZ
from scrapers.errors import ProvnewsError
from scrapers.indicators.extract import extract_indicators
from scrapers.indicators.model import INDICATOR_EXTRACTOR_VERSION
from scrapers.indicators.province_table import load_province_table


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register ``extract`` under the ``indicators`` parser's subparsers."""
    p = subparsers.add_parser("extract", help="print the indicators of a text read from stdin")
    p.add_argument("input", choices=["-"], help="- : the article text on standard input")
    p.add_argument("--date", type=date.fromisoformat,
                   help="the article's date, YYYY-MM-DD (default: today, Asia/Ho_Chi_Minh)")
    p.add_argument("--province", metavar="CODE",
                   help="the province of the paper (see include/provinces.csv)")
    p.add_argument("--title", default="", help="the article's title (helps the topic tags)")
    p.add_argument("--provinces-csv", type=Path,
                   help="province table (default: the settings' provinces_csv)")
    p.set_defaults(func=cmd_indicators_extract)


def cmd_indicators_extract(args: argparse.Namespace) -> int:
    from scrapers.settings import get_settings

    table = load_province_table(args.provinces_csv or get_settings().provinces_csv)
    if args.province and args.province not in table:
        raise ProvnewsError(f"unknown province code: {args.province}")
    text = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    article_date = args.date or datetime.now(VN_TZ).date()
    for ind in extract_indicators(text, article_date, args.province, title=args.title,
                                  provinces=table):
        row = {**ind.to_dict(), "extractor_version": INDICATOR_EXTRACTOR_VERSION}
        print(json.dumps(row, ensure_ascii=False))
    return 0
