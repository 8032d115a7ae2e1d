"""The Host check of the web app (web.hosts): a request naming a host the server is not bound to is a 400
with a message naming that host (DNS rebinding), whatever the route; the names it is bound to pass."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from newsgraph.document import Document
from newsgraph.web.app import create_app
from newsgraph.web.hosts import host_of, hosts_for

from .helpers import store_with

with warnings.catch_warnings():  # starlette asks for httpx2 in its test client; httpx is what we pin
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")
    from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, seed_doc: Document) -> Path:
    return store_with(tmp_path_factory.mktemp("hosts") / "hosts.db", [seed_doc])


@pytest.mark.parametrize(
    ("header", "host"),
    [
        ("127.0.0.1:8000", "127.0.0.1"),
        ("LOCALHOST", "localhost"),
        ("[::1]:8000", "::1"),
        ("[::1]", "::1"),
        ("news.example.org:443", "news.example.org"),
        ("", None),
        ("127.0.0.1:port", None),
        ("evil.example/x", None),
        ("user@127.0.0.1", None),
        ("[::1", None),
    ],
)
def test_host_of_a_header(header: str, host: str | None) -> None:
    assert host_of(header) == host


def test_the_names_a_bound_server_answers_to() -> None:
    loopback = hosts_for("127.0.0.1")
    assert all(loopback.allows(h) for h in ("127.0.0.1", "localhost", "::1"))
    assert not loopback.allows("testserver") and not loopback.allows("evil.example")
    assert not loopback.allows("10.0.0.5")  # an address is allowed only on a server bound to every interface
    assert hosts_for("localhost").names == loopback.names == hosts_for("::1").names
    named = hosts_for("news.example.org", ["Proxy.Example"])
    assert named.allows("news.example.org") and named.allows("proxy.example") and not named.allows("localhost")
    every = hosts_for("0.0.0.0")
    assert every.allows("localhost") and every.allows("192.168.1.20") and every.allows("fe80::1")
    assert not every.allows("evil.example")
    assert hosts_for(None).allows("testserver")  # no server bound (tests): TestClient's name
    assert hosts_for("127.0.0.1", ["*"]).allows("anything.example")


@pytest.mark.parametrize("path", ["/healthz", "/api/documents", "/", "/docs", "/openapi.json", "/static/app.css"])
def test_a_foreign_host_is_refused_on_every_route(db: Path, path: str) -> None:
    with TestClient(create_app(db, host="127.0.0.1"), base_url="http://127.0.0.1:8000") as client:
        assert client.get(path).status_code == 200
        for good in ("localhost:8000", "[::1]:8000", "127.0.0.1"):
            assert client.get(path, headers={"host": good}).status_code == 200, good
        r = client.get(path, headers={"host": "rebound.example:8000"})
        assert r.status_code == 400
        message = r.json()["error"] if path.startswith(("/api/", "/healthz")) else r.text
        assert "host 'rebound.example' is not served here" in message
        assert "127.0.0.1, ::1, localhost only" in message and "DNS rebinding" in message
        bad = client.get(path, headers={"host": "127.0.0.1:x"})
        assert bad.status_code == 400 and "malformed" in bad.text


def test_more_names_can_be_allowed(db: Path) -> None:
    app = create_app(db, host="127.0.0.1", allowed_hosts=["news.example.org"])
    with TestClient(app, base_url="http://news.example.org") as client:
        assert client.get("/healthz").status_code == 200
        assert client.get("/healthz", headers={"host": "other.example"}).status_code == 400


def test_an_app_without_a_bound_host_answers_the_test_client(db: Path) -> None:
    with TestClient(create_app(db)) as client:
        assert client.get("/healthz").status_code == 200
        assert client.get("/healthz", headers={"host": "rebound.example"}).status_code == 400
