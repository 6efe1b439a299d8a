"""Notification tables: the outbox, in-app notifications, channels, templates, preferences."""

from datetime import datetime, time
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from bihuan.db import Base
from bihuan.kit.models import Timestamps
from bihuan.kit.secrets import EncryptedText


class Outbox(Base):
    """One message to deliver once, after the transaction that wrote it has committed."""

    __tablename__ = "outbox"
    __table_args__ = (
        # the relay's query: due pending rows (and expired leases) in due order
        Index("ix_outbox_status_next", "status", "next_attempt_at"),
        # the throttle's query: how many went out to this robot / phone in the window (only
        # throttled rows: in-app and fan-out rows, most of them, have no key and no entry)
        Index("ix_outbox_throttle", "throttle_key", "sent_at",
              postgresql_where=text("throttle_key IS NOT NULL"),
              sqlite_where=text("throttle_key IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))
    # a notification_channels id (robots, email, SMS, webhooks) or a user id (in-app)
    target: Mapped[str] = mapped_column(String(64))
    # user id, phone or email address; null for a group robot
    recipient: Mapped[str | None] = mapped_column(String(255))
    payload: Mapped[dict[str, Any]]
    # a retry or a duplicate enqueue with the same key is a no-op
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    throttle_key: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class Notification(Base):
    """An entry in a user's bell, written by the in-app channel's delivery."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_created", "user_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # at most one entry per outbox row, however often the relay retries
    outbox_id: Mapped[int | None] = mapped_column(unique=True)
    event: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]


class NotificationChannel(Timestamps, Base):
    """A configured destination: a robot webhook, an SMTP server, an SMS account, a webhook."""

    __tablename__ = "notification_channels"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(64))
    # encrypted at rest like the secret: a WeCom robot's key is in its URL
    url: Mapped[str | None] = mapped_column(EncryptedText)
    # signing secret, SMTP password or SMS access key secret: written, never read back by the API
    secret: Mapped[str | None] = mapped_column(EncryptedText)
    enabled: Mapped[bool] = mapped_column(default=True)
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)


class NotificationTemplate(Base):
    """An admin's wording for one event in one locale; overrides the default in code."""

    __tablename__ = "notification_templates"
    __table_args__ = (UniqueConstraint("event", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class NotificationPreference(Base):
    """A user's muted channels per event ("*" = every event), quiet hours and language."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    muted: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # local wall-clock times (the app's timezone); end before start spans midnight
    quiet_start: Mapped[time | None]
    quiet_end: Mapped[time | None]
    locale: Mapped[str] = mapped_column(String(8), default="zh-CN")
    updated_at: Mapped[datetime]
