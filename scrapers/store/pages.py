"""``pages``: the latest raw body of each fetched URL, compressed, so extraction can be
re-run without a crawl; and which pages the current extractor has not read yet."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import accumulate
from typing import TYPE_CHECKING

from isal import isal_zlib
from sqlalchemy import Connection, text

from scrapers.db import driver_cursor

if TYPE_CHECKING:
    from scrapers.http import FetchResult


@dataclass(frozen=True)
class StoredPage:
    url_id: int
    url: str
    final_url: str
    body_z: bytes
    fetched_at: datetime
    published_hint: datetime | None
    decode_errors: int = 0  # body bytes the fetch replaced by U+FFFD

    @property
    def html(self) -> str:
        """The stored text; raises on a corrupt row, which the extract step records."""
        return page_text(self.body_z)


def page_text(body_z: bytes) -> str:
    """A stored body's text (``pages.body_z``), inflated by ISA-L: twice as fast as zlib
    (which took about a ninth of the load). A body ISA-L refuses goes to zlib, whose error
    is the reason the extract step records."""
    try:
        raw = isal_zlib.decompress(body_z)
    except isal_zlib.error:
        raw = zlib.decompress(body_z)
    return raw.decode("utf-8")


_SAVE_PAGES = text(
    "INSERT INTO pages (url_id, fetch_id, final_url, status, content_type, encoding,"
    " body_z, body_sha256, etag, last_modified, fetched_at, decode_errors)"
    " SELECT d.url_id, d.fetch_id, d.final, d.status, d.ctype, d.enc,"
    "   substring(CAST(:bodies AS bytea) FROM d.body_at FOR d.body_len), d.sha, d.etag,"
    "   d.lm, now(), d.bad"
    " FROM unnest(CAST(:ids AS bigint[]), CAST(:fids AS bigint[]), CAST(:finals AS text[]),"
    "   CAST(:statuses AS integer[]), CAST(:ctypes AS text[]), CAST(:encs AS text[]),"
    "   CAST(:body_at AS integer[]), CAST(:body_len AS integer[]), CAST(:shas AS text[]),"
    "   CAST(:etags AS text[]), CAST(:lms AS text[]), CAST(:bads AS integer[]))"
    "   AS d(url_id, fetch_id, final, status, ctype, enc, body_at, body_len, sha, etag, lm,"
    "   bad)"
    " ON CONFLICT (url_id) DO UPDATE SET fetch_id = EXCLUDED.fetch_id,"
    " final_url = EXCLUDED.final_url, status = EXCLUDED.status,"
    " content_type = EXCLUDED.content_type, encoding = EXCLUDED.encoding,"
    " body_z = EXCLUDED.body_z, etag = EXCLUDED.etag,"
    " last_modified = EXCLUDED.last_modified, fetched_at = now(),"
    " decode_errors = EXCLUDED.decode_errors,"
    " extracted_at = CASE WHEN pages.body_sha256 = EXCLUDED.body_sha256"
    "   THEN pages.extracted_at END,"
    " body_sha256 = EXCLUDED.body_sha256")


# ISA-L at level 3 writes zlib's format (any zlib reads it) for a third of the CPU of zlib's
# level 6, in bodies about 5% larger.
_LEVEL = 3


@dataclass(frozen=True)
class FetchedPage:
    url_id: int
    fetch_id: int
    result: FetchResult


def save_pages(conn: Connection, pages: Sequence[FetchedPage]) -> None:
    """Keep the bodies (one statement for all, each URL once); an unchanged body keeps its
    extraction, a changed one is re-read.

    The compressed bodies travel as one bytea, cut by offset in the statement: psycopg
    dumps a list of bytes element by element in Python (46 us a page, more than the rest
    of the statement), one bytes value at C speed."""
    if not pages:
        return
    bodies = [(p.result.text or "").encode("utf-8") for p in pages]
    packed = [isal_zlib.compress(b, _LEVEL) for b in bodies]
    starts = list(accumulate((len(z) for z in packed[:-1]), initial=1))
    results = [p.result for p in pages]
    conn.execute(_SAVE_PAGES, {
        "ids": [p.url_id for p in pages], "fids": [p.fetch_id for p in pages],
        "finals": [r.final_url for r in results], "statuses": [r.status for r in results],
        "ctypes": [r.headers.get("content-type") for r in results],
        "encs": [r.encoding for r in results],
        "bodies": b"".join(packed), "body_at": starts, "body_len": [len(z) for z in packed],
        "shas": [hashlib.sha256(b).hexdigest() for b in bodies],
        "etags": [r.headers.get("etag") for r in results],
        "lms": [r.headers.get("last-modified") for r in results],
        "bads": [r.decode_errors for r in results]})


# Read through the driver (psycopg 3, whatever the URL: scrapers.db), on the same connection
# and transaction, for binary results: as text each body would be sent and parsed as hex
# twice its size, half the cost of the read. SQLAlchemy cannot ask for them. Never prepared:
# a prepared statement soon runs a generic plan, which cannot know where :after is among the
# source's urls and was seen to read all of them, and sort them, for each batch.
_TO_EXTRACT = (
    "SELECT p.url_id, u.url, p.final_url, p.body_z, p.fetched_at, u.published_hint,"
    " p.decode_errors"
    " FROM pages p JOIN urls u ON u.id = p.url_id"
    " WHERE u.source_id = %(sid)s AND p.url_id > %(after)s AND u.id > %(after)s"
    " AND p.status BETWEEN 200 AND 299 AND (%(force)s OR p.extracted_at IS NULL"
    " OR p.extractor_version IS DISTINCT FROM %(version)s)"
    " ORDER BY p.url_id LIMIT %(n)s FOR UPDATE OF p SKIP LOCKED")


# The tables pages_to_extract is planned on (scrapers.store.stats.analyze_grown).
EXTRACT_PLAN_TABLES = ("pages", "urls")


def pages_to_extract(conn: Connection, source: int, *, version: str, after: int, limit: int,
                     force: bool = False) -> list[StoredPage]:
    """The next ``limit`` pages after ``after`` that ``version`` has not extracted (all with
    ``force``), locked for this transaction so that parallel extractors skip them."""
    with driver_cursor(conn, _TO_EXTRACT, binary=True) as cur:
        rows = cur.execute(_TO_EXTRACT, {"sid": source, "after": after, "force": force,
                                         "version": version, "n": limit},
                           prepare=False).fetchall()
    return [StoredPage(url_id, url, final_url or url, body_z, fetched_at, hint, bad)
            for url_id, url, final_url, body_z, fetched_at, hint, bad in rows]


def mark_read(conn: Connection, errors: Mapping[int, str | None], *, version: str) -> None:
    """Pages done by this version, in one statement for a batch: ``errors`` maps each
    url_id to the reason it gave no article (retrying fails the same way until the
    version changes), or to None when its article was stored."""
    conn.execute(text(
        "UPDATE pages p SET extracted_at = now(), extractor_version = :version,"
        " extract_error = d.error"
        " FROM unnest(CAST(:ids AS bigint[]), CAST(:errors AS text[])) AS d(url_id, error)"
        " WHERE p.url_id = d.url_id AND p.url_id = ANY(CAST(:ids AS bigint[]))"),
        {"version": version, "ids": list(errors), "errors": list(errors.values())})
