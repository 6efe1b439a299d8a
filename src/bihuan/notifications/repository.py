"""Every notifications query."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bihuan.kit import bulk
from bihuan.notifications.enums import OutboxStatus as S
from bihuan.notifications.models import (
    Notification,
    NotificationChannel,
    NotificationPreference,
    NotificationTemplate,
    Outbox,
)

_INSERT = {"postgresql": pg_insert, "sqlite": sqlite_insert}


def _insert_ignoring(session: Session, model: Any, key: str, values: dict[str, Any]) -> int | None:
    """INSERT … ON CONFLICT (key) DO NOTHING RETURNING id: None when the key was taken."""
    conn = session.connection()
    stmt = _INSERT[conn.dialect.name](model).values(**values).on_conflict_do_nothing(
        index_elements=[key]).returning(model.id)
    return conn.execute(stmt).scalar_one_or_none()


# ---------------------------------------------------------------- outbox: writing
def insert_outbox(session: Session, values: dict[str, Any]) -> int | None:
    if values.get("dedupe_key") is None:
        return int(session.connection().execute(
            insert(Outbox).values(**values).returning(Outbox.id)).scalar_one())
    return _insert_ignoring(session, Outbox, "dedupe_key", values)


def insert_outbox_many(session: Session, rows: list[dict[str, Any]]) -> None:
    """Many rows in one statement; a row whose dedupe_key was used before is skipped."""
    bulk.insert_rows(session.connection(), Outbox.__table__, rows,
                     skip_conflicts_on="dedupe_key")


def _due(now: datetime) -> Any:
    return or_(and_(Outbox.status == S.pending, Outbox.next_attempt_at <= now),
               and_(Outbox.status == S.sending, Outbox.lease_until < now))


def due_rows(session: Session, now: datetime, limit: int) -> list[Any]:
    """Pending rows that are due and rows whose lease has expired, earliest first."""
    stmt = (select(Outbox.id, Outbox.status, Outbox.attempts, Outbox.throttle_key,
                   Outbox.channel, Outbox.target)
            .where(_due(now)).order_by(Outbox.next_attempt_at, Outbox.id).limit(limit))
    return list(session.execute(stmt))


def claim(session: Session, row_id: int, now: datetime, lease_until: datetime) -> int | None:
    """Compare-and-set a due row to `sending`; the new attempt number, or None if taken."""
    result = session.connection().execute(
        update(Outbox).where(Outbox.id == row_id, _due(now))
        .values(status=S.sending, lease_until=lease_until, attempts=Outbox.attempts + 1)
        .returning(Outbox.attempts))
    return result.scalar_one_or_none()


def defer(session: Session, row_id: int, now: datetime, until: datetime) -> bool:
    """Leave a due row pending until `until` (a throttle slot frees); no attempt is used."""
    result = session.connection().execute(
        update(Outbox).where(Outbox.id == row_id, _due(now))
        .values(status=S.pending, lease_until=None, next_attempt_at=until))
    return result.rowcount == 1


def kill_expired(session: Session, row_id: int, now: datetime, error: str) -> bool:
    result = session.connection().execute(
        update(Outbox).where(Outbox.id == row_id, _due(now))
        .values(status=S.dead, lease_until=None, last_error=error))
    return result.rowcount == 1


def recent_sends(session: Session, key: str, since: datetime, now: datetime) -> list[datetime]:
    """When this robot/phone was last used, newest first: sent rows inside the window, and rows
    another relay is sending now (they count as sent now)."""
    sent = session.scalars(select(Outbox.sent_at).where(
        Outbox.throttle_key == key, Outbox.status == S.sent, Outbox.sent_at > since))
    in_flight = session.scalar(select(func.count(Outbox.id)).where(
        Outbox.throttle_key == key, Outbox.status == S.sending, Outbox.lease_until >= now)) or 0
    return [now] * in_flight + sorted((t for t in sent if t is not None), reverse=True)


def lock_key(session: Session, key: str) -> None:
    """Serialise throttle decisions for one key across relays until the transaction ends.
    (SQLite writers are serial already: BEGIN IMMEDIATE.)"""
    if session.connection().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(func.hashtext(key))))


def load(session: Session, row_id: int) -> Outbox | None:
    return session.get(Outbox, row_id)


def finish(session: Session, row_id: int, attempt: int, values: dict[str, Any]) -> bool:
    """Record the outcome of our attempt, only if the row is still ours (same attempt number:
    a relay whose lease expired must not overwrite the row's newer state)."""
    result = session.connection().execute(
        update(Outbox).where(Outbox.id == row_id, Outbox.status == S.sending,
                             Outbox.attempts == attempt)
        .values(lease_until=None, **values))
    return result.rowcount == 1


def requeue_dead(session: Session, row_id: int, now: datetime) -> bool:
    result = session.connection().execute(
        update(Outbox).where(Outbox.id == row_id, Outbox.status == S.dead)
        .values(status=S.pending, attempts=0, next_attempt_at=now, lease_until=None))
    return result.rowcount == 1


# ---------------------------------------------------------------- outbox: reading
def list_outbox(session: Session, status: str | None, limit: int, offset: int
                ) -> tuple[list[Outbox], int]:
    stmt = select(Outbox)
    count = select(func.count(Outbox.id))
    if status:
        stmt, count = stmt.where(Outbox.status == status), count.where(Outbox.status == status)
    rows = session.scalars(stmt.order_by(Outbox.id.desc()).limit(limit).offset(offset))
    return list(rows), session.scalar(count) or 0


# ---------------------------------------------------------------- in-app
def insert_notification(session: Session, values: dict[str, Any]) -> int | None:
    return _insert_ignoring(session, Notification, "outbox_id", values)


def notifications_for(session: Session, user_id: int, unread_only: bool, limit: int,
                      offset: int) -> tuple[list[Notification], int, int]:
    """A page of the user's notifications, newest first; the total and the unread count."""
    mine = Notification.user_id == user_id
    unread = Notification.read_at.is_(None)
    stmt = select(Notification).where(mine)
    if unread_only:
        stmt = stmt.where(unread)
    rows = list(session.scalars(stmt.order_by(Notification.created_at.desc(),
                                              Notification.id.desc()).limit(limit).offset(offset)))
    total = session.scalar(select(func.count(Notification.id)).where(
        mine, *([unread] if unread_only else []))) or 0
    n_unread = session.scalar(select(func.count(Notification.id)).where(mine, unread)) or 0
    return rows, total, n_unread


def get_notification(session: Session, notification_id: int) -> Notification | None:
    return session.get(Notification, notification_id)


def mark_all_read(session: Session, user_id: int, now: datetime) -> int:
    result = session.connection().execute(
        update(Notification).where(Notification.user_id == user_id,
                                   Notification.read_at.is_(None))
        .values(read_at=now))
    return int(result.rowcount)


# ---------------------------------------------------------------- channels
def get_channel(session: Session, channel_id: int) -> NotificationChannel | None:
    return session.get(NotificationChannel, channel_id)


def list_channels(session: Session) -> list[NotificationChannel]:
    return list(session.scalars(select(NotificationChannel).order_by(NotificationChannel.id)))


def first_enabled(session: Session, kind: str) -> NotificationChannel | None:
    return session.scalar(select(NotificationChannel).where(
        NotificationChannel.kind == kind, NotificationChannel.enabled.is_(True))
        .order_by(NotificationChannel.id).limit(1))


def enabled_channel_ids(session: Session, kinds: Iterable[str]) -> list[int]:
    return list(session.scalars(select(NotificationChannel.id).where(
        NotificationChannel.kind.in_(list(kinds)), NotificationChannel.enabled.is_(True))
        .order_by(NotificationChannel.id)))


# ---------------------------------------------------------------- templates
def get_template(session: Session, event: str, locale: str) -> NotificationTemplate | None:
    return session.scalar(select(NotificationTemplate).where(
        NotificationTemplate.event == event, NotificationTemplate.locale == locale))


def templates_for(session: Session, events: list[str], locale: str
                  ) -> dict[str, NotificationTemplate]:
    rows = session.scalars(select(NotificationTemplate).where(
        NotificationTemplate.event.in_(events), NotificationTemplate.locale == locale))
    return {t.event: t for t in rows}


def list_templates(session: Session) -> list[NotificationTemplate]:
    return list(session.scalars(select(NotificationTemplate).order_by(
        NotificationTemplate.event, NotificationTemplate.locale)))


# ---------------------------------------------------------------- preferences
def get_preferences(session: Session, user_id: int) -> NotificationPreference | None:
    return session.get(NotificationPreference, user_id)


def add(session: Session, obj: Any) -> None:
    session.add(obj)
    session.flush()


def delete(session: Session, obj: Any) -> None:
    session.delete(obj)
    session.flush()
