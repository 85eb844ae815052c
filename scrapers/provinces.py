"""Vietnam's provincial-level units: the 34 since 1 July 2025 and the 63 before, with successors."""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

from sqlalchemy import Engine, text

from scrapers.errors import ProvnewsError


def read_provinces(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8", newline="") as fh:
        for line_no, row in enumerate(csv.DictReader(fh), start=2):
            try:
                rows.append({
                    "code": row["code"],
                    "name": unicodedata.normalize("NFC", row["name"]),
                    "kind": row["kind"],
                    "is_current": row["is_current"] == "true",
                    "in_pre_2025": row["in_pre_2025"] == "true",
                    "successor_code": row["successor_code"] or None,
                    "aliases": [unicodedata.normalize("NFC", a)
                                for a in row["aliases"].split(";") if a],
                })
            except KeyError as exc:
                raise ProvnewsError(f"{path}:{line_no}: missing column {exc}") from None
    return rows


def load_provinces(engine: Engine, path: Path) -> int:
    """Upsert the CSV into ``provinces`` (two passes, so successors may come later)."""
    rows = read_provinces(path)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO provinces (code, name, kind, is_current, in_pre_2025, successor_code,"
            " aliases) VALUES (:code, :name, :kind, :is_current, :in_pre_2025, NULL, :aliases)"
            " ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind,"
            " is_current = EXCLUDED.is_current, in_pre_2025 = EXCLUDED.in_pre_2025,"
            " aliases = EXCLUDED.aliases"), [dict(r, is_current=True) for r in rows])
        conn.execute(text(
            "UPDATE provinces SET successor_code = :successor_code, is_current = :is_current"
            " WHERE code = :code"), rows)
    return len(rows)
