"""Targets for the permission matrix (tests/auth/test_permissions.py) on notification routes."""

from bihuan.kit.clock import utcnow
from bihuan.notifications.models import Notification, NotificationChannel, Outbox
from tests.factories import Factory


def own_notification(f: Factory) -> str:
    """A bell entry of whoever the matrix is acting as (only the owner may mark it read)."""
    owner = f.user(f.acting) if f.acting else f.user("admin")
    with f.session() as s:
        n = Notification(user_id=owner.id, event="order.assigned", title="t", body="b",
                         created_at=utcnow())
        s.add(n)
        s.flush()
        return f"/api/v1/notifications/{n.id}/read"


def dead_message(f: Factory) -> str:
    now = utcnow()
    with f.session() as s:
        row = Outbox(event="order.assigned", channel="webhook", target="1", payload={},
                     status="dead", attempts=8, next_attempt_at=now, created_at=now,
                     last_error="HTTP 500")
        s.add(row)
        s.flush()
        return f"/api/v1/outbox/{row.id}/retry"


def channel(f: Factory) -> str:
    with f.session() as s:
        c = NotificationChannel(kind="webhook", name="erp", url="https://erp.example/hook",
                                secret="s", enabled=True, settings={})
        s.add(c)
        s.flush()
        return f"/api/v1/notification-channels/{c.id}"
