"""The ``provnews`` command line: the same steps the DAGs run, by hand."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable

from scrapers.errors import ProvnewsError
from scrapers.settings import get_settings

Handler = Callable[[argparse.Namespace], int]


def _engine():
    from scrapers.db import get_engine

    return get_engine()


def cmd_db_migrate(args: argparse.Namespace) -> int:
    from scrapers.migrate import migrate
    from scrapers.provinces import load_provinces

    settings = get_settings()
    engine = _engine()
    applied = migrate(engine, settings.sql_dir)
    if applied:
        print(f"applied {len(applied)} migration(s): {', '.join(applied)}")
    else:
        print("database is up to date: nothing to apply")
    n = load_provinces(engine, settings.provinces_csv)
    print(f"provinces: {n} rows loaded")
    return 0


def cmd_db_url(args: argparse.Namespace) -> int:
    from scrapers.db import mask_url, resolve_db_url

    url = resolve_db_url()
    print(url if args.show_password else mask_url(url))
    return 0


def cmd_db_stop(args: argparse.Namespace) -> int:
    from scrapers.db import stop_embedded

    print(stop_embedded(get_settings().data_dir / "pg"))
    return 0


def cmd_sites_list(args: argparse.Namespace) -> int:
    from scrapers.registry import load_sites

    for site in load_sites().values():
        province = site.province or "-"
        state = "enabled" if site.enabled else "disabled"
        print(f"{site.slug:<16} {site.base_url:<32} {province:<14} {site.schedule:<7} {state}")
    return 0


def cmd_sites_sync(args: argparse.Namespace) -> int:
    from scrapers.registry import load_sites, sync_sites

    counts = sync_sites(_engine(), load_sites())
    print("sites sync: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="provnews", description="Harvest Vietnamese provincial news into Postgres.")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    db = sub.add_parser("db", help="warehouse database: migrate, url, stop")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_sub.add_parser("migrate", help="apply pending sql/ migrations and load provinces"
                      ).set_defaults(func=cmd_db_migrate)
    url = db_sub.add_parser("url", help="print the warehouse URL (password masked)")
    url.add_argument("--show-password", action="store_true")
    url.set_defaults(func=cmd_db_url)
    db_sub.add_parser("stop", help="stop the embedded PostgreSQL").set_defaults(func=cmd_db_stop)

    sites = sub.add_parser("sites", help="list the site registry; `sites sync` loads it")
    sites.set_defaults(func=cmd_sites_list)
    sites_sub = sites.add_subparsers(dest="sites_command", metavar="ACTION")
    sites_sub.add_parser("sync", help="upsert include/sites/*.yaml into sources"
                         ).set_defaults(func=cmd_sites_sync)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    try:
        return args.func(args)
    except ProvnewsError as exc:
        print(f"provnews: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
