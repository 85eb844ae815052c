"""Load include/provinces.csv into the table ``provinces_in_text`` takes (a data loader:
the only file reading of the package besides the command's standard input)."""

from __future__ import annotations

from pathlib import Path

from scrapers.indicators.provinces_in_text import Province
from scrapers.provinces import read_provinces


def load_province_table(path: Path) -> dict[str, Province]:
    """code → Province; a unit without a successor (a current one) succeeds itself."""
    return {row["code"]: Province(row["code"], row["name"], tuple(row["aliases"]),
                                  row["successor_code"] or row["code"])
            for row in read_provinces(path)}
