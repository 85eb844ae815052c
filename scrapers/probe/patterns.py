"""The article URL pattern, inferred from the URLs that sitemaps, feeds and listings name.

Every URL gets a shape: per path segment a class (a number of n digits, a word or slug, a
slug ending in an id such as ``ten-bai-183456.htm`` or ``bai-post123.html``) and its query
keys. Articles are the shape most URLs share, across the most sources, weighted towards
shapes that feeds or sitemaps list and that look like stories (ids, long slugs, dated
paths); the regex keeps the words constant in that group literal, and generalises numbers
(new dates and ids are still to come) and the rest.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from statistics import median
from urllib.parse import parse_qsl, urlsplit

from scrapers.probe.model import PatternGuess

_META = re.compile(r"([.^$*+?()\[\]{}|\\])")
_ID_TAIL = re.compile(r"^(?P<slug>.*?[A-Za-z0-9])??(?P<sep>[-_.]?)(?P<pre>[A-Za-z]{0,6})"
                      r"(?P<id>\d+)(?P<ext>\.[A-Za-z]{2,5})?$")
_EXT = re.compile(r"\.[A-Za-z]{2,5}$")
_WORD = re.compile(r"^[A-Za-z0-9_-]+$")
_SLUG = re.compile(r"^[a-z0-9-]+$")
PAGE_KEYS = frozenset({"page", "p", "trang", "pg", "start", "offset"})
ANNOUNCING = frozenset({"feed", "sitemap", "news_sitemap"})  # sources that list stories only
MIN_GROUP = 3


def regex_literal(text: str) -> str:
    """``text`` as a regex matching itself, escaping only what regexes treat as special."""
    return _META.sub(r"\\\1", text)


@dataclass(frozen=True)
class _Segment:
    kind: str  # D digits, W word, I slug + id, X anything else
    value: str

    @property
    def key(self) -> str:
        if self.kind == "D":
            return f"D{len(self.value)}"
        if self.kind == "I":
            m = _ID_TAIL.match(self.value)
            assert m is not None
            return f"I:{bool(m['slug'])}:{m['sep']}:{m['pre']}:{m['ext'] or ''}"
        if self.kind == "W":
            ext = _EXT.search(self.value)
            return f"W{ext.group() if ext else ''}"
        return "X"


def _segment(value: str) -> _Segment:
    if value.isdigit():
        return _Segment("D", value)
    if _ID_TAIL.match(value):
        return _Segment("I", value)
    stem = _EXT.sub("", value)
    if not value or _WORD.match(stem):
        return _Segment("W", value)
    return _Segment("X", value)


def _shape(url: str) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    parts = urlsplit(url)
    segments = tuple(_segment(s).key for s in parts.path.split("/")[1:])
    query = tuple((k, "D" if v.isdigit() else "W")
                  for k, v in sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return segments, query


def _storyish(urls: list[str]) -> bool:
    """Ids, dated paths, long slugs or an id parameter: what story URLs look like."""
    segments, query = _shape(urls[0])
    ids = [len(m["id"]) for u in urls for s in urlsplit(u).path.split("/")
           if (m := _ID_TAIL.match(s)) and not s.isdigit()]
    if any(s.startswith("I:") for s in segments) and median(ids or [0]) >= 3:
        return True
    if any(k.lower() not in PAGE_KEYS and c == "D" for k, c in query):
        return True
    words = [max((len(s.split("-")) for s in urlsplit(u).path.split("/")), default=0)
             for u in urls]
    return median(words) >= 3


def _digits(values: list[str]) -> str:
    """Numbers in a path as a regex: a fixed width for date parts (years, months, days,
    yyyymm), which keep it; any width for ids and the like, which grow."""
    widths = {len(v) for v in values}
    width = widths.pop() if len(widths) == 1 else 0
    day_or_month = width == 2 and all(int(v) <= 31 for v in values)
    dated = width in (4, 6, 8) and all(v[:2] in ("19", "20") for v in values)
    return rf"\d{{{width}}}" if day_or_month or dated else r"\d+"


def _generalise(values: list[str]) -> str:
    """One path segment (or query value) of the group as a regex: numbers always
    generalised (the newest dates and ids are not yet among them), other parts literal
    where the whole group agrees."""
    seg = _segment(values[0])
    if seg.kind == "D":
        return _digits(values)
    if len(set(values)) == 1:
        return regex_literal(values[0])
    if seg.kind == "I":
        m = _ID_TAIL.match(values[0])
        assert m is not None
        slugs = [sm["slug"] for v in values if (sm := _ID_TAIL.match(v)) and sm["slug"]]
        shortest = min(len(sm["id"]) for v in values if (sm := _ID_TAIL.match(v)))
        slug = (r"[a-z0-9-]+" if all(_SLUG.match(s) for s in slugs) else r"[A-Za-z0-9_-]+"
                ) if slugs else ""
        digits = rf"\d{{{shortest},}}" if shortest >= 3 else r"\d+"
        return (slug + regex_literal(m["sep"] + m["pre"]) + digits
                + regex_literal(m["ext"] or ""))
    if seg.kind == "W":
        ext = _EXT.search(values[0])
        stems = [_EXT.sub("", v) for v in values]
        word = r"[a-z0-9-]+" if all(_SLUG.match(s) for s in stems) else r"[A-Za-z0-9_-]+"
        return word + regex_literal(ext.group() if ext else "")
    return r"[^/?]+"


def _regex(urls: list[str]) -> str:
    parts = [urlsplit(u) for u in urls]
    origin = f"{parts[0].scheme}://{parts[0].netloc}"
    paths = [p.path.split("/")[1:] for p in parts]
    path = "/".join(_generalise([p[i] for p in paths]) for i in range(len(paths[0])))
    queries = [sorted(parse_qsl(p.query, keep_blank_values=True)) for p in parts]
    query = "&".join(
        f"{regex_literal(key)}=" + (r"\d+" if all(q[i][1].isdigit() for q in queries)
                                    else _generalise([q[i][1] for q in queries]))
        for i, (key, _) in enumerate(queries[0]))
    return f"^{regex_literal(origin)}/{path}" + (rf"\?{query}" if query else "") + "$"


def infer_article_pattern(sources: Mapping[str, Iterable[str]]) -> PatternGuess | None:
    """``sources``: canonical same-site URLs by where they were found (sitemap, feed,
    listing, ...). None when no shape holds at least three URLs."""
    found_in: dict[str, set[str]] = defaultdict(set)
    for source, urls in sources.items():
        for url in urls:
            found_in[url].add(source)
    groups: dict[tuple, list[str]] = defaultdict(list)
    for url in sorted(found_in):
        groups[_shape(url)].append(url)

    def score(urls: list[str]) -> float:
        sources = set().union(*(found_in[u] for u in urls))
        announced = 2 if sources & ANNOUNCING else 1
        return len(urls) * (1 + len(sources)) * announced * (2 if _storyish(urls) else 1)

    candidates = [urls for urls in groups.values() if len(urls) >= MIN_GROUP]
    if not candidates:
        return None
    regex = _regex(max(candidates, key=score))
    compiled = re.compile(regex)
    support = {source: n for source, urls in sources.items()
               if (n := sum(1 for u in set(urls) if compiled.search(u)))}
    return PatternGuess(regex, support)
