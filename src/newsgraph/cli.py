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
        article,
        published=published,
        source=args.source,
        url=args.url,
        language=args.language,
        geo=args.geo,
        allow_private=args.allow_private,
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
        language=args.language,
        format=args.format,
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


def _cmd_datasette_metadata(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from newsgraph.store.datasette import metadata
    from newsgraph.store.db import connect_readonly

    conn = connect_readonly(args.db)
    try:
        data = metadata(conn, args.name or Path(args.db).stem)
    finally:
        conn.close()
    print(json.dumps(data, ensure_ascii=False, indent=2))
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
    from newsgraph.sources.formats import FORMATS as FORMATS_READ

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
    i.add_argument(
        "--source",
        help="the outlet's name, for the articles that carry none of their own (wins over a page's site name)",
    )
    i.add_argument(
        "--language",
        help="the ISO 639-1 code (en, fr) of the plain-text articles that carry none; taken as said, not detected",
    )
    i.add_argument(
        "--format",
        choices=FORMATS_READ,
        help="read every file and standard input as this, not by its name or first bytes: text or html (one"
        " article), jsonl (one article a line), json (an array of articles, or one)",
    )
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

    dm = sub.add_parser(
        "datasette-metadata",
        help="Datasette's metadata for the store (titles, facets, links, canned queries) on stdout",
        description="Print the metadata JSON that `datasette news.db -m metadata.json` reads: tables and columns"
        " described, text and JSON out of sight, facets, entity links and canned queries (docs/store.md).",
    )
    dm.add_argument("--db", default=defaults.db_path(), help=db_help)
    dm.add_argument("--name", help="the database's name in Datasette (default: the file's name without .db)")
    dm.set_defaults(func=_cmd_datasette_metadata)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsgraph", description="Turn news articles into structured knowledge.")
    parser.add_argument("--version", action="version", version=f"newsgraph {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("analyze", help="analyse one article (plain text or HTML, a file, a URL, or '-' for stdin)")
    p.add_argument("path", metavar="PATH|URL|-")
    p.add_argument("--published", help="publication date, YYYY-MM-DD (HTML: read from the page if not given)")
    p.add_argument("--source", help="the outlet's name")
    p.add_argument("--language", help="the article's ISO 639-1 code (en, fr): taken as said, not detected")
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
    _add_watch_parsers(sub)
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


# --- watch and alerts ---------------------------------------------------------------------------------------


def _notifier(args: argparse.Namespace) -> Any:
    from newsgraph.watch.notify import Notifier, parse_command

    command = parse_command(args.on_match) if args.on_match is not None else None
    return Notifier(matches=Path(args.matches) if args.matches else None, command=command)


def _cmd_watch(args: argparse.Namespace) -> int:
    import signal

    from newsgraph.watch.poll import WatchOptions, parse_every, watch

    options = WatchOptions(
        every=parse_every(args.every),
        once=args.once,
        robots=args.robots,
        host_delay=args.host_delay,
        allow_private=args.allow_private,
        timeout=args.timeout,
        max_page_bytes=args.max_page_bytes,
        geo=args.geo,
        article_timeout=args.article_timeout or None,
    )
    notifier = _notifier(args)

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt  # SIGTERM (systemd, docker stop) stops as Ctrl-C does: cleanly

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        report = watch(args.feeds, args.db, options, notifier=notifier)
    finally:
        signal.signal(signal.SIGTERM, previous)
    print(f"newsgraph: {report.summary()}", file=sys.stderr)
    return 1 if args.once and report.failed else 0


def _cmd_alert_add(args: argparse.Namespace) -> int:
    from newsgraph.store.alerts import Alert, add_alert
    from newsgraph.store.db import connect

    alert = Alert(
        name=args.name,
        q=args.q,
        source=args.source,
        entity=args.entity,
        event_type=args.event_type,
        country=args.country,
        since=args.since,
        until=args.until,
        language=args.language,
    )
    conn = connect(args.db)
    try:
        add_alert(conn, alert, backfill=args.backfill)
    finally:
        conn.close()
    print(f"newsgraph: alert {alert.name} saved ({alert.describe()})", file=sys.stderr)
    return 0


def _cmd_alert_list(args: argparse.Namespace) -> int:
    from newsgraph.store.alerts import list_alerts, matches
    from newsgraph.store.db import connect

    conn = connect(args.db)
    try:
        found = [(a, matches(conn, a, limit=1)) for a in list_alerts(conn)]
    finally:
        conn.close()
    if args.json:
        print(json.dumps([{**a.to_json(), "total": m["total"], "new": m["new"]} for a, m in found], indent=2))
        return 0
    for alert, m in found:
        counts = f"{m['total']} matches, {m['new']} new"
        print(f"{alert.name}\t{alert.describe()}\t{counts}\tlast run {alert.last_run or 'never'}")
    return 0


def _cmd_alert_rm(args: argparse.Namespace) -> int:
    from newsgraph.store.alerts import remove_alert
    from newsgraph.store.db import connect

    conn = connect(args.db)
    try:
        missing = [name for name in args.names if not remove_alert(conn, name)]
    finally:
        conn.close()
    if missing:
        raise NewsgraphError(f"no alert {', '.join(missing)} (newsgraph alert list shows them)")
    return 0


def _cmd_alert_run(args: argparse.Namespace) -> int:
    from newsgraph.store.alerts import get_alert
    from newsgraph.store.db import connect
    from newsgraph.watch.notify import run_alerts

    notifier = _notifier(args)
    conn = connect(args.db)
    try:
        missing = [name for name in args.names if get_alert(conn, name) is None]
        if missing:
            raise NewsgraphError(f"no alert {', '.join(missing)} (newsgraph alert list shows them)")
        found = run_alerts(conn, notifier, args.names or None)
    finally:
        conn.close()
    for name, n in found.items():
        print(f"newsgraph: alert {name}: {n} new match{'es' if n != 1 else ''}", file=sys.stderr)
    return 1 if notifier.failures else 0


def _add_match_outputs(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--matches",
        metavar="FILE.jsonl",
        help="append one JSON line per new alert match: alert, search, matched_at, id, title, published, source,"
        " url, story_id, duplicate_of, stored_at, path (/documents/ID)",
    )
    p.add_argument(
        "--on-match",
        metavar="CMD",
        help="run CMD once per new match, without a shell (CMD is split into words as a shell would, once),"
        " with the match's JSON line on its stdin and in NEWSGRAPH_ALERT, NEWSGRAPH_DOC_ID, NEWSGRAPH_TITLE,"
        " NEWSGRAPH_URL, NEWSGRAPH_PUBLISHED, NEWSGRAPH_SOURCE, NEWSGRAPH_PATH; a failure is one line on"
        " stderr (60 s each at most)",
    )


def _add_watch_parsers(sub: Any) -> None:
    db_help = "the store (default: $NEWSGRAPH_DB, else ./newsgraph.db)"
    w = sub.add_parser(
        "watch",
        help="poll RSS/Atom feeds and sitemaps, ingest their new items, report saved searches' new matches",
        description="Poll feeds and sitemaps every --every (or --once, for cron) and ingest the items not seen"
        " before. Polite: conditional GETs (ETag, Last-Modified), a pause between requests to one host,"
        " robots.txt with --robots. What it knows (each feed's validators and last poll, each item seen) is"
        " in the store, so a restart fetches nothing twice and polls only the feeds that are due. One line"
        " per poll on stderr; a feed that fails is an error on its row (serve: /watch, /api/watch), never"
        " the end of the others. After each round every saved search (newsgraph alert) reports its new"
        " matches (--matches, --on-match). Ctrl-C or SIGTERM stops it cleanly (exit status 0); with --once"
        " the exit status is 1 when a feed or an item failed.",
    )
    w.add_argument(
        "feeds",
        nargs="+",
        metavar="FEED|FILE",
        help="feed or sitemap URLs, and files listing feed URLs (one a line; # comments), read again each round",
    )
    w.add_argument("--db", default=defaults.db_path(), help=db_help)
    w.add_argument(
        "--every",
        default=defaults.WATCH_EVERY,
        help=f"time between two polls of a feed: 90s, 15m, 1h30m, 1d (default {defaults.WATCH_EVERY})",
    )
    w.add_argument("--once", action="store_true", help="poll every feed once, report the alerts, and exit (cron)")
    w.add_argument("--robots", action="store_true", help="obey each host's robots.txt (user agent 'newsgraph')")
    w.add_argument(
        "--host-delay",
        type=float,
        default=defaults.WATCH_HOST_DELAY_S,
        metavar="SECONDS",
        help=f"the least time between two requests to one host (default {defaults.WATCH_HOST_DELAY_S:g}; a"
        " robots.txt Crawl-delay may ask for more)",
    )
    w.add_argument("--allow-private", action="store_true", help=ALLOW_PRIVATE_HELP)
    w.add_argument("--no-geo", dest="geo", action="store_false", help="leave places out (no gazetteer)")
    w.add_argument(
        "--timeout",
        type=float,
        default=defaults.FETCH_TIMEOUT_S,
        help=f"seconds allowed for each HTTP fetch (default {defaults.FETCH_TIMEOUT_S:g})",
    )
    w.add_argument(
        "--max-page-bytes",
        type=_positive,
        default=defaults.FETCH_MAX_BYTES,
        help=f"largest page or feed fetched (default {defaults.FETCH_MAX_BYTES // (1024 * 1024)} MiB)",
    )
    w.add_argument(
        "--article-timeout",
        type=float,
        default=defaults.ARTICLE_TIMEOUT_S,
        help=f"seconds one article's analysis may take (default {defaults.ARTICLE_TIMEOUT_S:g}; 0: no limit)",
    )
    _add_match_outputs(w)
    w.set_defaults(func=_cmd_watch)

    a = sub.add_parser(
        "alert",
        help="saved searches: add, list, rm, run (their new matches; newsgraph watch runs them after each round)",
        description="A saved search of the store, kept under a name: its matches are /api/alerts/NAME (JSON) and"
        " /alerts/NAME.atom (an Atom feed) in newsgraph serve, and the documents stored since it last ran are"
        " its new matches, reported by newsgraph watch (or alert run) to --matches and --on-match.",
    )
    verbs = a.add_subparsers(dest="alert_command", required=True)
    add = verbs.add_parser(
        "add",
        help="save a search under NAME",
        description="Save a search: every criterion given must hold. Documents stored from now on are its new"
        " matches (--backfill: those already stored too).",
    )
    add.add_argument("name", metavar="NAME", help="letters, digits, '-' and '_' (up to 64)")
    add.add_argument("--q", help='full-text search: words and "phrases", all must occur')
    add.add_argument("--entity", help="documents naming this entity (canonical name, any case)")
    add.add_argument("--event-type", help="documents with an event of this PLOVER type")
    add.add_argument(
        "--country",
        help="documents naming a place in this country or telling an event of its actors or in it (ISO 3166-1 alpha-2)",
    )
    add.add_argument("--since", help="published on or after YYYY-MM-DD")
    add.add_argument("--until", help="published on or before YYYY-MM-DD")
    add.add_argument("--source", help="only this outlet")
    add.add_argument("--language", help="only documents in this language (ISO 639-1: en, fr ...)")
    add.add_argument("--backfill", action="store_true", help="the documents already stored are new matches too")
    add.add_argument("--db", default=defaults.db_path(), help=db_help)
    add.set_defaults(func=_cmd_alert_add)
    ls = verbs.add_parser("list", help="the saved searches, with their matches and new matches")
    ls.add_argument("--json", action="store_true", help="as a JSON array")
    ls.add_argument("--db", default=defaults.db_path(), help=db_help)
    ls.set_defaults(func=_cmd_alert_list)
    rm = verbs.add_parser("rm", help="remove saved searches")
    rm.add_argument("names", nargs="+", metavar="NAME")
    rm.add_argument("--db", default=defaults.db_path(), help=db_help)
    rm.set_defaults(func=_cmd_alert_rm)
    run = verbs.add_parser(
        "run", help="report the new matches of every saved search (or those named) now, as watch does after a round"
    )
    run.add_argument("names", nargs="*", metavar="NAME")
    run.add_argument("--db", default=defaults.db_path(), help=db_help)
    _add_match_outputs(run)
    run.set_defaults(func=_cmd_alert_run)


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
