"""SSRF: an outbound URL's host is resolved once, every address must be public, and the
connection goes to the address that was checked (no DNS-rebinding window), under the
original Host header and TLS name. No real network: connections are captured."""

import ipaddress
import re
import socket
import ssl
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpcore
import httpx
import pytest

from bihuan.notifications.channels import (
    Delivery,
    DeliveryError,
    PinnedTransport,
    is_public,
    post,
)
from bihuan.notifications.config import NotifySettings
from bihuan.notifications.relay import http_client

STRICT = NotifySettings()
PUBLIC, PUBLIC6 = "93.184.216.34", "2606:4700::1111"

REFUSED = [
    "http://127.0.0.1/", "http://localhost/", "http://10.0.0.1/", "http://192.168.1.1/",
    "http://172.16.0.1/", "http://169.254.169.254/latest/meta-data", "http://[::1]/",
    "http://[fc00::1]/", "http://[fe80::1]/", "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:169.254.169.254]/", "http://0.0.0.0/", "http://100.64.0.1/",
    "http://224.0.0.1/", "http://[ff02::1]/", "http://[64:ff9b::a00:1]/",
    "http://[2002:7f00:1::]/", "http://[::7f00:1]/", "https://127.0.0.1:8443/x",
    "http://127.1/", "http://2130706433/", "http://0x7f000001/",  # forms inet_aton reads
]
BAD_SCHEME = ["ftp://example.com/x", "file:///etc/passwd", "gopher://127.0.0.1:70/_x",
              "http:///no-host", "javascript:alert(1)", "", None]


def delivery() -> Delivery:
    return Delivery(id=7, event="order.assigned", channel="webhook", recipient=None,
                    payload={}, config=None, now=datetime.now(UTC))


def answers(monkeypatch: pytest.MonkeyPatch, *rounds: list[str]) -> list[str]:
    """getaddrinfo answers `rounds[0]` first, then `rounds[1]`… (the last one repeats)."""
    lookups: list[str] = []

    def fake(host: str, port: int, *a: Any, **kw: Any) -> list[Any]:
        ips = rounds[min(len(lookups), len(rounds) - 1)]
        lookups.append(host)
        return [(socket.AF_INET6 if ":" in ip else socket.AF_INET, socket.SOCK_STREAM, 6, "",
                 (ip, port)) for ip in ips]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return lookups


class Peer:
    """Stands in for the network: socket.create_connection records the address asked for and
    connects to a loopback server instead, which keeps each request and answers `reply`."""

    def __init__(self, reply: bytes = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}") -> None:
        self.reply = reply
        self.connected: list[tuple[str, int]] = []
        self.requests: list[bytes] = []
        self.server = socket.create_server(("127.0.0.1", 0))
        threading.Thread(target=self._serve, daemon=True).start()

    def connect(self, address: tuple[str, int], *a: Any, **kw: Any) -> socket.socket:
        self.connected.append(address)
        sock = socket.socket()  # no create_connection: no lookup of our own in the count
        sock.connect(self.server.getsockname())
        return sock

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                data = b""
                while b"\r\n\r\n" not in data:
                    data += conn.recv(65536)
                m = re.search(rb"(?i)\r\ncontent-length: *(\d+)", data)
                while m and len(data.partition(b"\r\n\r\n")[2]) < int(m.group(1)):
                    data += conn.recv(65536)
                self.requests.append(data)
                conn.sendall(self.reply)


@pytest.fixture
def peer(monkeypatch: pytest.MonkeyPatch) -> Iterator[Peer]:
    p = Peer()
    monkeypatch.setattr(socket, "create_connection", p.connect)
    yield p
    p.server.close()


@pytest.mark.parametrize("url", REFUSED)
def test_non_public_destinations_are_refused_before_any_connection(url, peer):
    with http_client(STRICT) as http, pytest.raises(DeliveryError) as e:
        post(http, delivery(), url, STRICT, json={})
    assert peer.connected == []
    # a resolver that does not read the numeric forms fails to resolve them: refused too
    assert e.value.permanent or "cannot resolve" in str(e.value)
    if e.value.permanent:
        assert "non-public address" in str(e.value)


@pytest.mark.parametrize("url", BAD_SCHEME)
def test_only_http_urls_with_a_host(url, peer):
    with http_client(STRICT) as http, pytest.raises(DeliveryError) as e:
        post(http, delivery(), url, STRICT, json={})
    assert e.value.permanent and peer.connected == []


@pytest.mark.parametrize("addr, public", [
    ("8.8.8.8", True), (PUBLIC6, True), ("::ffff:8.8.8.8", None), ("127.0.0.1", False),
    ("10.1.2.3", False), ("172.31.255.255", False), ("192.168.0.1", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False),
    ("255.255.255.255", False), ("224.0.0.1", False), ("239.255.255.250", False),
    ("::1", False), ("::", False), ("fc00::1", False), ("fd12:3456::1", False),
    ("fe80::1", False), ("ff02::1", False), ("ff0e::1", False), ("::ffff:127.0.0.1", False),
    ("::ffff:10.0.0.1", False), ("::ffff:169.254.169.254", False), ("::7f00:1", False),
    ("64:ff9b::a00:1", False), ("64:ff9b::808:808", True), ("2002:7f00:1::", False),
    ("2002:808:808::", True), ("2001:0:4136:e378:8000:63bf:80ff:fffe", False),
])
def test_address_table(addr, public):
    result = is_public(ipaddress.ip_address(addr))
    # ::ffff:8.8.8.8: refused or allowed by the Python version's is_global; never loopback
    assert result is public or public is None


def test_dns_rebinding_connects_to_the_address_that_was_checked(monkeypatch, peer):
    """The name answers public first and 127.0.0.1 ever after: the connection goes to the
    public address, resolved exactly once, and carries the original Host header."""
    lookups = answers(monkeypatch, [PUBLIC], ["127.0.0.1"])
    with http_client(STRICT) as http:
        r = post(http, delivery(), "http://rebind.example.test/hook?a=1", STRICT, json={"x": 1})
        assert r.status_code == 200
        assert peer.connected == [(PUBLIC, 80)]
        assert lookups == ["rebind.example.test"]
        assert re.search(rb"\r\nHost: rebind\.example\.test\r\n", peer.requests[0])
        assert peer.requests[0].startswith(b"POST /hook?a=1 HTTP/1.1\r\n")
    with http_client(STRICT) as http, pytest.raises(DeliveryError, match="non-public") as e:
        post(http, delivery(), "http://rebind.example.test/hook", STRICT, json={})
    assert e.value.permanent and peer.connected == [(PUBLIC, 80)]


def test_every_address_of_a_name_must_be_public(monkeypatch, peer):
    answers(monkeypatch, [PUBLIC, "10.0.0.5"])
    with http_client(STRICT) as http, pytest.raises(DeliveryError, match="10.0.0.5"):
        post(http, delivery(), "http://mixed.example.test/", STRICT, json={})
    assert peer.connected == []


def test_ipv6_and_the_next_checked_address_when_the_first_does_not_answer(monkeypatch, peer):
    answers(monkeypatch, [PUBLIC6, PUBLIC])
    real = peer.connect

    def first_fails(address: tuple[str, int], *a: Any, **kw: Any) -> socket.socket:
        if address[0] == PUBLIC6:
            peer.connected.append(address)
            raise ConnectionRefusedError(111, "refused")
        return real(address, *a, **kw)

    monkeypatch.setattr(socket, "create_connection", first_fails)
    with http_client(STRICT) as http:
        assert post(http, delivery(), "http://dual.example.test/", STRICT).status_code == 200
    assert peer.connected == [(PUBLIC6, 80), (PUBLIC, 80)]


class TlsStream(httpcore.NetworkStream):
    """Records the TLS handshake's parameters instead of making one, then answers 200."""

    def __init__(self) -> None:
        self.sni: str | None = None
        self.context: ssl.SSLContext | None = None
        self.sent = b""
        self.reply = [b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"]

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        self.context, self.sni = ssl_context, server_hostname
        return self

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.sent += buffer

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.reply.pop(0) if self.reply else b""

    def close(self) -> None:
        pass

    def get_extra_info(self, info: str) -> Any:
        return None


class Sockets(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self.connected: list[tuple[str, int]] = []
        self.stream = TlsStream()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:
        self.connected.append((host, port))
        return self.stream


def test_https_goes_to_the_pinned_ip_with_sni_and_certificate_check_for_the_name(monkeypatch):
    answers(monkeypatch, [PUBLIC])
    sockets = Sockets()
    with httpx.Client(transport=PinnedTransport(sockets), follow_redirects=False) as http:
        r = post(http, delivery(), "https://hooks.example.test/in", STRICT, json={})
    assert r.status_code == 200
    assert sockets.connected == [(PUBLIC, 443)]
    tls = sockets.stream
    assert tls.sni == "hooks.example.test"
    assert tls.context is not None and tls.context.check_hostname
    assert tls.context.verify_mode == ssl.CERT_REQUIRED
    assert b"\r\nHost: hooks.example.test\r\n" in tls.sent


def test_redirects_are_not_followed(monkeypatch):
    answers(monkeypatch, [PUBLIC])
    p = Peer(b"HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/\r\n"
             b"Content-Length: 0\r\n\r\n")
    monkeypatch.setattr(socket, "create_connection", p.connect)
    try:
        for ns in (STRICT, NotifySettings(allow_private_urls=True)):
            with http_client(ns) as http:
                assert http.follow_redirects is False
                with pytest.raises(DeliveryError, match="HTTP 302"):
                    post(http, delivery(), "http://redirect.example.test/", ns, json={})
        assert p.connected == [(PUBLIC, 80), ("redirect.example.test", 80)]
    finally:
        p.server.close()


def test_private_urls_when_allowed_behave_as_before(peer):
    ns = NotifySettings(allow_private_urls=True)
    with http_client(ns) as http:
        assert post(http, delivery(), "http://127.0.0.1:9/hook", ns, json={}).status_code == 200
    assert peer.connected == [("127.0.0.1", 9)]
