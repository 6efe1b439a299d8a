"""Channel adapters: one `send` per kind over a shared shape; the relay picks by outbox.channel.

Each adapter raises DeliveryError when the receiver did not take the message. Every outbound
HTTP request carries X-Bihuan-Delivery: <outbox id>, so a receiver can drop a redelivery
(delivery is at-least-once: a relay that dies after sending but before recording sends again).
"""

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

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
        return self.config


Sender = Callable[[Delivery, httpx.Client, NotifySettings], None]


def truncate_bytes(text: str, limit: int) -> str:
    """Cut to at most `limit` UTF-8 bytes without splitting a character."""
    raw = text.encode()
    if len(raw) <= limit:
        return text
    return raw[: limit - 3].decode(errors="ignore") + "…"


def check_url(url: str | None, ns: NotifySettings) -> str:
    """An http(s) URL whose host resolves only to public addresses (SSRF, unless allowed)."""
    if not url:
        raise DeliveryError("channel has no URL", permanent=True)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DeliveryError("URL must be http(s)://host/…", permanent=True)
    if ns.allow_private_urls:
        return url
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except OSError as e:
        raise DeliveryError(f"cannot resolve {parts.hostname}: {e}") from e
    for info in infos:
        addr = ipaddress.ip_address(info[4][0])
        if not addr.is_global:
            raise DeliveryError(f"{parts.hostname} resolves to a non-public address {addr}",
                                permanent=True)
    return url


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
