"""The events layer on the PLOVER gold-standard records and on CASE 2021 task 2, beside a trigger-lexicon-only
baseline, in one table.

The data (referenced, never copied):

* ``shared/datasets/plover-gsr/PLOVER_GSR_CAMEO.json``: 322 sentences from the CAMEO manual recoded in
  PLOVER (CC BY-SA 4.0). Their types use PLOVER's older names, mapped as the PLOVER manual maps them:
  DEMAND -> REQUEST, DISAPPROVE and INVESTIGATE -> ACCUSE, FIGHT -> ASSAULT.
* ``shared/datasets/case2021-task2/test_set_final_release_with_labels.tsv``: 1,019 news snippets with
  one ACLED-style label each (no licence stated). Only the labels whose PLOVER type is plain are scored
  (``CASE_TO_PLOVER`` below: air strikes, armed clashes, shelling, bombings, grenades, explosives,
  chemical weapons, sexual violence and attacks -> ASSAULT; arrests -> COERCE; peaceful, violent and
  interrupted protests -> PROTEST; agreements -> AGREE); the rest (territory changes, disasters,
  property destruction, diplomacy, attributions...) have no one PLOVER type and are left out.

Each sentence or snippet is analysed as a one-paragraph article (published 2000-01-01, as the GSR
dates its records), through the whole pipeline. Its *primary* event is the first in text order.

What is measured, per system:

* type accuracy and macro-F1 (over the 16 types) of the primary event, over the sentences where an
  event is found;
* found: the share of sentences with any event; coverage: the share with an event of the gold type;
* source / target country accuracy: among the sentences with an event of the gold type, that event's
  actor country (ISO2) against the gold actors' codes (ISO3, mapped to ISO2; IGO and group codes are
  left out), where both sides have one;
* mode accuracy: among the same, where the gold gives a mode, the same mode name;
* CASE: the share of snippets whose primary type is the mapped one, and whose events include it.

The baseline, "lexicon only", is the same trigger lexicon without the grammar: the first word of the
sentence whose lemma is a trigger (any part of speech, no anchoring of nouns, no sense choice, no
actors) gives the type. The gap between the two rows is what the parse adds.

Peers: no PLOVER or CAMEO coder installs offline on Python 3.11. Tried (2026-12-02): ``petrarch``,
``petrarch2``, ``universal-petrarch`` and ``ngec`` (the POLECAT coder) are not on the package registry;
PETRARCH2 from source needs CoreNLP parse trees (Java and a model download) and is Python 2 code; ngec
downloads transformer weights at run time. So the lexicon-only baseline stands beside us instead.

Run: ``.venv/bin/python -m bench.events`` (``--limit N`` for the first N of each set; ``--errors``
lists the GSR sentences whose primary type is wrong).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench import harness
from newsgraph import geo, pipeline
from newsgraph.document import Document, Meta, Paragraph
from newsgraph.layers.events import lexicon

NAME = "events"
GSR = Path("plover-gsr") / "PLOVER_GSR_CAMEO.json"
CASE = Path("case2021-task2") / "test_set_final_release_with_labels.tsv"
OLD_NAMES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
CASE_TO_PLOVER = {
    "AIR_STRIKE": "ASSAULT",
    "ARMED_CLASH": "ASSAULT",
    "ART_MISS_ATTACK": "ASSAULT",
    "ATTACK": "ASSAULT",
    "CHEM_WEAP": "ASSAULT",
    "GRENADE": "ASSAULT",
    "SUIC_BOMB": "ASSAULT",
    "REM_EXPLOS": "ASSAULT",
    "SEX_VIOL": "ASSAULT",
    "ARREST": "COERCE",
    "PEACE_PROTEST": "PROTEST",
    "PROTEST_WITH_INTER": "PROTEST",
    "VIOL_DEMONSTR": "PROTEST",
    "AGREEMENT": "AGREE",
}
PUBLISHED = "2000-01-01"


def analyse(texts: list[str]) -> tuple[list[Document], list[Any], float]:
    """Each text as a one-paragraph article through the pipeline; the documents and their parses."""
    t0 = time.perf_counter()
    docs = [Document(Meta(published=PUBLISHED), t, [Paragraph(0, len(t), "body")]) for t in texts]
    out, parses = [], []
    for doc, parsed in pipeline.parse_cleaned(docs):
        out.append(pipeline.add_layers(doc, parsed))
        parses.append(parsed)
    return out, parses, time.perf_counter() - t0


def lexicon_only(parsed: Any) -> list[dict[str, Any]]:
    """The baseline: every word whose lemma heads a trigger of the lexicon, with its first sense."""
    lex = lexicon()
    out = []
    for t in parsed:
        for pos in ("VERB", "NOUN"):
            entries = lex.entries.get((pos, t.lemma_.lower()))
            if entries:
                e = entries[-1]  # the one-word entry, listed after the phrases
                out.append({"type": e.sense.type, "mode": e.sense.mode, "start": t.idx})
                break
    return out


def iso2_of(code: str | None) -> str | None:
    if not code or len(code) != 3:
        return None
    return _ISO3_TO_ISO2().get(code.upper())


_CACHE: dict[str, str] = {}


def _ISO3_TO_ISO2() -> dict[str, str]:
    if not _CACHE:
        _CACHE.update({geo.iso3(iso2): iso2 for iso2 in geo.countries() if geo.iso3(iso2)})
    return _CACHE


def gold_countries(actors: Any) -> set[str]:
    if not isinstance(actors, list):
        return set()
    return {c for a in actors if (c := iso2_of(a.get("code"))) is not None}


def macro_f1(pairs: Iterable[tuple[str, str]], types: Iterable[str]) -> float:
    pairs = list(pairs)
    scores = []
    for t in types:
        tp = sum(1 for g, p in pairs if g == t and p == t)
        n_pred = sum(1 for _, p in pairs if p == t)
        n_gold = sum(1 for g, _ in pairs if g == t)
        if n_gold == 0 and n_pred == 0:
            continue
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        scores.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def score_gsr(
    records: list[dict[str, Any]], events: list[list[dict[str, Any]]], errors: list[str] | None = None
) -> dict[str, Any]:
    types = lexicon().types
    pairs, found, covered = [], 0, 0
    src = [0, 0]
    tgt = [0, 0]
    mode = [0, 0]
    for r, evs in zip(records, events, strict=True):
        gold = OLD_NAMES.get(r["event"], r["event"])
        if evs:
            found += 1
            pairs.append((gold, evs[0]["type"]))
            if errors is not None and evs[0]["type"] != gold:
                errors.append(f"{gold:9} got {evs[0]['type']:9} {r['text'][:150]}")
        right = next((e for e in evs if e["type"] == gold), None)
        if right is None:
            continue
        covered += 1
        for side, tally in (("source", src), ("target", tgt)):
            want = gold_countries(r.get(side))
            got = (right.get(f"{side}_actor") or {}).get("country")
            if want and got:
                tally[0] += got in want
                tally[1] += 1
        if r.get("mode"):
            mode[0] += (right.get("mode") or "").lower() == r["mode"].lower()
            mode[1] += 1
    n = len(records)
    accuracy = sum(g == p for g, p in pairs) / len(pairs) if pairs else 0.0

    def share(t: list[int]) -> dict[str, Any]:
        return {"accuracy": round(t[0] / t[1], 3) if t[1] else None, "n": t[1]}

    return {
        "sentences": n,
        "type_accuracy": round(accuracy, 3),
        "macro_f1": round(macro_f1(pairs, types), 3),
        "found": round(found / n, 3) if n else 0.0,
        "coverage": round(covered / n, 3) if n else 0.0,
        "source_country": share(src),
        "target_country": share(tgt),
        "mode": share(mode),
    }


def score_case(labels: list[str], events: list[list[dict[str, Any]]]) -> dict[str, Any]:
    primary = sum(1 for lab, evs in zip(labels, events, strict=True) if evs and evs[0]["type"] == CASE_TO_PLOVER[lab])
    anywhere = sum(
        1 for lab, evs in zip(labels, events, strict=True) if any(e["type"] == CASE_TO_PLOVER[lab] for e in evs)
    )
    n = len(labels)
    return {
        "snippets": n,
        "primary_right": round(primary / n, 3) if n else 0.0,
        "any_right": round(anywhere / n, 3) if n else 0.0,
    }


def load_gsr(shared: Path) -> list[dict[str, Any]]:
    records = json.loads((shared / GSR).read_text(encoding="utf-8"))
    return [r for r in records if isinstance(r, dict) and r.get("event") and r.get("text")]


def load_case(shared: Path) -> list[tuple[str, str]]:
    with (shared / CASE).open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [(r["EventSnippet"], r["SubType"]) for r in rows if r.get("SubType") in CASE_TO_PLOVER]


def table(rows: dict[str, dict[str, Any]]) -> str:
    head = (
        f"{'':24} {'type acc':>8} {'macro-F1':>8} {'found':>6} {'cover':>6} {'src cc':>7} {'tgt cc':>7}"
        f" {'mode':>6} {'CASE 1st':>8} {'CASE any':>8} {'s':>6}"
    )
    lines = [head]
    for name, r in rows.items():
        g, c = r["gsr"], r["case"]

        def acc(x: dict[str, Any]) -> str:
            return "-" if x["accuracy"] is None else f"{x['accuracy']:.3f}"

        lines.append(
            f"{name:24} {g['type_accuracy']:8.3f} {g['macro_f1']:8.3f} {g['found']:6.3f} {g['coverage']:6.3f}"
            f" {acc(g['source_country']):>7} {acc(g['target_country']):>7} {acc(g['mode']):>6}"
            f" {c['primary_right']:8.3f} {c['any_right']:8.3f} {r['seconds']:6.1f}"
        )
    return "\n".join(lines)


def arguments() -> argparse.ArgumentParser:
    ap = harness.parser(__doc__)
    ap.add_argument("--data", type=Path, default=harness.DATASETS, help="the datasets folder")
    ap.add_argument("--errors", action="store_true", help="list the GSR sentences whose primary type is wrong")
    return ap


def run(args: argparse.Namespace) -> dict[str, Any]:
    harness.require(args.data / GSR, "PLOVER GSR")
    harness.require(args.data / CASE, "CASE 2021 task 2")
    records = load_gsr(args.data)[: args.limit]
    case = load_case(args.data)[: args.limit]
    docs, parses, seconds = analyse([r["text"] for r in records])
    case_docs, case_parses, case_seconds = analyse([t for t, _ in case])
    errors: list[str] | None = [] if args.errors else None
    ours = {
        "gsr": score_gsr(records, [d.events for d in docs], errors),
        "case": score_case([lab for _, lab in case], [d.events for d in case_docs]),
        "seconds": round(seconds + case_seconds, 1),
    }
    t0 = time.perf_counter()
    base_gsr = [lexicon_only(p) for p in parses]
    base_case = [lexicon_only(p) for p in case_parses]
    baseline = {
        "gsr": score_gsr(records, base_gsr),
        "case": score_case([lab for _, lab in case], base_case),
        "seconds": round(time.perf_counter() - t0, 1),
    }
    rows = {"newsgraph events": ours, "lexicon only (no parse)": baseline}
    print(f"PLOVER GSR: {len(records)} sentences; CASE 2021 task 2: {len(case)} snippets with a plain PLOVER type")
    print(table(rows))
    print("(baseline seconds: the lexicon lookups alone, over the same parse)")
    if errors:
        print("\n".join(errors))
    return {
        "dataset": "PLOVER GSR (322 sentences) and CASE 2021 task 2 (snippets whose ACLED type maps plainly to PLOVER)",
        "case_mapping": CASE_TO_PLOVER,
        "systems": rows,
    }


def main(argv: list[str] | None = None) -> int:
    return harness.main(NAME, arguments(), run, argv)


if __name__ == "__main__":
    raise SystemExit(main())
