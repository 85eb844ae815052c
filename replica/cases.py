"""The replica article pages under replica/fixtures/extract/ and what each one means.

Each ``<slug>/<name>.html`` has a hand-written ``<name>.expected.json``: the page's URL, the
site whose rules apply (null: the generic fallback), when it was fetched, and the expected
fields; ``body`` is a list of paragraphs. Used by the tests and by bench/extract_*.py.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from scrapers.registry import Site, load_sites

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "extract"
FAMILIES = {"baothanhhoa": "dcontent", "baophutho": "dcontent", "phunuvietnam": "phunu",
            "baoquangngai": "quangngai", "generic": None}
# Page furniture that must never reach an article's body.
BOILERPLATE = ("Bình luận (0)", "Tin liên quan", "Xem thêm", "các tin khác", "Các tin khác",
               "Chia sẻ", "<< < 1 > >>", "[Quảng cáo", "Quảng cáo 2", "Responsive image")
_WS = re.compile(r"\s+")


@dataclass(frozen=True, eq=False)  # hashed by identity: cached per case
class Case:
    name: str  # <slug>/<name>
    html: str
    expected: dict[str, Any]

    @property
    def url(self) -> str:
        return self.expected["url"]

    @property
    def site(self) -> Site | None:
        slug = self.expected["site"]
        return _sites()[slug] if slug else None

    @property
    def fetched_at(self) -> datetime:
        return datetime.fromisoformat(self.expected["fetched_at"])

    @property
    def body(self) -> str:
        return "\n\n".join(self.expected["body"])


@cache
def _sites() -> dict[str, Site]:
    return load_sites()


def squash(text: str | None) -> str:
    """Whitespace-normalised text, for comparing bodies."""
    return _WS.sub(" ", text or "").strip()


@cache
def load_cases() -> tuple[Case, ...]:
    cases = []
    for path in sorted(FIXTURES.glob("*/*.expected.json")):
        html_path = path.with_name(path.name.removesuffix(".expected.json") + ".html")
        cases.append(Case(f"{path.parent.name}/{html_path.stem}",
                          html_path.read_text(encoding="utf-8"),
                          json.loads(path.read_text(encoding="utf-8"))))
    return tuple(cases)


def with_teasers(case: Case, n: int) -> Case:
    """The page inside a fuller site template: a sidebar of ``n`` dated teasers, as real
    papers carry (tens of KiB), before </body>."""
    items = "".join(
        f'<li class="item"><a href="/tin-{i}-{200000 + i}.htm"><img src="/thumbs/{i}.jpg" alt="">'
        f"Tin số {i}: hợp tác xã và phụ nữ khởi nghiệp ở địa phương</a>"
        f'<span class="time">0{i % 10}/07/2024 1{i % 10}:{i % 60:02d}</span></li>'
        for i in range(n))
    html = case.html.replace("</body>", f'<div class="sidebar-more"><ul>{items}</ul></div>'
                             "</body>")
    return Case(case.name, html, case.expected)
