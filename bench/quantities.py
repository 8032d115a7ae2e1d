"""Event counts of newsgraph's quantities layer next to quantulum3, on the PLOVER gold-standard records.

The data: ``shared/datasets/plover-gsr/PLOVER_GSR_CAMEO.json`` (322 news-style sentences coded in
PLOVER). 37 records carry a count of the event: ``dead`` (15), ``injured`` (3) or ``size`` (21: the
crowd, the people arrested, deported, kidnapped...). Two records share one sentence, so the gold is
kept per distinct sentence (36), as the union of its records' counts. Each gold count is one of:

* explicit: the number is written in the sentence ("killing at least 156 people", "wounded two", "Tens
  of thousands of ... students": an order of magnitude, which matches any value in [10,000, 100,000));
* implicit: a count of one with no number in the text ("A Palestinian prisoner died": dead 1); no
  number extractor can find these, so they are reported apart;
* vague: "Thousands", "scores", "group": no value to match; left out (newsgraph by design gives no
  quantity for vague words).

What is measured, per system, on each sentence's own text:

* value recall: gold counts with a predicted quantity of the same value in that sentence (one-to-one);
  for a range prediction, either end. Computed over explicit counts (the headline) and over all;
* value+role recall (newsgraph only; quantulum3 has no notion of what is counted): the matched
  quantity also says the right thing: dead -> verb killed/died/executed, injured -> verb
  wounded/injured, size -> a count of people (category people, military personnel or casualties);
* precision: predictions whose value is a gold count of that sentence, over all predictions. The gold
  codes only the event's counts, so true counts it leaves out ("where 24 people were killed in riots
  last March" in a PROTEST record) count as errors: this precision is a lower bound, and F1 with it.
  Every unmatched prediction is listed in the JSON (``--errors`` prints them) to be judged by eye.

quantulum3 0.10.0 runs with its heuristic unit disambiguation (``classifier.USE_CLF = False``): its
shipped classifier does not load under the installed scikit-learn and retraining it needs the
``stemming`` package, which is not a dependency. Values are what matter here, and the heuristic mode
gives the same numbers. Its "a dozen" (1 dozen) is counted as 12 and a range as value +- uncertainty.
It is scored twice: every quantity it returns, and only its dimensionless ones (counts, which is what
the gold holds; its durations such as "48-hour" are then left out).

Caveats: the set is tiny (27 explicit counts), and these sentences were read while the layer was
written (one fix, a bound the parse hangs on the verb in "kidnapped up to 16 advisers", came from
them), so it is a development set, not a held-out test. newsgraph's seconds include the spaCy parse
and the entities layer the quantities layer reads; quantulum3's include loading its unit tables.

Run (from the repository root)::

    .venv/bin/python -m bench.quantities              # table, writes bench/results/quantities.json
    .venv/bin/python -m bench.quantities --errors     # and every miss and unmatched prediction

``--limit N`` scores the first N sentences; the common flags are in ``bench/harness.py``.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgraph import nlp
from newsgraph.document import Document, Meta, Paragraph
from newsgraph.layers.entities import extract_entities
from newsgraph.layers.quantities import extract_quantities

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for python bench/quantities.py
from bench import harness

NAME = "quantities"
PEERS = ("quantulum3",)
DEFAULT_SHARED = harness.SHARED
DATA = Path("datasets") / "plover-gsr" / "PLOVER_GSR_CAMEO.json"
KINDS = ("dead", "injured", "size")
MAGNITUDES = {"tens of thousands": 10_000, "hundreds of thousands": 100_000}
SMALL = [  # numbers as words, to tell whether a gold count is written in its sentence
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
]
ROLE_VERBS = {"dead": {"killed", "died", "executed"}, "injured": {"wounded", "injured"}}
PEOPLE = {"people", "military personnel", "casualties"}


@dataclass
class GoldCount:
    kind: str  # dead, injured, size
    raw: str  # as the record has it: "156", "Tens of thousands"
    value: float | None  # None when vague
    magnitude: bool = False  # an order of magnitude: any value in [value, 10 * value)
    explicit: bool = False


@dataclass
class Sentence:
    ids: list[str]
    text: str
    counts: list[GoldCount] = field(default_factory=list)


@dataclass
class Pred:
    text: str
    values: list[float]
    verb: str | None = None
    category: str | None = None


@dataclass
class Score:
    """Counts for one system: gold matched (by subset), predictions matched, predictions."""

    gold: dict[str, int] = field(default_factory=lambda: {"explicit": 0, "all": 0})
    hit: dict[str, int] = field(default_factory=lambda: {"explicit": 0, "all": 0})
    hit_role: dict[str, int] = field(default_factory=lambda: {"explicit": 0, "all": 0})
    n_pred: int = 0
    tp_pred: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)
    unmatched: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    def tally(self, subset: str, role: bool = False) -> harness.Tally:
        t = harness.Tally()
        t.add(self.tp_pred, self.n_pred, (self.hit_role if role else self.hit)[subset], self.gold[subset])
        return t

    def report(self, roles: bool) -> dict[str, Any]:
        out: dict[str, Any] = {"n_pred": self.n_pred, "p_lower_bound": self.tally("all").scores()["p"]}
        for subset in ("explicit", "all"):
            s = self.tally(subset).scores()
            out[subset] = {"n_gold": self.gold[subset], "matched": self.hit[subset], "r": s["r"], "f1": s["f1"]}
            if roles:
                rr = self.tally(subset, role=True).scores()["r"]
                out[subset] |= {"matched_with_role": self.hit_role[subset], "r_role": rr}
        out["seconds"] = round(self.seconds, 2)
        return out


def gold_count(kind: str, raw: str, text: str) -> GoldCount:
    key = raw.strip().lower()
    if key.isdigit():
        v = int(key)
        written = {f"{v:,}", str(v)} | ({SMALL[v]} if v < len(SMALL) else set())
        explicit = any(re.search(rf"(?<![\w,.]){re.escape(w)}(?![\w,])", text, re.I) for w in written)
        return GoldCount(kind, raw, float(v), explicit=explicit)
    if key in MAGNITUDES:
        return GoldCount(kind, raw, float(MAGNITUDES[key]), magnitude=True, explicit=True)
    return GoldCount(kind, raw, None)


def load(shared: Path) -> list[Sentence]:
    records = json.loads((shared / DATA).read_text(encoding="utf-8"))
    by_text: dict[str, Sentence] = {}
    for rec in records:
        if not isinstance(rec, dict) or "text" not in rec or not any(rec.get(k) for k in KINDS):
            continue
        s = by_text.setdefault(rec["text"], Sentence([], rec["text"]))
        s.ids.append(rec["id"])
        for kind in KINDS:
            if rec.get(kind):
                s.counts.append(gold_count(kind, str(rec[kind]), rec["text"]))
    return list(by_text.values())


def same_value(g: GoldCount, p: Pred) -> bool:
    assert g.value is not None
    if g.magnitude:
        return any(g.value <= v < 10 * g.value for v in p.values)
    return any(abs(v - g.value) < 1e-6 * max(1.0, g.value) for v in p.values)


def right_role(g: GoldCount, p: Pred) -> bool:
    if g.kind in ROLE_VERBS:
        return p.verb in ROLE_VERBS[g.kind]
    return p.category in PEOPLE


def score(sentences: list[Sentence], preds: list[list[Pred]], out: Score) -> None:
    for s, ps in zip(sentences, preds, strict=True):
        golds = [g for g in s.counts if g.value is not None]
        used: set[int] = set()
        used_role: set[int] = set()
        for g in golds:
            subsets = ["all", "explicit"] if g.explicit else ["all"]
            for sub in subsets:
                out.gold[sub] += 1
            hit = _match(g, ps, used, same_value)
            role = _match(g, ps, used_role, lambda g, p: same_value(g, p) and right_role(g, p))
            for sub in subsets:
                out.hit[sub] += hit
                out.hit_role[sub] += role
            if not hit:
                out.misses.append({"id": s.ids[0], "kind": g.kind, "gold": g.raw, "explicit": g.explicit})
        out.n_pred += len(ps)
        for p in ps:
            if any(same_value(g, p) for g in golds):
                out.tp_pred += 1
            else:
                out.unmatched.append({"id": s.ids[0], "text": p.text, "value": p.values})


def _match(g: GoldCount, ps: list[Pred], used: set[int], ok: Callable[[GoldCount, Pred], bool]) -> bool:
    for i, p in enumerate(ps):
        if i not in used and ok(g, p):
            used.add(i)
            return True
    return False


def newsgraph_preds(sentences: list[Sentence]) -> tuple[list[list[Pred]], float]:
    """The quantities layer on each sentence as one body paragraph, after the parse and the entities
    layer (what it reads), as the pipeline runs them; the time covers all three."""
    t0 = time.perf_counter()
    model = nlp.load()
    docs = []
    texts = [s.text for s in sentences]
    for text, parsed in zip(texts, model.pipe(nlp.matching_form(t) for t in texts), strict=True):
        doc = Document(Meta(), text, [Paragraph(0, len(text), "body")])
        doc.entities = extract_entities(doc, parsed)
        doc.quantities = extract_quantities(doc, parsed)
        docs.append(doc)
    seconds = time.perf_counter() - t0
    out = []
    for doc in docs:
        out.append(
            [
                Pred(
                    q["text"],
                    list(q["value"]) if isinstance(q["value"], list) else [q["value"]],
                    q.get("verb"),
                    q.get("category"),
                )
                for q in doc.quantities
            ]
        )
    return out, seconds


def quantulum_preds(sentences: list[Sentence], dimensionless_only: bool) -> tuple[list[list[Pred]], float]:
    from quantulum3 import classifier, parser

    classifier.USE_CLF = False
    t0 = time.perf_counter()
    out = []
    for s in sentences:
        ps = []
        for q in parser.parse(s.text):
            if dimensionless_only and q.unit.entity.name != "dimensionless":
                continue
            value = float(q.value) * (12 if q.unit.name == "dozen" else 1)
            values = [value]
            if q.uncertainty:
                values += [value - float(q.uncertainty), value + float(q.uncertainty)]
            ps.append(Pred(q.surface, values))
        out.append(ps)
    return out, time.perf_counter() - t0


def table(results: dict[str, dict[str, Any]]) -> str:
    head = (
        f"{'system':<28}{'P*':>7}{'R expl':>8}{'F1* expl':>9}{'R all':>7}{'R+role expl':>12}{'R+role all':>11}"
        f"{'pred':>6}{'sec':>7}"
    )
    lines = [head, "-" * len(head)]
    for name, r in results.items():
        ex, al = r["explicit"], r["all"]
        role_ex = f"{ex['r_role']:.3f}" if "r_role" in ex else "-"
        role_al = f"{al['r_role']:.3f}" if "r_role" in al else "-"
        lines.append(
            f"{name:<28}{r['p_lower_bound']:>7.3f}{ex['r']:>8.3f}{ex['f1']:>9.3f}{al['r']:>7.3f}{role_ex:>12}"
            f"{role_al:>11}{r['n_pred']:>6}{r['seconds']:>7.2f}"
        )
    return "\n".join(lines)


def arguments() -> argparse.ArgumentParser:
    ap = harness.parser(__doc__)
    ap.add_argument("--data", type=Path, default=DEFAULT_SHARED, help="the shared folder (holds datasets/)")
    ap.add_argument("--errors", action="store_true", help="print every miss and unmatched prediction")
    return ap


def run(args: argparse.Namespace) -> dict[str, Any]:
    harness.require(args.data / DATA, "PLOVER GSR")
    sentences = load(args.data)[: args.limit]

    logging.getLogger("quantulum3").setLevel(logging.ERROR)
    warnings.simplefilter("ignore")
    runs = {
        "newsgraph": newsgraph_preds(sentences),
        "quantulum3": quantulum_preds(sentences, dimensionless_only=False),
        "quantulum3 (dimensionless)": quantulum_preds(sentences, dimensionless_only=True),
    }
    scores: dict[str, Score] = {}
    for name, (preds, seconds) in runs.items():
        scores[name] = Score(seconds=seconds)
        score(sentences, preds, scores[name])
    results = {name: sc.report(roles=name == "newsgraph") for name, sc in scores.items()}

    counts = [g for s in sentences for g in s.counts]
    print(
        f"PLOVER GSR counts: {len(sentences)} sentences, {len(counts)} gold counts "
        f"({sum(g.explicit for g in counts)} explicit, {sum(g.value is not None and not g.explicit for g in counts)}"
        f" implicit, {sum(g.value is None for g in counts)} vague and left out)"
    )
    print(table(results))
    print("P* is a lower bound: the gold codes only the event's own counts (see the module docstring).")
    if args.errors:
        for name, sc in scores.items():
            print(f"\n{name}: missed gold counts")
            for m in sc.misses:
                print(f"  {m['id']:<28} {m['kind']:<8} {m['gold']:<20} {'explicit' if m['explicit'] else 'implicit'}")
            print(f"{name}: predictions matching no gold count")
            for u in sc.unmatched:
                print(f"  {u['id']:<28} {u['text']!r} {u['value']}")

    return {
        "dataset": "PLOVER GSR (CAMEO manual examples), records with dead/injured/size counts",
        "sentences": len(sentences),
        "records": sum(len(s.ids) for s in sentences),
        "gold_counts": {
            "explicit": sum(g.explicit for g in counts),
            "implicit": sum(g.value is not None and not g.explicit for g in counts),
            "vague_left_out": [g.raw for g in counts if g.value is None],
        },
        "peer": "quantulum3 0.10.0, heuristic disambiguation (classifier.USE_CLF = False)",
        "caveat": "tiny set (27 explicit counts) read during development: a development set, not held out",
        "metrics": {
            "p_lower_bound": "predictions whose value is a gold count of the sentence / predictions",
            "r": "gold counts matched by value / gold counts (explicit: number written in the sentence)",
            "r_role": "matched by value and role: dead->killed/died, injured->wounded/injured, size->people",
            "f1": "from p_lower_bound and r",
        },
        "results": results,
        "errors": {name: {"missed": sc.misses, "unmatched_predictions": sc.unmatched} for name, sc in scores.items()},
    }


def main(argv: list[str] | None = None) -> int:
    return harness.main(NAME, arguments(), run, argv, peers=PEERS)


if __name__ == "__main__":
    raise SystemExit(main())
