"""``python -m replica serve [--site SLUG | --all] [--port N]``: the replica sites on 127.0.0.1."""

from __future__ import annotations

import argparse
import sys

from replica.server import DEFAULT_CRAWL_DELAY, serve


def add_serve_args(p: argparse.ArgumentParser) -> None:
    """The options of ``serve``, shared with ``provnews replica serve``."""
    p.add_argument("--port", type=int, default=8765, help="0 = ephemeral (default 8765)")
    p.add_argument("--site", default="baothanhhoa", help="site slug (default baothanhhoa)")
    p.add_argument("--all", action="store_true",
                   help="serve every replica site, on PORT, PORT+1, ... in slug order")
    p.add_argument("--crawl-delay", type=float, default=DEFAULT_CRAWL_DELAY,
                   help=f"Crawl-delay announced in robots.txt, seconds "
                   f"(default {DEFAULT_CRAWL_DELAY})")
    p.add_argument("--host", default="127.0.0.1")


def run_serve(args: argparse.Namespace) -> int:
    return serve(None if args.all else args.site, host=args.host, port=args.port,
                 crawl_delay=args.crawl_delay)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m replica",
                                     description="Replica news sites for tests and demos.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    add_serve_args(sub.add_parser("serve", help="serve replica sites until Ctrl-C"))
    args = parser.parse_args(argv)
    from scrapers.errors import ProvnewsError

    try:
        return run_serve(args)
    except ProvnewsError as exc:
        print(f"replica: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
