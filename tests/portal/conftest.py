"""Portal fixtures: a hand-moved clock and apps built with tightened limits."""

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bihuan.kit.clock import set_clock
from bihuan.main import create_app


class Clock:
    """A frozen 'now' that moves only when the test says so (the autouse fixture resets it)."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


@pytest.fixture
def clock() -> Clock:
    c = Clock()
    set_clock(c)
    return c


@pytest.fixture
def app_with(settings, db) -> Iterator[Callable[..., TestClient]]:  # type: ignore[no-untyped-def]
    """app_with(portal_reads_per_ip_minute=3) -> a client of an app with those settings."""
    opened: list[TestClient] = []

    def make(**overrides: Any) -> TestClient:
        c = TestClient(create_app(settings.model_copy(update=overrides), db))
        c.__enter__()
        opened.append(c)
        return c

    yield make
    for c in opened:
        c.__exit__(None, None, None)
