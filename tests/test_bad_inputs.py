"""The bad-input matrix: every kind of input a crawl or a careless user hands over, ingested together in one
run beside good articles, and each through ``analyze``. Each gives a sound document or one clear line
naming it; none spoils the rest; the whole run stays within a time and memory bound (a guard, enforced
by the subprocess's limits, not a measurement: speed is the benches' job)."""

from __future__ import annotations

import codecs
import gzip
import json
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .helpers import ROOT, SEED
from .test_reliability import warc_bytes

SEED_TEXT = (SEED / "article.txt").read_text(encoding="utf-8")
PARAGRAPH = "The ministry said on Monday that 2,500 troops would stay in Baghdad until March. "
MEMORY_LIMIT = 6 * 1024**3  # address space of the ingest subprocess: the whole matrix must fit in it
TIME_LIMIT_S = 900  # the subprocess is killed past this: a stall, not a slow machine


def _text_of(size: int) -> bytes:
    return (PARAGRAPH * (size // len(PARAGRAPH) + 1)).encode()[:size]


def _feed(items: int) -> bytes:
    links = "".join(f"<item><link>http://10.0.0.{i % 250}/{i}</link></item>" for i in range(items))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{links}</channel></rss>'.encode()


# file name -> (its bytes, what must happen: "stored", or words of the one failure line naming it)
MATRIX: dict[str, tuple[Callable[[], bytes], str]] = {
    "empty.txt": (lambda: b"", "empty input"),
    "whitespace.txt": (lambda: b" \n\t\r\n  \n", "empty input"),
    "binary.txt": (lambda: bytes(range(256)) * 64, "binary file"),
    "seed.txt.gz": (lambda: gzip.compress(SEED_TEXT.encode()), "stored"),
    "broken.html.gz": (lambda: b"\x1f\x8b\x08\x00" + b"not gzip at all" * 10, "not a readable gzip file"),
    "text-20mb.txt": (lambda: _text_of(20 * 1024 * 1024), "too long"),
    "text-60mb.txt": (lambda: _text_of(60 * 1024 * 1024), "larger than 50 MiB"),
    "utf16-bom.txt": (lambda: codecs.BOM_UTF16_LE + SEED_TEXT.replace("Iraq", "Irak").encode("utf-16-le"), "stored"),
    "cp1252.txt": (lambda: "\u201cWe will stay,\u201d the minister said in Mosul.\n".encode("cp1252") * 20, "stored"),
    "latin1.txt": (lambda: "Le ministre a parl\xe9 \xe0 Bagdad lundi, a dit l'AFP.\n".encode("latin-1") * 20, "stored"),
    "surrogates.jsonl": (
        lambda: b'{"text": "A broken \\ud800 character in a report from Kirkuk on Monday.", "title": "Broken"}\n',
        "stored",
    ),
    "nested.html": (lambda: b"<html><body>" + b"<div>" * 100_000 + PARAGRAPH.encode() + b"</div>" * 100_000, "any"),
    "attributes.html": (
        lambda: b"<html><body><p " + b" ".join(b'a%d="x"' % i for i in range(100_000)) + b">Hello.</p>",
        "any",
    ),
    "one-sentence.txt": (lambda: (" ".join(["word"] * 5_000) + ".\n").encode(), "stored"),
    "quotes.txt": (lambda: ('He said "' * 2_000 + "and left.\n").encode(), "stored"),
    "absurd-dates.txt": (
        lambda: (
            b"On 31/02/99999 and in the year 10000000, on February 30, 2021, and 5,000 years from now, "
            b"at 25:61 on 0000-00-00 the minister said nothing happened.\n"
        ),
        "stored",
    ),
    "truncated.warc": (lambda: warc_bytes([("https://a.example/cut", SEED_TEXT.encode())])[:-500], "truncated record"),
    "broken.jsonl": (lambda: b'{"text": "unterminated\n[1, 2]\n\xff\xfe\n', "not valid JSON"),
    "huge-feed.rss": (lambda: _feed(10_000), "refused"),
}


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("matrix")
    for name, (make, _) in MATRIX.items():
        (folder / name).write_bytes(make())
    (folder / "good.txt").write_text(SEED_TEXT, encoding="utf-8")
    return folder


def _bounded(argv: list[str]) -> subprocess.CompletedProcess[str]:
    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    command = [sys.executable, "-m", "newsgraph.cli", *argv]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=TIME_LIMIT_S, preexec_fn=limits, cwd=ROOT, check=False
    )


@pytest.mark.slow
def test_every_bad_input_in_one_ingest_spoils_nothing(matrix: Path, tmp_path: Path) -> None:
    paths = [str(matrix / name) for name in [*MATRIX, "good.txt"]]
    done = _bounded(["ingest", *paths, "--db", str(tmp_path / "m.db"), "--no-geo", "--json"])
    assert done.returncode == 1, done.stderr[-2000:]  # some inputs failed; the run did not crash
    assert "Traceback" not in done.stderr
    report = json.loads(done.stdout)
    failed: dict[str, list[str]] = {}
    for failure in report["failed"]:
        assert "\n" not in failure["problem"]
        owner = next((name for name in [*MATRIX, "good.txt"] if str(matrix / name) in failure["input"]), None)
        if owner is None and "10.0.0." in failure["input"]:
            owner = "huge-feed.rss"  # the feed's items are named by their own URLs
        assert owner is not None, failure
        failed.setdefault(owner, []).append(failure["problem"])
    assert "good.txt" not in failed
    for name, (_, expected) in MATRIX.items():
        if expected == "stored":
            assert name not in failed, (name, failed.get(name))
        elif expected != "any":
            assert name in failed and any(expected in p for p in failed[name]), (name, failed.get(name))
    assert len(failed["huge-feed.rss"]) == 1 + 1000  # the item cap's one line, then the first 1,000 items
    # stored, or met again: the gzipped seed and good.txt are one article, the UTF-16 one a near-copy
    stored = report["added"] + report["duplicates"] + report["unchanged"]
    assert stored >= 1 + sum(expected == "stored" for _, expected in MATRIX.values())


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(n for n in MATRIX if not n.endswith((".jsonl", ".warc", ".rss"))))
def test_analyze_gives_a_document_or_one_line(matrix: Path, name: str) -> None:
    done = _bounded(["analyze", str(matrix / name), "--no-geo"])
    assert "Traceback" not in done.stderr
    if done.returncode == 0:
        doc = json.loads(done.stdout)
        text = doc["text"]
        for layer in ("quotes", "quantities", "times"):
            for record in doc[layer]:
                assert text[record["start"] : record["end"]] == record["text"]
    else:
        assert done.returncode == 1 and done.stderr.count("\n") == 1 and str(matrix / name) in done.stderr
