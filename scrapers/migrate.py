"""Apply the numbered SQL files in sql/, each in one transaction, recorded with a checksum."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text

from scrapers.errors import ProvnewsError

MIGRATION_NAME = re.compile(r"^\d{3}_[a-z0-9_]+\.sql$")
LOCK_KEY = 0x70726F76  # advisory lock: one migrator at a time


@dataclass(frozen=True)
class Migration:
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def read_migrations(sql_dir: Path) -> list[Migration]:
    files = sorted(p for p in sql_dir.glob("*.sql") if MIGRATION_NAME.match(p.name))
    return [Migration(p.name, p.read_text(encoding="utf-8")) for p in files]


def migrate(engine: Engine, sql_dir: Path) -> list[str]:
    """Apply pending migrations; return their names. Refuse if an applied file was edited."""
    migrations = read_migrations(sql_dir)
    applied_now: list[str] = []
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": LOCK_KEY})
        try:
            conn.execute(text(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " filename text PRIMARY KEY, checksum text NOT NULL,"
                " applied_at timestamptz NOT NULL DEFAULT now())"))
            conn.commit()
            applied = dict(conn.execute(
                text("SELECT filename, checksum FROM schema_migrations")).all())
            for m in migrations:
                if m.name in applied:
                    if applied[m.name] != m.checksum:
                        raise ProvnewsError(
                            f"migration {m.name} was edited after it was applied "
                            f"(checksum {applied[m.name][:12]} in the database, "
                            f"{m.checksum[:12]} on disk); add a new migration instead")
                    continue
                _apply(conn, m)
                applied_now.append(m.name)
        finally:
            conn.rollback()
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
            conn.commit()
    return applied_now


def _apply(conn, m: Migration) -> None:
    # The raw DB-API cursor runs a multi-statement file in one call (no bind parameters).
    dbapi = conn.connection.dbapi_connection
    try:
        with dbapi.cursor() as cur:
            cur.execute(m.sql)
            cur.execute("INSERT INTO schema_migrations (filename, checksum) VALUES (%s, %s)",
                        (m.name, m.checksum))
        dbapi.commit()
    except Exception as exc:
        dbapi.rollback()
        raise ProvnewsError(f"migration {m.name} failed and was rolled back: {exc}") from exc
