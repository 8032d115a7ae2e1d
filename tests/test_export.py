"""``newsgraph export``: JSON Lines, CSV and Parquet (one file per table), the GDELT-style events table,
with the document filters; bad arguments end in one line."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from newsgraph.cli import main
from newsgraph.document import Document, RawArticle
from newsgraph.export.gdelt import GDELT_COLUMNS, MENTION_COLUMNS, quad_class
from newsgraph.export.sentences import sentence_number, sentence_starts
from newsgraph.export.tables import TABLES
from newsgraph.lexicons import cameo_code, plover_types
from newsgraph.pipeline import analyze
from newsgraph.store.db import connect_readonly

from .helpers import benchmark_page, store_with, variant_of_seed

DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.fixture(scope="module")
def docs(seed_doc: Document) -> dict[str, Document]:
    return {"seed": seed_doc, "variant": analyze(variant_of_seed()), "page": analyze(benchmark_page(2))}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, docs: dict[str, Document]) -> Path:
    return store_with(tmp_path_factory.mktemp("export") / "export.db", list(docs.values()))


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def table_counts(db: Path) -> dict[str, int]:
    conn = connect_readonly(db)
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    conn.close()
    return counts


def test_jsonl_one_document_per_line(
    tmp_path: Path, db: Path, docs: dict[str, Document], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "all.jsonl"
    code, _, err = run(["export", "--format", "jsonl", "--db", str(db), "--out", str(out)], capsys)
    assert code == 0 and err == f"newsgraph: exported 3 documents as jsonl to {out}\n"
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(d["id"] for d in lines) == sorted(d.id for d in docs.values())
    by_id = {d["id"]: d for d in lines}
    stored = {i: d.pop("store") for i, d in by_id.items()}  # what the store adds: the story, the ingest time
    assert by_id[docs["seed"].id] == json.loads(json.dumps(docs["seed"].to_json()))
    seed, variant = stored[docs["seed"].id], stored[docs["variant"].id]
    assert variant["story_id"] == seed["story_id"] == docs["seed"].id and variant["duplicate_of"] == docs["seed"].id
    assert 0 < variant["similarity"] <= 1 and seed["duplicate_of"] is None and seed["ingested_at"]
    # to standard output, filtered
    code, stdout, _ = run(["export", "--format", "jsonl", "--db", str(db), "--q", "combat mission"], capsys)
    assert code == 0 and {json.loads(x)["id"] for x in stdout.splitlines()} == {docs["seed"].id, docs["variant"].id}
    code, stdout, _ = run(["export", "--format", "jsonl", "--db", str(db), "--source", "gulf wire"], capsys)
    assert [json.loads(x)["id"] for x in stdout.splitlines()] == [docs["variant"].id]


def test_csv_one_file_per_table(
    tmp_path: Path, db: Path, docs: dict[str, Document], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "csv"
    code, _, err = run(["export", "--format", "csv", "--db", str(db), "--out", str(folder)], capsys)
    assert code == 0 and err.startswith(f"newsgraph: exported 3 documents as csv to {folder} (3 documents, ")
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{t}.csv" for t in TABLES)
    counts = table_counts(db)
    texts = {d.id: d.text for d in docs.values()}
    for table in TABLES:
        with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert len(rows) == counts[table], table
        if table in ("mentions", "quotes", "quantities", "places"):
            for row in rows:
                assert texts[row["doc_id"]][int(row["char_start"]) : int(row["char_end"])] == row["text"]
    with (folder / "documents.csv").open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert "json" not in header and {"id", "title", "source", "url", "published", "text", "story_id"} <= set(header)


def test_parquet_typed_tables_with_filters(
    tmp_path: Path, db: Path, docs: dict[str, Document], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "pq"
    argv = ["export", "--format", "parquet", "--db", str(db), "--out", str(folder), "--since", "2021-12-01"]
    code, _, _ = run(argv, capsys)
    assert code == 0
    documents = pq.read_table(folder / "documents.parquet")
    assert sorted(documents.column("id").to_pylist()) == sorted([docs["seed"].id, docs["variant"].id])
    mentions = pq.read_table(folder / "mentions.parquet")
    assert str(mentions.schema.field("char_start").type) == "int64"
    expected = sum(len(e.mentions) for d in (docs["seed"], docs["variant"]) for e in d.entities)
    assert mentions.num_rows == expected
    documents = pq.read_table(folder / "documents.parquet")
    assert str(documents.schema.field("published").type) == "date32[day]"  # dates, not strings
    assert str(documents.schema.field("ingested_at").type) == "timestamp[ms, tz=UTC]"  # Parquet has no seconds
    assert str(pq.read_table(folder / "events.parquet").schema.field("day").type) == "date32[day]"
    assert "2021-12-09" in {str(d) for d in documents.column("published").to_pylist()}
    places = pq.read_table(folder / "places.parquet")
    assert str(places.schema.field("lat").type) == "double" and places.num_rows > 0
    events = pq.read_table(folder / "events.parquet")
    expected_events = [e["trigger"] for d in (docs["seed"], docs["variant"]) for e in d.events]
    assert sorted(events.column("trigger").to_pylist()) == sorted(expected_events)
    assert {"modality", "source_country", "sentence_start", "dead"} <= set(events.column_names)
    clusters = pq.read_table(folder / "event_mentions.parquet")  # which happening each event is a mention of
    assert clusters.num_rows == events.num_rows and {"doc_id", "idx", "cluster_id", "source"} <= set(
        clusters.column_names
    )
    seen = pq.read_table(folder / "event_mentions.parquet")
    assert str(seen.schema.field("day_seen").type) == "date32[day]"  # the article's day, a date too
    assert {str(d) for d in seen.column("day_seen").to_pylist()} == {"2021-12-09", "2021-12-10"}
    # no column of any table is left a string that holds only days
    for path in folder.glob("*.parquet"):
        table = pq.read_table(path)
        for field in table.schema:
            values = [v for v in table.column(field.name).to_pylist() if v is not None]
            if str(field.type) == "string" and values:
                assert not all(DAY.fullmatch(v) for v in values), f"{path.name}: {field.name} holds days as text"
    # nothing selected: the files are there, with their columns and no rows
    empty = tmp_path / "none"
    code, _, _ = run(["export", "--format", "parquet", "--db", str(db), "--out", str(empty), "--q", "zebra"], capsys)
    assert code == 0 and pq.read_table(empty / "quotes.parquet").num_rows == 0
    assert "speaker_name" in pq.read_table(empty / "quotes.parquet").column_names


def read_tsv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    header, *rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]
    return header, [dict(zip(header, row, strict=True)) for row in rows]


# GDELT 2.0's event table, as its codebook lists the columns (typed from the codebook, not from our code)
_ACTOR = "Code Name CountryCode KnownGroupCode EthnicCode Religion1Code Religion2Code Type1Code Type2Code Type3Code"
_GEO = "Type FullName CountryCode ADM1Code ADM2Code Lat Long FeatureID"
GDELT_EVENTS_CODEBOOK = [
    *["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"],
    *(f"Actor1{c}" for c in _ACTOR.split()),
    *(f"Actor2{c}" for c in _ACTOR.split()),
    *["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale"],
    *["NumMentions", "NumSources", "NumArticles", "AvgTone"],
    *(f"{who}Geo_{c}" for who in ("Actor1", "Actor2", "Action") for c in _GEO.split()),
    "DATEADDED",
    "SOURCEURL",
]
GDELT_MENTIONS_CODEBOOK = [
    "GLOBALEVENTID",
    "EventTimeDate",
    "MentionTimeDate",
    "MentionType",
    "MentionSourceName",
    "MentionIdentifier",
    "SentenceID",
    "Actor1CharOffset",
    "Actor2CharOffset",
    "ActionCharOffset",
    "InRawText",
    "Confidence",
    "MentionDocLen",
    "MentionDocTone",
    "MentionDocTranslationInfo",
    "Extras",
]


def read_gdelt(path: Path, columns: list[str]) -> list[dict[str, str]]:
    """A GDELT 2.0 file as GDELT users read it: no header, the codebook's columns by position."""
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]
    assert all(len(row) == len(columns) for row in rows), {len(row) for row in rows}
    return [dict(zip(columns, row, strict=True)) for row in rows]


def with_extras(rows: list[dict[str, str]], path: Path) -> list[dict[str, str]]:
    """GDELT rows joined row by row with newsgraph's side table (same order, same GLOBALEVENTID)."""
    _, extras = read_tsv(path)
    assert len(extras) == len(rows)
    assert all(a["GLOBALEVENTID"] == b["GLOBALEVENTID"] for a, b in zip(rows, extras, strict=True))
    return [a | b for a, b in zip(rows, extras, strict=True)]


def test_gdelt_events_and_mentions_tables(
    tmp_path: Path, db: Path, docs: dict[str, Document], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "gdelt"
    code, _, err = run(["export", "--format", "gdelt", "--db", str(db), "--out", str(out)], capsys)
    n_mentions = sum(len(d.events) for d in docs.values())
    assert code == 0 and f"{n_mentions} mentions," in err
    assert len(GDELT_EVENTS_CODEBOOK) == 61 and list(GDELT_COLUMNS) == GDELT_EVENTS_CODEBOOK
    assert list(MENTION_COLUMNS) == GDELT_MENTIONS_CODEBOOK
    assert (out / "events.header.tsv").read_text(encoding="utf-8") == "\t".join(GDELT_EVENTS_CODEBOOK) + "\n"
    assert (out / "mentions.header.tsv").read_text(encoding="utf-8") == "\t".join(GDELT_MENTIONS_CODEBOOK) + "\n"
    gdelt_events = read_gdelt(out / "events.tsv", GDELT_EVENTS_CODEBOOK)  # no header row, 61 columns
    assert all(e["SQLDATE"].isdigit() and e["SOURCEURL"] for e in gdelt_events)
    assert all(e["NumMentions"].isdigit() and e["QuadClass"] in "1234" for e in gdelt_events)
    events = with_extras(gdelt_events, out / "events.newsgraph.tsv")
    mentions = with_extras(read_gdelt(out / "mentions.tsv", GDELT_MENTIONS_CODEBOOK), out / "mentions.newsgraph.tsv")
    assert len(mentions) == n_mentions
    # one row per happening: the seed and its wire copy tell the same events, so most are mentioned twice
    assert len(events) < n_mentions and {m["GLOBALEVENTID"] for m in mentions} == {e["GLOBALEVENTID"] for e in events}
    [blamed] = [e for e in events if e["PLOVERType"] == "ACCUSE" and e["Trigger"] == "blamed"]
    assert (blamed["NumMentions"], blamed["NumSources"], blamed["NumArticles"]) == ("2", "2", "2")
    assert blamed["DocumentId"] == docs["seed"].id  # told by its first mention, the earliest article
    assert (blamed["SQLDATE"], blamed["MonthYear"], blamed["Year"]) == ("20211209", "202112", "2021")
    assert blamed["Actor1Name"] == "United States" and blamed["Actor1CountryCode"] == "USA"
    assert blamed["Actor1Code"] == "USAGOV" and blamed["Actor2Name"] == "pro-Iranian factions"
    # CAMEO's codes from the PLOVER type and mode (CAMEO2PLOVER read backwards): ACCUSE "allege" is 112
    # "accuse", root 11, verbal conflict, Goldstein -2 (GDELT's value for 112)
    assert (blamed["EventCode"], blamed["EventBaseCode"], blamed["EventRootCode"]) == ("112", "112", "11")
    assert (blamed["QuadClass"], blamed["GoldsteinScale"]) == ("3", "-2")
    assert all(e["EventCode"] and e["EventCode"][:2] == e["EventRootCode"] for e in events)
    assert all(
        e["EventCode"].startswith(e["EventBaseCode"]) and -10 <= float(e["GoldsteinScale"]) <= 10 for e in events
    )
    codes = {(e["PLOVERType"], e["Mode"]): e["EventCode"] for e in events}
    assert codes[("ASSAULT", "")] == "180" and codes[("RETREAT", "withdraw")] == "0872"
    # a country's ADM1 code is its FIPS code
    assert {e["ActionGeo_ADM1Code"] for e in events if e["ActionGeo_FullName"] == "Iraq"} == {"IZ"}
    assert blamed["Modality"] == "asserted" and len(blamed["DATEADDED"]) == 14
    start, end = int(blamed["CharStart"]), int(blamed["CharEnd"])
    assert docs["seed"].text[start:end] == "blamed"
    told = [m for m in mentions if m["GLOBALEVENTID"] == blamed["GLOBALEVENTID"]]
    assert sorted(m["MentionSourceName"] for m in told) == ["Arab Observer", "Gulf Wire"]
    assert {m["MentionTimeDate"] for m in told} == {"20211209000000", "20211210000000"}
    # SentenceID: the sentence's number in the article, the title's 1: "finished" is in the first body
    # sentence, after the title and the subtitle; "demanded" and "hosted" in the two paragraphs after it
    seed_ids = {m["Trigger"]: m["SentenceID"] for m in mentions if m["DocumentId"] == docs["seed"].id}
    assert (seed_ids["finished"], seed_ids["demanded"], seed_ids["hosted"]) == ("3", "4", "5")
    # counted by hand: the title, the subtitle and the seven paragraphs after them are a sentence each (1-9),
    # then "ISIS established" 10, "It was defeated ... offensives" 11, "Even though" 12, the heading 13,
    # "The Hashed" 14, "On social media" 15, "Dozens of rocket and drone attacks" 16, "Never claimed, these
    # attacks are systematically blamed" 17
    assert seed_ids["blamed"] == "17" and seed_ids["offensives"] == "11"
    assert all(m["Confidence"] == "" for m in mentions)  # the event record has no confidence: none made up
    for m in told:
        doc = docs["seed"] if m["DocumentId"] == docs["seed"].id else docs["variant"]
        assert doc.text[int(m["ActionCharOffset"]) :].startswith("blamed")
        assert "blamed by the US" in doc.text[int(m["SentenceStart"]) : int(m["SentenceEnd"])]
    assert [quad_class(c) for c in ("03", "06", "10", "18")] == [1, 2, 3, 4]
    # a filter selects the mentions' documents
    code, _, _ = run(
        ["export", "--format", "gdelt", "--db", str(db), "--out", str(out), "--until", "2021-12-09"], capsys
    )
    _, mentions = read_tsv(out / "mentions.newsgraph.tsv")
    assert code == 0 and {m["DocumentId"] for m in mentions} == {docs["seed"].id}
    # --header: the names on the first line, for those who want them; another format has no such option
    code, _, _ = run(["export", "--format", "gdelt", "--db", str(db), "--out", str(out), "--header"], capsys)
    header, rows = read_tsv(out / "events.tsv")
    assert code == 0 and header == GDELT_EVENTS_CODEBOOK and len(rows) == len(events)
    code, _, err = run(["export", "--format", "csv", "--db", str(db), "--out", str(out / "c"), "--header"], capsys)
    assert code == 1 and "--header is not an option of --format csv" in err


# GKG 2.1's columns, as its codebook lists them (typed from the codebook, not from our code)
GKG_CODEBOOK = [
    "GKGRECORDID",
    "V2.1DATE",
    "V2SOURCECOLLECTIONIDENTIFIER",
    "V2SOURCECOMMONNAME",
    "V2DOCUMENTIDENTIFIER",
    "V1COUNTS",
    "V2.1COUNTS",
    "V1THEMES",
    "V2ENHANCEDTHEMES",
    "V1LOCATIONS",
    "V2ENHANCEDLOCATIONS",
    "V1PERSONS",
    "V2ENHANCEDPERSONS",
    "V1ORGANIZATIONS",
    "V2ENHANCEDORGANIZATIONS",
    "V1.5TONE",
    "V2.1ENHANCEDDATES",
    "V2GCAM",
    "V2.1SHARINGIMAGE",
    "V2.1RELATEDIMAGES",
    "V2.1SOCIALIMAGEEMBEDS",
    "V2.1SOCIALVIDEOEMBEDS",
    "V2.1QUOTATIONS",
    "V2.1ALLNAMES",
    "V2.1AMOUNTS",
    "V2.1TRANSLATIONINFO",
    "V2EXTRASXML",
]


def blocks(value: str, sep: str = ";") -> list[str]:
    return [b for b in value.split(sep) if b]


def test_gdelt_gkg_table_read_as_gdelt_users_split_it(
    tmp_path: Path, db: Path, docs: dict[str, Document], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "gdelt"
    code, _, err = run(["export", "--format", "gdelt", "--db", str(db), "--out", str(out)], capsys)
    assert code == 0 and "3 gkg records)" in err
    assert len(GKG_CODEBOOK) == 27
    assert (out / "gkg.header.tsv").read_text(encoding="utf-8") == "\t".join(GKG_CODEBOOK) + "\n"
    rows = with_gkg_extras(read_gdelt(out / "gkg.tsv", GKG_CODEBOOK), out / "gkg.newsgraph.tsv")
    by_doc = {r["DocumentId"]: r for r in rows}
    assert set(by_doc) == {d.id for d in docs.values()}
    seed, text = by_doc[docs["seed"].id], docs["seed"].text
    assert seed["V2.1DATE"] == "20211209000000" and seed["V2SOURCECOLLECTIONIDENTIFIER"] == "2"
    assert len({r["GKGRECORDID"] for r in rows}) == 3 and seed["GKGRECORDID"].split("-")[0].isdigit()
    # persons and organisations: canonical names, each mention's offset is where the text names it
    persons = [b.rsplit(",", 1) for b in blocks(seed["V2ENHANCEDPERSONS"])]
    assert "Qassem Al Aaraji" in {n for n, _ in persons} and "Qassem Al Aaraji" in seed["V1PERSONS"].split(";")
    mentions = {(m.start, m.text) for e in docs["seed"].entities for m in e.mentions}
    assert all(any(s == int(o) for s, _ in mentions) for _, o in persons)
    names = [m for e in docs["seed"].entities if e.type != "NORP" for m in e.mentions]
    assert len(blocks(seed["V2.1ALLNAMES"])) == len(names) < len(mentions)
    orgs = seed["V1ORGANIZATIONS"].split(";")
    assert len(orgs) == len(set(orgs)) and "Global Coalition against ISIS" in orgs
    # locations: GDELT's # fields, Iraq a country (type 1) with its FIPS code; each mention's offset
    iraq = [b.split("#") for b in blocks(seed["V2ENHANCEDLOCATIONS"]) if b.split("#")[1] == "Iraq"]
    assert iraq and all(len(b) == 9 and b[0] == "1" and b[2] == b[3] == b[7] == "IZ" for b in iraq)
    assert all(text[int(b[8]) :].startswith("Iraq") for b in iraq)
    assert all(len(b.split("#")) == 7 for b in blocks(seed["V1LOCATIONS"]))
    assert "4#Mosul, Iraq#IZ#IZ15#" in seed["V1LOCATIONS"]  # a city: "City, Country", commas kept; ADM1 Nineveh
    # counts: "six people were wounded" is a WOUND count of 6 people, with its offset
    counts = [b.split("#") for b in blocks(seed["V2.1COUNTS"])]
    assert [c[:3] for c in counts] == [["WOUND", "6", "people"]] and all(len(c) == 11 for c in counts)
    assert text[int(counts[0][10]) :].startswith("six people")
    amounts = [b.split(",") for b in blocks(seed["V2.1AMOUNTS"])]
    assert ["2500", "troops", "77"] in amounts and all(len(a) == 3 for a in amounts)
    # dates: resolution 3 (a day), 2 (a month), 1 (a year), each at its offset
    dates = [[int(x) for x in b.split("#")] for b in blocks(seed["V2.1ENHANCEDDATES"])]
    assert [3, 12, 9, 2021] in [d[:4] for d in dates] and [2, 7, 0, 2021] in [d[:4] for d in dates]
    assert all(len(d) == 5 and 0 <= d[4] < len(text) for d in dates)
    # direct quotes: Offset|Length|Verb|Quote, the slice of the text they stand at
    quotes = [b.split("|") for b in blocks(seed["V2.1QUOTATIONS"], "#")]
    direct = [q for q in docs["seed"].quotes if q["kind"] == "direct"]
    assert len(quotes) == len(direct) > 0 and all(len(q) == 4 for q in quotes)
    assert all(text[int(o) : int(o) + int(n)] == said for o, n, _, said in quotes)
    assert seed["V2GCAM"].startswith("wc:") and int(seed["V2GCAM"][3:]) > 500
    assert seed["V2EXTRASXML"].startswith("<PAGE_TITLE>US-led coalition warns")
    assert seed["V1.5TONE"] == seed["V1THEMES"] == ""  # not computed: empty, never made up


def with_gkg_extras(rows: list[dict[str, str]], path: Path) -> list[dict[str, str]]:
    _, extras = read_tsv(path)
    assert [r["GKGRECORDID"] for r in rows] == [e["GKGRECORDID"] for e in extras]
    return [a | b for a, b in zip(rows, extras, strict=True)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "csv"], "--format csv writes one file per table: give a folder with --out"),
        (["--format", "jsonl", "--since", "2021-13-01"], "since: invalid date '2021-13-01'"),
        (["--format", "jsonl", "--out", "/nonexistent-folder/x.jsonl"], "folder /nonexistent-folder does not exist"),
    ],
)
def test_bad_arguments_end_in_one_line(
    db: Path, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["export", "--db", str(db), *args], capsys)
    assert code == 1 and out == ""
    assert err.startswith("newsgraph: error: ") and message in err and err.count("\n") == 1


def test_a_missing_store_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["export", "--format", "jsonl", "--db", str(tmp_path / "none.db")], capsys)
    assert (
        code == 1
        and err == f"newsgraph: error: {tmp_path / 'none.db'}: no such database; create it with `newsgraph ingest`\n"
    )
    assert not (tmp_path / "none.db").exists()


AUSTIN = RawArticle(
    name="austin.txt",
    format="text",
    published="2022-08-30",
    source="KXAN",
    content="Police arrest protesters in Austin\n\n"
    "AUSTIN, Texas — Police arrested 12 protesters outside the Texas Capitol in Austin on Saturday, officials"
    " said. In Pakistan, floods in the southern province of Sindh have affected 16.6 million people, and"
    " protesters rallied in Karachi on Friday.\n",
)


def test_gdelt_adm1_codes_and_cameo_codes_of_modes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = store_with(tmp_path / "austin.db", [analyze(AUSTIN)])
    out = tmp_path / "gdelt"
    code, _, err = run(["export", "--format", "gdelt", "--db", str(db), "--out", str(out)], capsys)
    assert code == 0, err
    events = with_extras(read_gdelt(out / "events.tsv", GDELT_EVENTS_CODEBOOK), out / "events.newsgraph.tsv")
    by_trigger = {e["Trigger"]: e for e in events}
    # ADM1: FIPS country code + the division's code: a US state's postal code, Pakistan's Sindh 05
    arrested, rallied = by_trigger["arrested"], by_trigger["rallied"]
    assert (arrested["ActionGeo_FullName"], arrested["ActionGeo_ADM1Code"]) == ("Texas, United States", "USTX")
    assert (rallied["ActionGeo_FullName"], rallied["ActionGeo_ADM1Code"]) == ("Karachi, Pakistan", "PK05")
    # COERCE "arrest" is CAMEO 173 (arrest, detain), PROTEST "demo" 141 (demonstrate or rally)
    assert (arrested["EventCode"], arrested["EventRootCode"], arrested["QuadClass"]) == ("173", "17", "4")
    assert (rallied["EventCode"], rallied["GoldsteinScale"]) == ("141", "-6.5")
    # the GKG's locations carry ADM1 too: Sindh, a province GeoNames gives no id here, found by its point
    [gkg] = read_gdelt(out / "gkg.tsv", GKG_CODEBOOK)
    adm1 = {b.split("#")[1]: b.split("#")[3] for b in blocks(gkg["V1LOCATIONS"])}
    assert adm1 == {
        "Austin, United States": "USTX",
        "Texas, United States": "USTX",
        "Pakistan": "PK",
        "Sindh, Pakistan": "PK05",
        "Karachi, Pakistan": "PK05",
    }


def test_every_plover_type_has_a_cameo_code() -> None:
    for plover in plover_types():
        found = cameo_code(plover)
        assert found is not None, plover
        code, base, goldstein = found
        assert code.isdigit() and len(code) in (3, 4) and code.startswith(base) and len(base) == 3
        assert 1 <= int(code[:2]) <= 20 and -10 <= goldstein <= 10
    assert cameo_code("ASSAULT", "firearms") == ("193", "193", -10.0)
    assert cameo_code("ASSAULT", "aerial") == cameo_code("ASSAULT") == ("180", "180", -9.0)  # no row: the type's


def test_sentence_numbers_counted_again_from_the_offsets() -> None:
    paragraphs = [
        "Title of it",
        "It rose 2.5 percent in the U.S. on Monday. Then it fell.",
        "He said: “We go.”",
        "Dr. Li agreed.",
    ]
    text = "\n\n".join(paragraphs)
    spans = [(text.index(p), text.index(p) + len(p)) for p in paragraphs]
    doc = {"text": text, "meta": {"language": "en"}, "paragraphs": [{"start": a, "end": b} for a, b in spans]}
    found = sentence_starts(doc)  # "2.5", "U.S." and "Dr." end no sentence
    assert [text[s:].split()[0] for s in found] == ["Title", "It", "Then", "He", "Dr."]
    assert [sentence_number(found, s) for s in found] == [1, 2, 3, 4, 5]
    assert sentence_number(found, text.index("Monday")) == 3  # a start the splitter missed: after "It"'s
    within = text.index("in the U.S.")
    # the parser's boundaries count too; the paragraphs after the last one change no number it asks for
    assert sentence_starts(doc, known=[within]) == [0, 13, within, found[2]]
