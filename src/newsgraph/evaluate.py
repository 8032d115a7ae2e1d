"""Scoring the pipeline against gold files (the format of ../shared/fixtures/seed/gold.json).

The matching rules are those of the team's reference scorer (shared/tools/score.py): quotes by word
overlap (+ speaker), quantities by value and text, times by core words (+ TIMEX3 value), places by
name and country within 161 km, persons and organizations by canonical name without titles. Counts
are summed over all gold files (micro-average). The "article" row counts cleaning checks passed.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from newsgraph.errors import InputError
from newsgraph.geo import km

Item = dict[str, Any]
TITLE_WORDS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "gen",
    "maj",
    "lt",
    "col",
    "capt",
    "sgt",
    "president",
    "prime",
    "minister",
    "sen",
    "rep",
    "gov",
    "sir",
    "the",
    "general",
    "major",
    "colonel",
    "analyst",
}
TIME_FILLERS = {"on", "in", "at", "by", "since", "from", "before", "after", "during", "the", "of", "until"}
NEUTRAL_QUANTITY = {"duration", "age", "fraction"}
# a TIMEX3 day with its part of day ("2011-03-05TMO" for "Saturday morning"): as right as the gold's day alone
PART_OF_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})T(MO|AF|EV|NI|DT)$")
LAYERS = [
    "article",
    "persons",
    "organizations",
    "quotes",
    "quote+speaker",
    "quantities",
    "times",
    "time+value",
    "places",
    "linking",
]


_PLAIN_QUOTES = str.maketrans("\u2019\u2018\u201c\u201d", "''\"\"")


def norm(s: str | None) -> str:
    s = unicodedata.normalize("NFKC", s or "")
    s = s.translate(_PLAIN_QUOTES)
    return re.sub(r"\s+", " ", s).strip()


def word_set(s: str | None) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", norm(s).lower()))


def name_key(s: str | None) -> str:
    return " ".join(t for t in re.findall(r"[a-z0-9]+", norm(s).lower()) if t not in TITLE_WORDS)


def same_name(a: str | None, b: str | None) -> bool:
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    ta, tb = ka.split(), kb.split()
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    return len(short) >= 2 and long_[-len(short) :] == short


def text_overlap(a: str | None, b: str | None) -> bool:
    wa, wb = word_set(a), word_set(b)
    if not wa or not wb:
        return False
    inter = len(wa & wb)
    return inter / len(wa | wb) >= 0.6 or inter == min(len(wa), len(wb))


class Tally:
    """Counts for one layer: matched predictions, predictions, matched gold items, gold items."""

    def __init__(self) -> None:
        self.tp_pred = self.n_pred = self.tp_gold = self.n_gold = 0

    def add(self, tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> None:
        self.tp_pred += tp_pred
        self.n_pred += n_pred
        self.tp_gold += tp_gold
        self.n_gold += n_gold

    def scores(self) -> dict[str, float | int]:
        p = self.tp_pred / self.n_pred if self.n_pred else (1.0 if not self.n_gold else 0.0)
        r = self.tp_gold / self.n_gold if self.n_gold else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "p": round(p, 4),
            "r": round(r, 4),
            "f1": round(f, 4),
            "n_pred": self.n_pred,
            "n_gold": self.n_gold,
        }


def greedy(golds: list[Any], preds: list[Any], ok: Callable[[Any, Any], bool]) -> int:
    """One-to-one greedy matching in gold order: the number of pairs (each matched gold item uses
    one prediction, so it counts both the gold items found and the predictions that are right)."""
    used: set[int] = set()
    for g in golds:
        for i, p in enumerate(preds):
            if i not in used and ok(g, p):
                used.add(i)
                break
    return len(used)


def drop_neutral(
    golds: list[Item], preds: list[Item], ok: Callable[[Item, Item], bool], neutral: Callable[[Item], bool]
) -> tuple[list[Item], list[Item]]:
    """Gold items that count neither way go, with the predictions they match."""
    used: set[int] = set()
    for g in (g for g in golds if neutral(g)):
        for i, p in enumerate(preds):
            if i not in used and ok(g, p):
                used.add(i)
                break
    return [g for g in golds if not neutral(g)], [p for i, p in enumerate(preds) if i not in used]


def _unique(items: list[Any], key: Callable[[Any], Any]) -> list[Any]:
    seen: set[Any] = set()
    out = []
    for it in items:
        k = key(it)
        if k and k not in seen:
            seen.add(k)
            out.append(it)
    return out


def score_names(gold: Item, pred: Item, key: str, types: set[str]) -> tuple[int, int, int, int]:
    raw = gold.get(key, [])
    optional = [x["name"] for x in raw if isinstance(x, dict) and x.get("optional")]
    names = [x["name"] if isinstance(x, dict) else x for x in raw if not (isinstance(x, dict) and x.get("optional"))]
    gn = _unique(names, name_key)
    pn = _unique([e.get("name", "") for e in pred.get("entities", []) if e.get("type") in types], name_key)
    pn = [p for p in pn if not any(same_name(o, p) for o in optional)]
    tp = greedy(gn, pn, same_name)
    return tp, len(pn), tp, len(gn)


def score_quotes(gold: Item, pred: Item) -> dict[str, tuple[int, int, int, int]]:
    gq = [q for q in gold.get("quotes", []) if q.get("kind", "direct") == "direct"]
    pq = [q for q in pred.get("quotes", []) if q.get("kind", "direct") == "direct"]

    def ok(g: Item, p: Item) -> bool:
        return text_overlap(g["text"], p.get("text"))

    def with_speaker(g: Item, p: Item) -> bool:
        if not ok(g, p):
            return False
        if g.get("speaker") is None:
            return p.get("speaker_name") in (None, "")
        return same_name(g["speaker"], p.get("speaker_name"))

    gq, pq = drop_neutral(gq, pq, ok, lambda g: bool(g.get("optional")))
    t1 = greedy(gq, pq, ok)
    t2 = greedy(gq, pq, with_speaker)
    return {"quotes": (t1, len(pq), t1, len(gq)), "quote+speaker": (t2, len(pq), t2, len(gq))}


def _num(v: Any) -> float | None:
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def _same_value(gv: Any, pv: Any) -> bool:
    if isinstance(gv, list):
        if isinstance(pv, list):
            return len(pv) == len(gv) and all(_same_value(a, b) for a, b in zip(gv, pv, strict=True))
        return any(_same_value(v, pv) for v in gv)
    if isinstance(pv, list):
        return any(_same_value(gv, v) for v in pv)
    p = _num(pv)
    return p is not None and abs(p - float(gv)) <= 1e-6 * max(1.0, abs(float(gv)))


def score_quantities(gold: Item, pred: Item) -> tuple[int, int, int, int]:
    gq, pq = gold.get("quantities", []), pred.get("quantities", [])

    def ok(g: Item, p: Item) -> bool:
        if not _same_value(g["value"], p.get("value")):
            return False
        noun = (g.get("unit_or_noun") or "").lower()
        return text_overlap(g["text"], p.get("text")) or bool(noun and noun in norm(p.get("noun")).lower())

    gq, pq = drop_neutral(gq, pq, ok, lambda g: bool(g.get("optional")) or g.get("category") in NEUTRAL_QUANTITY)
    tp = greedy(gq, pq, ok)
    return tp, len(pq), tp, len(gq)


def same_time_value(gold_value: Any, pred_value: Any) -> bool:
    """TIMEX3 values agree, as the reference scorer has it: the same value, or the gold's day with a part of
    day added."""
    g, p = str(gold_value), str(pred_value)
    if g == p:
        return True
    m = PART_OF_DAY.match(p)
    return m is not None and m.group(1) == g


def score_times(gold: Item, pred: Item) -> dict[str, tuple[int, int, int, int]]:
    gt = list(gold.get("times", [])) + [
        {"text": q["text"], "value": None, "optional": True}
        for q in gold.get("quantities", [])
        if q.get("category") == "duration"
    ]
    pt = list(pred.get("times", []))

    def hit(g: Item, p: Item) -> bool:
        a = word_set(g["text"]) - TIME_FILLERS
        b = word_set(p.get("text")) - TIME_FILLERS
        return bool(a & b) and (a <= b or b <= a)

    gt, pt = drop_neutral(gt, pt, hit, lambda g: bool(g.get("optional")))
    t1 = greedy(gt, pt, hit)
    t2 = greedy(gt, pt, lambda g, p: hit(g, p) and same_time_value(g["value"], p.get("value")))
    return {"times": (t1, len(pt), t1, len(gt)), "time+value": (t2, len(pt), t2, len(gt))}


def score_places(gold: Item, pred: Item) -> tuple[int, int, int, int]:
    gp = _unique(gold.get("places", []), lambda p: (name_key(p.get("name")), p.get("country")))
    pp = _unique(pred.get("places", []), lambda p: (name_key(p.get("name") or p.get("text")), p.get("country")))

    def ok(g: Item, p: Item) -> bool:
        if (p.get("country") or "").upper() != (g.get("country") or "").upper():
            return False
        if not (
            same_name(g.get("name"), p.get("name"))
            or same_name(g.get("text", g.get("name")), p.get("text"))
            or name_key(g.get("name")) == name_key(p.get("name"))
        ):
            return False
        lat, lon = _num(p.get("lat")), _num(p.get("lon"))
        if g.get("lat") is not None and lat is not None and lon is not None:
            return km(g["lat"], g["lon"], lat, lon) <= 161
        return True

    tp = greedy(gp, pp, ok)
    return tp, len(pp), tp, len(gp)


def score_article(gold: Item, pred: Item) -> tuple[int, int, int, int]:
    """Cleaning checks: title, subtitle, headings, caption, debris out of the text, body bounds."""
    art = gold.get("article")
    if not art:
        return 0, 0, 0, 0
    paras = [(p["kind"], norm(pred["text"][p["start"] : p["end"]])) for p in pred.get("paragraphs", [])]
    kinds = {k: [t for kk, t in paras if kk == k] for k in ("title", "subtitle", "heading", "caption", "body")}
    checks: list[bool] = []
    if "title" in art:
        checks.append(norm(art["title"]) in kinds["title"])
    if "subtitle" in art:
        checks.append(norm(art["subtitle"]) in kinds["subtitle"])
    checks += [norm(h) in kinds["heading"] for h in art.get("section_headings", [])]
    if "caption_starts_with" in art:
        checks.append(any(c.startswith(norm(art["caption_starts_with"])) for c in kinds["caption"]))
    checks += [norm(b) not in [t for _, t in paras] for b in art.get("boilerplate_lines", [])]
    if "body_first_words" in art:
        checks.append(bool(kinds["body"]) and kinds["body"][0].startswith(norm(art["body_first_words"])))
    if "body_last_words" in art:
        checks.append(bool(kinds["body"]) and kinds["body"][-1].endswith(norm(art["body_last_words"])))
    checks.append(all(pred["text"][s["start"] : s["end"]] == s["text"] for s in _spans(pred)))
    passed = sum(checks)
    return passed, len(checks), passed, len(checks)


def _spans(pred: Item) -> list[Item]:
    spans = [m for e in pred.get("entities", []) for m in e.get("mentions", [])]
    for layer in ("quotes", "quantities", "times", "places"):
        spans += [x for x in pred.get(layer, []) if "start" in x and "text" in x]
    return spans


# the rows a layer named in a gold file's "layers" brings
LAYER_PARTS = {"quotes": ("quote+speaker",), "times": ("time+value",), "persons": ("linking",)}
LINK_GOLD = (("persons", "PERSON"), ("organizations", "ORG"))


def score_linking(gold: Item, pred: Item) -> tuple[int, int, int, int]:
    """Linking to the knowledge base: of the gold persons and organizations the KB holds (their gold
    name is one of an entry's names), those a predicted entity of the type is linked to (recall); of
    the predicted entities linked to an entry, those whose entry a gold name of the document is
    (precision). Entities are the KB's by their QID, else by their canonical name."""
    from newsgraph.kb import fold, kb

    base = kb()
    wanted: set[tuple[str, str]] = set()
    for key, type_ in LINK_GOLD:
        for x in gold.get(key, []):
            if isinstance(x, dict) and x.get("optional"):
                continue
            name = x["name"] if isinstance(x, dict) else x
            owners = {e.name for e in base.strong.get(fold(name), []) if e.type == type_}
            if len(owners) == 1:  # a name the KB holds for one entity, wherever it is written
                wanted.add((type_, owners.pop()))
    linked: set[tuple[str, str]] = set()
    for e in pred.get("entities", []):
        entry = base.by_qid.get(e.get("wikidata") or "") or base.by_name.get(e.get("name", ""))
        if entry is not None and e.get("type") in ("PERSON", "ORG"):
            linked.add((str(e["type"]), entry.name))
    hits = len(wanted & linked)
    return hits, len(linked), hits, len(wanted)


def score_document(gold: Item, pred: Item) -> dict[str, tuple[int, int, int, int]]:
    out: dict[str, tuple[int, int, int, int]] = {"article": score_article(gold, pred)}
    out["persons"] = score_names(gold, pred, "persons", {"PERSON", "PER"})
    out["organizations"] = score_names(gold, pred, "organizations", {"ORG", "ORGANIZATION", "NORP_ORG"})
    out.update(score_quotes(gold, pred))
    out["quantities"] = score_quantities(gold, pred)
    out.update(score_times(gold, pred))
    out["places"] = score_places(gold, pred)
    out["linking"] = score_linking(gold, pred)
    if isinstance(gold.get("layers"), list):
        # a gold file of some layers only (names: persons and organizations) scores those alone
        wanted = {k for layer in gold["layers"] for k in (layer, *LAYER_PARTS.get(layer, ()))}
        out = {k: v for k, v in out.items() if k in wanted}
    return out


def find_article(gold_path: Path, gold: Item) -> Path:
    """The article a gold file annotates: its "article_path", else article.txt/.html beside it."""
    if isinstance(gold.get("article_path"), str):
        return (gold_path.parent / str(gold["article_path"])).resolve()
    for name in ("article.txt", "article.html", f"{gold_path.stem}.txt", f"{gold_path.stem}.html"):
        if (gold_path.parent / name).exists():
            return gold_path.parent / name
    raise InputError(str(gold_path), "no article found beside the gold file (article.txt or article.html)")


def evaluate_files(paths: Sequence[str]) -> dict[str, Any]:
    from newsgraph.dates import check_date
    from newsgraph.pipeline import analyze
    from newsgraph.sources.raw import read_input

    tallies = {layer: Tally() for layer in LAYERS}
    per_file = []
    for path in paths:
        gp = Path(path)
        try:
            gold = json.loads(gp.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(path, "no such gold file") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError(path, f"not a JSON gold file ({exc})") from None
        raw = read_input(str(find_article(gp, gold)))
        raw.published = check_date(gold.get("published"), f"{path}: published")
        raw.source = gold.get("source")
        pred = analyze(raw).to_json()
        counts = score_document(gold, pred)
        for layer, c in counts.items():
            tallies[layer].add(*c)
        per_file.append({"gold": path, "layers": {k: list(v) for k, v in counts.items()}})
    scored = {k for f in per_file for k in f["layers"]}  # a set of names-only gold scores no quotes
    layers = {k: t.scores() for k, t in tallies.items() if k in scored}
    return {"files": len(paths), "layers": layers, "per_file": per_file}


def gold_sets(specs: Sequence[str]) -> dict[str, list[str]]:
    """Gold files by set: a folder is a set named after it (the ``*.json`` files in it, sorted), loose
    files are one set ("files"). InputError for a folder without gold files."""
    sets: dict[str, list[str]] = {}
    for spec in specs:
        path = Path(spec)
        if path.is_dir():
            files = sorted(str(f) for f in path.glob("*.json"))
            if not files:
                raise InputError(spec, "a folder with no gold files (*.json)")
            sets.setdefault(path.name, []).extend(files)
        else:
            sets.setdefault("files", []).append(spec)
    return sets


def evaluate_sets(specs: Sequence[str]) -> dict[str, Any]:
    """``evaluate_files`` for each set of ``gold_sets``: ``{"sets": {name: report}}``."""
    return {"sets": {name: evaluate_files(paths) for name, paths in gold_sets(specs).items()}}


def format_sets(report: dict[str, Any]) -> str:
    """The sets side by side: P, R, F1 and gold counts per layer for each set."""
    sets: dict[str, Any] = report["sets"]
    names = list(sets)
    head = f"{'layer':16s}" + "".join(f" | {n[:20]:^26s}" for n in names)
    sub = f"{'':16s}" + "".join(" |    P      R      F1  gold" for _ in names)
    lines = [
        "newsgraph eval: " + ", ".join(f"{n} ({sets[n]['files']} gold files)" for n in names),
        head,
        sub,
    ]
    for layer in LAYERS:
        cells = [sets[n]["layers"].get(layer) for n in names]
        if not any(c and (c["n_gold"] or c["n_pred"]) for c in cells):
            continue
        row = "".join(
            f" | {c['p']:6.3f} {c['r']:6.3f} {c['f1']:6.3f} {c['n_gold']:5d}" if c else f" | {'-':^26s}" for c in cells
        )
        lines.append(f"{layer:16s}{row}")
    return "\n".join(lines)


def format_report(report: dict[str, Any]) -> str:
    lines = [
        f"newsgraph eval over {report['files']} gold file(s)",
        f"{'layer':16s}    P      R      F1   pred  gold",
    ]
    for layer, s in report["layers"].items():
        if not s["n_gold"] and not s["n_pred"]:
            continue
        lines.append(f"{layer:16s} {s['p']:6.3f} {s['r']:6.3f} {s['f1']:6.3f} {s['n_pred']:5d} {s['n_gold']:5d}")
    return "\n".join(lines)
