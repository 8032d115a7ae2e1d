"""The blind dev set's errors, layer by layer, to read while working — never the test set's.

    .venv/bin/python -m bench.blind_errors speakers        # quotes found with the wrong or no speaker
    .venv/bin/python -m bench.blind_errors organizations   # gold names missed, predicted names not in gold
    .venv/bin/python -m bench.blind_errors persons | places | quotes | times | quantities
    .venv/bin/python -m bench.blind_errors organizations --gold bench/blind/names_dev   # the names-only dev set

Matching is the scorer's (``newsgraph.evaluate``); a gold item marked optional is left out. The test
folder is refused: its errors are not to be read (``bench/blind/README.md``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for python bench/...
from bench import harness
from newsgraph import evaluate
from newsgraph.evaluate import Item, name_key, same_name, text_overlap

DEV = harness.ROOT / "bench" / "blind" / "dev"
LAYERS = ("speakers", "quotes", "persons", "organizations", "places", "times", "quantities")


def predictions(folder: Path) -> Iterator[tuple[str, Item, Item]]:
    """(gold file name, gold, newsgraph's JSON) for every gold file of the folder."""
    from newsgraph.pipeline import analyze
    from newsgraph.sources.raw import read_input

    for path in sorted(folder.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        raw = read_input(str(evaluate.find_article(path, gold)))
        raw.published, raw.source = gold.get("published"), gold.get("source")
        yield path.name, gold, analyze(raw).to_json()


def _names(items: list[Any]) -> list[str]:
    return [x["name"] if isinstance(x, dict) else x for x in items if not (isinstance(x, dict) and x.get("optional"))]


def unmatched(golds: list[Any], preds: list[Any], ok: Callable[[Any, Any], bool]) -> tuple[list[Any], list[Any]]:
    used: set[int] = set()
    missed = []
    for g in golds:
        i = next((i for i, p in enumerate(preds) if i not in used and ok(g, p)), None)
        if i is None:
            missed.append(g)
        else:
            used.add(i)
    return missed, [p for i, p in enumerate(preds) if i not in used]


def report(layer: str, gold: Item, pred: Item) -> list[str]:
    lines: list[str] = []
    if layer in ("speakers", "quotes"):
        gq = [q for q in gold.get("quotes", []) if not q.get("optional")]
        pq = [q for q in pred["quotes"] if q["kind"] == "direct"]
        if layer == "speakers":
            for g in gq:
                p = next((p for p in pq if text_overlap(g["text"], p["text"])), None)
                if p is not None and not (
                    same_name(g.get("speaker"), p.get("speaker_name"))
                    or (g.get("speaker") is None and not p.get("speaker_name"))
                ):
                    lines.append(f"  gold {g.get('speaker')!s:28} got {p.get('speaker_name')!s:28} {g['text'][:60]!r}")
            return lines
        missed, extra = unmatched(gq, pq, lambda g, p: text_overlap(g["text"], p["text"]))
        return [f"  missed {g['text'][:90]!r}" for g in missed] + [f"  extra  {p['text'][:90]!r}" for p in extra]
    if layer in ("persons", "organizations"):
        types = {"persons": {"PERSON"}, "organizations": {"ORG"}}[layer]
        gn = _names(gold.get(layer, []))
        pn = list(dict.fromkeys(e["name"] for e in pred["entities"] if e["type"] in types))
        optional = [x["name"] for x in gold.get(layer, []) if isinstance(x, dict) and x.get("optional")]
        pn = [p for p in pn if not any(same_name(o, p) for o in optional)]
        missed, extra = unmatched(list(dict.fromkeys(gn)), pn, same_name)
        other = {name_key(e["name"]): e["type"] for e in pred["entities"]}
        lines += [f"  missed {g!r} (typed {other.get(name_key(g), '-')})" for g in missed]
        return lines + [f"  extra  {p!r}" for p in extra]
    if layer == "places":

        def key(p: Item) -> tuple[str, Any]:
            return name_key(p.get("name") or p.get("text")), p.get("country")

        gp = list({key(p): p for p in gold.get("places", []) if not p.get("optional")}.values())
        doubtful = {key(p) for p in gold.get("places", []) if p.get("optional")}
        pp = [p for p in {key(p): p for p in pred["places"]}.values() if key(p) not in doubtful]
        missed, extra = unmatched(
            gp,
            pp,
            lambda g, p: (
                (g.get("country") or "") == (p.get("country") or "")
                and (same_name(g["name"], p["name"]) or same_name(g.get("text"), p["text"]) or key(g) == key(p))
            ),
        )
        lines += [f"  missed {g['text']!r} {g.get('name')} {g.get('country')}" for g in missed]
        return lines + [f"  extra  {p['text']!r} -> {p['name']} {p['country']} ({p['kind']})" for p in extra]
    if layer == "times":
        gt = [t for t in gold.get("times", []) if not t.get("optional")]

        def core(text: str) -> set[str]:
            return evaluate.word_set(text) - evaluate.TIME_FILLERS

        def hit(g: Item, p: Item) -> bool:
            a, b = core(g["text"]), core(p["text"])
            return bool(a & b) and (a <= b or b <= a)

        # one prediction per gold item, as the scorer pairs them: a time written five times needs five
        _, pt = unmatched([t for t in gold.get("times", []) if t.get("optional")], list(pred["times"]), hit)
        valued = lambda g, p: hit(g, p) and evaluate.same_time_value(g["value"], p.get("value"))  # noqa: E731
        missed, extra = unmatched(gt, pt, valued)
        for g in missed:
            p = next((p for p in extra if hit(g, p)), None)
            if p is not None:
                extra.remove(p)
            got = "-" if p is None else f"{p['text']!r} {p.get('value')}"
            lines.append(f"  gold {g['text']!r} {g['value']}  got {got}")
        return lines + [f"  extra {p['text']!r} {p.get('value')}" for p in extra]
    gq = [
        q for q in gold.get("quantities", []) if not q.get("optional") and q.get("category") not in ("duration", "age")
    ]
    missed, extra = unmatched(gq, pred["quantities"], lambda g, p: evaluate._same_value(g["value"], p.get("value")))
    lines += [f"  missed {g['text']!r} {g['value']}" for g in missed]
    return lines + [f"  extra  {p['text']!r} {p.get('value')}" for p in extra]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("layer", choices=LAYERS)
    ap.add_argument("--gold", type=Path, default=DEV, help="a dev folder (the test folder is refused)")
    args = ap.parse_args(argv)
    if "test" in args.gold.resolve().name:  # test, names_test, fr_test, test2...
        print("bench.blind_errors: the test set's errors are not to be read", file=sys.stderr)
        return 2
    for name, gold, pred in predictions(args.gold):
        lines = report(args.layer, gold, pred)
        if lines:
            print(f"{name} ({gold.get('source')})")
            print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
