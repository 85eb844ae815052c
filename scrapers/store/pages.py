"""``pages``: the latest raw body of each fetched URL, compressed, so extraction can be
re-run without a crawl; and which pages the current extractor has not read yet."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text

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
        return zlib.decompress(self.body_z).decode("utf-8")


def save_page(conn: Connection, url_id: int, fetch_id: int, result: FetchResult) -> None:
    """Keep the body; an unchanged body keeps its extraction, a changed one is re-read."""
    body = (result.text or "").encode("utf-8")
    conn.execute(text(
        "INSERT INTO pages (url_id, fetch_id, final_url, status, content_type, encoding,"
        " body_z, body_sha256, etag, last_modified, fetched_at, decode_errors)"
        " VALUES (:id, :fid, :final, :status, :ctype, :enc, :body, :sha, :etag, :lm, now(),"
        " :bad)"
        " ON CONFLICT (url_id) DO UPDATE SET fetch_id = EXCLUDED.fetch_id,"
        " final_url = EXCLUDED.final_url, status = EXCLUDED.status,"
        " content_type = EXCLUDED.content_type, encoding = EXCLUDED.encoding,"
        " body_z = EXCLUDED.body_z, etag = EXCLUDED.etag,"
        " last_modified = EXCLUDED.last_modified, fetched_at = now(),"
        " decode_errors = EXCLUDED.decode_errors,"
        " extracted_at = CASE WHEN pages.body_sha256 = EXCLUDED.body_sha256"
        "   THEN pages.extracted_at END,"
        " body_sha256 = EXCLUDED.body_sha256"),
        {"id": url_id, "fid": fetch_id, "final": result.final_url, "status": result.status,
         "ctype": result.headers.get("content-type"), "enc": result.encoding,
         "body": zlib.compress(body, 6), "sha": hashlib.sha256(body).hexdigest(),
         "etag": result.headers.get("etag"), "lm": result.headers.get("last-modified"),
         "bad": result.decode_errors})


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
    with conn.connection.driver_connection.cursor(binary=True) as cur:
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
