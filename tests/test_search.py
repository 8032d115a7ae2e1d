"""Search as a search engine behaves: the query syntax (OR, -word / NOT, "phrases", prefix*, parentheses)
turned into FTS5 that hostile input cannot steer, the matched words marked, a story's copies collapsed,
the entity filter by any alias of the knowledge base, and the facets' counts, each checked against SQL
over the web tests' store (the seed and its wire copy, a hostile article, three benchmark pages)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsgraph.store import queries
from newsgraph.store.search_syntax import MAX_DEPTH, MAX_TERMS, fts_query

from .helpers import build_web_store


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_web_store(tmp_path_factory)


@pytest.fixture(scope="module")
def ro(db: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    yield conn
    conn.close()


def ids(ro: sqlite3.Connection, **kw: Any) -> set[str]:
    page = queries.search_documents(ro, queries.DocumentFilter(**kw), limit=queries.MAX_LIMIT)
    assert page["total"] == len(page["items"])
    return {i["id"] for i in page["items"]}


def every_id(ro: sqlite3.Connection) -> set[str]:
    return {r[0] for r in ro.execute("SELECT id FROM documents")}


# --- the syntax ---------------------------------------------------------------------------------------------

_OPERATORS = re.compile(r'"[^"]*"\*?|\b(?:OR|AND|NOT)\b|[()\s]')


def only_quoted_words(match: str) -> bool:
    """Whether an FTS5 query holds nothing but double-quoted words joined by the operators we write."""
    return _OPERATORS.sub("", match) == "" and all(
        re.fullmatch(r"\w+( \w+)*", p) for p in re.findall(r'"([^"]*)"', match)
    )


def test_the_syntax_becomes_fts5_the_module_writes() -> None:
    assert fts_query("alpha OR beta") == '"alpha" OR "beta"'
    assert fts_query("alpha | beta") == '"alpha" OR "beta"'
    assert fts_query("iraq troops OR soldiers") == '"iraq" AND ("troops" OR "soldiers")'  # OR binds tighter
    assert fts_query("iraq -syria") == '"iraq" NOT "syria"'
    assert fts_query("iraq NOT syria") == '"iraq" NOT "syria"'
    assert fts_query('iraq -"islamic state"') == '"iraq" NOT "islamic state"'
    assert fts_query("coali* troops") == '"coali"* "troops"'
    assert fts_query("(iraq troops) OR (syria forces)") == '("iraq" "troops") OR ("syria" "forces")'
    assert fts_query("iraq (troops OR forces) -(isis OR daesh)") == (
        '("iraq" AND ("troops" OR "forces")) NOT ("isis" OR "daesh")'
    )
    assert fts_query("lower or and not") == '"lower" "or" "and" "not"'  # only upper-case words are operators
    assert fts_query("") == "" and fts_query("!!! *") == ""


@pytest.mark.parametrize(
    "hostile",
    [
        '"unbalanced',
        "NEAR(",
        "NEAR(coalition troops, 5)",
        "col:term",
        "title:coalition",
        "text:iraq OR title:troops",
        "^coalition",
        "coalition)",
        "((coalition",
        "a OR",
        "OR OR OR",
        "AND",
        "NOT",
        "x*y*",
        "'; DROP TABLE documents; --",
        '"a" "b',
        "{title text}: iraq",
        "coalition + troops",
        "-",
        "--",
        "()",
        '""',
    ],
)
def test_hostile_queries_are_words_never_fts5_syntax(ro: sqlite3.Connection, hostile: str) -> None:
    match = fts_query(hostile)
    assert only_quoted_words(match), match
    queries.search_documents(ro, queries.DocumentFilter(q=hostile))  # no SQLite error
    queries.quotes(ro, q=hostile)


def test_a_column_filter_is_read_as_words(ro: sqlite3.Connection) -> None:
    # "title:coalition" is the words "title coalition" (a phrase), not FTS5's filter on the title column
    assert ids(ro, q="title:coalition") == ids(ro, q='"title coalition"')
    assert ids(ro, q="title:coalition") != ids(ro, q="coalition")


def test_bad_queries_are_one_line_errors_naming_q(ro: sqlite3.Connection) -> None:
    for only_not in ("-iraq", "NOT iraq", "-(iraq OR syria)", "iraq OR -syria"):
        with pytest.raises(queries.QueryError, match=r"^q: ") as err:
            queries.search_documents(ro, queries.DocumentFilter(q=only_not))
        assert "\n" not in str(err.value)
    with pytest.raises(queries.QueryError, match="too many words"):
        fts_query(" ".join(f"w{i}" for i in range(MAX_TERMS + 1)))
    with pytest.raises(queries.QueryError, match="nests parentheses"):
        fts_query("(" * (MAX_DEPTH + 1) + "iraq")


# --- what the syntax finds -----------------------------------------------------------------------------------


def test_or_not_phrases_and_prefixes_select_what_their_words_do(ro: sqlite3.Connection) -> None:
    coalition, republicans, iraq = ids(ro, q="coalition"), ids(ro, q="republicans"), ids(ro, q="iraq")
    assert coalition and republicans and not coalition & republicans  # two sets of documents apart
    assert ids(ro, q="coalition OR republicans") == coalition | republicans
    assert ids(ro, q="coalition | republicans") == coalition | republicans
    assert ids(ro, q="iraq -coalition") == iraq - coalition
    assert ids(ro, q="iraq NOT coalition") == iraq - coalition
    assert ids(ro, q="iraq -(coalition OR republicans)") == iraq - coalition - republicans
    assert ids(ro, q="(coalition OR republicans) iraq") == (coalition | republicans) & iraq
    # a phrase: its words in that order, which some documents with both words lack
    both = ids(ro, q="combat mission")
    phrase = ids(ro, q='"combat mission"')
    assert phrase and phrase <= both
    assert ids(ro, q='"mission combat"') == set() or ids(ro, q='"mission combat"') != phrase
    # a prefix: every word starting so, a superset of each word it starts
    assert ids(ro, q="coali*") >= coalition
    assert ids(ro, q="republic*") >= republicans | ids(ro, q="republican")
    texts = {r[0]: (r[1] or "") + " " + r[2] for r in ro.execute("SELECT id, title, text FROM documents")}
    assert ids(ro, q="coali*") == {i for i, t in texts.items() if re.search(r"\bcoali", t, re.IGNORECASE)}


def test_matched_words_are_marked_in_the_snippet_and_the_title(ro: sqlite3.Connection) -> None:
    page = queries.search_documents(ro, queries.DocumentFilter(q="coalition OR troop*"), limit=50)
    assert page["items"]
    seen_title_mark = False
    for item in page["items"]:
        assert item["snippet_marks"], item["id"]
        for text, spans in ((item["snippet"], item["snippet_marks"]), (item["title"], item["title_marks"])):
            for start, end in spans:
                word = text[start:end].lower()
                assert word == "coalition" or word.startswith("troop"), word
            assert "".join(p for p, _ in queries.marked_parts(text, spans)) == (text or "")
            assert [p for p, hit in queries.marked_parts(text, spans) if hit] == [text[a:b] for a, b in spans]
        seen_title_mark |= bool(item["title_marks"])
        assert queries.MARK_OPEN not in item["snippet"] and queries.MARK_CLOSE not in item["snippet"]
    assert seen_title_mark  # "US-led coalition warns ..."
    assert "snippet_marks" not in queries.search_documents(ro, queries.DocumentFilter())["items"][0]


# --- a story's copies, once ---------------------------------------------------------------------------------


def test_a_storys_copies_are_one_result_with_its_versions(ro: sqlite3.Connection) -> None:
    versions = dict(ro.execute("SELECT story_id, count(*) FROM documents GROUP BY story_id").fetchall())
    assert max(versions.values()) >= 2  # the seed and its wire copy
    for kw in ({}, {"q": "coalition"}, {"q": "iraq OR trump"}, {"since": "2021-12-01"}):
        f = queries.DocumentFilter(**kw)
        every = queries.search_documents(ro, f, limit=100)
        once = queries.search_documents(ro, f, limit=100, collapse=True)
        stories = {i["story_id"] for i in every["items"]}
        assert once["total"] == len(stories) == len(once["items"]), kw
        assert sorted(i["story_id"] for i in once["items"]) == sorted(stories)
        for item in [*once["items"], *every["items"]]:
            assert item["versions"] == versions[item["story_id"]]
        assert {i["id"] for i in once["items"]} <= {i["id"] for i in every["items"]}
    seed_story = next(s for s, n in versions.items() if n >= 2)
    assert ids(ro, story=seed_story) == {
        r[0] for r in ro.execute("SELECT id FROM documents WHERE story_id = ?", (seed_story,))
    }
    with pytest.raises(queries.QueryError, match=r"^story: "):
        queries.DocumentFilter(story="not-an-id")


def test_collapsed_pages_do_not_repeat_or_skip_a_story(ro: sqlite3.Connection) -> None:
    f = queries.DocumentFilter()
    whole = [i["story_id"] for i in queries.search_documents(ro, f, limit=100, collapse=True)["items"]]
    paged = [
        i["story_id"]
        for k in range(0, len(whole), 2)
        for i in queries.search_documents(ro, f, limit=2, offset=k, collapse=True)["items"]
    ]
    assert paged == whole


# --- the entity filter by alias, the country filter ------------------------------------------------------------


def test_the_entity_filter_matches_any_alias_of_the_knowledge_base(ro: sqlite3.Connection) -> None:
    names, qids = queries.entity_names("Pentagon")
    assert "United States Department of Defense" in names and qids  # the KB's canonical name and QID
    stored = {r[0] for r in ro.execute("SELECT DISTINCT name FROM entities")}
    isis = ids(ro, entity="ISIS")
    assert "ISIS" in stored and isis
    for alias in ("Islamic State", "daesh", "the Islamic State", "ISIL"):
        assert alias not in stored
        assert ids(ro, entity=alias) == isis, alias
    sec = {r[0] for r in ro.execute("SELECT doc_id FROM entities WHERE wikidata = 'Q953944'")}
    assert sec and ids(ro, entity="SEC") == sec
    assert ids(ro, entity="no such entity at all") == set()


def test_the_entity_filter_matches_any_name_an_article_called_the_entity_by(ro: sqlite3.Connection) -> None:
    # "Biden" (the seed's second reference to Joe Biden) is no stored entity name and no alias of the
    # knowledge base: once 0 documents, as "Clinton" and "hillary" were in a store of 300 political articles
    stored = {r[0] for r in ro.execute("SELECT DISTINCT name FROM entities")}
    biden = ids(ro, entity="Joe Biden")
    assert "Biden" not in stored and biden
    assert ids(ro, entity="Biden") == ids(ro, entity="biden") == biden
    # every surface form of every person finds the documents naming that person, whatever each calls them
    called = ro.execute(
        "SELECT DISTINCT m.text, e.name FROM mentions m JOIN entities e ON e.doc_id = m.doc_id"
        " AND e.entity_id = m.entity_id WHERE e.type = 'PERSON' AND m.text != e.name"
    ).fetchall()
    assert len(called) >= 3
    for text, name in called:
        naming = {r[0] for r in ro.execute("SELECT doc_id FROM entities WHERE name = ?", (name,))}
        assert naming <= ids(ro, entity=text.lower()), (text, name)
    assert ids(ro, entity="Bide") == set()  # a whole name, not a part of one


def test_the_timeline_and_the_network_of_an_entity_by_another_name_are_that_entitys(ro: sqlite3.Connection) -> None:
    # the documents were found by "Biden", but his quotes, events and network node were looked up by that
    # exact name: none
    from newsgraph.store import aggregates

    assert queries.stored_entity_names(ro, "biden") == ["biden", "Joe Biden"]
    full = aggregates.timeline(ro, queries.DocumentFilter(entity="Joe Biden"))
    assert full["dated"] or full["events"] or full["quotes"]
    for name in ("Biden", "biden"):
        got = aggregates.timeline(ro, queries.DocumentFilter(entity=name))
        assert {k: got[k] for k in ("quotes", "events", "dated")} == {k: full[k] for k in ("quotes", "events", "dated")}
        nodes = aggregates.network(ro, queries.DocumentFilter(entity=name))["nodes"]
        assert [n["name"] for n in nodes if n["focus"]] == ["Joe Biden"]


def test_the_country_filter_keeps_documents_naming_a_place_there(ro: sqlite3.Connection) -> None:
    for cc in ("IQ", "us", "JP"):
        want = {r[0] for r in ro.execute("SELECT doc_id FROM places WHERE country = ?", (cc.upper(),))}
        assert want and ids(ro, country=cc) == want
    with pytest.raises(queries.QueryError, match=r"^country: "):
        queries.DocumentFilter(country="Iraq")


# --- facets ---------------------------------------------------------------------------------------------------


def facets_by_sql(ro: sqlite3.Connection, f: queries.DocumentFilter, collapse: bool) -> dict[str, dict[Any, int]]:
    """The facets' counts as plain SQL gives them, over the ids the search selects (every page of it)."""
    chosen = ids(ro, **{k: getattr(f, k) for k in f.__dataclass_fields__ if getattr(f, k)})
    unit = "d.story_id" if collapse else "d.id"
    marks = ", ".join("?" * len(chosen)) or "NULL"
    out: dict[str, dict[Any, int]] = {}
    for name, sql in {
        "sources": f"SELECT d.source, count(DISTINCT {unit}) FROM documents d WHERE d.id IN ({marks})"
        " AND d.source IS NOT NULL GROUP BY d.source",
        "languages": f"SELECT d.language, count(DISTINCT {unit}) FROM documents d WHERE d.id IN ({marks})"
        " AND d.language IS NOT NULL GROUP BY d.language",
        "event_types": f"SELECT v.type, count(DISTINCT {unit}) FROM events v JOIN documents d ON d.id = v.doc_id"
        f" WHERE d.id IN ({marks}) GROUP BY v.type",
        "entities": "SELECT e.name || '|' || e.type || '|' || coalesce(e.country, ''), count(DISTINCT"
        f" {unit}) FROM entities e JOIN documents d ON d.id = e.doc_id WHERE d.id IN ({marks}) GROUP BY 1",
    }.items():
        out[name] = dict(ro.execute(sql, sorted(chosen)).fetchall())
    return out


@pytest.mark.parametrize(
    "kw", [{}, {"q": "coalition"}, {"q": "iraq OR trump"}, {"source": "Gulf Wire"}, {"country": "US"}]
)
@pytest.mark.parametrize("collapse", [False, True])
@pytest.mark.parametrize("few", [queries.FEW_FOR_A_JOIN, 0])  # both ways of counting entities
def test_facet_counts_are_those_sql_gives(
    ro: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch, kw: dict[str, str], collapse: bool, few: int
) -> None:
    monkeypatch.setattr(queries, "FEW_FOR_A_JOIN", few)
    f = queries.DocumentFilter(**kw)
    got = queries.document_facets(ro, f, collapse=collapse, size=500)
    want = facets_by_sql(ro, f, collapse)
    assert {v["value"]: v["count"] for v in got["sources"]} == want["sources"]
    assert {v["value"]: v["count"] for v in got["languages"]} == want["languages"]
    assert {v["value"]: v["count"] for v in got["event_types"]} == want["event_types"]
    assert {f"{e['name']}|{e['type']}|{e['country'] or ''}": e["count"] for e in got["entities"]} == want["entities"]
    for facet in got.values():
        counts = [v["count"] for v in facet]
        assert counts == sorted(counts, reverse=True)


def test_the_top_facets_are_the_most_frequent(ro: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = queries.document_facets(ro, queries.DocumentFilter(), size=500)["entities"]
    for few in (queries.FEW_FOR_A_JOIN, 0):
        monkeypatch.setattr(queries, "FEW_FOR_A_JOIN", few)
        top = queries.document_facets(ro, queries.DocumentFilter(), size=5)["entities"]
        assert top == whole[:5]
