"""The command line: thin over the library. Every bad input ends in one line on stderr."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsgraph import __version__, defaults
from newsgraph.errors import NewsgraphError


def _cmd_analyze(args: argparse.Namespace) -> int:
    from newsgraph.analysis import analyze
    from newsgraph.dates import check_date
    from newsgraph.sources.urls import is_url

    published = check_date(args.published)
    article = args.path if args.path == "-" or is_url(args.path) else Path(args.path)
    doc = analyze(
        article, published=published, source=args.source, url=args.url, geo=args.geo, allow_private=args.allow_private
    )
    if args.summary:
        from newsgraph.summary import summarize

        print(summarize(doc))
        return 0
    out = doc.to_json()
    print(json.dumps(out, ensure_ascii=False, indent=2 if args.pretty else None))
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    from newsgraph.evaluate import evaluate_files, evaluate_sets, format_report, format_sets

    if any(Path(g).is_dir() for g in args.gold):  # folders are sets, scored side by side (dev, test)
        sets = evaluate_sets(args.gold)
        print(json.dumps(sets, indent=2) if args.json else format_sets(sets))
        return 0
    report = evaluate_files(args.gold)
    print(json.dumps(report, indent=2) if args.json else format_report(report))
    return 0


def _cmd_ingest(args: argparse.Namespace) -> int:
    from newsgraph.ingest import ingest

    report = ingest(
        args.inputs,
        args.db,
        batch_size=args.batch_size,
        geo=args.geo,
        timeout=args.timeout,
        max_page_bytes=args.max_page_bytes,
        allow_private=args.allow_private,
        article_timeout=args.article_timeout or None,
        workers=args.workers,
        plugins=tuple(args.plugin),
        published=args.published,
        source=args.source,
    )
    for failure in report.failed:
        print(f"newsgraph: failed: {failure}", file=sys.stderr)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(report.summary())
    return 1 if report.failed else 0


def _cmd_batch(args: argparse.Namespace) -> int:
    from newsgraph.batch import Options, Reading, run_batch

    report = run_batch(
        args.inputs,
        args.out,
        engine=args.engine,
        workers=args.workers,
        options=Options(
            geo=args.geo,
            batch_size=args.batch_size,
            article_timeout=args.article_timeout or None,
            plugins=tuple(args.plugin),
        ),
        reading=Reading(timeout=args.timeout, max_bytes=args.max_page_bytes, allow_private=args.allow_private),
        shard_size=args.shard_size,
        address=args.address,
    )
    for name, problem in report.failed:
        print(f"newsgraph: failed: {name}: {problem}", file=sys.stderr)
    for name, problem in report.task_errors:
        print(f"newsgraph: shard left undone: {name}: {problem}", file=sys.stderr)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(report.summary())
    return 1 if report.failed or report.task_errors else 0


def _cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from newsgraph.web.app import create_app

    app = create_app(args.db, host=args.host, allowed_hosts=args.allow_host)
    print(f"newsgraph: serving {args.db} on http://{args.host}:{args.port}/ (API docs at /docs)", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from newsgraph.export import export
    from newsgraph.store.queries import DocumentFilter

    f = DocumentFilter(
        q=args.q,
        source=args.source,
        since=args.since,
        until=args.until,
        entity=args.entity,
        event_type=args.event_type,
        language=args.language,
        country=args.country,
        story=args.story,
    )
    report = export(args.db, args.format, args.out, f, **({"header": True} if args.header else {}))
    print(f"newsgraph: {report.summary()}", file=sys.stderr)
    return 0


def _cmd_query(args: argparse.Namespace) -> int:
    from newsgraph.store.sql import run_query

    run_query(args.db, args.sql, args.params, fmt=args.format, out=sys.stdout)
    return 0


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {value}")
    return n


def _port(value: str) -> int:
    n = _positive(value)
    if n > 65535:
        raise argparse.ArgumentTypeError(f"not a TCP port (1 to 65535): {value}")
    return n


ALLOW_PRIVATE_HELP = "let URLs, feed items and redirects reach loopback and private addresses (refused by default)"


def _add_store_parsers(sub: Any) -> None:
    """The store's verbs: ingest, serve, export (the database: --db, else $NEWSGRAPH_DB, else ./newsgraph.db)."""
    from newsgraph.export import FORMATS

    db_help = "the store (default: $NEWSGRAPH_DB, else ./newsgraph.db)"
    i = sub.add_parser(
        "ingest",
        help="analyse files, folders, JSONL, WARC, RSS/Atom feeds and URLs into the store",
        description="Analyse articles into the store. Re-ingesting an article changes nothing; bad inputs"
        " are reported one line each at the end (exit status 1), the rest is stored.",
    )
    i.add_argument(
        "inputs", nargs="+", metavar="PATH|URL", help="files, folders (recursive), .jsonl, .warc[.gz], feeds, URLs"
    )
    i.add_argument("--db", default=defaults.db_path(), help=db_help)
    i.add_argument("--published", help="publication date, YYYY-MM-DD, of the plain-text articles that carry none")
    i.add_argument("--source", help="the outlet's name, for the plain-text articles that carry none")
    _add_analysis_options(i)
    i.set_defaults(func=_cmd_ingest)

    s = sub.add_parser("serve", help="the JSON API (and web pages) over the store, read-only")
    s.add_argument("--db", default=defaults.db_path(), help=db_help)
    s.add_argument(
        "--host", default=defaults.HOST, help=f"address to listen on (default {defaults.HOST}: this machine only)"
    )
    s.add_argument("--port", type=_port, default=defaults.PORT, help=f"port (default {defaults.PORT})")
    s.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also answer requests naming this host (a proxy's or this machine's DNS name; repeatable; '*': any)."
        " By default only the --host address, and the loopback names when it is loopback: a guard against"
        " DNS rebinding",
    )
    s.set_defaults(func=_cmd_serve)

    x = sub.add_parser("export", help="documents, entities, quotes, events ... out of the store")
    x.add_argument(
        "--format",
        required=True,
        choices=tuple(FORMATS),
        help="; ".join(f"{f.name}: {f.help}" for f in FORMATS.values()),
    )
    x.add_argument("--db", default=defaults.db_path(), help=db_help)
    x.add_argument(
        "--out", help="a folder for csv, parquet and gdelt (one file per table); a file for jsonl (default stdout)"
    )
    x.add_argument("--source", help="only this outlet")
    x.add_argument("--since", help="published on or after YYYY-MM-DD")
    x.add_argument("--until", help="published on or before YYYY-MM-DD")
    x.add_argument("--q", help='full-text search: words and "phrases", all must occur')
    x.add_argument("--entity", help="only documents naming this entity (canonical name or KB alias, any case)")
    x.add_argument("--event-type", help="only documents with an event of this PLOVER type")
    x.add_argument("--language", help="only documents in this language (ISO 639-1: en, fr ...)")
    x.add_argument("--country", help="only documents naming a place in this country (ISO 3166-1 alpha-2: IQ)")
    x.add_argument("--story", help="only the documents of this story (its id: a document and its near-duplicates)")
    x.add_argument(
        "--header", action="store_true", help="gdelt: the column names on each table's first line (GDELT's have none)"
    )
    x.set_defaults(func=_cmd_export)

    sq = sub.add_parser(
        "query",
        help="run one read-only SQL query on the store, rows out as JSON, JSON Lines or CSV",
        description="Run one SQL statement on the store, read-only (the database is opened with mode=ro: nothing"
        " can be changed), and print the rows. docs/store.md has the tables.",
    )
    sq.add_argument("sql", help='the query, e.g. "SELECT source, count(*) FROM documents GROUP BY 1"')
    sq.add_argument("params", nargs="*", metavar="PARAM", help="values for the query's ? placeholders, in order")
    sq.add_argument("--db", default=defaults.db_path(), help=db_help)
    form = sq.add_mutually_exclusive_group()
    form.add_argument("--json", dest="format", action="store_const", const="json", help="a JSON array (default)")
    form.add_argument("--nl", dest="format", action="store_const", const="nl", help="JSON Lines: one object a line")
    form.add_argument("--csv", dest="format", action="store_const", const="csv", help="CSV with a header row")
    sq.set_defaults(func=_cmd_query, format="json")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsgraph", description="Turn news articles into structured knowledge.")
    parser.add_argument("--version", action="version", version=f"newsgraph {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("analyze", help="analyse one article (plain text or HTML, a file, a URL, or '-' for stdin)")
    p.add_argument("path", metavar="PATH|URL|-")
    p.add_argument("--published", help="publication date, YYYY-MM-DD (HTML: read from the page if not given)")
    p.add_argument("--source", help="the outlet's name")
    p.add_argument("--url", help="the article's URL")
    p.add_argument(
        "--no-geo", dest="geo", action="store_false", help="leave places out (no gazetteer lookups or build)"
    )
    p.add_argument("--allow-private", action="store_true", help=ALLOW_PRIVATE_HELP)
    out = p.add_mutually_exclusive_group()
    out.add_argument("--pretty", action="store_true", help="indented JSON for people")
    out.add_argument("--summary", action="store_true", help="a short human summary instead of JSON")
    p.set_defaults(func=_cmd_analyze)

    e = sub.add_parser("eval", help="score the pipeline against gold files (format of the seed's gold.json)")
    e.add_argument(
        "gold", nargs="+", metavar="GOLD", help="gold files, or folders of them (each folder a set: dev, test)"
    )
    e.add_argument("--json", action="store_true", help="the scores as JSON")
    e.set_defaults(func=_cmd_eval)

    _add_store_parsers(sub)
    _add_batch_parser(sub)
    return parser


def _add_analysis_options(p: argparse.ArgumentParser) -> None:
    """What ingest and batch share: places on or off, parse batch size, time limits, fetching."""
    p.add_argument("--no-geo", dest="geo", action="store_false", help="leave places out (no gazetteer)")
    p.add_argument(
        "--batch-size",
        type=_positive,
        default=defaults.BATCH_SIZE,
        help=f"articles parsed together (default {defaults.BATCH_SIZE})",
    )
    p.add_argument(
        "--workers",
        type=_positive,
        default=defaults.WORKERS,
        help=f"processes analysing at once, one model each: up to one per core (default {defaults.WORKERS})",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=defaults.FETCH_TIMEOUT_S,
        help=f"seconds allowed for each HTTP fetch (default {defaults.FETCH_TIMEOUT_S:g})",
    )
    p.add_argument(
        "--max-page-bytes",
        type=_positive,
        default=defaults.FETCH_MAX_BYTES,
        help=f"largest page fetched (default {defaults.FETCH_MAX_BYTES // (1024 * 1024)} MiB)",
    )
    p.add_argument(
        "--article-timeout",
        type=float,
        default=defaults.ARTICLE_TIMEOUT_S,
        help=f"seconds one article's analysis may take before it is recorded as failed (default"
        f" {defaults.ARTICLE_TIMEOUT_S:g}; 0: no limit)",
    )
    p.add_argument("--allow-private", action="store_true", help=ALLOW_PRIVATE_HELP)
    p.add_argument(
        "--plugin",
        action="append",
        default=[],
        metavar="MODULE",
        help="import this module first, here and in every worker (one that registers layers of its own; repeatable)",
    )
    p.add_argument("--json", action="store_true", help="the summary as JSON on stdout")


def _add_batch_parser(sub: Any) -> None:
    b = sub.add_parser(
        "batch",
        help="analyse a large corpus into Parquet datasets (one per table, partitioned by month), on all cores or Ray",
        description="Analyse files, folders, JSONL, WARC, feeds and URLs into Parquet datasets under --out:"
        " documents/, entities/, mentions/, quotes/, quantities/, times/, places/, events/ (month=YYYY-MM"
        " partitions) and errors/. The inputs are cut into shards; a re-run with the same --out skips the"
        " shards already written. Bad inputs are listed at the end (exit status 1), the rest is written.",
    )
    b.add_argument(
        "inputs", nargs="+", metavar="PATH|URL", help="files, folders (recursive), .jsonl, .warc[.gz], feeds, URLs"
    )
    b.add_argument("--out", required=True, metavar="DIR", help="the output folder (created; re-runs resume in it)")
    b.add_argument(
        "--engine",
        choices=defaults.ENGINES,
        default="local",
        help="local: a pool of processes on this machine; ray: Ray Data actors (pip install 'newsgraph[ray]')",
    )
    b.add_argument(
        "--address", help="--engine ray: the cluster to join (ray://HOST:10001, or auto); default a local Ray"
    )
    b.add_argument(
        "--shard-size",
        type=_positive,
        default=defaults.SHARD_ARTICLES,
        help=f"articles per shard, the unit written and resumed (default {defaults.SHARD_ARTICLES})",
    )
    _add_analysis_options(b)
    b.set_defaults(func=_cmd_batch)


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
