"""Notification fixtures: a hand-moved clock, relay settings, loopback receivers (HTTP and
SMTP), and shortcuts to configure channels and enqueue messages."""

import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword
from sqlalchemy import select

from bihuan.db import Database, session_scope
from bihuan.kit.clock import set_clock
from bihuan.notifications import service
from bihuan.notifications.config import NotifySettings
from bihuan.notifications.models import NotificationChannel, Outbox
from tests.notifications.receiver import Receiver, ReceiverServer


class Clock:
    """A frozen 'now' that only moves when the test says so."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float = 0, **kw: float) -> datetime:
        self.now += timedelta(seconds=seconds, **kw)
        return self.now


@pytest.fixture
def clock() -> Iterator[Clock]:
    """Frozen at the wall clock's now (so vendors' timestamp checks pass); reset after."""
    c = Clock(datetime.now(UTC).replace(microsecond=0))
    set_clock(c)
    yield c


@pytest.fixture
def ns() -> NotifySettings:
    """Relay settings for tests: loopback receivers allowed, deterministic limits."""
    return NotifySettings(allow_private_urls=True, delivery_threads=4, http_timeout_seconds=5)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with ReceiverServer(Receiver()) as r:
        yield r


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[Envelope] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    """An SMTP server on 127.0.0.1 that accepts login mailer / mail-pass and keeps messages."""

    def auth(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            b"mailer", b"mail-pass")
        return AuthResult(success=ok, handled=False)

    box, port = Mailbox(), _free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port, authenticator=auth,
                            auth_require_tls=False)
    controller.start()
    yield box, port
    controller.stop()


def add_channel(db: Database, kind: str, url: str | None = None, secret: str | None = None,
                **settings: Any) -> int:
    with session_scope(db) as s:
        c = NotificationChannel(kind=kind, name=f"{kind} 测试", url=url, secret=secret,
                                enabled=True, settings=settings)
        s.add(c)
        s.flush()
        return c.id


def robot(db: Database, recv: Receiver, kind: str, secret: str | None = None,
          **settings: Any) -> int:
    """A channel of `kind` pointing at the receiver, with the secret the receiver expects."""
    if kind == "wecom":
        return add_channel(db, kind, f"{recv.url}/wecom/send?key={secret or recv.secrets[kind]}",
                           **settings)
    if kind == "sms":
        settings = {"access_key_id": "LTAI-test", "sign_name": "闭环", "template_code":
                    "SMS_100", **settings}
    return add_channel(db, kind, f"{recv.url}/{kind}/send?access_token=T",
                       secret or recv.secrets[kind], **settings)


def enqueue(db: Database, event: str = "order.assigned", **kw: Any) -> int | None:
    """service.enqueue in its own committed transaction."""
    data = kw.pop("data", {"number": "WO-2611-000001", "title": "主轴异响"})
    with session_scope(db) as s:
        return service.enqueue(s, event, data=data, **kw)


def rows(db: Database) -> list[Outbox]:
    with session_scope(db, write=False) as s:
        out = list(s.scalars(select(Outbox).order_by(Outbox.id)))
        s.expunge_all()
        return out


def row(db: Database, row_id: int) -> Outbox:
    with session_scope(db, write=False) as s:
        found = s.get(Outbox, row_id)
        assert found is not None
        s.expunge(found)
        return found


def wait_for(predicate: Any, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
