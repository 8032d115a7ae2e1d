"""The web UI of ``newsgraph serve``: server-rendered pages over the store (``install(app)`` adds them).

Pages are Jinja2 templates (``templates/``) rendered with autoescaping on, so every piece of article
text, title, name and URL is escaped; the data a page's charts draw is embedded as JSON in a
``<script type="application/json">`` block (Jinja2's ``tojson`` escapes ``<``, ``>``, ``&``, ``'``)
and read by ``static/app.js``, which writes text with ``textContent`` only. Every page is sent with
a Content-Security-Policy that allows scripts, styles and data from this server alone, no inline
script and no inline style. The front-end libraries (d3, topojson-client, the world-atlas map) are
vendored under ``static/vendor/`` (see VENDORED.md): nothing is fetched from elsewhere.

Pages: ``/`` search with filters, ``/documents/{id}`` the article with its layers highlighted,
``/quotes`` quotes by speaker, ``/entities`` and ``/entity`` entities, ``/events`` the events (PLOVER)
and ``/events/{cluster}`` one happening with every article's mention of it side by side, ``/actors``
who acts on whom, ``/timeline``, ``/map``, ``/network`` (co-mentions), ``/watch`` the feeds ``newsgraph
watch`` polls and the saved searches (``/alerts/{name}.atom``: one's matches as an Atom feed), ``/docs`` the JSON API's
documentation (Swagger UI, vendored, over ``/openapi.json``). Unknown ids are a 404 page,
malformed arguments a 422 page; the JSON API keeps its JSON errors.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import math
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

import jinja2
from fastapi import APIRouter, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from newsgraph import __version__, geo
from newsgraph.dates import DOC_ID_PATTERN
from newsgraph.lexicons import plover_descriptions
from newsgraph.store import aggregates, alerts, queries, volume
from newsgraph.store import watch_state as state
from newsgraph.web import article, atom
from newsgraph.web.deps import ClusterId, Conn, DocId

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
PAGE_SIZE = 20

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self';"
    " font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
NAV = [
    ("search", "/", "Search"),
    ("quotes", "/quotes", "Quotes"),
    ("entities", "/entities", "Entities"),
    ("events", "/events", "Events"),
    ("claims", "/claims", "Claims"),
    ("actors", "/actors", "Actors"),
    ("timeline", "/timeline", "Timeline"),
    ("map", "/map", "Map"),
    ("network", "/network", "Network"),
    ("watch", "/watch", "Watch"),
]

Text = Annotated[str | None, Query(max_length=500)]
PageNo = Annotated[int, Query(ge=1, le=100_000)]

router = APIRouter(include_in_schema=False)


def entity_url(name: str | None, type: str | None = None, country: str | None = None) -> str:
    """The entity page's address (all three parts of an entity's key, as given)."""
    params = {"name": name or ""}
    if type:
        params["type"] = type
    if country is not None:
        params["country"] = country
    return "/entity?" + urlencode(params)


def page_url(path: str, **params: Any) -> str:
    """``path`` with the query parameters that have a value."""
    kept = {k: v for k, v in params.items() if v not in (None, "")}
    return path + ("?" + urlencode(kept) if kept else "")


def safe_url(url: str | None) -> str | None:
    """An article's own URL, only when it is http(s): never a ``javascript:`` or ``data:`` link."""
    if not url:
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in ("http", "https") else None


_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["figure"] = lambda x: f"{x:,.0f}" if float(x).is_integer() else f"{x:,}"  # 2,500 or 2.5
_env.globals.update(
    entity_url=entity_url,
    page_url=page_url,
    safe_url=safe_url,
    nav=NAV,
    version=__version__,
    plover_types=queries.PLOVER_TYPES,
    plover_descriptions=plover_descriptions(),
    modalities=queries.MODALITIES,
    in_sentence=article.in_sentence,
    marked_parts=queries.marked_parts,
)


def compile_templates() -> int:
    """Compile every template now (the server's start), not at each page's first request (Jinja2 compiles
    a template to Python at first use: 50-150 ms for a page and the base it extends); how many."""
    names = _env.list_templates(extensions=["html"])
    for name in names:
        _env.get_template(name)
    return len(names)


def render(name: str, page: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    html = _env.get_template(name).render(page=page, **context)
    return HTMLResponse(html, status_code=status, headers=HEADERS)


def error_page(status: int, message: str) -> HTMLResponse:
    titles = {404: "Not found", 405: "Method not allowed", 422: "Invalid request"}
    heading = titles.get(status, "Error")
    return render("error.html", "error", status=status, status_code=status, heading=heading, message=message)


def install(app: FastAPI) -> None:
    """Adds the pages and ``/static`` to the app; errors outside ``/api`` become HTML pages."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    api_http_error = app.exception_handlers[HTTPException]
    api_invalid = app.exception_handlers[RequestValidationError]

    async def http_error(request: Request, exc: Exception) -> Response:
        if _is_page(request) and isinstance(exc, HTTPException):
            detail = str(exc.detail) if exc.status_code != 404 else "There is no page at this address."
            return error_page(exc.status_code, detail)
        return await _answer(api_http_error(request, exc))

    async def invalid(request: Request, exc: Exception) -> Response:
        if _is_page(request) and isinstance(exc, RequestValidationError):
            where = "; ".join(f"{e.get('loc', ('?',))[-1]}: {e.get('msg', 'invalid')}" for e in exc.errors())
            return error_page(422, f"Invalid request ({where}).")
        return await _answer(api_invalid(request, exc))

    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid)


async def _answer(response: Response | Awaitable[Response]) -> Response:
    """The API's own handler's answer (Starlette allows sync and async handlers)."""
    return await response if inspect.isawaitable(response) else response


def _is_page(request: Request) -> bool:
    path = request.url.path
    return not (path.startswith("/api/") or path in ("/healthz", "/openapi.json"))


def _filter(**kwargs: Any) -> tuple[queries.DocumentFilter | None, str | None]:
    try:
        return queries.DocumentFilter(**kwargs), None
    except queries.QueryError as exc:
        return None, str(exc)


def _read(query: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, str | None]:
    """A store query's answer, or None and the message of the QueryError it raised (it names the parameter)."""
    try:
        return query(*args, **kwargs), None
    except queries.QueryError as exc:
        return None, str(exc)


def _pages(total: int, page: int) -> dict[str, int]:
    return {"page": page, "pages": max(1, math.ceil(total / PAGE_SIZE)), "total": total, "size": PAGE_SIZE}


# --- pages ---------------------------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def search_page(
    conn: Conn,
    q: Text = None,
    source: Text = None,
    since: Text = None,
    until: Text = None,
    entity: Text = None,
    event_type: Text = None,
    language: Text = None,
    country: Text = None,
    story: Text = None,
    copies: Annotated[bool, Query()] = False,
    page: PageNo = 1,
) -> HTMLResponse:
    """Full-text search with filters (source, date range, entity by any alias, event type, language,
    country, story), the matched words marked, a story's copies shown once (``copies``: every one), and
    the matches counted by source, entity and event type beside them."""
    form = {
        "q": q,
        "source": source,
        "since": since,
        "until": until,
        "entity": entity,
        "event_type": event_type,
        "language": language,
        "country": country,
        "story": story,
    }
    f, error = _filter(**form)
    collapse = not copies and not story  # a story's own list shows its every copy
    results: dict[str, Any] = {"items": [], "total": 0}
    facets: dict[str, Any] = {}
    offset = (page - 1) * PAGE_SIZE
    if f is not None:
        results, error = _read(queries.search_documents, conn, f, limit=PAGE_SIZE, offset=offset, collapse=collapse)
        results = results or {"items": [], "total": 0}
        if error is None:
            facets = queries.document_facets(conn, f, collapse=collapse)
    view = {**form, "copies": "1" if copies else None}
    api = {**form, "collapse": "true" if collapse else None, "limit": PAGE_SIZE, "offset": offset}
    return render(
        "search.html",
        "search",
        status=422 if error else 200,
        form=form,
        view=view,
        collapse=collapse,
        error=error,
        results=results,
        facets=facets,
        paging=_pages(results["total"], page),
        downloads=download_links("/api/documents", api),
        counts=aggregates.counts(conn),
        sources=aggregates.sources(conn),
        top_entities=queries.entities(conn, limit=200)["items"],
    )


def download_links(api_path: str, params: dict[str, Any]) -> dict[str, str]:
    """The API addresses of a page's rows as CSV and as JSON: its filters and its paging, so a download
    holds exactly what the page shows."""
    return {fmt: page_url(api_path, **params, format=fmt) for fmt in ("csv", "json")}


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(conn: Conn, doc_id: DocId) -> HTMLResponse:
    """The article with its layers highlighted; a click or hover on a highlight shows its records."""
    doc = queries.document(conn, doc_id)
    info = queries.document_info(conn, doc_id)
    if doc is None or info is None:
        return error_page(404, f"There is no document {doc_id} in this store.")
    story = queries.story(conn, info["story_id"])
    entities = sorted(doc.get("entities", []), key=lambda e: (-len(e.get("mentions", [])), e.get("name", "")))
    layers = article.legend(doc)
    told = queries.events(conn, doc_id=doc_id, limit=queries.MAX_LIMIT)["items"]
    return render(
        "document.html",
        "document",
        doc=doc,
        info=info,
        clusters={e["idx"]: e for e in told if e["cluster"] is not None},
        blocks=article.blocks(doc),
        records=article.records(doc),
        speakers=article.speakers(doc),
        entities=entities,
        layers=layers,
        story=story if story and len(story["documents"]) > 1 else None,
    )


@router.get("/quotes", response_class=HTMLResponse)
def quotes_page(conn: Conn, speaker: Text = None, q: Text = None, page: PageNo = 1) -> HTMLResponse:
    """The quote explorer: speakers by number of quotes; the quotes of one, or matching words."""
    offset = (page - 1) * PAGE_SIZE
    found, error = _read(queries.quotes, conn, speaker=speaker, q=q, limit=PAGE_SIZE, offset=offset)
    found = found or {"items": [], "total": 0}
    speakers = aggregates.speakers(conn)
    names = sorted({s["name"] for s in speakers} | {i["speaker_name"] for i in found["items"] if i["speaker_name"]})
    return render(
        "quotes.html",
        "quotes",
        status=422 if error else 200,
        error=error,
        downloads=download_links("/api/quotes", {"speaker": speaker, "q": q, "limit": PAGE_SIZE, "offset": offset}),
        form={"speaker": speaker, "q": q},
        quotes=found,
        paging=_pages(found["total"], page),
        speakers=speakers,
        speaker_entities=aggregates.speaker_entities(conn, names),
        colour={s["name"]: f"spk-{i % article.SPEAKER_COLOURS}" for i, s in enumerate(speakers)},
    )


@router.get("/claims", response_class=HTMLResponse)
def claims_page(
    conn: Conn, q: Text = None, disagree: Annotated[bool, Query()] = False, page: PageNo = 1
) -> HTMLResponse:
    """Figures about one happening from several outlets side by side, the disagreements marked."""
    offset = (page - 1) * PAGE_SIZE
    found, error = _read(queries.claims, conn, q=q, disagree=disagree or None, limit=PAGE_SIZE, offset=offset)
    found = found or {"items": [], "total": 0}
    form = {"q": q, "disagree": "1" if disagree else None}
    api = {"q": q, "disagree": "true" if disagree else None, "limit": PAGE_SIZE, "offset": offset}
    return render(
        "claims.html",
        "claims",
        form=form,
        found=found,
        error=error,
        paging=_pages(found["total"], page),
        downloads=download_links("/api/claims", api),
    )


@router.get("/entities", response_class=HTMLResponse)
def entities_page(conn: Conn, q: Text = None, type: Text = None, page: PageNo = 1) -> HTMLResponse:
    """Entities across documents, most widely reported first."""
    size, offset = PAGE_SIZE * 2, (page - 1) * PAGE_SIZE * 2
    found, error = _read(queries.entities, conn, q=q, type=type, limit=size, offset=offset)
    found = found or {"items": [], "total": 0}
    types = aggregates.entity_types(conn)
    paging = {"page": page, "pages": max(1, math.ceil(found["total"] / size)), "total": found["total"]}
    links = download_links("/api/entities", {"q": q, "type": type, "limit": size, "offset": offset})
    form = {"q": q, "type": type}
    return render(
        "entities.html", "entities", form=form, found=found, types=types, paging=paging, downloads=links, error=error
    )


@router.get("/entity", response_class=HTMLResponse)
def entity_page(
    conn: Conn,
    name: Annotated[str, Query(min_length=1, max_length=500)],
    type: Annotated[str | None, Query(pattern=r"^[A-Za-z_]{1,20}$")] = None,
    country: Annotated[str | None, Query(pattern=r"^([A-Za-z]{2})?$")] = None,
    bucket: Text = None,
) -> HTMLResponse:
    """One entity: the documents naming it per day or week (``bucket``), its quotes and events, who is named
    beside it, its documents."""
    try:
        volume.check_bucket(bucket)
    except queries.QueryError as exc:
        return error_page(422, str(exc))
    found = aggregates.entity(conn, aggregates.EntityKey(name, type, country))
    if found is None:
        return error_page(404, f"No document names an entity {name!r}.")
    chart = volume.per_bucket(found["per_day"], bucket)
    bucket_urls = {b: f"{entity_url(name, type, country)}&bucket={b}" for b in volume.BUCKETS}  # the key as asked
    shown = ENTITY_DOCUMENTS
    return render("entity.html", "entity", entity=found, chart=chart, bucket_urls=bucket_urls, documents_shown=shown)


ENTITY_DOCUMENTS = 100  # the entity page lists its latest documents (3,000 at 10,000 documents took 1.7 s to load)


@router.get("/events", response_class=HTMLResponse)
def events_page(
    conn: Conn,
    type: Text = None,
    actor: Text = None,
    country: Text = None,
    modality: Text = None,
    since: Text = None,
    until: Text = None,
    page: PageNo = 1,
) -> HTMLResponse:
    """The events (PLOVER), latest first: by type, actor, country, modality and day; each in its sentence,
    with the number of articles and outlets telling the same happening."""
    form = {"type": type, "actor": actor, "country": country, "modality": modality, "since": since, "until": until}
    offset = (page - 1) * PAGE_SIZE
    found, error = _read(queries.events, conn, **form, limit=PAGE_SIZE, offset=offset)
    found = found or {"items": [], "total": 0}
    return render(
        "events.html",
        "events",
        downloads=download_links("/api/events", {**form, "limit": PAGE_SIZE, "offset": offset}),
        status=422 if error else 200,
        form=form,
        error=error,
        found=found,
        paging=_pages(found["total"], page),
    )


@router.get("/events/{cluster_id}", response_class=HTMLResponse)
def event_page(conn: Conn, cluster_id: ClusterId) -> HTMLResponse:
    """One happening (an event cluster): its summary, and every article's mention of it side by side."""
    found = queries.event_cluster(conn, cluster_id)
    if found is None:
        return error_page(404, f"There is no event {cluster_id} in this store.")
    return render("event.html", "event", cluster=found["cluster"], mentions=found["mentions"])


@router.get("/actors", response_class=HTMLResponse)
def actors_page(
    conn: Conn,
    type: Text = None,
    modality: Text = "asserted",
    since: Text = None,
    until: Text = None,
    size: Annotated[int, Query(ge=2, le=500)] = aggregates.ACTOR_NETWORK_SIZE,
) -> HTMLResponse:
    """Who acts on whom: the busiest actors of the events and their directed edges, as a network."""
    form = {"type": type, "modality": modality, "since": since, "until": until, "size": size}
    data, error = _read(aggregates.actor_network, conn, **form)
    data = data or {"nodes": [], "edges": [], "actors": 0, "cap": size}
    return render("actors.html", "actors", status=422 if error else 200, form=form, error=error, data=data)


@router.get("/timeline", response_class=HTMLResponse)
def timeline_page(
    conn: Conn,
    entity: Text = None,
    source: Text = None,
    since: Text = None,
    until: Text = None,
    bucket: Text = None,
    by: Text = None,
) -> HTMLResponse:
    """Articles, quotes and happenings per day or week (split by event type or outlet), zoomed by a brush or
    the range links to a since/until in the address; below, once the range holds at most TIMELINE_ITEMS
    articles, each article, quote, dated mention and event, with one lane per most reported entity."""
    form = {"entity": entity, "source": source, "since": since, "until": until, "bucket": bucket, "by": by}
    f, error = _filter(entity=entity, source=source, since=since, until=until)
    vol, items = None, None
    if f is not None:
        vol, error = _read(volume.volume, conn, f, bucket=bucket, by=by)
    if vol is not None and f is not None and vol["totals"]["articles"] <= TIMELINE_ITEMS:
        items = aggregates.timeline(conn, f)
    data = {"volume": vol, "items": items}
    ranges = _timeline_ranges(form, vol)
    status = 422 if error else 200
    return render(
        "timeline.html",
        "timeline",
        status=status,
        form=form,
        error=error,
        data=data,
        ranges=ranges,
        item_limit=TIMELINE_ITEMS,
    )


TIMELINE_ITEMS = 400  # the item lanes are drawn for ranges of at most this many articles (the volumes always)
TIMELINE_RANGES = (("last 7 days", 7), ("last 30 days", 30), ("last 90 days", 90), ("last year", 365))


def _timeline_ranges(form: dict[str, Any], vol: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Links narrowing the timeline to the selection's last days (and back to its whole range): each a
    stable address, the form's other fields kept."""
    if not vol or not vol["last"]:
        return []
    last = dt.date.fromisoformat(vol["last"])
    keep = {k: v for k, v in form.items() if k not in ("since", "until")}
    whole = not form["since"] and not form["until"]
    out = [{"label": "whole range", "url": page_url("/timeline", **keep), "on": whole}]
    for label, days in TIMELINE_RANGES:
        since = (last - dt.timedelta(days=days - 1)).isoformat()
        on = form["since"] == since and form["until"] == vol["last"]
        out.append({"label": label, "url": page_url("/timeline", **keep, since=since, until=vol["last"]), "on": on})
    return out


@router.get("/map", response_class=HTMLResponse)
def map_page(
    conn: Conn,
    entity: Text = None,
    source: Text = None,
    since: Text = None,
    until: Text = None,
    doc: Annotated[str | None, Query(pattern=DOC_ID_PATTERN)] = None,
) -> HTMLResponse:
    """The places the articles name, and where their events took place, on a world map drawn from the
    bundled boundaries."""
    form = {"entity": entity, "source": source, "since": since, "until": until}
    f, error = _filter(**form)
    data: dict[str, Any] = {"places": [], "countries": {}, "events": []}
    if f:
        data = {**_on_world_map(aggregates.places(conn, f, doc)), "events": aggregates.event_places(conn, f, doc)}
    title = None
    if doc:
        info = queries.document_info(conn, doc)
        title = info["title"] if info else None
    status = 422 if error else 200
    return render("map.html", "map", status=status, form={**form, "doc": doc}, error=error, data=data, doc_title=title)


@router.get("/docs", response_class=HTMLResponse)
def api_docs_page() -> HTMLResponse:
    """The JSON API's documentation: Swagger UI (vendored) over ``/openapi.json``, under the pages' CSP."""
    return render("docs.html", "docs")


@functools.lru_cache(maxsize=1)
def _iso_numeric() -> dict[str, str]:
    """ISO 3166-1 alpha-2 -> numeric ("IQ" -> "368"), as the bundled world map names its countries."""
    return {iso: str(c["isonumeric"]).zfill(3) for iso, c in geo.countries().items() if c.get("isonumeric")}


def _on_world_map(data: dict[str, Any]) -> dict[str, Any]:
    """``aggregates.places``'s answer with its mentions per country keyed by the map's ISO numeric codes
    (for shading the map's countries); countries the map does not know are left out."""
    per_country: dict[str, int] = {}
    numeric = _iso_numeric()
    for country, mentions in data["countries"].items():
        code = numeric.get(country)
        if code:
            per_country[code] = per_country.get(code, 0) + mentions
    return {**data, "countries": per_country}


@router.get("/network", response_class=HTMLResponse)
def network_page(
    conn: Conn,
    entity: Text = None,
    source: Text = None,
    since: Text = None,
    until: Text = None,
    size: Annotated[int, Query(ge=2, le=200)] = 40,
) -> HTMLResponse:
    """Entities named in the same paragraphs, as a network."""
    form = {"entity": entity, "source": source, "since": since, "until": until}
    f, error = _filter(**form)
    data = aggregates.network(conn, f, size=size) if f else {"nodes": [], "links": []}
    status = 422 if error else 200
    return render("network.html", "network", status=status, form={**form, "size": size}, error=error, data=data)


@router.get("/watch", response_class=HTMLResponse)
def watch_page(conn: Conn, page: PageNo = 1) -> HTMLResponse:
    """What newsgraph watch polls: each feed's last poll, new items, documents stored and errors; the saved
    searches with their matches and their Atom feeds."""
    found = state.feeds(conn, limit=PAGE_SIZE * 5, offset=(page - 1) * PAGE_SIZE * 5)
    saved = [(a, alerts.matches(conn, a, limit=1)) for a in alerts.list_alerts(conn)]
    paging = {"page": page, "pages": max(1, math.ceil(found["total"] / (PAGE_SIZE * 5))), "total": found["total"]}
    return render("watch.html", "watch", found=found, summary=state.summary(conn), alerts=saved, paging=paging)


@router.get("/alerts/{name}.atom")
def alert_feed(
    conn: Conn,
    name: Annotated[str, PathParam(pattern=alerts.NAME_PATTERN)],
    limit: Annotated[int, Query(ge=1, le=queries.MAX_LIMIT)] = 50,
) -> Response:
    """A saved search's latest matches as an Atom feed (entries link to /documents/{id})."""
    alert = alerts.get_alert(conn, name)
    if alert is None:
        return error_page(404, f"There is no alert {name} in this store.")
    body = atom.atom_feed(alert, alerts.matches(conn, alert, limit=limit), safe_url=safe_url)
    return Response(body, media_type=atom.MEDIA_TYPE, headers=HEADERS)


__all__ = ["install", "router"]
