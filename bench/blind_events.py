"""The events layer on blind event gold: real articles annotated in PLOVER by people who never saw the
layer's code or output, scored for precision and recall by the team's event scorer.

The data: ``bench/blind/events/dev.jsonl`` and ``test.jsonl``, one article per line in the format of
``shared/tools/events-gold-format.md`` (``id``, ``events``), with the page it annotates
(``article_path``, relative to the file) and its publication date. The articles are 24 politics,
conflict and crime pages of the article-extraction benchmark (2019, 20 outlets), split once at
random into 12 dev and 12 test before any annotation; the annotators read the PLOVER manual and
``bench/blind/events/GUIDELINES.md``. Dev is for looking at errors (``--errors``); test is scored
and never read for errors.

Each page is analysed as it is (HTML and all) with the gold's publication date; the predictions go
to a temporary folder as ``ID.json`` and ``shared/tools/score_events.py`` scores them: an event
matches when its trigger lies in the gold sentence, its type is the gold's and an actor shares a
content word (precision over all predictions, optional gold neither way; recall over required
gold). Also: type accuracy of predictions inside gold sentences, roles, modality, date and place
agreement among matches.

Run: ``.venv/bin/python -m bench.blind_events`` (``--errors`` prints the dev set's misses and
unmatched predictions, never the test set's).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench import harness
from newsgraph.dates import check_date
from newsgraph.pipeline import analyze
from newsgraph.sources.raw import read_input

NAME = "blind_events"
GOLD = harness.ROOT / "bench" / "blind" / "events"
SCORER = harness.SHARED / "tools" / "score_events.py"
SETS = ("dev", "test")
FIGURES = ("type_accuracy", "roles_right", "modality", "date", "place")


def read_gold(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def predict(path: Path, golds: list[dict[str, Any]], out: Path) -> None:
    """Each gold article's page through the pipeline, written as ``out/ID.json``."""
    for i, gold in enumerate(golds, 1):
        raw = read_input(str((path.parent / gold["article_path"]).resolve()))
        raw.published = check_date(gold.get("published"), f"{path}: {gold['id']}: published")
        doc = analyze(raw).to_json()
        (out / f"{gold['id']}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        print(f"  {path.stem} {i}/{len(golds)} {gold['id']}: {len(doc['events'])} events", file=sys.stderr)


def score(pred_dir: Path, golds: list[dict[str, Any]], verbose: bool = False) -> dict[str, Any]:
    """The shared event scorer's figures for one set (its JSON), and its verbose lines if asked."""
    # the scorer reads id and events: those go to a gold file beside the predictions
    slim = pred_dir / "gold.jsonl"
    slim.write_text(
        "".join(json.dumps({"id": g["id"], "events": g["events"]}) + "\n" for g in golds),
        encoding="utf-8",
    )
    args = [sys.executable, str(SCORER), str(pred_dir), str(slim), "--json"]
    got = subprocess.run(args, capture_output=True, text=True, check=True)
    figures: dict[str, Any] = json.loads(got.stdout)
    if verbose:
        text = subprocess.run([*args[:-1], "--verbose"], capture_output=True, text=True, check=True)
        figures["_verbose"] = text.stdout
    return figures


def arguments() -> argparse.ArgumentParser:
    ap = harness.parser(__doc__)
    ap.add_argument("--gold", type=Path, default=GOLD, help="the folder holding dev.jsonl and test.jsonl")
    ap.add_argument("--errors", action="store_true", help="print the dev set's errors (never the test set's)")
    return ap


def run(args: argparse.Namespace) -> dict[str, Any]:
    harness.require(SCORER, "the shared event scorer")
    sets: dict[str, Any] = {}
    for name in SETS:
        path = harness.require(args.gold / f"{name}.jsonl", f"the blind events {name} set")
        golds = read_gold(path)[: args.limit]
        with tempfile.TemporaryDirectory() as tmp:
            predict(path, golds, Path(tmp))
            figures = score(Path(tmp), golds, verbose=args.errors and name == "dev")
            if args.errors and name == "dev":
                print(figures.pop("_verbose"))
                print(dev_errors(Path(tmp), golds))
        sets[name] = {"articles": len(golds), "headline": headline(figures), "figures": figures}
    print(table(sets))
    return {"dataset": "blind PLOVER event gold on article-extraction-benchmark pages", "sets": sets}


def headline(figures: dict[str, Any]) -> dict[str, Any]:
    """The scorer's figures this benchmark reports: P/R/F1 and counts, and each agreement's value."""
    ev = figures["events"]
    out = {k: ev[k] for k in ("P", "R", "F1", "npred", "ngold", "matched")}
    out |= {k: figures[k]["value"] for k in FIGURES if k in figures}
    return out


def table(sets: dict[str, Any]) -> str:
    cols = ("P", "R", "F1", "npred", "ngold", *FIGURES)
    lines = [f"{'set':6} {'articles':>8} " + " ".join(f"{c:>9}" for c in cols)]
    for name, s in sets.items():
        h = s["headline"]
        cells = [
            f"{h[c]:9d}"
            if isinstance(h.get(c), int)
            else f"{h[c]:9.3f}"
            if isinstance(h.get(c), float)
            else f"{'-':>9}"
            for c in cols
        ]
        lines.append(f"{name:6} {s['articles']:8d} " + " ".join(cells))
    return "\n".join(lines)


def dev_errors(pred_dir: Path, golds: list[dict[str, Any]]) -> str:
    """Per dev article, each gold sentence's events beside the predictions whose trigger lies in it, and
    the predictions in no gold sentence: to read, for the dev set only."""
    lines = []
    for g in golds:
        doc = json.loads((pred_dir / f"{g['id']}.json").read_text(encoding="utf-8"))
        text = " ".join(doc["text"].split())
        # offsets in the whitespace-collapsed text, as the scorer locates sentences
        squeeze = [0] * (len(doc["text"]) + 1)
        n, prev_space = 0, False
        for i, ch in enumerate(doc["text"]):
            squeeze[i] = n
            if ch.isspace():
                if not prev_space and n > 0:
                    n += 1
                prev_space = True
            else:
                n += 1
                prev_space = False
        squeeze[len(doc["text"])] = n
        preds = [(squeeze[e["start"]], e) for e in doc["events"]]
        used: set[int] = set()
        lines.append(f"=== {g['id']}")
        for ge in g["events"]:
            sent = " ".join(ge["sentence"].split())
            at = text.find(sent)
            inside = [(i, e) for i, (o, e) in enumerate(preds) if at >= 0 and at <= o < at + len(sent)]
            used |= {i for i, _ in inside}
            mark = "opt " if ge.get("optional") else "    "
            got = "; ".join(
                f"{e['type']}:{e['trigger']}[{e.get('source_name')}->{e.get('target_name')}]" for _, e in inside
            )
            lines.append(
                f"{mark}{ge['type']:9} {ge['trigger']!r} [{ge.get('source')}->{ge.get('target')}] | got {got or '-'}"
            )
            lines.append(f"       in: {sent[:140]}")
        for i, (_o, e) in enumerate(preds):
            if i not in used:
                actors = f"[{e.get('source_name')}->{e.get('target_name')}]"
                sentence = doc["text"][e["sentence_start"] : e["sentence_end"]][:140]
                lines.append(f"  FP {e['type']:9} {e['trigger']!r} {actors} {e['modality']} | {sentence!r}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    return harness.main(NAME, arguments(), run, argv)


if __name__ == "__main__":
    raise SystemExit(main())
