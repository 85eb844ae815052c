"""The ``provnews`` command line: the same steps the DAGs run, by hand."""

from __future__ import annotations

import argparse
import logging
import sys

from scrapers.errors import ProvnewsError
from scrapers.settings import get_settings


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


def cmd_settings(args: argparse.Namespace) -> int:
    from scrapers.db import mask_url

    settings = get_settings()
    for name, field in type(settings).model_fields.items():
        value = getattr(settings, name)
        if name == "db_url" and value:
            value = mask_url(value)
        print(f"NEWS_{name.upper():<32} {value!s:<40} {field.description or ''}")
    return 0


def cmd_sites_list(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from scrapers.registry import load_sites
    from scrapers.store.probes import probe_overview

    sites = load_sites()
    try:
        probed = probe_overview(_engine())
    except (SQLAlchemyError, ProvnewsError) as exc:
        probed = {}
        print(f"(probes not shown: the warehouse is not readable or not migrated, see "
              f"`provnews db migrate`: {type(exc).__name__})",
              file=sys.stderr)
    print(f"{'site':<16} {'province':<12} {'base url':<30} {'endpoints':<11} "
          f"{'last probe':<30} schedule")
    for site in sites.values():
        p = probed.get(site.slug)
        if site.endpoints:
            known = f"{len(site.endpoints)} hand"
        else:
            known = f"{p.endpoints} probed" if p else "to probe"
        last = f"{p.probed_at:%Y-%m-%d %H:%M} {p.outcome}" if p else (
            "never" if site.needs_probe else "- (hand-written)")
        state = "" if site.enabled else " (disabled)"
        print(f"{site.slug:<16} {site.province or '-':<12} {site.base_url:<30} {known:<11} "
              f"{last:<30} {site.schedule}{state}")
    return 0


def cmd_sites_probe(args: argparse.Namespace) -> int:
    from urllib.parse import urlsplit

    from scrapers.probe import Outcome
    from scrapers.probe.draft import draft_yaml
    from scrapers.steps.probe import probe_url

    parts = urlsplit(args.url if "://" in args.url else f"https://{args.url}")
    if not parts.hostname:
        raise ProvnewsError(f"not a base URL: {args.url}")
    report = probe_url(f"{parts.scheme}://{parts.netloc}", settings=get_settings(),
                       mirror=args.base_url)
    print(report.summary(), file=sys.stderr if report.outcome is Outcome.FOUND else sys.stdout)
    if report.outcome is not Outcome.FOUND or report.identity is None:
        return 1
    identity = report.identity
    path = get_settings().sites_dir / f"{identity.slug}.yaml"
    if args.write and path.exists():
        identity = _registered_identity(path, identity)
    draft = draft_yaml(report, identity)
    print(draft, end="")
    if args.write:
        from scrapers.registry import load_site

        path.write_text(draft, encoding="utf-8")
        load_site(path)
        print(f"wrote {path}", file=sys.stderr)
    return 0


def _registered_identity(path, probed):
    """The slug, name and province of a minimal site file, which its draft keeps; a file
    with hand-written rules is never overwritten."""
    import yaml

    from scrapers.probe import Identity

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    extra = sorted(set(data) - {"slug", "name", "base_url", "province"})
    if extra:
        raise ProvnewsError(f"{path} has hand-written keys ({', '.join(extra)}): not "
                            "overwritten; edit it by hand")
    return Identity(data.get("slug", probed.slug), data.get("name", probed.name),
                    data.get("province", probed.province))


def cmd_sites_sync(args: argparse.Namespace) -> int:
    from scrapers.registry import load_sites
    from scrapers.store.sources import sync_sources

    counts = sync_sources(_engine(), load_sites())
    print("sites sync: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def cmd_sites_learn(args: argparse.Namespace) -> int:
    from scrapers.registry import get_site
    from scrapers.steps.learn import LearnOutcome, learn_step
    from scrapers.templates.review import review_yaml

    site = get_site(args.site)
    result = learn_step(_engine(), site, settings=get_settings(), min_pages=args.min_pages)
    if result.template is None:
        raise ProvnewsError(f"{site.slug}: no template learned ({result.outcome}) from "
                            f"{result.pages} stored page(s)")
    state = ("stored as the active version" if result.outcome is LearnOutcome.LEARNED
             else "the active version already extracts the same; nothing stored")
    print(f"# {state}")
    print(review_yaml(result.template, site.slug), end="")
    return 0


def _site_and_window(args: argparse.Namespace):
    from scrapers.pipeline import days_window
    from scrapers.registry import get_site

    window = days_window(args.since, args.until, lookback_hours=get_settings().lookback_hours)
    return get_site(args.site), window


def _print_counts(what: str, counts) -> None:
    print(f"{what}: " + ", ".join(f"{k} {v}" for k, v in counts.to_json().items()))


def cmd_discover(args: argparse.Namespace) -> int:
    from scrapers.steps.discover import discover_step
    from scrapers.steps.probe import probe_step

    site, window = _site_and_window(args)
    engine, settings = _engine(), get_settings()
    site = probe_step(engine, site, settings=settings, base_url=args.base_url)
    counts = discover_step(engine, site, window.discover_start, window.end,
                           settings=settings, base_url=args.base_url)
    _print_counts(f"{site.slug} discover", counts)
    return 0


def cmd_fetch(args: argparse.Namespace) -> int:
    from scrapers.registry import get_site
    from scrapers.steps.fetch import fetch_step
    from scrapers.steps.probe import probed_site

    engine = _engine()
    site = probed_site(engine, get_site(args.site))
    counts = fetch_step(engine, site, settings=get_settings(), limit=args.limit,
                        base_url=args.base_url, refetch=args.refetch)
    _print_counts(f"{site.slug} fetch", counts)
    return 0


def cmd_dedupe(args: argparse.Namespace) -> int:
    from scrapers.registry import get_site
    from scrapers.runtime import freeze_imports
    from scrapers.steps.dedupe import dedupe_step

    freeze_imports()
    counts = dedupe_step(_engine(), get_site(args.site) if args.site else None,
                         settings=get_settings())
    _print_counts("dedupe", counts)
    return 0


def _read_page(path: str) -> str:
    """A saved page as text: UTF-8, or whatever charset_normalizer makes of other bytes."""
    from pathlib import Path

    if path == "-":
        data = sys.stdin.buffer.read()
    elif Path(path).is_file():
        data = Path(path).read_bytes()
    else:
        raise ProvnewsError(f"no such file: {path}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        return str(best) if best is not None else data.decode("utf-8", errors="replace")


def cmd_extract(args: argparse.Namespace) -> int:
    from urllib.parse import urlsplit

    from scrapers.extract import extract_article
    from scrapers.registry import get_site, load_sites, site_for_host

    site = (get_site(args.site) if args.site
            else site_for_host(urlsplit(args.url).hostname or "", load_sites()))
    try:
        article = extract_article(_read_page(args.file), args.url, site)
    except ValueError as exc:
        raise ProvnewsError(f"{args.file}: {exc}") from None
    print(article.to_json(indent=2))
    return 0


def cmd_reextract(args: argparse.Namespace) -> int:
    from scrapers.registry import get_site
    from scrapers.runtime import freeze_imports
    from scrapers.steps.extract import extract_step

    freeze_imports()
    site = get_site(args.site)
    counts = extract_step(_engine(), site, settings=get_settings(), limit=args.limit,
                          force=True)
    _print_counts(f"{site.slug} reextract", counts)
    return 0


def cmd_indicators_load(args: argparse.Namespace) -> int:
    from scrapers.steps.indicators import indicators_step

    counts = indicators_step(_engine(), settings=get_settings(), limit=args.limit,
                             force=args.all)
    _print_counts("indicators load", counts)
    return 0


def cmd_crawl(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from scrapers.pipeline import RunOptions, crawl, format_summary
    from scrapers.runtime import freeze_imports

    freeze_imports()
    site, window = _site_and_window(args)
    with tqdm(desc=f"fetch {site.slug}", unit="url", disable=not sys.stderr.isatty()) as bar:
        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        summary = crawl(_engine(), site, window, settings=get_settings(),
                        options=RunOptions(base_url=args.base_url, refetch=args.refetch),
                        on_batch=progress)
    print(format_summary(site, window, summary))
    return 0


def _add_interval_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("site", help="site slug (see `provnews sites`)")
    p.add_argument("--since", required=True, help="first day, YYYY-MM-DD (Asia/Ho_Chi_Minh)")
    p.add_argument("--until", required=True, help="last day, inclusive, YYYY-MM-DD")
    p.add_argument("--base-url", help="send the site's requests to this mirror (e.g. the replica)")


def cmd_replica_serve(args: argparse.Namespace) -> int:
    from replica.__main__ import run_serve

    return run_serve(args)


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

    sub.add_parser("settings", help="every setting: variable, current value, meaning"
                   ).set_defaults(func=cmd_settings)
    sites = sub.add_parser("sites", help="list the site registry; `sites sync` loads it")
    sites.set_defaults(func=cmd_sites_list)
    sites_sub = sites.add_subparsers(dest="sites_command", metavar="ACTION")
    sites_sub.add_parser("sync", help="upsert include/sites/*.yaml into sources"
                         ).set_defaults(func=cmd_sites_sync)
    learn = sites_sub.add_parser(
        "learn", help="learn a site's template from its stored pages; print it as YAML")
    learn.add_argument("site", help="site slug")
    learn.add_argument("--min-pages", type=int, metavar="N",
                       help="stored pages needed at least (default NEWS_TEMPLATE_MIN_PAGES)")
    learn.set_defaults(func=cmd_sites_learn)
    probe = sites_sub.add_parser(
        "probe", help="find a site's feeds, sitemaps, listings and article URLs from its "
        "base URL; print a site file draft")
    probe.add_argument("url", metavar="URL", help="the site's base URL, e.g. https://baonghean.vn")
    probe.add_argument("--write", action="store_true",
                       help="save the draft as include/sites/<slug>.yaml")
    probe.add_argument("--base-url", help="send the probe's requests to this mirror")
    probe.set_defaults(func=cmd_sites_probe)
    disc = sub.add_parser("discover", help="queue a site's article URLs for an interval")
    _add_interval_args(disc)
    disc.set_defaults(func=cmd_discover)

    fetch = sub.add_parser("fetch", help="fetch queued URLs into pages")
    fetch.add_argument("site")
    fetch.add_argument("--limit", type=int, help="at most this many URLs")
    fetch.add_argument("--base-url", help="send the site's requests to this mirror")
    fetch.add_argument("--refetch", action="store_true",
                       help="also re-ask fetched URLs (conditional GET)")
    fetch.set_defaults(func=cmd_fetch)

    dedupe = sub.add_parser("dedupe", help="cluster new articles (exact, near, title)")
    dedupe.add_argument("site", nargs="?", help="only this site's new articles")
    dedupe.set_defaults(func=cmd_dedupe)

    extract = sub.add_parser("extract", help="extract one saved page and print it as JSON")
    extract.add_argument("file", metavar="FILE", help="an HTML file, or - for standard input")
    extract.add_argument("--url", required=True, help="the page's URL (real host)")
    extract.add_argument("--site", help="site slug; default: found from the URL's host, "
                         "else the generic fallback")
    extract.set_defaults(func=cmd_extract)

    reextract = sub.add_parser("reextract", help="extract a site's stored pages again")
    reextract.add_argument("site")
    reextract.add_argument("--limit", type=int, help="at most this many pages")
    reextract.set_defaults(func=cmd_reextract)

    crawl = sub.add_parser("crawl", help="run every stage for a site and interval, as its DAG does")
    _add_interval_args(crawl)
    crawl.add_argument("--refetch", action="store_true",
                       help="fetch the interval's known URLs again (conditional GET)")
    crawl.set_defaults(func=cmd_crawl)

    from scrapers.indicators.command import add_commands as add_indicator_commands

    indicators = sub.add_parser("indicators", help="figures reported in article text")
    indicators_sub = indicators.add_subparsers(
        dest="indicators_command", metavar="ACTION", required=True)
    add_indicator_commands(indicators_sub)
    iload = indicators_sub.add_parser(
        "load", help="mine new or changed articles into the indicators table")
    iload.add_argument("--all", action="store_true",
                       help="read every article again, not only new or changed ones")
    iload.add_argument("--limit", type=int, help="read at most N articles")
    iload.set_defaults(func=cmd_indicators_load)

    replica = sub.add_parser("replica", help="local replica sites for tests and demos")
    replica_sub = replica.add_subparsers(dest="replica_command", metavar="ACTION", required=True)
    rserve = replica_sub.add_parser(
        "serve", help="serve a replica site at the root of PORT until Ctrl-C")
    from replica.__main__ import add_serve_args

    add_serve_args(rserve)
    rserve.set_defaults(func=cmd_replica_serve)
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
