"""bench.speed on a folder of two articles: every path timed, every registered layer's time summed inside
analyze_many's (a change to the layer registry's calling convention broke it once without a test)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench import harness, speed
from newsgraph.layers import registered

SEED = harness.SHARED / "fixtures" / "seed" / "article.txt"


def test_speed_on_a_folder_of_two_articles(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt"):
        shutil.copy(SEED, tmp_path / name)
    args = speed.arguments().parse_args([str(tmp_path), "--step", "1", "--warm", "1", "--parse-alone", "--no-write"])
    figures = speed.run(args)
    assert figures["articles"] == 2 and figures["tokens"] > 500
    assert set(figures["runs_s"]) == {
        "spacy_pipe",
        "spacy_pipe_matmul",
        "newsgraph_parse",
        "newsgraph_analyze_many",
        "cleaning",
    }
    assert set(figures["layers_s"]) == {layer.name for layer in registered()}
    total = figures["best"]["newsgraph_analyze_many"]["seconds"]
    assert 0 < sum(figures["layers_s"].values()) < total
    assert figures["layers_s"]["entities"] > 0 and figures["layers_s"]["times"] > 0
    assert figures["matmul_speed_up_of_spacy"] > 0 and figures["speed_ratio_matmul"] > 0
    assert figures["speed_ratio"] == pytest.approx(figures["best"]["spacy_pipe"]["seconds"] / total, rel=0.02)
