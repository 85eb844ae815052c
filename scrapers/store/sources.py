"""``sources``: one row per site of the registry."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text

from scrapers.errors import ProvnewsError

if TYPE_CHECKING:
    from scrapers.registry import Site


@dataclass(frozen=True)
class Source:
    id: int
    province_code: str | None


def get_source(db: Engine | Connection, slug: str) -> Source:
    """The site's row; a clear error when the registry was never synced."""
    sql = text("SELECT id, province_code FROM sources WHERE slug = :s")
    if isinstance(db, Engine):
        with db.connect() as conn:
            row = conn.execute(sql, {"s": slug}).first()
    else:
        row = db.execute(sql, {"s": slug}).first()
    if row is None:
        raise ProvnewsError(f"site '{slug}' is not in the sources table; run `provnews sites sync`")
    return Source(row.id, row.province_code)


def source_id(db: Engine | Connection, slug: str) -> int:
    return get_source(db, slug).id


_UPSERT = text(
    "INSERT INTO sources (slug, name, base_url, province_code, kind, cms, enabled,"
    " min_delay_s, config, config_sha256)"
    " VALUES (:slug, :name, :base_url, :province, :kind, :cms, :enabled, :delay,"
    " CAST(:cfg AS jsonb), :sha)"
    " ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name,"
    " base_url = EXCLUDED.base_url, province_code = EXCLUDED.province_code,"
    " kind = EXCLUDED.kind, cms = EXCLUDED.cms, enabled = EXCLUDED.enabled,"
    " min_delay_s = EXCLUDED.min_delay_s, config = EXCLUDED.config,"
    " config_sha256 = EXCLUDED.config_sha256, updated_at = now()"
    " WHERE sources.config_sha256 IS DISTINCT FROM EXCLUDED.config_sha256"
    " RETURNING (xmax = 0) AS inserted")


def sync_sources(engine: Engine, sites: dict[str, Site]) -> dict[str, int]:
    """Upsert the registry into ``sources``; report inserted / updated / unchanged."""
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    with engine.begin() as conn:
        known = set(conn.execute(text("SELECT code FROM provinces")).scalars())
        for site in sites.values():
            if site.province is not None and site.province not in known:
                raise ProvnewsError(f"{site.slug}.yaml: field 'province': unknown province code "
                                    f"'{site.province}' (see include/provinces.csv)")
            cfg = site.config_json()
            row = conn.execute(_UPSERT, {
                "slug": site.slug, "name": site.name, "base_url": site.base_url,
                "province": site.province, "kind": site.kind, "cms": site.cms,
                "enabled": site.enabled, "delay": site.min_delay, "cfg": cfg,
                "sha": hashlib.sha256(cfg.encode()).hexdigest()}).first()
            if row is None:
                counts["unchanged"] += 1
            else:
                counts["inserted" if row.inserted else "updated"] += 1
    return counts
