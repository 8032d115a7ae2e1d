"""The API never ignores what it is asked: a query parameter the route does not take is a 422 naming it
(``/api/quotes?since=`` was answered as if unasked), with the parameters the route does take. The pages
are left lenient: links from elsewhere carry parameters of their own (``utm_source``)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.routing import APIRoute

from newsgraph.store.queries import QueryError

_ACCEPTED: dict[str, frozenset[str]] = {}  # by the route's unique id: its parameters are fixed at start


def _accepted(route: APIRoute) -> frozenset[str]:
    names = _ACCEPTED.get(route.unique_id)
    if names is None:
        names = _ACCEPTED[route.unique_id] = frozenset(_query_names(route.dependant))
    return names


def _query_names(dependant: Any) -> set[str]:
    """The query parameters of a route's function and of every dependency it has (FastAPI's tree)."""
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def known_parameters_only(request: Request) -> None:
    """A dependency of every API route: QueryError (422) for a query parameter the route does not declare."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    accepted = _accepted(route)
    unknown = sorted(set(request.query_params) - accepted)
    if unknown:
        takes = ", ".join(sorted(accepted)) or "none"
        names = ", ".join(unknown)
        raise QueryError(f"{names}: not a parameter of {route.path} (it takes: {takes})")


__all__ = ["known_parameters_only"]
