"""The JSON API's routes (``router``, included by ``create_app``): the health check, documents,
quotes, events and their clusters, the actor network, entities, claims and stories. Each reads
through ``store.queries`` (or ``store.aggregates``) over the request's read-only connection."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi import Path as PathParam
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from newsgraph.dates import DOC_ID_PATTERN
from newsgraph.store import aggregates, alerts, queries, volume
from newsgraph.store import watch_state as state
from newsgraph.store.schema import SCHEMA_VERSION
from newsgraph.web import downloads, models
from newsgraph.web.deps import MAX_INT, ClusterId, Conn, Day, DocId, Limit, Offset
from newsgraph.web.params import known_parameters_only

router = APIRouter(dependencies=[Depends(known_parameters_only)])  # an unknown parameter is a 422

ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": models.Error}, 422: {"model": models.Error}}


@router.get("/healthz", response_model=models.Health, tags=["service"])
def healthz(conn: Conn) -> dict[str, Any]:
    """``{"ok": true}`` while the store can be read."""
    return {"ok": True, "documents": aggregates.document_count(conn), "schema_version": SCHEMA_VERSION}


@router.get("/api/documents", response_model=models.DocumentPage, responses=ERRORS, tags=["documents"])
def list_documents(
    conn: Conn,
    response: Response,
    q: Annotated[
        str | None,
        Query(
            description='full-text search: words (all must occur), "phrases", prefix*, a OR b, -word or NOT word,'
            " (parentheses)"
        ),
    ] = None,
    source: Annotated[str | None, Query(description="the outlet, exactly (any case)")] = None,
    since: Day = None,
    until: Day = None,
    entity: Annotated[
        str | None, Query(description="an entity's canonical name or any alias the knowledge base has (any case)")
    ] = None,
    event_type: Annotated[str | None, Query(description="a PLOVER event type")] = None,
    language: Annotated[str | None, Query(description="the article's language, ISO 639-1 (en, fr ...)")] = None,
    country: Annotated[
        str | None, Query(pattern=r"^[A-Za-z]{2}$", description="naming a place in this country, ISO 3166-1 alpha-2")
    ] = None,
    story: Annotated[
        str | None, Query(pattern=DOC_ID_PATTERN, description="one story's documents (the story's id)")
    ] = None,
    collapse: Annotated[bool, Query(description="one item per story (its best match); total counts stories")] = False,
    facets: Annotated[
        bool, Query(description="add counts of the matches by source, language, event type and entity")
    ] = False,
    limit: Limit = 20,
    offset: Offset = 0,
    format: downloads.Format = None,
) -> Any:
    """Documents, newest first, or by relevance with ``q`` (the matched words' offsets in ``title_marks``
    and ``snippet_marks``); ``total`` counts all matches, ``versions`` the documents of each one's story."""
    f = queries.DocumentFilter(
        q=q,
        source=source,
        since=since,
        until=until,
        entity=entity,
        event_type=event_type,
        language=language,
        country=country,
        story=story,
    )
    page = queries.search_documents(conn, f, limit=limit, offset=offset, collapse=collapse)
    if facets:
        page["facets"] = queries.document_facets(conn, f, collapse=collapse)
    downloads.json_file(response, format, "documents")
    return downloads.answer(page, format, models.DocumentItem, "documents")


@router.get(
    "/api/documents/{doc_id}",
    responses={
        200: {"content": {"application/json": {}}, "description": "the newsgraph.document/1 JSON"},
        **ERRORS,
    },
    response_class=Response,
    tags=["documents"],
)
def get_document(conn: Conn, doc_id: DocId) -> Response:
    """The JSON document, as ``newsgraph analyze`` prints it."""
    text = queries.document_json(conn, doc_id)
    if text is None:
        raise HTTPException(404, f"no document {doc_id}")
    return Response(text, media_type="application/json")


@router.get("/api/quotes", response_model=models.QuotePage, responses=ERRORS, tags=["layers"])
def list_quotes(
    conn: Conn,
    response: Response,
    speaker: Annotated[str | None, Query(description="part of the speaker's canonical name")] = None,
    q: Annotated[str | None, Query(description="full-text search in the quotes")] = None,
    doc_id: Annotated[str | None, Query(pattern=DOC_ID_PATTERN, description="one document's quotes")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
    format: downloads.Format = None,
) -> Any:
    """Quotes with their speaker, document and offsets into its text."""
    page = queries.quotes(conn, speaker=speaker, q=q, doc_id=doc_id, limit=limit, offset=offset)
    downloads.json_file(response, format, "quotes")
    return downloads.answer(page, format, models.Quote, "quotes")


@router.get("/api/events", response_model=models.EventPage, responses=ERRORS, tags=["layers"])
def list_events(
    conn: Conn,
    response: Response,
    type: Annotated[str | None, Query(description="a PLOVER event type")] = None,
    actor: Annotated[str | None, Query(description="part of the source's or target's name")] = None,
    country: Annotated[str | None, Query(description="an actor's or the place's country, ISO 3166-1 alpha-2")] = None,
    modality: Annotated[
        str | None, Query(description="asserted (happened as told), negated, future, hypothetical or demanded")
    ] = None,
    since: Day = None,
    until: Day = None,
    doc_id: Annotated[str | None, Query(pattern=DOC_ID_PATTERN, description="one document's events")] = None,
    cluster: Annotated[
        int | None, Query(ge=1, le=MAX_INT, description="the mentions of one happening (an event cluster)")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
    format: downloads.Format = None,
) -> Any:
    """Events (PLOVER), latest first, each with its cluster: the mentions of the same happening across articles."""
    page = queries.events(
        conn,
        type=type,
        actor=actor,
        country=country,
        modality=modality,
        since=since,
        until=until,
        doc_id=doc_id,
        cluster=cluster,
        limit=limit,
        offset=offset,
    )
    downloads.json_file(response, format, "events")
    return downloads.answer(page, format, models.Event, "events")


@router.get("/api/events/clusters/{cluster_id}", response_model=models.EventCluster, responses=ERRORS, tags=["layers"])
def get_event_cluster(conn: Conn, cluster_id: ClusterId) -> dict[str, Any]:
    """One happening: the cluster's summary and every article's mention of it, earliest first."""
    found = queries.event_cluster(conn, cluster_id)
    if found is None:
        raise HTTPException(404, f"no event cluster {cluster_id}")
    return found


@router.get("/api/actors/network", response_model=models.ActorNetwork, responses=ERRORS, tags=["across documents"])
def actor_network(
    conn: Conn,
    type: Annotated[str | None, Query(description="a PLOVER event type")] = None,
    modality: Annotated[
        str | None, Query(description="asserted (the default), negated, future, hypothetical, demanded; any: all")
    ] = "asserted",
    since: Day = None,
    until: Day = None,
    size: Annotated[int, Query(ge=1, le=1000, description="the most actors: the busiest")] = (
        aggregates.ACTOR_NETWORK_SIZE
    ),
) -> dict[str, Any]:
    """Who acts on whom: actors (the entity behind one, else its words and country) and directed edges
    source -> target weighted by happenings (event clusters), with their PLOVER types."""
    return aggregates.actor_network(conn, type=type, modality=modality, since=since, until=until, size=size)


@router.get("/api/entities", response_model=models.EntityPage, responses=ERRORS, tags=["across documents"])
def list_entities(
    conn: Conn,
    response: Response,
    q: Annotated[str | None, Query(description="part of the canonical name")] = None,
    type: Annotated[str | None, Query(description="PERSON, ORG, GPE, LOC, NORP, ...")] = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
    format: downloads.Format = None,
) -> Any:
    """Entities merged across documents by name, type and country, with counts (copies counted once)."""
    page = queries.entities(conn, q=q, type=type, country=country, limit=limit, offset=offset)
    downloads.json_file(response, format, "entities")
    return downloads.answer(page, format, models.EntityTotal, "entities")


@router.get("/api/claims", response_model=models.ClaimPage, responses=ERRORS, tags=["across documents"])
def list_claims(
    conn: Conn,
    response: Response,
    q: Annotated[str | None, Query(description="part of the counted noun or the figure's words")] = None,
    noun: Annotated[str | None, Query(description="the counted noun, exactly: troops")] = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$", description="whose: US")] = None,
    place: Annotated[str | None, Query(description="a place named in the same paragraph")] = None,
    category: Annotated[str | None, Query(description="a quantity category instead of the defaults")] = None,
    since: Day = None,
    until: Day = None,
    min_sources: Annotated[
        int, Query(ge=1, le=MAX_INT, description="claims reported by at least this many outlets")
    ] = 2,
    disagree: Annotated[bool | None, Query(description="true: only disagreements; false: only agreements")] = None,
    limit: Limit = 20,
    offset: Offset = 0,
    format: downloads.Format = None,
) -> Any:
    """The same count of the same thing about one happening from different sources, side by side."""
    page = queries.claims(
        conn,
        q=q,
        noun=noun,
        country=country,
        place=place,
        category=category,
        since=since,
        until=until,
        min_sources=min_sources,
        disagree=disagree,
        limit=limit,
        offset=offset,
    )
    downloads.json_file(response, format, "claims")
    return downloads.answer(page, format, models.Claim, "claims")


@router.get("/api/layers", response_model=list[models.LayerInfo], tags=["layers"])
def list_layers(conn: Conn) -> list[dict[str, Any]]:
    """The registered layers in pipeline order: what each reads and needs, its tables and columns."""
    return queries.layers(conn)


@router.get("/api/layers/{name}", response_model=models.LayerPage, responses=ERRORS, tags=["layers"])
def list_layer_rows(
    conn: Conn,
    name: Annotated[str, PathParam(pattern=r"^[a-z_]{1,40}$", description="a registered layer: quotes, times ...")],
    doc_id: Annotated[str | None, Query(pattern=DOC_ID_PATTERN, description="one document's rows")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Any registered layer's stored rows (its table's columns), in document order: the route every layer
    has, a new one included."""
    return queries.layer_rows(conn, name, doc_id=doc_id, limit=limit, offset=offset)


@router.get("/api/stories/{story_id}", response_model=models.Story, responses=ERRORS, tags=["across documents"])
def get_story(conn: Conn, story_id: DocId) -> dict[str, Any]:
    """A story: its first document and its near-duplicates (wire copies, updated versions). Any of
    its documents' ids finds it."""
    found = queries.story(conn, story_id)
    if found is None:
        owner = queries.story_of(conn, story_id)
        found = queries.story(conn, owner) if owner else None
    if found is None:
        raise HTTPException(404, f"no story {story_id}")
    return found


# --- newsgraph watch and saved searches (newsgraph.watch) -------------------------------------------------------

AlertName = Annotated[str, PathParam(pattern=alerts.NAME_PATTERN, description="a saved search's name")]


@router.get("/api/watch", response_model=models.WatchPage, responses=ERRORS, tags=["watch"])
def list_watched_feeds(conn: Conn, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    """The feeds newsgraph watch polls, the most recently polled first: the last poll's outcome (new items,
    documents stored, the error when it failed), the counts over all polls, the items' latest failures."""
    return state.feeds(conn, limit=limit, offset=offset)


@router.get("/api/alerts", response_model=list[models.AlertSummary], responses=ERRORS, tags=["watch"])
def list_saved_searches(conn: Conn) -> list[dict[str, Any]]:
    """The saved searches (newsgraph alert add), with their matches and new matches (stored since each last ran)."""
    out = []
    for alert in alerts.list_alerts(conn):
        page = alerts.matches(conn, alert, limit=1)
        out.append({**alert.to_json(), "total": page["total"], "new": page["new"]})
    return out


@router.get("/api/alerts/{name}", response_model=models.AlertMatches, responses=ERRORS, tags=["watch"])
def get_alert_matches(conn: Conn, name: AlertName, limit: Limit = 20, offset: Offset = 0) -> dict[str, Any]:
    """A saved search's matches, the most recently stored first, each marked ``new`` when stored since the
    alert last ran; its Atom feed is ``/alerts/{name}.atom``."""
    alert = alerts.get_alert(conn, name)
    if alert is None:
        raise HTTPException(404, f"no alert {name}")
    return alerts.matches(conn, alert, limit=limit, offset=offset)


@router.get("/api/timeline", response_model=models.Timeline, responses=ERRORS, tags=["across documents"])
def timeline_volume(
    conn: Conn,
    entity: Annotated[str | None, Query(description="articles naming it, its quotes, happenings it acts in")] = None,
    source: Annotated[str | None, Query(description="the outlet, exactly (any case)")] = None,
    since: Day = None,
    until: Day = None,
    bucket: Annotated[str | None, Query(description="day | week (default: weeks when the days span > 120)")] = None,
    by: Annotated[str | None, Query(description="type (events by PLOVER type, the default) | source | none")] = None,
) -> dict[str, Any]:
    """The timeline's volumes: articles, quotes and happenings per day or week, split by outlet or type."""
    f = queries.DocumentFilter(entity=entity, source=source, since=since, until=until)
    return volume.volume(conn, f, bucket=bucket, by=by)


__all__ = ["ERRORS", "router"]
