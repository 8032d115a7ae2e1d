"""Which ``Host`` a request may name (``hosts_for``) and the ASGI middleware that turns the others
away (``HostCheck``), against DNS rebinding: a page on another site whose name is made to resolve to
127.0.0.1 reaches a local server with its own name in ``Host``, and is refused here.

A server bound to a loopback address answers to the loopback names (127.0.0.1, localhost, ::1); one
bound to a name or an address answers to that name or address; one bound to every interface
(0.0.0.0, ::) answers to the loopback names, this machine's own names and any IP address (an address
in Host is the one a person typed, never a rebound name). Other names are added by the caller
(``create_app``'s ``allowed_hosts``, ``hosts_for``'s ``extra``); ``*`` allows any.
"""

from __future__ import annotations

import ipaddress
import json
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

LOOPBACK = ("127.0.0.1", "localhost", "::1")
EVERY_INTERFACE = ("0.0.0.0", "::", "")
TEST_CLIENT = "testserver"  # the name Starlette's TestClient puts in Host: an app built without a bound host


@dataclass(frozen=True)
class Hosts:
    """The hosts a request may name: ``names``, and with ``any_address`` any IP address (never a way to
    rebind: a page's address in Host is its own origin); ``*`` among the names allows any host."""

    names: frozenset[str]
    any_address: bool = False

    def allows(self, host: str) -> bool:
        return "*" in self.names or host in self.names or (self.any_address and _is_address(host))

    def describe(self) -> str:
        names = ", ".join(sorted(self.names))
        return names + (" and any IP address" if self.any_address else "")


def hosts_for(host: str | None, extra: Iterable[str] = ()) -> Hosts:
    """The hosts a server bound to ``host`` answers to, and the ``extra`` names (any case; ``*`` for any).

    ``None``: an app no server was bound for (tests, embedding): the loopback names and TestClient's.
    A loopback address or ``localhost``: the loopback names. Every interface (0.0.0.0, ::): the loopback
    names, this machine's names and any IP address. Any other name or address: itself."""
    names = {_bare(h) for h in extra if h.strip()}
    if host is None:
        return Hosts(frozenset({*names, *LOOPBACK, TEST_CLIENT}))
    name = _bare(host)
    if name in EVERY_INTERFACE:
        return Hosts(frozenset({*names, *LOOPBACK, *_own_names()}), any_address=True)
    if _is_loopback(name):
        names |= set(LOOPBACK)
    return Hosts(frozenset({*names, name}))


def host_of(header: str) -> str | None:
    """The host of a ``Host`` header, lower-cased, without port or IPv6 brackets; None if malformed."""
    if not header or any(c in header for c in "/?#@\\ \t"):
        return None
    try:
        parts = urlsplit("//" + header)
        _ = parts.port  # a port that is no number is malformed
    except ValueError:
        return None
    return parts.hostname or None


class HostCheck:
    """Answers 400, with a message naming the host and what is allowed, to a request whose ``Host`` the
    ``hosts`` do not allow (as JSON for the API's paths, as text elsewhere)."""

    def __init__(self, app: ASGIApp, hosts: Hosts) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if "*" in self.hosts.names or scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        header = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"host"), "")
        host = host_of(header)
        if host is not None and self.hosts.allows(host):
            await self.app(scope, receive, send)
            return
        problem = f"Host header {header!r} is malformed" if host is None else f"host {host!r} is not served here"
        message = (
            f"{problem}: this server answers to {self.hosts.describe()} only (a request naming another host may"
            " come from a page of another site: DNS rebinding)"
        )
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008, "reason": message[:120]})
            return
        api = scope["path"].startswith("/api/") or scope["path"] == "/healthz"
        body = (json.dumps({"error": message}) if api else message + "\n").encode("utf-8")
        kind = b"application/json" if api else b"text/plain; charset=utf-8"
        headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 400, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _bare(host: str) -> str:
    """A host name as ``host_of`` gives it: lower case, no IPv6 brackets."""
    return host.strip().lower().removeprefix("[").removesuffix("]")


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _is_loopback(name: str) -> bool:
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _own_names() -> set[str]:
    """This machine's host name and fully qualified name (those its users may type)."""
    names = {socket.gethostname(), socket.getfqdn()}
    return {_bare(n) for n in names if n}


__all__ = ["LOOPBACK", "HostCheck", "Hosts", "host_of", "hosts_for"]
