"""Channel adapters: one `send` per kind over a shared shape; the relay picks by outbox.channel.

Each adapter raises DeliveryError when the receiver did not take the message. Every outbound
HTTP request carries X-Bihuan-Delivery: <outbox id>, so a receiver can drop a redelivery
(delivery is at-least-once: a relay that dies after sending but before recording sends again).
Outbound connections go only to public addresses, the ones checked (PinnedTransport).
"""

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from bihuan.notifications.config import NotifySettings

DELIVERY_HEADER = "X-Bihuan-Delivery"
USER_AGENT = "Bihuan-Notifier/1"


class DeliveryError(Exception):
    """The receiver did not take the message. `permanent`: retrying cannot help (bad or missing
    configuration), so the row goes straight to `dead`."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message[:500])
        self.permanent = permanent


@dataclass(frozen=True)
class ChannelConfig:
    id: int
    kind: str
    name: str
    url: str | None
    secret: str | None
    enabled: bool
    settings: dict[str, Any] = field(default_factory=dict)
    # why the channel cannot be used as stored (its URL or secret cannot be decrypted)
    problem: str | None = None


@dataclass(frozen=True)
class Delivery:
    id: int  # the outbox id: the idempotency key every receiver sees
    event: str
    channel: str
    recipient: str | None
    payload: dict[str, Any]
    config: ChannelConfig | None
    now: datetime

    @property
    def subject(self) -> str:
        return str(self.payload.get("subject") or "")

    @property
    def body(self) -> str:
        return str(self.payload.get("body") or "")

    @property
    def mentions(self) -> list[str]:
        return [str(m) for m in self.payload.get("mentions") or []]

    @property
    def text(self) -> str:
        """Subject and body as one plain text (chat robots)."""
        link = self.payload.get("link")
        tail = f"\n{link}" if isinstance(link, str) and link.startswith("http") else ""
        return f"{self.subject}\n{self.body}{tail}" if self.subject else self.body + tail

    def require_config(self) -> ChannelConfig:
        if self.config is None:
            raise DeliveryError("channel not found", permanent=True)
        if not self.config.enabled:
            raise DeliveryError("channel disabled", permanent=True)
        if self.config.problem:
            raise DeliveryError(self.config.problem, permanent=True)
        return self.config


Sender = Callable[[Delivery, httpx.Client, NotifySettings], None]


def truncate_bytes(text: str, limit: int) -> str:
    """Cut to at most `limit` UTF-8 bytes without splitting a character."""
    raw = text.encode()
    if len(raw) <= limit:
        return text
    return raw[: limit - 3].decode(errors="ignore") + "…"


def check_url(url: str | None, ns: NotifySettings) -> str:
    """An http(s) URL with a host. Its addresses are checked when connecting (PinnedTransport,
    unless private URLs are allowed): resolved once, and only a checked one is connected to."""
    if not url:
        raise DeliveryError("channel has no URL", permanent=True)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DeliveryError("URL must be http(s)://host/…", permanent=True)
    return url


_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_V4_COMPATIBLE = ipaddress.ip_network("::/96")


def is_public(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Global unicast, and so is every IPv4 address an IPv6 form carries (mapped, compatible,
    NAT64, 6to4, Teredo): `is_global` alone passes 2002:7f00:1:: and 64:ff9b::a00:1, and
    its view of ::ffff:127.0.0.1 depends on the Python version."""
    if not addr.is_global or addr.is_multicast:
        return False
    if isinstance(addr, ipaddress.IPv4Address):
        return True
    inner = [addr.ipv4_mapped, addr.sixtofour, addr.teredo[1] if addr.teredo else None]
    if addr in _NAT64 or addr in _V4_COMPATIBLE:
        inner.append(ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF))
    return all(is_public(v4) for v4 in inner if v4 is not None)


def public_addresses(host: str, port: int) -> list[str]:
    """`host` resolved once; DeliveryError (permanent) unless every address is public."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except OSError as e:
        raise DeliveryError(f"cannot resolve {host}: {e}") from e
    addrs = list(dict.fromkeys(str(info[4][0]) for info in infos))
    for a in addrs:
        if not is_public(ipaddress.ip_address(a)):
            raise DeliveryError(f"{host} resolves to a non-public address {a}", permanent=True)
    return addrs


class _PinnedBackend(httpcore.NetworkBackend):
    """Resolves and checks the host in the same step that connects, to the checked address."""

    def __init__(self, inner: httpcore.NetworkBackend | None = None) -> None:
        self.inner = inner or httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:
        error: Exception = DeliveryError(f"no address for {host}")
        for ip in public_addresses(host, port):
            try:
                return self.inner.connect_tcp(ip, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as e:
                error = e  # the next checked address, as socket.create_connection would
        raise error

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Any = None) -> httpcore.NetworkStream:
        raise DeliveryError("unix sockets are not used for notifications", permanent=True)

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


class PinnedTransport(httpx.HTTPTransport):
    """httpx's transport with the SSRF check at the socket: no DNS-rebinding window.

    httpcore hands the network backend the URL's host name at connect time; our backend
    resolves it once, refuses it unless every address is public, and opens the TCP connection
    to a checked IP literal (no second lookup). Everything above the socket still sees the
    original name: the Host header, TLS SNI and certificate verification, and the connection
    pool (keyed by name, so a connection verified for one name never carries another's
    request, which rewriting the URL to the IP with the `sni_hostname` extension would allow).
    HTTPTransport takes no network backend, so its pool is rebuilt here with httpx's defaults.
    No proxy: a proxy would do the resolving.
    """

    def __init__(self, backend: httpcore.NetworkBackend | None = None) -> None:
        super().__init__()
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=20)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(), max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry, network_backend=_PinnedBackend(backend))


def post(http: httpx.Client, d: Delivery, url: str, ns: NotifySettings, *,
         content: bytes | None = None, json: Any = None, data: Any = None,
         headers: dict[str, str] | None = None) -> httpx.Response:
    """POST with the delivery id header; network errors and non-2xx become DeliveryError."""
    check_url(url, ns)
    hdrs = {DELIVERY_HEADER: str(d.id), "User-Agent": USER_AGENT, **(headers or {})}
    try:
        r = http.post(url, content=content, json=json, data=data, headers=hdrs)
    except httpx.HTTPError as e:
        raise DeliveryError(f"{type(e).__name__}: {e}") from e
    if not r.is_success:
        raise DeliveryError(f"HTTP {r.status_code}: {r.text[:200]}")
    return r


def answer(r: httpx.Response) -> dict[str, Any]:
    try:
        body = r.json()
    except ValueError as e:
        raise DeliveryError(f"answer is not JSON: {r.text[:200]}") from e
    if not isinstance(body, dict):
        raise DeliveryError(f"unexpected answer: {r.text[:200]}")
    return body


def senders() -> dict[str, Sender]:
    """Kind -> adapter (in-app is written by the relay itself, inside its own transaction)."""
    from bihuan.notifications import chat, mail, sms

    return {"wecom": chat.send_wecom, "dingtalk": chat.send_dingtalk,
            "feishu": chat.send_feishu, "webhook": chat.send_webhook,
            "email": mail.send_email, "sms": sms.send_sms}
