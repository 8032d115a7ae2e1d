"""The command line: JSON out, summary, eval, and one clear line for every bad input."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from newsgraph.cli import main
from newsgraph.document import SCHEMA

from .helpers import SEED, seed_as_html


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_analyze_prints_the_json_document(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        [
            "analyze",
            str(SEED / "article.txt"),
            "--published",
            "2021-12-09",
            "--source",
            "Arab Observer",
            "--url",
            "https://example.org/a",
        ],
        capsys,
    )
    doc = json.loads(out)
    assert code == 0 and doc["schema"] == SCHEMA
    assert doc["meta"]["published"] == "2021-12-09" and doc["meta"]["url"] == "https://example.org/a"
    assert set(doc) >= {
        "id",
        "meta",
        "text",
        "paragraphs",
        "removed",
        "entities",
        "quotes",
        "quantities",
        "times",
        "places",
        "events",
    }


def test_analyze_id_is_stable(capsys: pytest.CaptureFixture[str]) -> None:
    ids = {json.loads(run(["analyze", str(SEED / "article.txt")], capsys)[1])["id"] for _ in range(2)}
    assert len(ids) == 1


def test_summary(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["analyze", str(SEED / "article.txt"), "--summary"], capsys)
    assert code == 0
    assert out.startswith("US-led coalition warns")
    assert "2 headings" in out and "1 captions" in out and "Joe Biden" not in out.split("top entities:")[0]


def test_stdin_and_html(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(seed_as_html().encode("utf-8"))))
    code, out, _ = run(["analyze", "-"], capsys)
    doc = json.loads(out)
    assert code == 0 and doc["meta"]["published"] == "2021-12-09" and doc["meta"]["source"] == "Arab Observer"


def bad(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("empty.txt", b"", "empty input"),
        ("blank.txt", b"  \n\n \t\n", "empty input"),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary file"),
        (
            "login.html",
            b"<html><head><title>Log in</title></head><body><form>Password</form></body></html>",
            "no article text found in the HTML",
        ),
    ],
)
def test_bad_inputs_give_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, data: bytes, problem: str
) -> None:
    path = bad(tmp_path, name, data)
    code, out, err = run(["analyze", path], capsys)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and path in err and problem in err and "Traceback" not in err


def test_missing_file_and_bad_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["analyze", str(tmp_path / "nope.txt")], capsys)
    assert code == 1 and "nope.txt: no such file" in err
    code, _, err = run(["analyze", str(SEED / "article.txt"), "--published", "09/12/2021"], capsys)
    assert code == 1 and "--published: invalid date '09/12/2021'" in err


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_legacy_encodings_decode_correctly(tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str) -> None:
    text = "Müller’s café reopens in Zürich" if encoding == "cp1252" else "Müller's café reopens in Zürich"
    body = "\n\nFrançois Müller said on Monday that the café would reopen after the strike, despite the cost."
    path = bad(tmp_path, "old.txt", (text + body).encode(encoding))
    code, out, _ = run(["analyze", path], capsys)
    doc = json.loads(out)
    assert code == 0 and doc["meta"]["title"] == text
    assert "François Müller" in [e["name"] for e in doc["entities"]]


def test_eval_on_the_seed(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["eval", str(SEED / "gold.json"), "--json"], capsys)
    report = json.loads(out)
    assert code == 0 and report["layers"]["persons"]["f1"] == 1.0
    assert report["layers"]["organizations"]["f1"] >= 0.8 and report["layers"]["article"]["f1"] == 1.0


def test_eval_bad_gold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["eval", bad(tmp_path, "gold.json", b"{not json")], capsys)
    assert code == 1 and "not a JSON gold file" in err


def test_eval_folders_are_sets_side_by_side(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = json.loads((SEED / "gold.json").read_text(encoding="utf-8"))
    for name in ("dev", "test"):
        (tmp_path / name).mkdir()
        gold["article_path"] = str(SEED / "article.txt")
        (tmp_path / name / "seed.json").write_text(json.dumps(gold), encoding="utf-8")
    code, out, _ = run(["eval", str(tmp_path / "dev"), str(tmp_path / "test")], capsys)
    assert code == 0 and out.startswith("newsgraph eval: dev (1 gold files), test (1 gold files)")
    persons = next(line for line in out.splitlines() if line.startswith("persons"))
    assert persons.count("1.000") == 6  # P, R and F1 of both sets
    code, out, _ = run(["eval", str(tmp_path / "dev"), "--json"], capsys)
    assert json.loads(out)["sets"]["dev"]["layers"]["persons"]["f1"] == 1.0
    (tmp_path / "empty").mkdir()
    code, _, err = run(["eval", str(tmp_path / "empty")], capsys)
    assert code == 1 and "a folder with no gold files" in err


def test_a_gzipped_page_is_read_as_the_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "seed.html.gz"
    page.write_bytes(gzip.compress(seed_as_html().encode("utf-8")))
    plain = tmp_path / "seed.html"
    plain.write_text(seed_as_html(), encoding="utf-8")
    code, out, _ = run(["analyze", str(page)], capsys)
    code2, out2, _ = run(["analyze", str(plain)], capsys)
    assert code == code2 == 0 and json.loads(out)["text"] == json.loads(out2)["text"]
    broken = tmp_path / "broken.html.gz"
    broken.write_bytes(gzip.compress(b"<html>")[:12])
    code, _, err = run(["analyze", str(broken)], capsys)
    assert code == 1 and "not a readable gzip file" in err
