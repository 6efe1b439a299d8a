"""Work-order test helpers: a clock you move by hand (time travel, never sleep)."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bihuan.kit.clock import set_clock
from tests.factories import Factory


class Clock:
    """A frozen 'now' that only moves when the test says so."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float = 0, **kw: float) -> datetime:
        self.now += timedelta(seconds=seconds, **kw)
        return self.now

    def set(self, now: datetime) -> datetime:
        self.now = now
        return now


@pytest.fixture
def clock() -> Iterator[Clock]:
    """Freeze time at the wall clock's now; the autouse `_wall_clock` restores it after."""
    c = Clock(datetime.now(UTC).replace(microsecond=0))
    set_clock(c)
    yield c


@pytest.fixture
def factory_people(f: Factory) -> None:
    """Create the users Factory.act fetches while it holds a write transaction.

    Factory.act calls f.user("supervisor" / "engineer") inside its open session; a first-time
    user insert there opens a second writer, which on SQLite waits on the first for the whole
    busy timeout and then fails with "database is locked". Creating them up front avoids it.
    """
    for role in ("admin", "engineer", "supervisor"):
        f.user(role)
