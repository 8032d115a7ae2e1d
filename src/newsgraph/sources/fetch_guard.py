"""Where an HTTP fetch may connect, and until when: the network backend under every fetch newsgraph makes.

newsgraph fetches URLs that strangers wrote (feed items, redirects), so the address is judged where the
socket is opened, not on the URL's text: the host is resolved once, every address it resolves to must
be public (a name with one private answer is refused whole), and the socket connects to the address that
was checked, so a second DNS answer cannot swap it (DNS rebinding). Decimal, octal and short IPv4 forms
(``2130706433``, ``127.1``) are normalised by the resolver before the check sees them, and every redirect
opens a new connection through the same check. ``allow_private`` lifts the address rule (a local test
server, an intranet), nothing else.

The backend also holds each fetch to one total deadline: every read and write waits at most for what is
left of it, so a server that trickles a byte every few seconds cannot stretch a 20 s fetch to minutes.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
import typing
from urllib.parse import urlsplit, urlunsplit

import httpcore

from newsgraph.errors import PicklableError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # IPv4 addresses embedded in IPv6 by NAT64 gateways


class RefusedAddress(PicklableError):
    """A connection the policy refuses; the fetcher turns it into an InputError naming the URL."""

    def __init__(self, host: str, address: str, kind: str) -> None:
        where = f"{address} is" if host.strip("[]") == address else f"{host} resolves to {address},"
        super().__init__(f"{where} {'an' if kind[0] in 'aeiou' else 'a'} {kind} address")
        self.host, self.address, self.kind = host, address, kind


class DeadlineExceeded(PicklableError):
    """The fetch's total deadline passed (raised from inside a read or a write)."""


def address_kind(ip: IPAddress) -> str | None:
    """Why ``ip`` is not a public address ("loopback", "private", ...), or None when it is public.

    IPv4 addresses carried inside IPv6 (mapped ``::ffff:a.b.c.d``, 6to4, NAT64) are judged as IPv4."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour or (ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF) if ip in NAT64 else None)
        if inner is not None:
            return address_kind(inner)
    for kind, test in (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
    ):
        if test:
            return kind
    return None if ip.is_global else "non-public"


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to for TCP, in the resolver's order, without duplicates."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise httpcore.ConnectError(f"cannot resolve {host} ({exc})") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class Deadline:
    """The end of the fetch in progress (time.monotonic), set by the fetcher before each request."""

    def __init__(self) -> None:
        self.at: float | None = None

    def left(self, timeout: float | None) -> float | None:
        """The time a read, write or connect may wait: its own timeout, cut to what the deadline leaves."""
        if self.at is None:
            return timeout
        remaining = self.at - time.monotonic()
        if remaining <= 0:
            raise DeadlineExceeded()
        return remaining if timeout is None else min(timeout, remaining)


class GuardedStream(httpcore.NetworkStream):
    """A socket stream whose every wait is cut to the fetch's deadline."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: Deadline) -> None:
        self._stream, self._deadline = stream, deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._deadline.left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._deadline.left(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        # the certificate is checked against the URL's host name (server_hostname), not the address
        tls = self._stream.start_tls(ssl_context, server_hostname, self._deadline.left(timeout))
        return GuardedStream(tls, self._deadline)

    def get_extra_info(self, info: str) -> typing.Any:
        return self._stream.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's socket backend behind the address policy and the deadline."""

    def __init__(self, *, allow_private: bool = False) -> None:
        self.allow_private = allow_private
        self.deadline = Deadline()
        self._sockets = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = resolve(host, port)
        if not self.allow_private:
            for address in addresses:
                kind = address_kind(ipaddress.ip_address(address.split("%", 1)[0]))
                if kind:
                    raise RefusedAddress(host, address, kind)
        last: Exception = httpcore.ConnectError(f"{host} has no address")
        for address in addresses:  # the checked addresses, literally: no second lookup
            try:
                stream = self._sockets.connect_tcp(
                    address, port, self.deadline.left(timeout), local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
                continue
            return GuardedStream(stream, self.deadline)
        raise last

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise RefusedAddress(path, path, "Unix socket")

    def sleep(self, seconds: float) -> None:
        self._sockets.sleep(seconds)


def without_credentials(url: str) -> str:
    """``url`` without its ``user:password@`` part, the form that may be stored, shown and exported."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
