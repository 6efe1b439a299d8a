"""What the SLA tests share: a clock to travel with, and an order as the sweeper sees it."""

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bihuan.workorders.models import SlaTimer, WorkOrder

SH = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 11, 16, 9, tzinfo=SH)


class Clock:
    """kit.clock's source of "now" in these tests: time moves only when a test says so."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def to(self, now: datetime) -> datetime:
        self.now = now
        return now


def row(f, oid: int) -> WorkOrder:
    """The order, detached, with the sweeper's next check (kept in sla_timers) as
    `sla_next_at`."""
    with f.db.session(write=False) as s:
        o = s.get(WorkOrder, oid)
        s.expunge(o)
        o.sla_next_at = next_check(s, oid)
        return o


def next_check(session, oid: int) -> datetime | None:
    """When the sweeper will next look at the order (None: no timer)."""
    return session.scalar(select(SlaTimer.next_at).where(SlaTimer.work_order_id == oid))
