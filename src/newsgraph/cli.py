"""The command line: thin over the library. Every bad input ends in one line on stderr."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from newsgraph import __version__
from newsgraph.errors import NewsgraphError


def _cmd_analyze(args: argparse.Namespace) -> int:
    from newsgraph.pipeline import analyze, check_date
    from newsgraph.sources.raw import read_input

    published = check_date(args.published)
    raw = read_input(args.path)
    raw.published, raw.source, raw.url = published, args.source, args.url
    doc = analyze(raw)
    if args.summary:
        from newsgraph.summary import summarize

        print(summarize(doc))
        return 0
    out = doc.to_json()
    print(json.dumps(out, ensure_ascii=False, indent=2 if args.pretty else None))
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    from newsgraph.evaluate import evaluate_files, format_report

    report = evaluate_files(args.gold)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(format_report(report))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsgraph", description="Turn news articles into structured knowledge.")
    parser.add_argument("--version", action="version", version=f"newsgraph {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("analyze", help="analyse one article (plain text or HTML; '-' reads stdin)")
    p.add_argument("path", metavar="PATH|-")
    p.add_argument("--published", help="publication date, YYYY-MM-DD (HTML: read from the page if not given)")
    p.add_argument("--source", help="the outlet's name")
    p.add_argument("--url", help="the article's URL")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--pretty", action="store_true", help="indented JSON for people")
    out.add_argument("--summary", action="store_true", help="a short human summary instead of JSON")
    p.set_defaults(func=_cmd_analyze)

    e = sub.add_parser("eval", help="score the pipeline against gold files (format of the seed's gold.json)")
    e.add_argument("gold", nargs="+", metavar="GOLD")
    e.add_argument("--json", action="store_true", help="the scores as JSON")
    e.set_defaults(func=_cmd_eval)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: Any = args.func(args)
        return int(code)
    except NewsgraphError as exc:
        print(f"newsgraph: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("newsgraph: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
