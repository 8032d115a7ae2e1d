"""Response shapes of the JSON API (they make the OpenAPI documentation at ``/docs``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Health(BaseModel):
    ok: bool
    documents: int = Field(description="documents in the store")
    schema_version: int


class Error(BaseModel):
    error: str = Field(description="one line naming the problem")
    detail: list[dict[str, Any]] | None = None


class DocumentItem(BaseModel):
    id: str
    title: str | None
    published: str | None = Field(description="YYYY-MM-DD")
    source: str | None = Field(description="the outlet's name, else the URL's host")
    url: str | None
    story_id: str = Field(description="id of the first stored document of its near-duplicate group")
    duplicate_of: str | None
    versions: int = Field(1, description="stored documents of its story (near-duplicate copies included)")
    snippet: str | None = Field(None, description="text around the match (full-text searches only)")
    title_marks: list[list[int]] | None = Field(
        None, description="[start, end) character offsets of the matched words in the title"
    )
    snippet_marks: list[list[int]] | None = Field(
        None, description="[start, end) character offsets of the matched words in the snippet"
    )


class FacetValue(BaseModel):
    value: str
    count: int = Field(description="matching documents (stories with collapse)")


class FacetEntity(BaseModel):
    name: str
    type: str
    country: str | None
    count: int = Field(description="matching documents (stories with collapse) naming it")


class DocumentFacets(BaseModel):
    sources: list[FacetValue]
    languages: list[FacetValue]
    event_types: list[FacetValue]
    entities: list[FacetEntity]


class DocumentPage(BaseModel):
    items: list[DocumentItem]
    total: int
    facets: DocumentFacets | None = Field(None, description="with facets=true: the matches counted by value")


class DocumentRef(BaseModel):
    id: str
    title: str | None
    published: str | None
    source: str | None
    url: str | None
    story_id: str


class Quote(BaseModel):
    doc_id: str
    idx: int = Field(description="position in the document's quotes")
    kind: str = Field(description="direct | indirect")
    text: str
    start: int
    end: int
    speaker: str | None = Field(description="the speaker's entity id within the document")
    speaker_name: str | None
    cue: str | None
    channel: str | None
    original_source: str | None
    document: DocumentRef


class QuotePage(BaseModel):
    items: list[Quote]
    total: int


class Event(BaseModel):
    doc_id: str
    idx: int
    type: str = Field(description="PLOVER event type")
    mode: str | None
    context: str | None = None
    modality: str | None = Field(description="asserted | negated | future | hypothetical | demanded")
    source: str | None = Field(description="the source actor's entity id within the document")
    target: str | None
    source_name: str | None
    target_name: str | None
    source_country: str | None = None
    source_sector: str | None = None
    target_country: str | None = None
    target_sector: str | None = None
    trigger: str | None
    start: int | None
    end: int | None
    sentence_start: int | None = None
    sentence_end: int | None = None
    sentence: str | None = Field(None, description="the trigger's sentence: text[sentence_start:sentence_end]")
    date: str | None = Field(description="TIMEX3 value")
    date_basis: str | None = Field(None, description="text: a time expression of the event's clause; published")
    place: str | None
    place_country: str | None = None
    lat: float | None = None
    lon: float | None = None
    dead: float | None = None
    injured: float | None = None
    size: float | None = None
    day: str | None = Field(description="the event's date when it is a day, else the document's")
    cluster: int | None = Field(None, description="the event cluster: this happening's mentions across articles")
    mentions: int = Field(1, description="mentions of the cluster")
    articles: int = Field(1, description="distinct articles of the cluster")
    sources: int = Field(1, description="distinct outlets of the cluster")
    document: DocumentRef


class EventPage(BaseModel):
    items: list[Event]
    total: int


class EntityRef(BaseModel):
    name: str = Field(description="the entity's canonical name")
    type: str | None
    country: str | None


class EventMention(Event):
    outlet: str | None = Field(description="the outlet of the article telling it")
    day_seen: str | None = Field(description="the article's publication day")
    source_entity: EntityRef | None = Field(description="the entity behind the source actor, if one is")
    target_entity: EntityRef | None


class EventActor(BaseModel):
    name: str | None = Field(description="an entity's canonical name, else the actor's words")
    country: str | None = Field(description="ISO 3166-1 alpha-2")
    sector: str | None = Field(description="GOV MIL REB COP ... (CAMEO agent codes)")
    entity: EntityRef | None = Field(description="the entity behind it, if one is")


class EventClusterSummary(BaseModel):
    id: int
    type: str = Field(description="PLOVER event type")
    mode: str | None
    modality: str = Field(description="asserted | negated | future | hypothetical | demanded")
    day: str | None = Field(description="the first mention's day")
    source: EventActor = Field(description="from the first mention naming a source")
    target: EventActor
    place: str | None = Field(description="from the first mention naming a place")
    place_country: str | None
    lat: float | None
    lon: float | None
    dead: list[float] = Field(description="every distinct figure the mentions give")
    injured: list[float]
    size: list[float]
    mentions: int
    articles: int
    sources: int = Field(description="distinct outlets")
    outlets: list[str]
    first_seen: str | None = Field(description="the first article's publication day")
    last_seen: str | None


class EventCluster(BaseModel):
    cluster: EventClusterSummary
    mentions: list[EventMention] = Field(description="its events in each article, earliest article first")


class ActorNode(BaseModel):
    id: int = Field(description="the node's index, as edges name it")
    name: str
    kind: str = Field(description="entity (the entity behind the actor) | described (the actor's own words)")
    entity_type: str | None
    country: str | None
    happenings: int = Field(description="event clusters with another actor it takes part in")
    as_source: int
    as_target: int


class ActorEdge(BaseModel):
    source: int = Field(description="the acting node's id")
    target: int = Field(description="the node acted on")
    weight: int = Field(description="happenings (event clusters): a story told by many outlets counts once")
    type: str = Field(description="the most frequent PLOVER type")
    quad: int = Field(description="its quad class: 1 verbal, 2 material cooperation; 3 verbal, 4 material conflict")
    types: dict[str, int] = Field(description="happenings per PLOVER type")
    clusters: list[int] = Field(description="the first 20 event clusters' ids")


class ActorNetwork(BaseModel):
    nodes: list[ActorNode]
    edges: list[ActorEdge]
    actors: int = Field(description="actors before the cap")
    cap: int = Field(description="the most actors shown: the busiest")


class EntityTotal(BaseModel):
    name: str
    type: str
    country: str | None
    mentions: int = Field(description="mentions, near-duplicate copies counted once")
    stories: int = Field(description="stories naming it (near-duplicates are one story)")
    documents: int = Field(description="stored documents naming it, copies included")
    wikidata: str | None = Field(default=None, description="its Wikidata QID, when linked to the knowledge base")
    aliases: list[str] = Field(default_factory=list, description="the knowledge base's other names of it")


class EntityPage(BaseModel):
    items: list[EntityTotal]
    total: int


class ClaimSubject(BaseModel):
    noun: str
    country: str | None
    verb: str | None
    category: str | None
    story_ids: list[str] = Field(description="the stories compared: one, or those that tell one happening")
    cluster_ids: list[int] = Field(description="the event clusters told in the figures' sentences")


class ClaimValue(BaseModel):
    value: float
    value_high: float | None
    bound: str | None
    sources: list[str]
    dates: list[str]


class Reading(BaseModel):
    doc_id: str
    text: str
    start: int
    end: int
    value: float
    value_high: float | None
    approx: bool | None
    bound: str | None
    noun: str
    category: str | None
    country: str | None
    verb: str | None
    places: list[str] = Field(description="places named in the same paragraph")
    occurrences: int = Field(description="times the document gives this figure")
    cluster: int | None = Field(description="the event cluster told in the figure's sentence, if any")
    document: DocumentRef


class Claim(BaseModel):
    subject: ClaimSubject
    sources: int
    stories: int
    documents: int
    disagree: bool = Field(description="true when two readings cannot both hold")
    values: list[ClaimValue]
    readings: list[Reading]


class ClaimPage(BaseModel):
    items: list[Claim]
    total: int


class StoryDocument(BaseModel):
    id: str
    title: str | None
    source: str | None
    url: str | None
    published: str | None
    duplicate_of: str | None
    similarity: float | None
    ingested_at: str


class Story(BaseModel):
    id: str
    title: str | None
    documents: list[StoryDocument]
    sources: list[str]
    first_published: str | None
    last_published: str | None


class LayerTable(BaseModel):
    name: str
    columns: list[str]
    stored: bool = Field(description="whether this store has the table")


class LayerInfo(BaseModel):
    name: str
    reads: list[str] = Field(description="the document fields the layer reads")
    needs: list[str] = Field(description="resources it needs (gazetteer)")
    tables: list[LayerTable]


class LayerPage(BaseModel):
    layer: str
    table: str
    items: list[dict[str, Any]] = Field(description="rows keyed by column; extra as JSON")
    total: int


class WatchFailedItem(BaseModel):
    link: str
    error: str | None
    attempts: int = Field(description="fetches tried; a failed item is tried again at later polls, 3 in all")


class WatchFeed(BaseModel):
    url: str = Field(description="the feed or sitemap, as given to newsgraph watch (without credentials)")
    via: str | None = Field(description="the sitemap index it was found in")
    kind: str | None = Field(description="rss | atom | rdf | sitemap | sitemapindex")
    title: str | None
    last_poll: str | None = Field(description="UTC, ISO 8601")
    last_status: str | None = Field(description="ok | not modified | error")
    last_http: int | None = Field(description="the HTTP status of its last answer")
    last_error: str | None = Field(description="why the last poll failed: unreachable, HTTP 404, malformed ...")
    last_items: int = Field(description="items listed at the last poll")
    last_new: int = Field(description="items not seen before, fetched at the last poll")
    last_stored: int = Field(description="documents the last poll stored")
    last_failed: int = Field(description="items the last poll could not fetch or analyse")
    last_seconds: float | None
    polls: int
    errors: int = Field(description="polls that failed")
    stored: int = Field(description="documents stored from it in all")
    items_seen: int = Field(description="distinct items first seen in it")
    failed_items: list[WatchFailedItem] = Field(description="its items' latest failures")


class WatchPage(BaseModel):
    items: list[WatchFeed]
    total: int


class AlertInfo(BaseModel):
    name: str
    q: str | None
    source: str | None
    entity: str | None
    event_type: str | None
    country: str | None
    since: str | None
    until: str | None
    language: str | None
    created_at: str | None = Field(description="UTC, ISO 8601")
    last_run: str | None = Field(description="when its new matches were last reported (newsgraph watch, alert run)")


class AlertSummary(AlertInfo):
    total: int = Field(description="documents matching")
    new: int = Field(description="of them, stored since the alert last ran")


class AlertMatch(BaseModel):
    id: str
    title: str | None
    published: str | None
    source: str | None
    url: str | None
    story_id: str
    duplicate_of: str | None
    stored_at: str = Field(description="when the store got it (UTC, ISO 8601)")
    new: bool = Field(description="stored since the alert last ran")


class AlertMatches(BaseModel):
    alert: AlertInfo
    items: list[AlertMatch] = Field(description="the most recently stored first")
    total: int
    new: int = Field(description="matches stored since the alert last ran")


class TimelineBucket(BaseModel):
    start: str = Field(description="the bucket's first day, YYYY-MM-DD (a week starts on Monday)")
    end: str = Field(description="its last day")
    articles: int = Field(description="articles published in it")
    quotes: int = Field(description="quotes of those articles")
    events: int = Field(description="happenings (event clusters) at a day in it, once per outlet telling one")
    parts: dict[str, dict[str, int]] = Field(
        description="each kind split by outlet (by=source) or the events by PLOVER type (by=type); the parts"
        " outside keys summed as 'other'"
    )


class Timeline(BaseModel):
    bucket: str = Field(description="day | week")
    by: str = Field(description="type | source | none")
    since: str | None
    until: str | None
    first: str | None = Field(description="the selection's first day, before since/until")
    last: str | None = Field(description="its last day")
    totals: dict[str, int] = Field(description="articles, quotes and events in the buckets")
    keys: dict[str, list[str]] = Field(description="each kind's parts, largest first ('other' last)")
    buckets: list[TimelineBucket] = Field(description="the buckets with anything in them, oldest first")
