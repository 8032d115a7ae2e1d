"""The gazetteer's index is built once per machine: processes starting together build it once (a file
lock), the others wait and read it; no process reads a half-written or cut-short index, and a build
killed midway leaves neither a lock nor a partial index behind. On a small real source (a few
GeoNames cities and the towns of a few countries), so that a build takes about a second."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsgraph.layers._support import gazetteer as gz

from .helpers import ROOT

CITIES = ("Mosul", "Tehran", "Paris", "Washington", "Moscow", "Springfield", "Kano")
COUNTRIES = {"IQ", "IR", "FR", "NG"}

# A process that opens the gazetteer once the go file appears; its build (counted) takes a second more,
# so that processes started together overlap.
CHILD = """
import json, os, sys, time
from newsgraph.layers._support import gazetteer as gz
real_build, built = gz.build, []
def build(*args, **kwargs):
    built.append(os.getpid())
    time.sleep(1.0)
    return real_build(*args, **kwargs)
gz.build = build
while not os.path.exists(sys.argv[1]):
    time.sleep(0.005)
g = gz.gazetteer()
print(json.dumps({"built": len(built), "size": g.size(),
                  "found": {n: [list(p.row()) for p in g.lookup(n)] for n in sys.argv[2:]}}))
"""


@pytest.fixture
def small_source(tmp_path: Path) -> dict[str, str]:
    """The environment pointing the gazetteer at a small real source and an empty cache folder."""
    real = gz.source_dir()
    src = tmp_path / "data"
    src.mkdir()
    for name in ("countries.json", "us_states.json", "us_counties.json", "continents.json"):
        (src / name).write_bytes((real / name).read_bytes())
    cities = json.loads((real / "cities15000.json").read_text(encoding="utf-8"))
    keep = {k: v for k, v in cities.items() if v["name"] in CITIES}
    (src / "cities1000.json").write_text(json.dumps(keep), encoding="utf-8")
    with gzip.open(gz.admin_source(), "rt", encoding="utf-8") as fh:
        towns = [t for t in json.load(fh) if t["country_code"] in COUNTRIES]
    admin = tmp_path / "geocode.gz"
    with gzip.open(admin, "wt", encoding="utf-8") as out:
        json.dump(towns, out)
    return {
        "NEWSGRAPH_CACHE": str(tmp_path / "cache"),
        "NEWSGRAPH_GEONAMES_DATA": str(src),
        "NEWSGRAPH_ADMIN_DATA": str(admin),
    }


@pytest.fixture
def use_source(small_source: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """This process pointed at the small source; the cache folder."""
    for k, v in small_source.items():
        monkeypatch.setenv(k, v)
    gz.reset()
    yield Path(small_source["NEWSGRAPH_CACHE"])
    gz.reset()


def _children(env: dict[str, str], go: Path, n: int) -> list[subprocess.Popen[str]]:
    full = {**os.environ, **env}
    cmd = [sys.executable, "-c", CHILD, str(go), *CITIES]
    return [subprocess.Popen(cmd, cwd=ROOT, env=full, stdout=subprocess.PIPE, text=True) for _ in range(n)]


def test_three_processes_starting_together_build_the_index_once(tmp_path: Path, small_source: dict[str, str]) -> None:
    go = tmp_path / "go"
    children = _children(small_source, go, 3)
    time.sleep(1.5)  # all three importing, then waiting for the go file
    go.touch()
    answers = []
    for child in children:
        out, _ = child.communicate(timeout=120)
        assert child.returncode == 0
        answers.append(json.loads(out))
    assert sorted(a["built"] for a in answers) == [0, 0, 1]
    assert answers[0]["found"] == answers[1]["found"] == answers[2]["found"]
    assert answers[0]["size"] == answers[1]["size"] == answers[2]["size"]
    assert answers[0]["found"]["Mosul"][0][3] == "IQ"  # (id, geonameid, name, country, ...)
    cache = Path(small_source["NEWSGRAPH_CACHE"])
    assert sorted(p.name for p in cache.iterdir()) == [gz.INDEX_NAME, gz.INDEX_NAME + gz.LOCK_SUFFIX]


def test_an_index_cut_short_is_rebuilt_not_read(use_source: Path) -> None:
    index = use_source / gz.INDEX_NAME
    before = [p.row() for p in gz.gazetteer().lookup("Tehran")]
    assert before and before[0][3] == "IR"
    whole = index.read_bytes()
    for cut in (len(whole) // 2, len(whole) - 4096, 100, 10):
        gz.reset()
        index.write_bytes(whole[:cut])
        assert not gz._complete(index)
        assert [p.row() for p in gz.gazetteer().lookup("Tehran")] == before, cut
        assert index.stat().st_size == len(whole)


def test_a_build_killed_midway_leaves_no_lock_and_no_partial_index(use_source: Path) -> None:
    """A process killed while it holds the build lock, with its temporary file half written: the next
    process neither waits for ever nor reads the temporary file; it builds, and removes the leftover."""
    use_source.mkdir(parents=True)
    leftover = use_source / ".gazetteer-killed.tmp"
    leftover.write_bytes(b"SQLite format 3\x00" + b"\x00" * 500)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom pathlib import Path\nfrom newsgraph.layers._support import gazetteer as gz\n"
            "with gz._build_lock(Path(sys.argv[1])):\n    print('locked', flush=True)\n    time.sleep(120)",
            str(use_source / gz.INDEX_NAME),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=10)
    assert gz.gazetteer().lookup("Kano")[0].country == "NG"
    assert not leftover.exists()
    assert gz._complete(use_source / gz.INDEX_NAME)


def test_a_waiting_process_reads_what_the_builder_built(use_source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under the lock the index is checked again: one built meanwhile is read, not built a second time."""
    gz.gazetteer()
    gz.reset()
    index = use_source / gz.INDEX_NAME
    stamp = index.stat().st_mtime_ns
    calls: list[int] = []
    real_valid = gz._valid

    def first_stale(path: Path, fingerprint: str) -> bool:  # the first check sees no index, as a waiter would
        calls.append(1)
        return len(calls) > 1 and real_valid(path, fingerprint)

    monkeypatch.setattr(gz, "_valid", first_stale)
    monkeypatch.setattr(gz, "build", lambda *a, **k: pytest.fail("built a second time"))
    assert gz.gazetteer().lookup("Paris")
    assert len(calls) == 2 and index.stat().st_mtime_ns == stamp
