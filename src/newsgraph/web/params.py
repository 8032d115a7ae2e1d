"""The API never ignores what it is asked: a query parameter the route does not take is a 422 naming it
(``/api/quotes?since=`` was answered as if unasked), with the parameters the route does take; so is one
given twice that takes one value (``?source=Politico&source=nyt.com`` was answered for the last alone).
The pages are left lenient: links from elsewhere carry parameters of their own (``utm_source``)."""

from __future__ import annotations

import types
import typing
from typing import Any

from fastapi import Request
from fastapi.routing import APIRoute

from newsgraph.store.queries import QueryError

# by the route's unique id (its parameters are fixed at start): every query parameter, and those of them
# that take several values (a list)
_ACCEPTED: dict[str, tuple[frozenset[str], frozenset[str]]] = {}


def _accepted(route: APIRoute) -> tuple[frozenset[str], frozenset[str]]:
    names = _ACCEPTED.get(route.unique_id)
    if names is None:
        params = _query_params(route.dependant)
        many = frozenset(p.alias for p in params if _takes_many(p.field_info.annotation))
        names = _ACCEPTED[route.unique_id] = (frozenset(p.alias for p in params), many)
    return names


def _query_params(dependant: Any) -> list[Any]:
    """The query parameters of a route's function and of every dependency it has (FastAPI's tree)."""
    params = list(dependant.query_params)
    for sub in dependant.dependencies:
        params += _query_params(sub)
    return params


def _takes_many(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, typing.Annotated):
        return any(_takes_many(a) for a in typing.get_args(annotation))
    return origin in (list, tuple, set, frozenset)


def known_parameters_only(request: Request) -> None:
    """A dependency of every API route: QueryError (422) for a query parameter the route does not declare,
    or one given more than once that takes one value."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    accepted, many = _accepted(route)
    unknown = sorted(set(request.query_params) - accepted)
    if unknown:
        takes = ", ".join(sorted(accepted)) or "none"
        names = ", ".join(unknown)
        raise QueryError(f"{names}: not a parameter of {route.path} (it takes: {takes})")
    for name in sorted(set(request.query_params) - many):
        values = request.query_params.getlist(name)
        if len(values) > 1:
            given = ", ".join(repr(v) for v in values)
            raise QueryError(f"{name}: given {len(values)} times ({given}); {route.path} takes one {name}")


__all__ = ["known_parameters_only"]
