"""Time expressions: newsgraph's times layer next to dateparser, on TempEval-3 (TimeML news with a DCT).

What is measured, per system, on the same plain text:

* ``newsgraph``: ``newsgraph.layers.times.find_times`` in its default (news) convention, the one the
  team's gold follows: no "now"-type PRESENT_REF, no "one day" in "one day after the attack";
* ``newsgraph-timeml``: the same layer with ``timeml=True``, which also marks those two, as TimeML does;
* ``dateparser``: ``dateparser.search.search_dates`` with ``RELATIVE_BASE`` set to the document creation
  time and ``PREFER_DATES_FROM`` "past" (news reports the past). Its datetimes become TIMEX3 DATE values
  at the granularity its matched text names (a bare year -> ``2010``, a month and year -> ``2010-05``,
  anything else -> the day); its spans are found in the text left to right.

Gold: each ``.tml`` file's ``<TEXT>`` with the inline ``<TIMEX3>`` tags stripped (offsets kept) and the
DCT (``functionInDocument="CREATION_TIME"``) as the publication date; the DCT itself is not scored.

Metrics (TempEval-3 Task A, UzZaman et al. 2013): extraction P/R/F1 with strict (same span) and relaxed
(overlapping span) matching, one-to-one; attribute F1 for ``value`` and ``type``: the relaxed matches
whose attribute is also right, used as true positives in P and R (value F1 is the headline figure);
and accuracies over the relaxed matches (type accuracy; value accuracy, also over DATE timexes only).
HeidelTime's published figures on the same test set (best run; relaxed F1 90.3, value F1 77.6) are
quoted beside, not re-run. The ``sec`` column is wall time on this machine; newsgraph's includes the
spaCy parse (counted in both its rows, and most of the time), which the pipeline pays once for all layers.

Splits: ``te3-platinum`` (20 documents, the TempEval-3 test set: the figures to report) and
``TBAQ-cleaned`` (TimeBank + AQUAINT, 256 documents, the training data: the dev set the layer was
tuned on). Run (from the repository root)::

    .venv/bin/python -m bench.tempeval                    # both splits, writes bench/results/tempeval.json
    .venv/bin/python -m bench.tempeval --split platinum --errors 30     # and list newsgraph's errors
    .venv/bin/python -m bench.tempeval --no-peer          # newsgraph only (dateparser is slow)

``--limit N`` takes the first N documents of each split. Only a run of both splits with the peer (and no
``--limit``) replaces bench/results/tempeval.json, unless ``--out`` names a file. The common flags are in
``bench/harness.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgraph import nlp
from newsgraph.layers.times import find_times

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for python bench/tempeval.py
from bench import harness

NAME = "tempeval"
PEERS = ("dateparser",)
DEFAULT_DATA = harness.DATASETS / "tempeval3"
SPLITS = {"platinum": ["te3-platinum"], "tbaq": ["TBAQ-cleaned/TimeBank", "TBAQ-cleaned/AQUAINT"]}
HEIDELTIME = {"relaxed_f1": 0.903, "value_f1": 0.776, "source": "TempEval-3 Task A official results (best run)"}


@dataclass
class Span:
    start: int
    end: int
    type: str
    value: str | None
    text: str = ""


@dataclass
class GoldDoc:
    name: str
    dct: str
    text: str
    timexes: list[Span]


@dataclass
class Counts:
    n_sys: int = 0
    n_gold: int = 0
    strict: int = 0
    relaxed: int = 0
    value: int = 0
    type: int = 0
    dates: int = 0  # relaxed matches whose gold type is DATE
    date_value: int = 0
    by_type: Counter[str] = field(default_factory=Counter)  # gold type -> relaxed matches
    by_type_value: Counter[str] = field(default_factory=Counter)
    gold_types: Counter[str] = field(default_factory=Counter)

    def scores(self) -> dict[str, Any]:
        def prf(tp: int) -> dict[str, float]:
            tally = harness.Tally()
            tally.add(tp, self.n_sys, tp, self.n_gold)
            scores = tally.scores()
            return {k: float(scores[k]) for k in ("p", "r", "f1")}

        return {
            "system": self.n_sys,
            "gold": self.n_gold,
            "strict": prf(self.strict),
            "relaxed": prf(self.relaxed),
            "value": prf(self.value),
            "type": prf(self.type),
            "type_accuracy": round(self.type / self.relaxed, 4) if self.relaxed else 0.0,
            "value_accuracy": round(self.value / self.relaxed, 4) if self.relaxed else 0.0,
            "date_value_accuracy": round(self.date_value / self.dates, 4) if self.dates else 0.0,
            "value_recall_by_type": {
                t: f"{self.by_type_value[t]}/{self.gold_types[t]}" for t in sorted(self.gold_types)
            },
        }


def read_tml(path: Path) -> GoldDoc:
    """Plain text of <TEXT> with the gold TIMEX3 spans; the DCT as YYYY-MM-DD."""
    raw = path.read_text(encoding="utf-8")
    dct_match = re.search(r"<DCT>.*?value=\"(\d{4}-\d\d-\d\d)", raw, re.S)
    if dct_match is None:
        raise ValueError(f"{path}: no DCT")
    body_match = re.search(r"<TEXT>(.*?)</TEXT>", raw, re.S)
    if body_match is None:
        raise ValueError(f"{path}: no TEXT")
    body = body_match.group(1)
    out: list[str] = []
    length = 0
    timexes: list[Span] = []
    open_timex: tuple[int, dict[str, str]] | None = None
    for piece in re.split(r"(<[^>]+>)", body):
        if piece.startswith("<"):
            if piece.startswith("<TIMEX3"):
                attrs = dict(re.findall(r"(\w+)=\"([^\"]*)\"", piece))
                open_timex = (length, attrs)
            elif piece.startswith("</TIMEX3") and open_timex is not None:
                start, attrs = open_timex
                timexes.append(Span(start, length, attrs.get("type", ""), attrs.get("value")))
                open_timex = None
            continue
        chunk = html.unescape(piece)
        out.append(chunk)
        length += len(chunk)
    text = "".join(out)
    for t in timexes:
        t.text = text[t.start : t.end]
    return GoldDoc(path.stem, dct_match.group(1), text, timexes)


def run_newsgraph(doc: GoldDoc, parsed: Any, timeml: bool) -> list[Span]:
    found = find_times(doc.text, parsed, doc.dct, timeml=timeml)
    return [Span(t.start, t.end, t.type, t.value, doc.text[t.start : t.end]) for t in found]


def run_dateparser(doc: GoldDoc) -> list[Span]:
    from dateparser.search import search_dates

    base = dt.datetime.fromisoformat(doc.dct)
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    found = search_dates(doc.text, languages=["en"], settings=settings) or []
    out: list[Span] = []
    cursor = 0
    for surface, when in found:
        at = doc.text.find(surface, cursor)
        if at < 0:
            at = doc.text.find(surface)
            if at < 0:
                continue
        else:
            cursor = at + len(surface)
        out.append(Span(at, at + len(surface), "DATE", _dateparser_value(surface, when), surface))
    return out


MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
FUNCTION_WORDS = {"a", "an", "the", "on", "in", "at", "by", "since", "from", "of", "to", "after", "before", "until"}


def _dateparser_value(surface: str, when: dt.datetime) -> str:
    """A day value, coarser where the matched text names only a year, or a month (and year)."""
    words = surface.lower().split()
    while words and words[0] in FUNCTION_WORDS:
        words.pop(0)
    while words and words[-1] in FUNCTION_WORDS:
        words.pop()
    core = " ".join(words)
    if re.fullmatch(r"\d{4}", core):
        return f"{when.year:04d}"
    if re.fullmatch(MONTHS + r"(?:,? \d{4})?", core):
        return f"{when.year:04d}-{when.month:02d}"
    return when.date().isoformat()


def score(doc: GoldDoc, system: list[Span], counts: Counts, errors: list[dict[str, Any]] | None) -> None:
    """One-to-one matching by overlap (largest overlap first), then attribute agreement."""
    counts.n_sys += len(system)
    counts.n_gold += len(doc.timexes)
    pairs = []
    for gi, g in enumerate(doc.timexes):
        for si, s in enumerate(system):
            overlap = min(g.end, s.end) - max(g.start, s.start)
            if overlap > 0:
                pairs.append((-overlap, gi, si))
    used_g: set[int] = set()
    used_s: set[int] = set()
    for _, gi, si in sorted(pairs):
        if gi in used_g or si in used_s:
            continue
        used_g.add(gi)
        used_s.add(si)
        g, s = doc.timexes[gi], system[si]
        counts.relaxed += 1
        counts.strict += (g.start, g.end) == (s.start, s.end)
        counts.type += g.type == s.type
        same_value = (g.value or "") == (s.value or "") and g.value is not None
        counts.value += same_value
        counts.by_type[g.type] += 1
        counts.by_type_value[g.type] += same_value
        if g.type == "DATE":
            counts.dates += 1
            counts.date_value += same_value
        if errors is not None and not same_value:
            errors.append({"doc": doc.name, "kind": "value", "gold": _show(doc, g), "system": _show(doc, s)})
    for g in doc.timexes:
        counts.gold_types[g.type] += 1
    if errors is not None:
        for gi, g in enumerate(doc.timexes):
            if gi not in used_g:
                errors.append({"doc": doc.name, "kind": "missed", "gold": _show(doc, g), "system": None})
        for si, s in enumerate(system):
            if si not in used_s:
                errors.append({"doc": doc.name, "kind": "spurious", "gold": None, "system": _show(doc, s)})


def _show(doc: GoldDoc, s: Span) -> str:
    left = doc.text[max(0, s.start - 30) : s.start].replace("\n", " ")
    right = doc.text[s.end : s.end + 30].replace("\n", " ")
    return f"{left}[[{doc.text[s.start : s.end]}]]{right}  {s.type} {s.value}  (dct {doc.dct})"


def evaluate_split(
    docs: list[GoldDoc], with_peer: bool, errors_for: str | None
) -> tuple[dict[str, Any], dict[str, float], list[dict[str, Any]]]:
    model = nlp.load()
    systems: dict[str, Callable[[GoldDoc, Any], list[Span]]] = {
        "newsgraph": lambda d, p: run_newsgraph(d, p, timeml=False),
        "newsgraph-timeml": lambda d, p: run_newsgraph(d, p, timeml=True),
    }
    if with_peer:
        systems["dateparser"] = lambda d, p: run_dateparser(d)
    counts = {name: Counts() for name in systems}
    seconds = dict.fromkeys(systems, 0.0)
    errors: list[dict[str, Any]] = []
    t0 = time.perf_counter()
    parses = list(model.pipe(nlp.matching_form(d.text) for d in docs))
    parse_seconds = time.perf_counter() - t0
    seconds["newsgraph"] += parse_seconds
    seconds["newsgraph-timeml"] += parse_seconds
    for doc, parsed in zip(docs, parses, strict=True):
        for name, run in systems.items():
            t1 = time.perf_counter()
            found = run(doc, parsed)
            seconds[name] += time.perf_counter() - t1
            score(doc, found, counts[name], errors if name == errors_for else None)
    return {name: c.scores() for name, c in counts.items()}, seconds, errors


def print_table(split: str, n_docs: int, results: dict[str, Any], seconds: dict[str, float]) -> None:
    print(f"\n{split}: {n_docs} documents, {next(iter(results.values()))['gold']} gold TIMEX3 (DCT excluded)")
    print(
        f"{'system':18s} {'strict F1':>9s} {'relaxed P':>9s} {'R':>6s} {'F1':>6s} {'value F1':>8s} {'type F1':>7s}"
        f" {'type acc':>8s} {'val acc':>7s} {'DATE val':>8s} {'sec':>6s}"
    )
    for name, s in results.items():
        print(
            f"{name:18s} {s['strict']['f1']:9.3f} {s['relaxed']['p']:9.3f} {s['relaxed']['r']:6.3f}"
            f" {s['relaxed']['f1']:6.3f} {s['value']['f1']:8.3f} {s['type']['f1']:7.3f} {s['type_accuracy']:8.3f}"
            f" {s['value_accuracy']:7.3f} {s['date_value_accuracy']:8.3f} {seconds[name]:6.1f}"
        )
    if split == "platinum":
        print(
            f"{'HeidelTime (pub.)':18s} {'':9s} {'':9s} {'':6s} {HEIDELTIME['relaxed_f1']:6.3f}"
            f" {HEIDELTIME['value_f1']:8.3f}   (quoted, not re-run)"
        )


def arguments() -> argparse.ArgumentParser:
    ap = harness.parser(__doc__)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the tempeval3 folder")
    ap.add_argument("--split", choices=[*SPLITS, "both"], default="both")
    ap.add_argument("--no-peer", action="store_true", help="skip dateparser")
    ap.add_argument("--errors", type=int, default=0, metavar="N", help="print N of newsgraph's errors per kind")
    ap.add_argument(
        "--convention",
        choices=["newsgraph", "newsgraph-timeml"],
        default="newsgraph-timeml",
        help="whose errors --errors lists",
    )
    return ap


def run(args: argparse.Namespace) -> dict[str, Any]:
    splits = list(SPLITS) if args.split == "both" else [args.split]
    out: dict[str, Any] = {
        "benchmark": "TempEval-3 Task A (TIMEX3 extraction and normalisation)",
        "model": nlp.MODEL,
        "peer": "dateparser.search.search_dates (RELATIVE_BASE=DCT, PREFER_DATES_FROM=past)",
        "heideltime_published": HEIDELTIME,
        "splits": {},
    }
    for split in splits:
        folders = [args.data / f for f in SPLITS[split]]
        for f in folders:
            harness.require(f, f"TempEval-3 {split}")
        docs = [read_tml(p) for f in folders for p in sorted(f.glob("*.tml"))][: args.limit]
        results, seconds, errors = evaluate_split(docs, not args.no_peer, args.convention if args.errors else None)
        print_table(split, len(docs), results, seconds)
        out["splits"][split] = {
            "role": "test (report these)" if split == "platinum" else "dev (tuned on)",
            "documents": len(docs),
            "gold_timexes": sum(len(d.timexes) for d in docs),
            "results": results,
            "seconds": {k: round(v, 2) for k, v in seconds.items()},
        }
        if args.errors:
            for kind in ("value", "missed", "spurious"):
                chosen = [e for e in errors if e["kind"] == kind]
                print(f"\n{split} {args.convention} {kind} ({len(chosen)}):")
                for e in chosen[: args.errors]:
                    print(
                        f"  gold: {e['gold']}\n   sys: {e['system']}"
                        if kind == "value"
                        else f"  {e['gold'] or e['system']}"
                    )
    return out


def main(argv: list[str] | None = None) -> int:
    return harness.main(
        NAME, arguments(), run, argv, peers=PEERS, complete=lambda args: args.split == "both" and not args.no_peer
    )


if __name__ == "__main__":
    raise SystemExit(main())
