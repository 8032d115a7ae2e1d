"""The benchmark gate (``python -m bench.gate``): it fails on a figure below its floor, and today's
figures pass it (the whole gate, about two minutes: marked slow)."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest

from bench import blind_errors, gate

FAKE_FIGURES = {"scores": {"newsgraph": {"f1": 0.80, "p": 0.90}}}


def test_compare_names_each_metric_below_its_floor() -> None:
    metrics = {
        "scores/newsgraph/f1": {"floor": 0.85, "measured": 0.86},  # above the figure: fails
        "scores/newsgraph/p": {"floor": 0.90, "measured": 0.91},  # equal to it: passes
    }
    failures = gate.compare("fake", metrics, FAKE_FIGURES)
    assert len(failures) == 1
    assert failures[0].startswith("fake scores/newsgraph/f1 = 0.8, below its floor 0.85")


def test_compare_passes_under_the_floor_and_fails_on_a_missing_metric() -> None:
    assert gate.compare("fake", {"scores/newsgraph/f1": {"floor": 0.79, "measured": 0.8}}, FAKE_FIGURES) == []
    missing = gate.compare("fake", {"scores/spacy/f1": {"floor": 0.1, "measured": 0.2}}, FAKE_FIGURES)
    assert missing == ["fake scores/spacy/f1: missing from the figures (floor 0.1)"]


def test_gate_exits_nonzero_when_a_floor_is_above_the_figure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    floors: dict[str, Any] = {
        "benchmarks": {
            "fake": {
                "args": ["--limit", "3"],
                "margin": 0.01,
                "metrics": {"scores/newsgraph/f1": {"floor": 0.81, "measured": 0.82}},
            }
        }
    }
    path = tmp_path / "floors.json"
    path.write_text(json.dumps(floors), encoding="utf-8")
    seen: list[tuple[str, list[str]]] = []

    def fake_run(name: str, flags: list[str], verbose: bool) -> dict[str, Any]:
        seen.append((name, list(flags)))
        return FAKE_FIGURES

    monkeypatch.setattr(gate, "run_benchmark", fake_run)
    assert gate.main(["--floors", str(path)]) == 1
    assert seen == [("fake", ["--limit", "3"])]
    out = capsys.readouterr().out
    assert "gate: FAILED" in out
    assert "fake scores/newsgraph/f1 = 0.8, below its floor 0.81" in out

    floors["benchmarks"]["fake"]["metrics"]["scores/newsgraph/f1"]["floor"] = 0.79
    path.write_text(json.dumps(floors), encoding="utf-8")
    assert gate.main(["--floors", str(path)]) == 0


def test_floors_file_is_consistent() -> None:
    """Every floor sits a little under the figure it was pinned from, on a benchmark the gate can run."""
    floors = gate.load_floors(gate.FLOORS)
    assert floors["benchmarks"]
    for name, spec in floors["benchmarks"].items():
        module = importlib.import_module(f"bench.{name}")
        module.arguments().parse_args([*spec["args"], "--no-write"])  # the flags are the benchmark's own
        for path, metric in spec["metrics"].items():
            assert 0 < metric["floor"] <= metric["measured"], (name, path)
            assert metric["measured"] - metric["floor"] <= spec["margin"] + 0.001, (name, path)


@pytest.mark.slow
def test_todays_figures_pass_the_gate(capsys: pytest.CaptureFixture[str]) -> None:
    status = gate.main([])
    out = capsys.readouterr().out
    assert status == 0, out


@pytest.mark.parametrize("folder", ["test", "test2", "names_test", "fr_test", "es_test"])
def test_no_test_split_s_errors_are_shown(folder: str) -> None:
    # the blind regime: a test split is scored, never read
    assert blind_errors.main(["places", "--gold", str(blind_errors.DEV.parent / folder)]) == 2
