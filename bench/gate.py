"""The benchmarks as a CI gate: each headline figure against a floor pinned in ``bench/floors.json``.

``bench/floors.json`` names, per benchmark, the flags it runs with here (``--limit`` subsets where the full
run is too slow for CI) and, per headline metric (a ``/``-separated path into the benchmark's figures),
the figure measured with exactly those flags when the floor was pinned and the floor: that figure less
the benchmark's ``margin``, rounded down. The benchmarks run in this process, one after the other (the
model loads once), writing no results file; their own tables are shown with ``--verbose``.

The exit status is 1 when a figure is below its floor or missing (each such metric is named), 0 otherwise.
A benchmark whose dataset is missing is skipped with a message. speed and ingest are not gated: their
figures are timings of the machine they run on.

Run (from the repository root; about 2 minutes on 2 cores)::

    .venv/bin/python -m bench.gate                 # every gated benchmark
    .venv/bin/python -m bench.gate --only ner polnear --verbose
    .venv/bin/python -m bench.gate --pin           # re-measure and rewrite the floors (after an improvement)
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import json
import math
import sys
import time
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for python bench/gate.py
from bench import harness

FLOORS = Path(__file__).resolve().with_name("floors.json")
NOT_GATED = {"speed": "timings of the machine", "ingest": "timings of the machine"}


class Benchmark(Protocol):
    def arguments(self) -> argparse.ArgumentParser: ...

    def run(self, args: argparse.Namespace) -> dict[str, Any]: ...


def lookup(figures: Mapping[str, Any], path: str) -> float | None:
    """The number at a ``/``-separated path of keys, None when there is none."""
    node: Any = figures
    for key in path.split("/"):
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    if isinstance(node, bool) or not isinstance(node, int | float):
        return None
    return float(node)


def compare(name: str, metrics: Mapping[str, Mapping[str, Any]], figures: Mapping[str, Any]) -> list[str]:
    """One line per metric below its floor (or missing from the figures); empty when all pass."""
    failures = []
    for path, spec in metrics.items():
        floor = float(spec["floor"])
        value = lookup(figures, path)
        if value is None:
            failures.append(f"{name} {path}: missing from the figures (floor {floor:g})")
        elif value < floor:
            pinned = spec.get("measured", "?")
            failures.append(f"{name} {path} = {value:.4g}, below its floor {floor:g} (measured {pinned} when pinned)")
    return failures


def pin(measured: float, margin: float) -> float:
    """The floor for a figure: ``margin`` under it, rounded down to 3 decimals."""
    return math.floor(round((measured - margin) * 1000, 6)) / 1000


def run_benchmark(name: str, flags: Sequence[str], verbose: bool) -> dict[str, Any]:
    """The benchmark's figures with these flags, no results file written (``harness.Skip`` when it cannot run)."""
    module: Benchmark = importlib.import_module(f"bench.{name}")
    args = module.arguments().parse_args([*flags, "--no-write"])
    if verbose:
        return module.run(args)
    with contextlib.redirect_stdout(io.StringIO()):
        return module.run(args)


def load_floors(path: Path) -> dict[str, Any]:
    floors: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return floors


def arguments() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--floors", type=Path, default=FLOORS, help="the floors file (default: %(default)s)")
    ap.add_argument("--only", nargs="+", metavar="NAME", help="only these benchmarks")
    ap.add_argument("--verbose", "-v", action="store_true", help="show the benchmarks' own output")
    ap.add_argument("--pin", action="store_true", help="re-measure, and rewrite the floors file from the figures")
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    args = arguments().parse_args(argv)
    floors = load_floors(args.floors)
    benchmarks: dict[str, Any] = floors["benchmarks"]
    names = list(benchmarks)
    if args.only:
        unknown = sorted(set(args.only) - set(names))
        if unknown:
            print(f"gate: not gated: {', '.join(unknown)} (gated: {', '.join(names)})", file=sys.stderr)
            return 2
        names = [n for n in names if n in args.only]
    failures: list[str] = []
    skipped: list[str] = []
    start = time.perf_counter()
    for name in names:
        spec = benchmarks[name]
        t0 = time.perf_counter()
        try:
            figures = run_benchmark(name, spec.get("args", []), args.verbose)
        except harness.Skip as why:
            skipped.append(name)
            print(f"{name:<11} skipped: {why}")
            continue
        except Exception as exc:  # a benchmark that breaks fails the gate, and the others still run
            traceback.print_exc()
            failures.append(f"{name}: the benchmark failed ({type(exc).__name__}: {exc})")
            print(f"{name:<11} FAIL the benchmark failed ({type(exc).__name__}: {exc})")
            continue
        seconds = time.perf_counter() - t0
        found = compare(name, spec["metrics"], figures)
        failures += found
        flags = " ".join(spec.get("args", [])) or "(full run)"
        print(f"{name:<11} {'FAIL' if found else 'ok':<4} {len(spec['metrics'])} metrics, {flags}, {seconds:.0f} s")
        for path, metric in spec["metrics"].items():
            value = lookup(figures, path)
            shown = "missing" if value is None else f"{value:.4g}"
            print(f"  {path} = {shown} (floor {float(metric['floor']):g})")
        if args.pin:
            for path, metric in spec["metrics"].items():
                value = lookup(figures, path)
                if value is not None:
                    metric["measured"] = round(value, 4)
                    metric["floor"] = pin(value, float(spec["margin"]))
    print(
        f"gate: {time.perf_counter() - start:.0f} s; not gated: {', '.join(f'{k} ({v})' for k, v in NOT_GATED.items())}"
    )
    if skipped:
        print(f"gate: skipped (dataset missing): {', '.join(skipped)}")
    if args.pin:
        args.floors.write_text(json.dumps(floors, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"gate: floors rewritten in {args.floors}")
        return 0
    if failures:
        print(f"gate: FAILED, {len(failures)} metric(s) below the floor:")
        for line in failures:
            print(f"  {line}")
        return 1
    print("gate: passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
