"""The throughput corpus: the real news articles in ../shared/datasets that the speed benchmarks run on.

- the article-extraction benchmark's 181 news pages (raw HTML, cleaned by newsgraph as any page);
- PolNeAR's 1,008 news articles (plain text; publisher and publication date from its metadata.tsv);
- TempEval-3's 276 TimeML documents (TimeBank, AQUAINT, platinum; the text of <TEXT>, the DCT as date).

1,465 articles in all; 20 of the extraction pages are not in English (Portuguese, Russian, Korean, Italian,
Indonesian, German, Japanese): newsgraph detects them and runs no English layer on them.
``write_corpus(folder)`` writes them as JSON Lines shards of ``SHARD`` articles (``part-NNN.jsonl``, one
``{"text"|"html", "published", "source", "title"?}`` per line), the form ``newsgraph batch`` and
``newsgraph ingest`` read; ``articles()`` yields them as RawArticles for the in-process measurements.
The texts are third-party: the shards are written to a temporary or ignored folder, never committed.

Run (from the repository root)::

    .venv/bin/python -m bench.corpus OUT_FOLDER      # writes the shards, prints the counts
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for python bench/corpus.py
from bench import harness
from newsgraph.document import RawArticle

SHARD = 100  # articles per JSON Lines file
EXTRACTION = Path("datasets") / "article-extraction-benchmark"
POLNEAR = Path("datasets") / "polnear"
TEMPEVAL = Path("datasets") / "tempeval3"


def records(shared: Path = harness.SHARED) -> Iterator[dict[str, Any]]:
    """The corpus as JSON Lines records, in a fixed order: extraction pages, PolNeAR, TempEval."""
    yield from _extraction(shared / EXTRACTION)
    yield from _polnear(shared / POLNEAR)
    yield from _tempeval(shared / TEMPEVAL)


def articles(shared: Path = harness.SHARED, limit: int | None = None) -> list[RawArticle]:
    """The corpus as RawArticles (the first ``limit``), read into memory."""
    out: list[RawArticle] = []
    for i, rec in enumerate(records(shared)):
        if limit is not None and i >= limit:
            break
        fmt: Literal["text", "html"] = "html" if "html" in rec else "text"
        out.append(
            RawArticle(
                name=rec["name"],
                content=rec[fmt],
                format=fmt,
                published=rec.get("published"),
                source=rec.get("source"),
            )
        )
    return out


def write_corpus(folder: Path, shared: Path = harness.SHARED, limit: int | None = None) -> list[Path]:
    """The corpus as JSON Lines shards of ``SHARD`` articles under ``folder``; the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    batch: list[str] = []

    def flush() -> None:
        if batch:
            path = folder / f"part-{len(paths):03d}.jsonl"
            path.write_text("".join(batch), encoding="utf-8")
            paths.append(path)
            batch.clear()

    for i, rec in enumerate(records(shared)):
        if limit is not None and i >= limit:
            break
        line = {k: v for k, v in rec.items() if k != "name"}
        batch.append(json.dumps(line, ensure_ascii=False) + "\n")
        if len(batch) >= SHARD:
            flush()
    flush()
    return paths


def _extraction(folder: Path) -> Iterator[dict[str, Any]]:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    for path in sorted((folder / "html").glob("*.html.gz")):
        page = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        url = truth.get(path.name.removesuffix(".html.gz"), {}).get("url")
        yield {"name": str(path), "html": page, **({"url": url} if url else {})}


def _polnear(folder: Path) -> Iterator[dict[str, Any]]:
    with (folder / "metadata.tsv").open(encoding="utf-8", newline="") as fh:
        meta = {row["filename"]: row for row in csv.DictReader(fh, delimiter="\t")}
    for split in ("train", "dev", "test"):
        for path in sorted((folder / split / "text").glob("*.txt")):
            row = meta.get(path.stem, {})
            rec: dict[str, Any] = {"name": str(path), "text": path.read_text(encoding="utf-8")}
            if re.fullmatch(r"\d{4}-\d\d-\d\d", row.get("publication_date") or ""):
                rec["published"] = row["publication_date"]
            if row.get("publisher") not in (None, "", "None"):
                rec["source"] = row["publisher"]
            yield rec


def _tempeval(folder: Path) -> Iterator[dict[str, Any]]:
    for path in sorted(folder.rglob("*.tml")):
        raw = path.read_text(encoding="utf-8")
        body = re.search(r"<TEXT>(.*?)</TEXT>", raw, re.S)
        if body is None:
            continue
        text = re.sub(r"<[^>]+>", "", body.group(1))
        text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").strip()
        rec: dict[str, Any] = {"name": str(path), "text": text}
        dct = re.search(r"<DCT>.*?value=\"(\d{4}-\d\d-\d\d)", raw, re.S)
        if dct:
            rec["published"] = dct.group(1)
        yield rec


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 1:
        print("usage: python -m bench.corpus OUT_FOLDER", file=sys.stderr)
        return 2
    paths = write_corpus(Path(args[0]))
    n = sum(1 for p in paths for _ in p.open(encoding="utf-8"))
    print(f"{n} articles in {len(paths)} shards under {args[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
