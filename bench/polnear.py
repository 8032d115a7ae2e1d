"""Quote and attribution benchmark: newsgraph's quotes layer against textacy on PolNeAR.

What it measures
    PolNeAR v1.0.0 (../shared/datasets/polnear; 2016 US election news, brat standoff) gives, per
    article, attributions: a Content span (with its quotation marks when direct), a Source span
    (the speaker as written) and a Cue. For the test split (84 articles; one annotator's file per
    article, the first in name order) this script scores, for direct and for indirect speech:

    * content P/R/F1: a predicted content matches a gold one when their character spans overlap by
      at least half of their union (quotation marks and edge punctuation stripped on both sides);
    * "any": both kinds together, a prediction of either kind matching a gold item of either kind
      (PolNeAR folds a short quoted phrase into the reported clause around it, which newsgraph gives
      as a direct partial quote);
    * content+speaker P/R/F1: the same, and the speaker right — the predicted speaker mention
      overlaps the gold Source span, or the predicted speaker entity has a mention or name equal to
      the gold Source text (so "he" resolved to Mr Trump counts where the gold Source is "he").

    Peer, in the same run: textacy 0.13's ``extract.triples.direct_quotations`` on the same spaCy
    parse (it finds direct quotes only). Direct = the gold content begins or ends with a quote mark.

    Articles are analysed as the text file gives them (paragraphs = non-empty lines, the first line
    the title), so offsets are the corpus's; cleaning is not part of this measure.

How to run (from the repository root)
    .venv/bin/python -m bench.polnear              # test split; about half a minute
    .venv/bin/python -m bench.polnear --split dev --limit 20

    Writes ``bench/results/polnear.json`` (``--out`` to change; a run on another split or with
    ``--limit`` only where ``--out`` says). The common flags are in ``bench/harness.py``.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textacy.extract.triples import direct_quotations

from newsgraph import nlp
from newsgraph.document import Document, Meta, Paragraph
from newsgraph.evaluate import same_name
from newsgraph.layers.entities import extract_entities
from newsgraph.layers.quotes import extract_quotes

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for python bench/polnear.py
from bench import harness
from bench.harness import Tally

NAME = "polnear"
PEERS = ("textacy",)
DEFAULT_DATA = harness.DATASETS / "polnear"
QUOTE_CHARS = "\"“”‘’'«»„"
EDGE = QUOTE_CHARS + " \n\t,.;:—–-"
Span = tuple[int, int]


@dataclass
class GoldAttribution:
    content: Span
    source: Span | None
    source_text: str
    direct: bool


@dataclass
class Prediction:
    content: Span
    direct: bool
    speaker_span: Span | None = None
    speaker_names: set[str] = field(default_factory=set)


def strip_span(text: str, span: Span) -> Span:
    s, e = span
    while s < e and text[s] in EDGE:
        s += 1
    while e > s and text[e - 1] in EDGE:
        e -= 1
    return s, e


def read_ann(path: Path, text: str) -> list[GoldAttribution]:
    """The attributions of one brat file; discontinuous spans are taken from first to last piece."""
    spans: dict[str, tuple[str, Span]] = {}
    links: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("T"):
            tid, info, *_ = line.split("\t")
            role, offsets = info.split(" ", 1)
            nums = [int(n) for n in re.findall(r"\d+", offsets)]
            spans[tid] = (role, (min(nums), max(nums)))
        elif line.startswith("E"):
            _, args = line.split("\t", 1)
            links.append(dict(a.split(":", 1) for a in args.split()))
    out = []
    for link in links:
        if "Content" not in link or link["Content"] not in spans:
            continue
        content = spans[link["Content"]][1]
        raw = text[content[0] : content[1]].strip()
        direct = bool(raw) and (raw[0] in QUOTE_CHARS or raw.rstrip(",.;")[-1:] in QUOTE_CHARS)
        source = spans[link["Source"]][1] if "Source" in link and link["Source"] in spans else None
        source_text = text[source[0] : source[1]] if source else ""
        out.append(GoldAttribution(strip_span(text, content), source, source_text, direct))
    return out


def as_document(text: str) -> Document:
    """The article as the corpus gives it: every non-empty line a paragraph, the first the title."""
    paragraphs: list[Paragraph] = []
    for m in re.finditer(r"[^\n]+", text):
        if m.group().strip():
            paragraphs.append(Paragraph(m.start(), m.end(), "title" if not paragraphs else "body"))
    return Document(meta=Meta(), text=text, paragraphs=paragraphs)


def overlap(a: Span, b: Span) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def content_match(g: GoldAttribution, p: Prediction) -> bool:
    return overlap(g.content, p.content) >= 0.5


def _words(s: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", s.lower())) - {"the", "a", "an", "mr", "mrs", "ms", "dr"}


def speaker_match(g: GoldAttribution, p: Prediction) -> bool:
    """The gold Source is often a long phrase ("Chris Low at FTN Financial"): a predicted name whose
    words all stand in it matches, as does a predicted mention overlapping it."""
    if g.source is None:
        return True  # nothing to check against
    if p.speaker_span is not None and overlap(g.source, p.speaker_span) > 0:
        return True
    gold_words = _words(g.source_text)
    return any(same_name(g.source_text, n) or (_words(n) and _words(n) <= gold_words) for n in p.speaker_names)


def greedy(golds: list[GoldAttribution], preds: list[Prediction], with_speaker: bool) -> int:
    used: set[int] = set()
    for g in golds:
        for i, p in enumerate(preds):
            if i in used or not content_match(g, p):
                continue
            if with_speaker and not speaker_match(g, p):
                continue
            used.add(i)
            break
    return len(used)


def newsgraph_predictions(doc: Document, parsed: Any) -> list[Prediction]:
    doc.entities = extract_entities(doc, parsed)
    by_id = {e.id: e for e in doc.entities}
    out = []
    for q in extract_quotes(doc, parsed):
        names: set[str] = set()
        if q.get("speaker") in by_id:
            ent = by_id[q["speaker"]]
            names = {ent.name, *(m.text for m in ent.mentions)}
        elif q.get("speaker_name"):
            names = {q["speaker_name"]}
        mention = q.get("speaker_mention")
        span = (mention["start"], mention["end"]) if mention else None
        content = strip_span(doc.text, (q["start"], q["end"]))
        out.append(Prediction(content, q["kind"] == "direct", span, names))
    return out


def textacy_predictions(parsed: Any, text: str, doc: Document) -> tuple[list[Prediction], int]:
    """textacy's direct quotations; where it refuses a document (an unclosed quote anywhere), it is
    given each paragraph on its own, and the paragraphs it still refuses are counted."""
    try:
        return _triples(parsed, text, 0), 0
    except ValueError:
        pass
    out: list[Prediction] = []
    refused = 0
    for p in doc.paragraphs:
        span = parsed.char_span(p.start, p.end, alignment_mode="expand")
        if span is None:
            continue
        try:
            out += _triples(span.as_doc(), text, span.start_char)
        except ValueError:
            refused += 1
    return out, refused


def _triples(parsed: Any, text: str, offset: int) -> list[Prediction]:
    out = []
    for triple in direct_quotations(parsed):
        content = triple.content
        speakers = list(triple.speaker)
        span = (offset + speakers[0].idx, offset + speakers[-1].idx + len(speakers[-1])) if speakers else None
        names = {text[span[0] : span[1]]} if span else set()
        start = offset + content[0].idx if len(content) else offset
        end = offset + content[-1].idx + len(content[-1]) if len(content) else offset
        out.append(Prediction(strip_span(text, (start, end)), True, span, names))
    return out


def articles(data: Path, split: str, limit: int | None) -> Iterable[tuple[str, str, list[GoldAttribution]]]:
    texts = sorted((data / split / "text").glob("*.txt"))[:limit]
    for path in texts:
        anns = sorted((data / split / "attributions").glob(f"{path.stem}_*.ann"))
        if not anns:
            continue
        text = path.read_text(encoding="utf-8")
        yield path.stem, text, read_ann(anns[0], text)


def arguments() -> argparse.ArgumentParser:
    ap = harness.parser(__doc__)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the polnear folder (default: %(default)s)")
    ap.add_argument("--split", default="test", choices=["train", "dev", "test"])
    return ap


def run(args: argparse.Namespace) -> dict[str, Any]:
    harness.require(args.data / args.split / "text", f"PolNeAR {args.split} split")
    model = nlp.load()
    tallies = {
        f"{system} {kind} {what}": Tally()
        for system in ("newsgraph", "textacy")
        for kind in ("direct", "indirect", "any")
        for what in ("content", "content+speaker")
    }
    timing = {"newsgraph": 0.0, "textacy": 0.0, "parse": 0.0}
    n_docs = 0
    textacy_refused = 0
    for _name, text, gold in articles(args.data, args.split, args.limit):
        n_docs += 1
        doc = as_document(text)
        t0 = time.perf_counter()
        parsed = model(nlp.matching_form(text))
        t1 = time.perf_counter()
        ours = newsgraph_predictions(doc, parsed)
        t2 = time.perf_counter()
        theirs, refused = textacy_predictions(parsed, text, doc)
        textacy_refused += refused
        t3 = time.perf_counter()
        timing["parse"] += t1 - t0
        timing["newsgraph"] += t2 - t1
        timing["textacy"] += t3 - t2
        for system, preds in (("newsgraph", ours), ("textacy", theirs)):
            for kind, direct in (("direct", True), ("indirect", False), ("any", None)):
                g = [a for a in gold if direct is None or a.direct is direct]
                p = [x for x in preds if direct is None or x.direct is direct]
                for what, with_speaker in (("content", False), ("content+speaker", True)):
                    tp = greedy(g, p, with_speaker)
                    tallies[f"{system} {kind} {what}"].add(tp, len(p), tp, len(g))
    results: dict[str, Any] = {k: t.scores() for k, t in tallies.items()}
    print(
        f"PolNeAR {args.split}: {n_docs} articles; parse {timing['parse']:.1f} s, "
        f"newsgraph layers {timing['newsgraph']:.1f} s, textacy {timing['textacy']:.1f} s"
    )
    print(f"{'system / kind / match':38s}     P      R     F1   pred   gold")
    for key, s in results.items():
        if key.startswith(("textacy indirect", "textacy any")):
            continue
        print(f"{key:38s} {s['p']:6.3f} {s['r']:6.3f} {s['f1']:6.3f} {s['n_pred']:6d} {s['n_gold']:6d}")
    print(f"textacy refused {textacy_refused} paragraphs (unclosed quotes) after refusing whole articles")
    return {
        "split": args.split,
        "articles": n_docs,
        "timing_s": timing,
        "textacy_refused_paragraphs": textacy_refused,
        "scores": results,
    }


def main(argv: list[str] | None = None) -> int:
    return harness.main(NAME, arguments(), run, argv, peers=PEERS, complete=lambda args: args.split == "test")


if __name__ == "__main__":
    sys.exit(main())
