"""How a listing reaches page 2, from its first page: a rel=next link, a link labelled "2"
or "Sau"/"Trang sau"/"»", and failing those the usual schemes (``?page=N``,
``/page/N/``, ``/trang-N.htm``, ``/pN``) for the caller to try. The scheme is a URL
template with ``{page}``, as ``Endpoint.pagination`` takes it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import etree, html

from scrapers.probe.model import Paging
from scrapers.probe.pages import absolute, same_site

_NEXT_WORDS = re.compile(r"^(?:sau|trang sau|tiếp|tiếp theo|xem tiếp|next|›|»|>|>>)",
                         re.IGNORECASE)
_TWO = re.compile(r"(?<!\d)2(?!\d)")


@dataclass(frozen=True)
class PageTwo:
    url: str
    template: str  # page N's URL with {page}
    paging: Paging


def _template(page_url: str, candidate: str) -> str | None:
    """``candidate`` with its page number as {page}: the "2" past what it shares with
    page 1's URL."""
    common = 0
    for a, b in zip(page_url, candidate, strict=False):
        if a != b:
            break
        common += 1
    twos = [m for m in _TWO.finditer(candidate) if m.start() >= common - 1]
    if not twos or candidate.rstrip("/") == page_url.rstrip("/"):
        return None
    m = twos[-1]
    def esc(s: str) -> str:
        return s.replace("{", "{{").replace("}", "}}")
    return esc(candidate[:m.start()]) + "{page}" + esc(candidate[m.end():])


def _links(doc: html.HtmlElement, page_url: str, base_url: str) -> list[tuple[int, str]]:
    """(priority, URL) of the links that may lead to page 2."""
    out = []
    for el in doc.iter("a", "link"):
        url = absolute(el.get("href"), page_url)
        if url is None or not same_site(url, base_url):
            continue
        rel = (el.get("rel") or "").lower().split()
        text = " ".join(el.text_content().split()) if el.tag == "a" else ""
        if "next" in rel:
            out.append((0, url))
        elif text == "2":
            out.append((1, url))
        elif el.tag == "a" and (_NEXT_WORDS.match(text) or "next" in (el.get("class") or "")):
            out.append((2, url))
    return sorted(out, key=lambda p: p[0])


def find_page_two(body: str, page_url: str, base_url: str) -> PageTwo | None:
    """Page 2 as page 1 links it, numbered when page 1 also links page 3 or later."""
    try:
        doc = html.fromstring(body)
    except (etree.ParserError, ValueError):
        return None
    links = _links(doc, page_url, base_url)
    hrefs = {url for _, url in links} | {
        u for a in doc.iter("a") if (u := absolute(a.get("href"), page_url))}
    for _, url in links:
        template = _template(page_url, url)
        if template is None:
            continue
        later = any(template.format(page=n) in hrefs for n in range(3, 8))
        return PageTwo(url, template, Paging.NUMBERED if later else Paging.NEXT_LINK)
    return None


def usual_pages_two(page_url: str) -> list[PageTwo]:
    """Page 2 under the schemes Vietnamese CMSs use, for a listing that links none."""
    parts = urlsplit(page_url)
    esc = page_url.replace("{", "{{").replace("}", "}}")
    stem = esc.split("?", 1)[0].rstrip("/")
    templates = [esc + ("&" if parts.query else "?") + "page={page}"]
    if not parts.query:
        templates += [stem + "/page/{page}/", stem + "/trang-{page}.htm", stem + "/p{page}"]
    return [PageTwo(t.format(page=2), t, Paging.GUESSED) for t in templates]
