"""The slug, name and province a new site file starts with, guessed from the host and the
homepage: the paper's name is the part of the <title> that starts with "Báo" (else
og:site_name), its province the unit whose name the paper's name or host spells (a unit
merged away in 2025 is filed under its successor)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from scrapers.probe.model import Identity
from scrapers.urls import registrable_domain

_SEPARATORS = re.compile(r"\s+[-–—|:]\s+|\s*\|\s*")


def fold(text: str) -> str:
    """Lower-case ASCII letters and digits only: "Đà Nẵng" → "danang"."""
    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return re.sub(r"[^a-z0-9]", "", plain.encode("ascii", "ignore").decode().lower())


def _province(texts: Iterable[str], provinces: Iterable[Mapping]) -> str | None:
    names = sorted(((fold(n), p) for p in provinces for n in [p["name"], *p["aliases"]]
                    if fold(n)), key=lambda np: -len(np[0]))
    for text in texts:
        folded = fold(text)
        for name, p in names:
            if name in folded:
                return p["code"] if p["is_current"] else p["successor_code"]
    return None


def guess_identity(base_url: str, title: str, site_name: str,
                   provinces: Iterable[Mapping]) -> Identity:
    """``provinces``: rows of ``scrapers.provinces.read_provinces``."""
    provinces = list(provinces)
    host = (urlsplit(base_url).hostname or "").removeprefix("www.")
    label = registrable_domain(host).split(".")[0]
    slug = re.sub(r"[^a-z0-9_]", "_", label.lower()) or "site"
    parts = [p.strip() for p in _SEPARATORS.split(title) if p.strip()]
    name = next((p for p in parts if unicodedata.normalize("NFC", p).lower().startswith("báo ")),
                site_name)
    province = _province([name, label] if name else [label], provinces)
    if not name:
        unit = next((p["name"] for p in provinces if p["code"] == province), None)
        name = f"Báo {unit}" if unit else host
    return Identity(slug, name, province)
