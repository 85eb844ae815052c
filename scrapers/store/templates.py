"""``site_templates``: a site's learned templates, versioned, at most one active; and the
stored pages a template is learned from.

Saving is idempotent: a template that would extract what the active one extracts (same
fingerprint) is not stored again, so learning twice from the same pages leaves one row.
"""

from __future__ import annotations

import json

from sqlalchemy import Connection, text

from scrapers.store.pages import StoredPage
from scrapers.templates.model import Template

_RECENT_PAGES = text(
    "SELECT p.url_id, u.url, p.final_url, p.body_z, p.fetched_at, u.published_hint"
    " FROM pages p JOIN urls u ON u.id = p.url_id"
    " WHERE u.source_id = :sid AND p.status BETWEEN 200 AND 299"
    " ORDER BY p.fetched_at DESC, p.url_id DESC LIMIT :n")
_ACTIVE = text(
    "SELECT version, learned_at, pages_used, selectors, boilerplate, fingerprint"
    " FROM site_templates WHERE source_id = :sid AND active")


def learning_pages(conn: Connection, source: int, *, limit: int) -> list[StoredPage]:
    """The site's ``limit`` most recently fetched pages that answered 2xx."""
    rows = conn.execute(_RECENT_PAGES, {"sid": source, "n": limit}).all()
    return [StoredPage(r.url_id, r.url, r.final_url or r.url, r.body_z, r.fetched_at,
                       r.published_hint) for r in rows]


def active_template(conn: Connection, source: int) -> Template | None:
    row = conn.execute(_ACTIVE, {"sid": source}).first()
    if row is None:
        return None
    return Template.from_json(row.selectors, row.boilerplate, pages_used=row.pages_used,
                              version=row.version, learned_at=row.learned_at)


def save_template(conn: Connection, source: int, template: Template) -> tuple[int, bool]:
    """Store ``template`` as the site's new active version, unless the active one extracts
    the same; return the active version and whether it is new."""
    fingerprint = template.fingerprint()
    conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('site_templates'), :sid)"),
                 {"sid": source})
    active = conn.execute(_ACTIVE, {"sid": source}).first()
    if active is not None and active.fingerprint == fingerprint:
        return active.version, False
    conn.execute(text("UPDATE site_templates SET active = false WHERE source_id = :sid"
                      " AND active"), {"sid": source})
    version = conn.execute(text(
        "INSERT INTO site_templates (source_id, version, pages_used, selectors, boilerplate,"
        " fingerprint, active)"
        " SELECT :sid, coalesce(max(version), 0) + 1, :pages, CAST(:sel AS jsonb),"
        " CAST(:bp AS jsonb), :fp, true FROM site_templates WHERE source_id = :sid"
        " RETURNING version"),
        {"sid": source, "pages": template.pages_used, "fp": fingerprint,
         "sel": json.dumps(template.selectors_json(), ensure_ascii=False),
         "bp": json.dumps(template.boilerplate_json(), ensure_ascii=False)}).scalar_one()
    return version, True
