"""The store's schema as numbered migration steps, applied in order and recorded in ``PRAGMA user_version``.

A step is a list of SQL statements run in one transaction with the version bump, so a database is
always at one numbered version. Add a step at the end to change the schema; never edit a released one.

Conventions, so that sqlite3, Datasette and DuckDB read the tables alike: STRICT tables (a column
holds its declared type), every layer row carries ``doc_id`` (the document's public ``id``) and
``char_start``/``char_end`` (offsets into ``documents.text``; ``end`` is a keyword in SQL), and
``extra`` holds, as JSON, any keys a layer writes that have no column yet.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from newsgraph.errors import StoreError as StoreError
from newsgraph.outlets import is_fallback, outlet


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]
    # a step SQL cannot say (it needs the library's rules), run after the statements in the same transaction
    run: Callable[[sqlite3.Connection], None] | None = None


_LAYER_COMMON = """
    n INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL"""

INITIAL = (
    """CREATE TABLE documents (
    n INTEGER PRIMARY KEY,                 -- stable integer key (full-text index rowid)
    id TEXT NOT NULL UNIQUE,               -- the document's content hash, as in its JSON
    story_id TEXT NOT NULL,                -- id of the first document of its near-duplicate group
    duplicate_of TEXT,                     -- the stored document it was found to near-duplicate
    similarity REAL,                       -- estimated Jaccard similarity to duplicate_of
    title TEXT,
    subtitle TEXT,
    source TEXT,                           -- meta.source, else the URL's host
    url TEXT,
    published TEXT,                        -- YYYY-MM-DD
    language TEXT,
    byline TEXT,
    text TEXT NOT NULL,
    json TEXT NOT NULL,                    -- the whole newsgraph.document/1 JSON
    input TEXT,                            -- the input it was read from: a path, a URL, FILE:LINE
    ingested_at TEXT NOT NULL              -- UTC, ISO 8601
) STRICT""",
    "CREATE INDEX documents_published ON documents(published)",
    "CREATE INDEX documents_source ON documents(source COLLATE NOCASE)",
    "CREATE INDEX documents_story ON documents(story_id)",
    f"""CREATE TABLE entities ({_LAYER_COMMON},          -- position in the document's entity list
    entity_id TEXT NOT NULL,               -- "E1": the id quotes and events use inside the document
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    title TEXT,
    role TEXT,
    country TEXT,
    affiliation TEXT,
    mentions INTEGER NOT NULL,
    extra TEXT,
    UNIQUE (doc_id, entity_id)
) STRICT""",
    "CREATE INDEX entities_key ON entities(name COLLATE NOCASE, type, country)",
    "CREATE INDEX entities_type ON entities(type)",
    """CREATE TABLE mentions (
    n INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    entity_id TEXT NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    paragraph INTEGER,                     -- index into the document's paragraphs
    text TEXT NOT NULL
) STRICT""",
    "CREATE INDEX mentions_doc ON mentions(doc_id, entity_id)",
    f"""CREATE TABLE quotes ({_LAYER_COMMON},
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    paragraph INTEGER,
    speaker TEXT,                          -- entity_id within the document
    speaker_name TEXT,
    cue TEXT,
    channel TEXT,
    original_source TEXT,
    extra TEXT
) STRICT""",
    "CREATE INDEX quotes_doc ON quotes(doc_id)",
    "CREATE INDEX quotes_speaker ON quotes(speaker_name COLLATE NOCASE)",
    f"""CREATE TABLE quantities ({_LAYER_COMMON},
    text TEXT NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    paragraph INTEGER,
    value REAL,                            -- the number; a range's low end
    value_high REAL,                       -- a range's high end
    approx INTEGER,
    bound TEXT,
    noun TEXT,
    category TEXT,
    country TEXT,
    verb TEXT,
    extra TEXT
) STRICT""",
    "CREATE INDEX quantities_doc ON quantities(doc_id)",
    "CREATE INDEX quantities_key ON quantities(noun, country)",
    f"""CREATE TABLE times ({_LAYER_COMMON},
    text TEXT NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    paragraph INTEGER,
    type TEXT,
    value TEXT,
    mod TEXT,
    extra TEXT
) STRICT""",
    "CREATE INDEX times_doc ON times(doc_id)",
    f"""CREATE TABLE places ({_LAYER_COMMON},
    text TEXT NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    paragraph INTEGER,
    name TEXT,
    country TEXT,
    kind TEXT,
    lat REAL,
    lon REAL,
    geonameid INTEGER,
    metonymy INTEGER,
    extra TEXT
) STRICT""",
    "CREATE INDEX places_doc ON places(doc_id, paragraph)",
    "CREATE INDEX places_name ON places(name COLLATE NOCASE)",
    f"""CREATE TABLE events ({_LAYER_COMMON},
    type TEXT NOT NULL,
    mode TEXT,
    source TEXT,                           -- entity_id within the document
    target TEXT,
    source_name TEXT,
    target_name TEXT,
    trigger TEXT,
    char_start INTEGER,
    char_end INTEGER,
    paragraph INTEGER,
    date TEXT,                             -- TIMEX3 value
    place TEXT,
    day TEXT,                              -- date when it is a day (YYYY-MM-DD), else the document's published
    extra TEXT
) STRICT""",
    "CREATE INDEX events_doc ON events(doc_id)",
    "CREATE INDEX events_type_day ON events(type, day)",
    "CREATE INDEX events_day ON events(day)",
    """CREATE TABLE signatures (
    doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    scheme TEXT NOT NULL,                  -- datasketch's MinHash scheme ("affine32")
    num_perm INTEGER NOT NULL,
    minhash BLOB NOT NULL                  -- the MinHash values, little-endian, in the scheme's width
) STRICT""",
    # full-text search over documents (title, text) and quotes (text, speaker), kept in step by triggers
    """CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, text, content=[documents], content_rowid=[n], tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.n, new.title, new.text);
END""",
    """CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.n, old.title, old.text);
END""",
    """CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.n, old.title, old.text);
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.n, new.title, new.text);
END""",
    """CREATE VIRTUAL TABLE quotes_fts USING fts5(
    text, speaker_name, content=[quotes], content_rowid=[n], tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER quotes_fts_insert AFTER INSERT ON quotes BEGIN
    INSERT INTO quotes_fts(rowid, text, speaker_name) VALUES (new.n, new.text, new.speaker_name);
END""",
    """CREATE TRIGGER quotes_fts_delete AFTER DELETE ON quotes BEGIN
    INSERT INTO quotes_fts(quotes_fts, rowid, text, speaker_name)
    VALUES ('delete', old.n, old.text, old.speaker_name);
END""",
    """CREATE TRIGGER quotes_fts_update AFTER UPDATE OF text, speaker_name ON quotes BEGIN
    INSERT INTO quotes_fts(quotes_fts, rowid, text, speaker_name)
    VALUES ('delete', old.n, old.text, old.speaker_name);
    INSERT INTO quotes_fts(rowid, text, speaker_name) VALUES (new.n, new.text, new.speaker_name);
END""",
    # entities merged across documents by (name, type, country); a story's copies count once
    """CREATE VIEW entity_totals AS
WITH per_story AS (
    SELECT e.name, e.type, coalesce(e.country, '') AS country, d.story_id,
           max(e.mentions) AS mentions, count(*) AS copies
    FROM entities e JOIN documents d ON d.id = e.doc_id
    GROUP BY e.name, e.type, coalesce(e.country, ''), d.story_id
)
SELECT name, type, nullif(country, '') AS country,
       sum(mentions) AS mentions, count(*) AS stories, sum(copies) AS documents
FROM per_story GROUP BY name, type, country""",
    """CREATE VIEW stories AS
SELECT story_id, count(*) AS documents, min(published) AS first_published, max(published) AS last_published,
       (SELECT title FROM documents f WHERE f.id = d.story_id) AS title
FROM documents d GROUP BY story_id""",
)

# events as the events layer writes them: modality, context, actors' countries and sectors, the sentence,
# the date's basis, the place's country and point, and the counts (the table is rebuilt so that its
# columns keep the registry's order; rows of version 1 keep what they had, the new fields from extra)
_EVENT_FIELDS = (
    "context",
    "modality",
    "source_country",
    "source_sector",
    "target_country",
    "target_sector",
    "sentence_start",
    "sentence_end",
    "date_basis",
    "place_country",
    "lat",
    "lon",
    "dead",
    "injured",
    "size",
)
EVENTS_2 = (
    f"""CREATE TABLE events_2 ({_LAYER_COMMON},
    type TEXT NOT NULL,
    mode TEXT,
    context TEXT,                          -- PLOVER context, where the trigger fixes one
    modality TEXT,                         -- asserted | negated | future | hypothetical | demanded
    source TEXT,                           -- entity_id within the document
    target TEXT,
    source_name TEXT,
    target_name TEXT,
    source_country TEXT,                   -- ISO2 of the source actor's affiliation
    source_sector TEXT,                    -- GOV MIL REB COP ... (CAMEO agent codes)
    target_country TEXT,
    target_sector TEXT,
    trigger TEXT,
    char_start INTEGER,
    char_end INTEGER,
    paragraph INTEGER,
    sentence_start INTEGER,
    sentence_end INTEGER,
    date TEXT,                             -- TIMEX3 value
    date_basis TEXT,                       -- text (a time expression of its clause) | published
    place TEXT,
    place_country TEXT,
    lat REAL,
    lon REAL,
    dead REAL,
    injured REAL,
    size REAL,
    day TEXT,                              -- date when it is a day (YYYY-MM-DD), else the document's published
    extra TEXT
) STRICT""",
    "INSERT INTO events_2 (n, doc_id, idx, type, mode, source, target, source_name, target_name, trigger, char_start,"
    " char_end, paragraph, date, place, day, extra, "
    + ", ".join(_EVENT_FIELDS)
    + ") SELECT n, doc_id, idx, type, mode, source, target, source_name, target_name, trigger, char_start, char_end,"
    " paragraph, date, place, day, extra, "
    + ", ".join(f"json_extract(extra, '$.{f}')" for f in _EVENT_FIELDS)
    + " FROM events",
    "DROP TABLE events",
    "ALTER TABLE events_2 RENAME TO events",
    "CREATE INDEX events_doc ON events(doc_id)",
    "CREATE INDEX events_type_day ON events(type, day)",
    "CREATE INDEX events_day ON events(day)",
    "CREATE INDEX events_modality ON events(modality)",
    # one happening told by many articles (store/event_clusters.py): GDELT's events and mentions tables
    """CREATE TABLE event_clusters (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL,
    modality TEXT NOT NULL,
    day TEXT,                              -- the first mention's day
    source_name TEXT,                      -- the first mention's actors (entity name lower-cased, country, sector)
    source_country TEXT,
    source_sector TEXT,
    target_name TEXT,
    target_country TEXT,
    target_sector TEXT,
    place TEXT,
    place_country TEXT,
    mentions INTEGER NOT NULL,             -- event mentions in all
    sources INTEGER NOT NULL,              -- distinct outlets
    articles INTEGER NOT NULL              -- distinct documents
) STRICT""",
    "CREATE INDEX event_clusters_type_day ON event_clusters(type, modality, day)",
    """CREATE TABLE event_mentions (
    cluster_id INTEGER NOT NULL REFERENCES event_clusters(id),
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,                  -- the event's idx in the events table of that document
    source TEXT,                           -- the outlet
    day_seen TEXT,                         -- the article's publication day
    PRIMARY KEY (doc_id, idx)
) STRICT""",
    "CREATE INDEX event_mentions_cluster ON event_mentions(cluster_id, doc_id)",
    "CREATE INDEX event_mentions_cluster_source ON event_mentions(cluster_id, source)",
)

# entities across documents kept up to date as documents are written, so the entities list, the search
# page and the networks read a few thousand rows instead of grouping every entity row of the store: per
# (name, type, country or '') and story the fullest copy's mentions and the copies (entity_stories), and
# per entity what the entity_totals view computes (entity_counts). Triggers keep both: on each entity row
# written, and before a document is deleted (the store never deletes; sqlite3 users may).
_KEY = "name = {0}.name AND type = {0}.type AND country = {0}.country"
ENTITY_COUNTS_3 = (
    """CREATE TABLE entity_stories (
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    country TEXT NOT NULL,                 -- '' when none
    story_id TEXT NOT NULL,
    mentions INTEGER NOT NULL,             -- of the story's fullest copy
    copies INTEGER NOT NULL,               -- entity rows in the story's documents
    PRIMARY KEY (name, type, country, story_id)
) STRICT, WITHOUT ROWID""",
    """CREATE TABLE entity_counts (
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    country TEXT NOT NULL,                 -- '' when none
    mentions INTEGER NOT NULL,             -- a story's copies counted once (its fullest)
    stories INTEGER NOT NULL,
    documents INTEGER NOT NULL,
    PRIMARY KEY (name, type, country)
) STRICT, WITHOUT ROWID""",
    "CREATE INDEX entity_counts_rank ON entity_counts(stories DESC, mentions DESC, name)",
    "INSERT INTO entity_stories SELECT e.name, e.type, coalesce(e.country, ''), d.story_id, max(e.mentions), count(*)"
    " FROM entities e JOIN documents d ON d.id = e.doc_id GROUP BY 1, 2, 3, 4",
    "INSERT INTO entity_counts SELECT name, type, country, sum(mentions), count(*), sum(copies) FROM entity_stories"
    " GROUP BY 1, 2, 3",
    """CREATE TRIGGER entities_counted AFTER INSERT ON entities BEGIN
    INSERT INTO entity_stories SELECT new.name, new.type, coalesce(new.country, ''), d.story_id, new.mentions, 1
    FROM documents d WHERE d.id = new.doc_id
    ON CONFLICT DO UPDATE SET mentions = max(mentions, excluded.mentions), copies = copies + 1;
END""",
    """CREATE TRIGGER entity_stories_added AFTER INSERT ON entity_stories BEGIN
    INSERT INTO entity_counts VALUES (new.name, new.type, new.country, new.mentions, 1, new.copies)
    ON CONFLICT DO UPDATE SET mentions = mentions + excluded.mentions, stories = stories + 1,
    documents = documents + excluded.documents;
END""",
    f"""CREATE TRIGGER entity_stories_changed AFTER UPDATE ON entity_stories BEGIN
    UPDATE entity_counts SET mentions = mentions + new.mentions - old.mentions,
    documents = documents + new.copies - old.copies WHERE {_KEY.format("new")};
END""",
    f"""CREATE TRIGGER entity_stories_removed AFTER DELETE ON entity_stories BEGIN
    UPDATE entity_counts SET mentions = mentions - old.mentions, stories = stories - 1,
    documents = documents - old.copies WHERE {_KEY.format("old")};
    DELETE FROM entity_counts WHERE {_KEY.format("old")} AND stories <= 0;
END""",
    """CREATE TRIGGER documents_uncounted BEFORE DELETE ON documents BEGIN
    UPDATE entity_stories SET
    copies = copies - (SELECT count(*) FROM entities e WHERE e.doc_id = old.id AND e.name = entity_stories.name
        AND e.type = entity_stories.type AND coalesce(e.country, '') = entity_stories.country),
    mentions = coalesce((SELECT max(e.mentions) FROM entities e JOIN documents d ON d.id = e.doc_id
        WHERE d.story_id = old.story_id AND d.id != old.id AND e.name = entity_stories.name
        AND e.type = entity_stories.type AND coalesce(e.country, '') = entity_stories.country), 0)
    WHERE story_id = old.story_id
    AND (name, type, country) IN (SELECT name, type, coalesce(country, '') FROM entities WHERE doc_id = old.id);
    DELETE FROM entity_stories WHERE story_id = old.story_id AND copies <= 0;
END""",
    # the paragraphs an entity is named in, and who else is named there (the entity page, the timeline)
    "CREATE INDEX mentions_paragraph ON mentions(doc_id, paragraph)",
)

# the co-mention network kept up to date as documents are written (the network page read every mention of
# the store and paired them in Python: 1-3 s at 1,700 documents): the entities of the network's types named
# in each paragraph of each story (a story's near-duplicate copies once, by paragraph index; -1 for a
# mention outside the paragraphs), and per pair of them the paragraphs naming both (co_mentions, the pair
# in (name, type, country) order, as Python sorts tuples). Triggers keep both: on each mention row
# written, and before a document is deleted (its story's paragraphs read again from the other copies).
CO_MENTION_TYPES = ("PERSON", "ORG", "GPE", "LOC", "NORP")
_TYPES = ", ".join(f"'{t}'" for t in CO_MENTION_TYPES)
_NEW, _OLD, _P = (f"{x}.name, {x}.type, {x}.country" for x in ("new", "old", "p"))
_PARAGRAPH_ENTITIES = (
    "SELECT DISTINCT d.story_id, coalesce(m.paragraph, -1), e.name, e.type, coalesce(e.country, '')"
    " FROM mentions m JOIN entities e ON e.doc_id = m.doc_id AND e.entity_id = m.entity_id"
    f" JOIN documents d ON d.id = m.doc_id WHERE e.type IN ({_TYPES})"
)
CO_MENTIONS_4 = (
    """CREATE TABLE paragraph_entities (
    story_id TEXT NOT NULL,
    paragraph INTEGER NOT NULL,            -- index into the documents' paragraphs; -1 outside them
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    country TEXT NOT NULL,                 -- '' when none
    PRIMARY KEY (story_id, paragraph, name, type, country)
) STRICT, WITHOUT ROWID""",
    """CREATE TABLE co_mentions (
    a_name TEXT NOT NULL,
    a_type TEXT NOT NULL,
    a_country TEXT NOT NULL,
    b_name TEXT NOT NULL,                  -- (b_name, b_type, b_country) > (a_name, a_type, a_country)
    b_type TEXT NOT NULL,
    b_country TEXT NOT NULL,
    weight INTEGER NOT NULL,               -- paragraphs (of distinct stories or indexes) naming both
    PRIMARY KEY (a_name, a_type, a_country, b_name, b_type, b_country)
) STRICT, WITHOUT ROWID""",
    f"INSERT INTO paragraph_entities {_PARAGRAPH_ENTITIES}",
    "INSERT INTO co_mentions SELECT a.name, a.type, a.country, b.name, b.type, b.country, count(*)"
    " FROM paragraph_entities a JOIN paragraph_entities b ON b.story_id = a.story_id AND b.paragraph = a.paragraph"
    " AND (a.name, a.type, a.country) < (b.name, b.type, b.country) GROUP BY 1, 2, 3, 4, 5, 6",
    f"""CREATE TRIGGER mentions_paired AFTER INSERT ON mentions BEGIN
    INSERT OR IGNORE INTO paragraph_entities
    SELECT d.story_id, coalesce(new.paragraph, -1), e.name, e.type, coalesce(e.country, '')
    FROM entities e JOIN documents d ON d.id = e.doc_id
    WHERE e.doc_id = new.doc_id AND e.entity_id = new.entity_id AND e.type IN ({_TYPES});
END""",
    f"""CREATE TRIGGER paragraph_entities_added AFTER INSERT ON paragraph_entities BEGIN
    INSERT INTO co_mentions SELECT {_P}, {_NEW}, 1 FROM paragraph_entities p
    WHERE p.story_id = new.story_id AND p.paragraph = new.paragraph AND ({_P}) < ({_NEW})
    ON CONFLICT DO UPDATE SET weight = weight + 1;
    INSERT INTO co_mentions SELECT {_NEW}, {_P}, 1 FROM paragraph_entities p
    WHERE p.story_id = new.story_id AND p.paragraph = new.paragraph AND ({_P}) > ({_NEW})
    ON CONFLICT DO UPDATE SET weight = weight + 1;
END""",
    f"""CREATE TRIGGER paragraph_entities_removed AFTER DELETE ON paragraph_entities BEGIN
    UPDATE co_mentions SET weight = weight - 1
    WHERE (a_name, a_type, a_country, b_name, b_type, b_country) IN (
        SELECT {_P}, {_OLD} FROM paragraph_entities p
        WHERE p.story_id = old.story_id AND p.paragraph = old.paragraph AND ({_P}) < ({_OLD})
        UNION ALL SELECT {_OLD}, {_P} FROM paragraph_entities p
        WHERE p.story_id = old.story_id AND p.paragraph = old.paragraph AND ({_P}) > ({_OLD}));
    DELETE FROM co_mentions WHERE weight <= 0 AND (a_name = old.name OR b_name = old.name);
END""",
    f"""CREATE TRIGGER documents_unpaired BEFORE DELETE ON documents BEGIN
    DELETE FROM paragraph_entities WHERE story_id = old.story_id;
    INSERT OR IGNORE INTO paragraph_entities {_PARAGRAPH_ENTITIES} AND d.story_id = old.story_id AND d.id != old.id;
END""",
)

# entities linked to the knowledge base carry their Wikidata QID (written to ``extra`` before there was a column)
WIKIDATA_5 = (
    "ALTER TABLE entities ADD COLUMN wikidata TEXT",
    "UPDATE entities SET wikidata = json_extract(extra, '$.wikidata'),"
    " extra = nullif(json_remove(extra, '$.wikidata'), '{}') WHERE json_extract(extra, '$.wikidata') IS NOT NULL",
    "CREATE INDEX entities_wikidata ON entities(wikidata)",
)

# the store's own columns on layer tables, beside the registry's: single-column keys of the entity a mention or
# a quote's speaker is, so that Datasette (which links single-column foreign keys only) links them to the
# entity's row. Triggers fill them as rows are written (entities are written before mentions and quotes).
STORE_COLUMNS = {"mentions": ("entity_n",), "quotes": ("speaker_n",)}
_ENTITY_N = "(SELECT e.n FROM entities e WHERE e.doc_id = {0}.doc_id AND e.entity_id = {0}.{1})"
ENTITY_KEYS_7 = (
    "ALTER TABLE mentions ADD COLUMN entity_n INTEGER REFERENCES entities(n) ON DELETE SET NULL",
    "ALTER TABLE quotes ADD COLUMN speaker_n INTEGER REFERENCES entities(n) ON DELETE SET NULL",
    f"UPDATE mentions SET entity_n = {_ENTITY_N.format('mentions', 'entity_id')}",
    f"UPDATE quotes SET speaker_n = {_ENTITY_N.format('quotes', 'speaker')} WHERE speaker IS NOT NULL",
    "CREATE INDEX mentions_entity_n ON mentions(entity_n)",
    "CREATE INDEX quotes_speaker_n ON quotes(speaker_n)",
    f"""CREATE TRIGGER mentions_entity_key AFTER INSERT ON mentions BEGIN
    UPDATE mentions SET entity_n = {_ENTITY_N.format("new", "entity_id")} WHERE n = new.n;
END""",
    f"""CREATE TRIGGER quotes_speaker_key AFTER INSERT ON quotes WHEN new.speaker IS NOT NULL BEGIN
    UPDATE quotes SET speaker_n = {_ENTITY_N.format("new", "speaker")} WHERE n = new.n;
END""",
    # the documents without their heavy columns (text, json): what Datasette lists (store/datasette.py)
    "CREATE VIEW articles AS SELECT n, id, title, subtitle, source, url, published, language, byline, story_id,"
    " duplicate_of, similarity, input, ingested_at FROM documents",
)


def rederive_sources(conn: sqlite3.Connection) -> None:
    """Sources an older store wrote from page chrome ("Hosted", "Copyright 2014", "Nj") or as the URL's bare
    host, named again by ``newsgraph.outlets`` from the URL; a source that reads as a name (it may have been
    given with ``--source``) is kept, and so is one no URL can improve. The document's JSON and its event
    mentions follow; the outlets counted per event cluster are counted again where they changed."""
    changed: list[tuple[str, str]] = []
    for doc_id, source, url in conn.execute("SELECT id, source, url FROM documents"):
        if url and is_fallback(source, url):
            new = outlet(source, url)
            if new and new != source:
                changed.append((new, doc_id))
    if not changed:
        return
    conn.executemany(
        "UPDATE documents SET source = ?1, json = json_set(json, '$.meta.source', ?1) WHERE id = ?2", changed
    )
    conn.executemany("UPDATE event_mentions SET source = ? WHERE doc_id = ?", changed)
    conn.execute("CREATE TEMP TABLE rederived (doc_id TEXT PRIMARY KEY)")
    conn.executemany("INSERT INTO rederived VALUES (?)", ((doc_id,) for _, doc_id in changed))
    # an article without an outlet is its own outlet (store/event_clusters.py)
    conn.execute(
        "UPDATE event_clusters SET sources = (SELECT count(DISTINCT m.source)"
        " + count(DISTINCT CASE WHEN m.source IS NULL THEN m.doc_id END) FROM event_mentions m"
        " WHERE m.cluster_id = event_clusters.id)"
        " WHERE id IN (SELECT cluster_id FROM event_mentions WHERE doc_id IN (SELECT doc_id FROM rederived))"
    )
    conn.execute("DROP TABLE temp.rederived")


# ``newsgraph watch`` and saved searches (newsgraph.watch): each polled feed's validators and last poll, each feed
# item seen (so that a restarted watch fetches no page twice), and the saved searches (alerts) with the
# newest document each has reported (documents.n: a document stored after it is a new match)
WATCH_8 = (
    """CREATE TABLE watch_feeds (
    url TEXT PRIMARY KEY,                  -- the feed (or sitemap) as given, without credentials
    via TEXT,                              -- the sitemap index it was found in, if any
    kind TEXT,                             -- rss | atom | rdf | sitemap | sitemapindex
    title TEXT,
    etag TEXT,                             -- the last answer's validators, sent back in the next poll
    last_modified TEXT,
    last_poll TEXT,                        -- UTC, ISO 8601
    last_status TEXT,                      -- ok | not modified | error
    last_http INTEGER,                     -- the HTTP status of the last answer
    last_error TEXT,                       -- the last poll's error (the feed's own: unreachable, malformed)
    last_items INTEGER NOT NULL DEFAULT 0, -- items the feed listed at the last poll
    last_new INTEGER NOT NULL DEFAULT 0,   -- items not seen before, fetched at the last poll
    last_stored INTEGER NOT NULL DEFAULT 0,-- documents the last poll stored
    last_failed INTEGER NOT NULL DEFAULT 0,-- items the last poll could not fetch or analyse
    last_seconds REAL,
    polls INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,     -- polls that ended in an error
    stored INTEGER NOT NULL DEFAULT 0      -- documents stored from it, all polls
) STRICT""",
    """CREATE TABLE watch_items (
    link TEXT PRIMARY KEY,                 -- the item's page, as the feed links it (resolved)
    feed TEXT NOT NULL,                    -- the feed it was first seen in
    first_seen TEXT NOT NULL,              -- UTC, ISO 8601
    status TEXT NOT NULL,                  -- stored | unchanged (already stored) | failed | disallowed (robots.txt)
    doc_id TEXT,                           -- the document stored from it
    attempts INTEGER NOT NULL DEFAULT 1,   -- a failed item is fetched again at later polls, a few times
    error TEXT
) STRICT""",
    "CREATE INDEX watch_items_feed ON watch_items(feed, status)",
    """CREATE TABLE alerts (
    name TEXT PRIMARY KEY,
    q TEXT,                                -- the saved search: store.queries.DocumentFilter's fields
    source TEXT,
    entity TEXT,
    event_type TEXT,
    country TEXT,                          -- ISO2: a place named, or an event's actor or place, in it
    since TEXT,
    until TEXT,
    language TEXT,
    created_at TEXT NOT NULL,              -- UTC, ISO 8601
    last_run TEXT,                         -- when its new matches were last reported
    last_n INTEGER NOT NULL DEFAULT 0      -- documents.n of the newest document stored when it last ran
) STRICT""",
)

# the timeline's volumes kept up to date as documents are written (the timeline page read every quote and event
# of the store: ~370 ms cold at 1,700 documents): per day and outlet ('' when none) the articles published, their
# quotes, and per PLOVER type the happenings (event clusters, at the cluster's day) the outlet told, each once
# however many of its articles tell it. Triggers keep them: on each document, quote and event mention written,
# and before a document is deleted (the store never deletes; sqlite3 users may). Days without a date are left
# out, as on the timeline.
_HAPPENINGS_OF_OLD = (
    "SELECT c.day, c.type, m.cluster_id FROM event_mentions m JOIN event_clusters c ON c.id = m.cluster_id"
    " WHERE m.doc_id = old.id AND c.day IS NOT NULL"
    " AND NOT EXISTS (SELECT 1 FROM event_mentions o WHERE o.cluster_id = m.cluster_id AND o.source IS m.source"
    " AND o.doc_id != old.id)"
)
DAY_COUNTS_9 = (
    """CREATE TABLE day_counts (
    day TEXT NOT NULL,                     -- YYYY-MM-DD: an article's publication day, a happening's day
    kind TEXT NOT NULL,                    -- articles | quotes | events
    source TEXT NOT NULL,                  -- the outlet (documents.source); '' when none
    type TEXT NOT NULL,                    -- events: the PLOVER type; '' otherwise
    n INTEGER NOT NULL,                    -- articles, quotes, or happenings the outlet told
    PRIMARY KEY (day, kind, source, type)
) STRICT, WITHOUT ROWID""",
    "CREATE INDEX day_counts_source ON day_counts(source COLLATE NOCASE, day)",
    "INSERT INTO day_counts SELECT published, 'articles', coalesce(source, ''), '', count(*) FROM documents"
    " WHERE published IS NOT NULL GROUP BY 1, 3",
    "INSERT INTO day_counts SELECT d.published, 'quotes', coalesce(d.source, ''), '', count(*) FROM quotes x"
    " JOIN documents d ON d.id = x.doc_id WHERE d.published IS NOT NULL GROUP BY 1, 3",
    "INSERT INTO day_counts SELECT c.day, 'events', m.source, c.type, count(*)"
    " FROM (SELECT DISTINCT cluster_id, coalesce(source, '') AS source FROM event_mentions) m"
    " JOIN event_clusters c ON c.id = m.cluster_id WHERE c.day IS NOT NULL GROUP BY 1, 3, 4",
    """CREATE TRIGGER documents_day_counted AFTER INSERT ON documents WHEN new.published IS NOT NULL BEGIN
    INSERT INTO day_counts VALUES (new.published, 'articles', coalesce(new.source, ''), '', 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END""",
    """CREATE TRIGGER quotes_day_counted AFTER INSERT ON quotes BEGIN
    INSERT INTO day_counts SELECT d.published, 'quotes', coalesce(d.source, ''), '', 1
    FROM documents d WHERE d.id = new.doc_id AND d.published IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
END""",
    # a happening counts for an outlet once: at the first mention of it by that outlet's articles
    """CREATE TRIGGER event_mentions_day_counted AFTER INSERT ON event_mentions BEGIN
    INSERT INTO day_counts SELECT c.day, 'events', coalesce(new.source, ''), c.type, 1
    FROM event_clusters c WHERE c.id = new.cluster_id AND c.day IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM event_mentions o WHERE o.cluster_id = new.cluster_id AND o.source IS new.source
        AND (o.doc_id != new.doc_id OR o.idx != new.idx))
    ON CONFLICT DO UPDATE SET n = n + 1;
END""",
    f"""CREATE TRIGGER documents_day_uncounted BEFORE DELETE ON documents BEGIN
    UPDATE day_counts SET n = n - 1
    WHERE day = old.published AND kind = 'articles' AND source = coalesce(old.source, '') AND type = '';
    UPDATE day_counts SET n = n - (SELECT count(*) FROM quotes x WHERE x.doc_id = old.id)
    WHERE day = old.published AND kind = 'quotes' AND source = coalesce(old.source, '') AND type = '';
    UPDATE day_counts SET n = n - (SELECT count(DISTINCT h.cluster_id) FROM ({_HAPPENINGS_OF_OLD}) h
        WHERE h.day = day_counts.day AND h.type = day_counts.type)
    WHERE kind = 'events' AND source = coalesce(old.source, '')
    AND (day, type) IN (SELECT h.day, h.type FROM ({_HAPPENINGS_OF_OLD}) h);
    DELETE FROM day_counts WHERE n <= 0 AND day IN (SELECT old.published UNION SELECT c.day FROM event_mentions m
        JOIN event_clusters c ON c.id = m.cluster_id WHERE m.doc_id = old.id);
END""",
)

# the outlet the documents table names, in the document's JSON too: stores written before the JSON had it for
# plain text (JSON Lines records with a URL) said null there, and so did every export and API answer from it
SOURCE_IN_JSON_10 = (
    "UPDATE documents SET json = json_set(json, '$.meta.source', source)"
    " WHERE source IS NOT NULL AND json_extract(json, '$.meta.source') IS NOT source",
)

# the entity filter finds documents by the words an article named an entity with ("Clinton"), any case
MENTION_TEXT_11 = ("CREATE INDEX mentions_text ON mentions(text COLLATE NOCASE)",)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "documents, layers, signatures, full-text search, views", INITIAL),
    Migration(2, "events with modality, actors' countries and sectors, sentence, place point and counts", EVENTS_2),
    Migration(3, "entities across documents counted as documents are written; mentions by paragraph", ENTITY_COUNTS_3),
    Migration(
        4, "the co-mention network (entities per story paragraph, pairs) kept as documents are written", CO_MENTIONS_4
    ),
    Migration(5, "entities' Wikidata QIDs", WIKIDATA_5),
    Migration(
        7,
        "sources named by their outlet; mentions and quote speakers keyed to their entity's row; the articles view",
        ENTITY_KEYS_7,
        rederive_sources,
    ),
    # 8 follows 7 (6 is unused: this step was numbered 6 on its branch, and stores already at 7 need it)
    Migration(8, "newsgraph watch: feeds polled, items seen; saved searches (alerts)", WATCH_8),
    Migration(
        9,
        "the timeline's articles, quotes and happenings per day and outlet, kept as documents are written",
        DAY_COUNTS_9,
    ),
    Migration(
        10, "the documents' outlet in their JSON (meta.source), as the documents table names it", SOURCE_IN_JSON_10
    ),
    Migration(11, "mentions by their text, any case (the entity filter by any name an article used)", MENTION_TEXT_11),
)
SCHEMA_VERSION = MIGRATIONS[-1].version


def schema_version(conn: sqlite3.Connection) -> int:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version


def check_version(conn: sqlite3.Connection, name: str) -> None:
    """A read-only user's check: the database is at exactly this code's schema version."""
    version = schema_version(conn)
    if version == SCHEMA_VERSION:
        return
    if version == 0 and not _has_documents(conn):
        raise StoreError(f"{name}: not a newsgraph database (no documents table); create it with `newsgraph ingest`")
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{name}: schema version {version} is newer than this newsgraph's ({SCHEMA_VERSION}); upgrade newsgraph"
        )
    raise StoreError(
        f"{name}: schema version {version}, this newsgraph needs {SCHEMA_VERSION}; run `newsgraph ingest` to migrate"
    )


def _has_documents(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'documents'").fetchone()
    return row is not None


def migrate(conn: sqlite3.Connection, name: str, migrations: tuple[Migration, ...] = MIGRATIONS) -> int:
    """Bring the database to the latest version, one step per transaction; returns the version reached.

    ``conn`` must be in autocommit mode (``isolation_level=None``). Two processes migrating at once
    are serialised by ``BEGIN IMMEDIATE``; the second finds the work done.
    """
    latest = migrations[-1].version
    if schema_version(conn) == latest:
        return latest
    for step in migrations:
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = schema_version(conn)
            if current > latest:
                raise StoreError(
                    f"{name}: schema version {current} is newer than this newsgraph's ({latest}); upgrade newsgraph"
                )
            if current == 0 and step.version == 1 and _has_tables(conn):
                raise StoreError(f"{name}: not a newsgraph database (it has other tables and no schema version)")
            if step.version > current and current == _before(step, migrations):
                for statement in step.statements:
                    conn.execute(statement)
                if step.run is not None:
                    step.run(conn)
                conn.execute(f"PRAGMA user_version = {step.version:d}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return schema_version(conn)


def _before(step: Migration, migrations: tuple[Migration, ...]) -> int:
    """The version a database is at when ``step`` is next: the step listed before it (0 before the first)."""
    i = migrations.index(step)
    return migrations[i - 1].version if i else 0


def _has_tables(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1").fetchone() is not None
