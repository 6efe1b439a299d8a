"""Rate limits for the public pages.

Writes (a fault report, a signature) are counted in the database, so every worker shares
the count and a restart forgets nothing. Reads are counted per process in memory: they are
cheap, and a code of 50 random bits is not found by guessing at any per-process rate."""

import math
import threading
import time
from collections import OrderedDict
from datetime import timedelta

from sqlalchemy import bindparam, case, literal
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from bihuan.errors import DomainError
from bihuan.kit.clock import utcnow
from bihuan.portal.models import RateCounter


class RateLimited(DomainError):
    status_code = 429
    code = "rate_limited"


def limited(retry_after: float) -> RateLimited:
    secs = max(1, math.ceil(retry_after))
    return RateLimited(f"操作太频繁,请 {secs} 秒后再试", f"Too many requests; try again in {secs} s",
                       headers={"Retry-After": str(secs)}, details={"retry_after": secs})


def _upsert(insert_fn):  # type: ignore[no-untyped-def]
    """One statement: start a new window when the old one has passed, else count up."""
    stmt = insert_fn(RateCounter).values(
        key=bindparam("key"), window_start=bindparam("now"), count=1)
    expired = RateCounter.window_start <= bindparam("cutoff")  # cutoff = now - window
    return stmt.on_conflict_do_update(
        index_elements=[RateCounter.key],
        set_={"count": case((expired, literal(1)), else_=RateCounter.count + 1),
              "window_start": case((expired, stmt.excluded.window_start),
                                   else_=RateCounter.window_start)},
    ).returning(RateCounter.count, RateCounter.window_start)


_PG_UPSERT = _upsert(pg_insert)


def hit(session: Session, key: str, limit: int, window: timedelta) -> None:
    """Count one use of `key`; raise 429 with Retry-After when over `limit` in the window."""
    now = utcnow()
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        count, start = conn.execute(
            _PG_UPSERT, {"key": key, "now": now, "cutoff": now - window}).one()
    else:
        # SQLite cannot add an interval to a stored datetime in SQL; writers are serialised
        # (BEGIN IMMEDIATE), so read-then-write is safe here
        row = session.get(RateCounter, key, with_for_update=True)
        if row is None:
            row = RateCounter(key=key, window_start=now, count=0)
            session.add(row)
        if now >= row.window_start + window:
            row.window_start, row.count = now, 0
        row.count += 1
        session.flush()
        count, start = row.count, row.window_start
    if count > limit:
        raise limited((start + window - now).total_seconds())


class MemoryLimiter:
    """Per-process fixed windows for reads; keeps at most `max_keys` keys."""

    def __init__(self, limit: int, window_seconds: float, max_keys: int = 50_000) -> None:
        self.limit, self.window, self.max_keys = limit, window_seconds, max_keys
        self._hits: OrderedDict[str, tuple[float, int]] = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, key: str) -> None:
        now = time.monotonic()
        with self._lock:
            start, count = self._hits.pop(key, (now, 0))
            if now - start >= self.window:
                start, count = now, 0
            self._hits[key] = (start, count + 1)
            while len(self._hits) > self.max_keys:
                self._hits.popitem(last=False)
        if count + 1 > self.limit:
            raise limited(start + self.window - now)

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()

