"""URL canonicalisation: one spelling per article, so the frontier and dedupe see one row.

Sites link the same story as ``m.``/``amp.`` hosts, AMP paths, with tracking parameters
(utm_*, fbclid, Zalo's gidzl/zarsrc ...), fragments and varied percent-encoding.
``canonicalize`` folds all of these into one absolute URL; pure functions, no network.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit, urlunsplit

import tldextract

if TYPE_CHECKING:
    from scrapers.registry import Site

# Query parameters that only say where a click came from; dropped by canonicalize().
TRACKING_PARAMS: frozenset[str] = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
    "igshid", "gidzl", "zarsrc", "_ga", "_gl", "_hsenc", "_hsmi", "mc_cid", "mc_eid",
    "mkt_tok", "ref", "ref_src", "referrer", "spm", "cmpid", "fb_action_ids",
    "fb_action_types", "fb_ref", "fb_source", "action_object_map", "action_type_map",
})
TRACKING_PREFIXES: tuple[str, ...] = ("utm_",)
# Leading host labels of mobile / AMP editions that serve the same article.
VARIANT_HOST_LABELS: frozenset[str] = frozenset({"m", "amp"})

_DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# Characters left literal in each component (RFC 3986 pchar / query, minus the delimiters
# we split on); everything else outside _UNRESERVED is percent-encoded.
_PATH_SAFE = frozenset("!$&'()*+,;=:@/")
_QUERY_SAFE = frozenset("!$'()*+,;:@/?")
_VALUE_SAFE = _QUERY_SAFE | {"="}
_TOKEN = re.compile(r"%[0-9A-Fa-f]{2}|%|[^%]")
_AMP_SUFFIX = re.compile(r"\.amp(\.html?)$", re.IGNORECASE)


# An absolute http(s) URL of printable ASCII with no query, fragment, params or brackets:
# urljoin returns one as it is, after parsing it twice.
_PLAIN_ABSOLUTE = re.compile(r'https?://[!"$-.0-:<->@-Z^-~]+(?:/[!"$-:<->@-Z^-~]*)?')


def join_url(base: str, url: str) -> str:
    """``urljoin(base, url)``; a plain absolute URL, most links and images, is not parsed."""
    return url if _PLAIN_ABSOLUTE.fullmatch(url) else urljoin(base, url)


def _normalise_escapes(part: str, safe: frozenset[str]) -> str:
    """One spelling per character: unreserved chars unescaped, other escapes upper-case."""
    return part if _spelled_once(safe).fullmatch(part) else _respell(part, safe)


def _respell(part: str, safe: frozenset[str]) -> str:
    """:func:`_normalise_escapes` character by character."""
    out: list[str] = []
    for token in _TOKEN.findall(part):
        if len(token) == 3:
            char = chr(int(token[1:], 16))
            out.append(char if char in _UNRESERVED else token.upper())
        elif token in _UNRESERVED or token in safe:
            out.append(token)
        else:
            out.extend(f"%{byte:02X}" for byte in token.encode("utf-8"))
    return "".join(out)


@lru_cache(maxsize=8)
def _spelled_once(safe: frozenset[str]) -> re.Pattern[str]:
    """Matches the parts :func:`_normalise_escapes` returns as they are: no escape and
    nothing to encode (most URLs are plain ASCII slugs)."""
    return re.compile("[" + re.escape("".join(sorted(_UNRESERVED | safe))) + "]*")


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 5.2.4 for absolute paths: /a/./b/../c -> /a/c."""
    segments = path.split("/")
    out: list[str] = []
    for seg in segments:
        if seg == "..":
            if len(out) > 1:
                out.pop()
        elif seg != ".":
            out.append(seg)
    if segments[-1] in (".", ".."):
        out.append("")
    return "/".join(out)


def _canonical_host(host: str) -> str:
    """Lower-case, IDNA (punycode) and fold m./amp. editions onto the main host."""
    host = host.lower().rstrip(".")
    with contextlib.suppress(UnicodeError):  # not a valid IDN: keep the lower-cased text
        host = host.encode("idna").decode("ascii")
    label, _, rest = host.partition(".")
    # m.gov.vn is itself a registrable domain, not the mobile edition of gov.vn
    if label in VARIANT_HOST_LABELS and rest and registrable_domain(host) != host:
        host = rest
    return host


def _fold_amp_path(path: str) -> str:
    """/amp/x, /x/amp, /x/amp/ and x.amp.htm are AMP renderings of x."""
    if path.startswith("/amp/"):
        path = path[len("/amp"):]
    for suffix in ("/amp/", "/amp"):
        if path.endswith(suffix) and len(path) > len(suffix):
            path = path[: -len(suffix)] + ("/" if suffix.endswith("/") else "")
            break
    return _AMP_SUFFIX.sub(r"\1", path)


def _is_tracking(key: str) -> bool:
    key = key.lower()
    return key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES)


def _canonical_query(query: str) -> str:
    pairs: list[tuple[str, str]] = []
    for item in query.split("&"):
        if not item:
            continue
        key, sep, value = item.partition("=")
        key = _normalise_escapes(key, _QUERY_SAFE)
        if _is_tracking(key) or (key.lower() == "amp" and value.lower() in ("", "1", "true")):
            continue
        pairs.append((key, sep + _normalise_escapes(value, _VALUE_SAFE)))
    return "&".join(key + value for key, value in sorted(pairs))


def canonicalize(url: str, *, base: str | None = None) -> str:
    """The one spelling of ``url`` (resolved against ``base``) used as the frontier key.

    Non-http(s) URLs (mailto:, javascript: ...) come back resolved but otherwise untouched.
    A trailing slash is kept as found: some CMSs serve /x and /x/ as different pages.
    """
    url = unicodedata.normalize("NFC", url.strip())
    if base:
        url = urljoin(unicodedata.normalize("NFC", base.strip()), url)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        return url
    netloc = _canonical_host(parts.hostname or "")
    if ":" in netloc:  # IPv6 literal
        netloc = f"[{netloc}]"
    try:
        port = parts.port
    except ValueError:
        port = None  # a malformed port says nothing useful about the article
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    if "@" in parts.netloc:
        netloc = parts.netloc.rpartition("@")[0] + "@" + netloc
    path = _normalise_escapes(parts.path, _PATH_SAFE) or "/"
    if path.startswith("/"):
        path = _remove_dot_segments(path)
    path = _fold_amp_path(path)
    return urlunsplit((scheme, netloc, path, _canonical_query(parts.query), ""))


def variant_reason(found: str, canonical: str) -> str:
    """How a found URL relates to its canonical form (recorded with the URL)."""
    return "as_found" if found == canonical else "canonicalised"


def matches_article_pattern(url: str, site: Site) -> bool:
    """Whether ``url`` (relative ones resolve against the site) is one of the site's articles."""
    return re.search(site.article_url_pattern, canonicalize(url, base=site.base_url)) is not None


@lru_cache(maxsize=1)
def _extractor() -> tldextract.TLDExtract:
    # The bundled public-suffix snapshot only: never fetch the list, never write a cache.
    return tldextract.TLDExtract(
        suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
    )


@lru_cache(maxsize=4096)
def registrable_domain(host: str) -> str:
    """baothanhhoa.vn for m.baothanhhoa.vn; the host itself for IPs and bare names."""
    host = host.lower().rstrip(".")
    return _extractor()(host).top_domain_under_public_suffix or host




def adopt_rel_canonical(page_url: str, rel_canonical: str | None) -> str:
    """The page's rel=canonical (canonicalised) when it stays on the page's own site.

    A canonical pointing at another registrable domain (syndicated copies, a CMS bug) is
    ignored, so one site cannot make us file its page under another site's URL.
    """
    if not rel_canonical or not rel_canonical.strip():
        return page_url
    candidate = canonicalize(rel_canonical, base=page_url)
    cand, page = urlsplit(candidate), urlsplit(page_url)
    if cand.scheme not in _DEFAULT_PORTS or not cand.hostname or not page.hostname:
        return page_url
    if registrable_domain(cand.hostname) != registrable_domain(_canonical_host(page.hostname)):
        return page_url
    return candidate
