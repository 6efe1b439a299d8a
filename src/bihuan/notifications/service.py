"""Notification use cases: enqueue (in the caller's transaction), render, preferences, the bell.

Other domains call `notify_user`, `notify_channel` or the lower-level `enqueue`; each only adds
outbox rows and flushes, so the message exists exactly when the caller's transaction commits.
The relay (relay.py) delivers after commit.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bihuan.config import get_settings
from bihuan.errors import BadInput, not_found
from bihuan.kit.clock import utcnow
from bihuan.kit.context import RequestContext
from bihuan.notifications import repository
from bihuan.notifications.enums import ROBOTS, ChannelKind, OutboxStatus
from bihuan.notifications.models import Notification, NotificationPreference
from bihuan.notifications.schemas import PreferencesIn, PreferencesOut
from bihuan.notifications.templates import (
    DEFAULTS,
    Template,
    default_for,
    derived,
    event_chain,
    mask_data,
    mask_text,
    render_text,
)
from bihuan.users import service as users

# events that go out at once, even in the recipient's quiet hours
URGENT_EVENTS = frozenset({"sla.breach"})


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def _tz(tz: str | None) -> ZoneInfo:
    return ZoneInfo(tz or get_settings().timezone)


def _display(value: Any, zone: ZoneInfo) -> Any:
    """How a value reads in a message: datetimes in local time, to the minute."""
    if isinstance(value, datetime):
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    return value


_PLAIN = frozenset({str, int, float, bool, type(None)})


def _jsonable(value: Any) -> Any:
    # the plain scalars first, without a call for each: they are most values, and the
    # Mapping check is an ABC lookup
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, dict | Mapping):
        return {str(k): v if type(v) in _PLAIN else _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return str(value)


# ---------------------------------------------------------------- templates
def render(session: Session, event: str, locale: str, data: Mapping[str, Any],
           tz: str | None = None) -> Rendered:
    """Subject and body for the event in the locale: an admin's override, else the default.
    Unknown {placeholders} stay visible; rendering never raises. Phones are masked."""
    zone = _tz(tz)
    values = {k: _display(v, zone) for k, v in derived(event, locale, data).items()}
    chain = event_chain(event)
    overrides = repository.templates_for(session, chain, locale)
    tpl = default_for(event, locale)
    for name in chain:  # the most specific event name with any wording wins; then the admin's
        if name in overrides:
            tpl = Template(overrides[name].subject, overrides[name].body)
            break
        if name in DEFAULTS:
            break
    return Rendered(mask_text(render_text(tpl.subject, values)),
                    mask_text(render_text(tpl.body, values)))


# ---------------------------------------------------------------- preferences
def _muted(prefs: NotificationPreference | None, event: str, channel: str) -> bool:
    if prefs is None:
        return False
    muted = prefs.muted or {}
    return any(channel in muted.get(name, ()) for name in ("*", *event_chain(event)))


def quiet_until(prefs: NotificationPreference | None, at: datetime,
                tz: str | None = None) -> datetime | None:
    """When the quiet period around `at` ends (UTC), or None if `at` is not in one."""
    if prefs is None or prefs.quiet_start is None or prefs.quiet_end is None:
        return None
    zone = _tz(tz)
    local = at.astimezone(zone)
    t, start, end = local.time().replace(tzinfo=None), prefs.quiet_start, prefs.quiet_end
    inside = start <= t < end if start < end else (t >= start or t < end)
    if not inside:
        return None
    day = local.date() if t < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=zone).astimezone(UTC)


def get_preferences(session: Session, ctx: RequestContext) -> PreferencesOut:
    """The actor's preferences (defaults until they save some)."""
    assert ctx.actor.user_id is not None
    prefs = repository.get_preferences(session, ctx.actor.user_id)
    if prefs is None:
        return PreferencesOut()
    return PreferencesOut(muted=prefs.muted or {}, quiet_start=prefs.quiet_start,
                          quiet_end=prefs.quiet_end, locale=prefs.locale)


def put_preferences(session: Session, ctx: RequestContext, data: PreferencesIn
                    ) -> PreferencesOut:
    """Replace the actor's preferences."""
    assert ctx.actor.user_id is not None
    prefs = repository.get_preferences(session, ctx.actor.user_id)
    values = {**data.model_dump(mode="python"), "updated_at": utcnow()}
    values["muted"] = {k: [str(c) for c in v] for k, v in data.muted.items()}
    if prefs is None:
        repository.add(session, NotificationPreference(user_id=ctx.actor.user_id, **values))
    else:
        for k, v in values.items():
            setattr(prefs, k, v)
        session.flush()
    return get_preferences(session, ctx)


# ---------------------------------------------------------------- enqueue
def throttle_key(channel: str, target: str, recipient: str | None) -> str | None:
    """Robots are limited per robot, SMS per phone number (across SMS accounts)."""
    if channel in ROBOTS:
        return f"{channel}:{target}"
    if channel == ChannelKind.sms and recipient:
        return f"sms:{recipient}"
    return None


def enqueue(
    session: Session, event: str, *, channel: str, target: str | int,
    data: Mapping[str, Any] | None = None, recipient: str | None = None,
    user_id: int | None = None, locale: str | None = None, subject: str | None = None,
    body: str | None = None, link: str | None = None, mentions: Iterable[str] = (),
    dedupe_key: str | None = None, urgent: bool | None = None,
    not_before: datetime | None = None, tz: str | None = None,
) -> int | None:
    """Add one outbox row in the caller's transaction (flush only); returns its id, or None
    when skipped: the user muted this channel for the event, or `dedupe_key` was used before.

    With `user_id` the user's preferences apply: muted channels, locale, and quiet hours,
    which delay a non-urgent message to their end. Subject and body are rendered from the
    event's template unless given; phone numbers in them and in `data` are masked.
    """
    kind = ChannelKind(channel)
    if kind == ChannelKind.inapp and user_id is None:
        user_id = int(target)
    prefs = repository.get_preferences(session, user_id) if user_id is not None else None
    if _muted(prefs, event, kind):
        return None
    locale = locale or (prefs.locale if prefs else "zh-CN")
    data = dict(data or {})
    if subject is None or body is None:
        r = render(session, event, locale, data, tz)
        subject = r.subject if subject is None else subject
        body = r.body if body is None else body
    now = utcnow()
    due = max(not_before or now, now)
    is_urgent = urgent if urgent is not None else any(
        e in URGENT_EVENTS for e in event_chain(event))
    if not is_urgent and kind != ChannelKind.inapp:  # a bell entry disturbs no one
        due = quiet_until(prefs, due, tz) or due
    payload = {"subject": mask_text(subject), "body": mask_text(body), "link": link,
               "data": mask_data(_jsonable(data)), "mentions": [str(m) for m in mentions],
               "locale": locale, "urgent": is_urgent}
    return repository.insert_outbox(session, {
        "event": event, "channel": str(kind), "target": str(target), "recipient": recipient,
        "payload": payload, "dedupe_key": dedupe_key,
        "throttle_key": throttle_key(kind, str(target), recipient),
        "status": OutboxStatus.pending, "attempts": 0, "next_attempt_at": due,
        "created_at": now,
    })


def notify_user(
    session: Session, user_id: int, event: str, data: Mapping[str, Any], *,
    channels: Iterable[str] = (ChannelKind.inapp,), link: str | None = None,
    urgent: bool | None = None, dedupe_key: str | None = None, tz: str | None = None,
) -> list[int]:
    """Tell one person, on each of `channels` they have not muted: in-app, email (their
    address, first enabled email channel), SMS (their phone, first enabled SMS channel).
    A channel with nothing to send through (no address, none configured) is skipped.
    `dedupe_key` is extended per channel and user, so one key covers the whole fan-out."""
    user = users.get_user(session, user_id)
    if user is None or not user.is_active:
        return []
    out = []
    for channel in dict.fromkeys(ChannelKind(c) for c in channels):
        if channel == ChannelKind.inapp:
            target, recipient = str(user_id), str(user_id)
        elif channel in (ChannelKind.email, ChannelKind.sms):
            recipient = user.email if channel == ChannelKind.email else user.phone
            cfg = repository.first_enabled(session, channel) if recipient else None
            if cfg is None:
                continue
            target = str(cfg.id)
        else:
            raise ValueError(f"{channel} is not a per-person channel; use notify_channel")
        key = f"{dedupe_key}:{channel}:u{user_id}" if dedupe_key else None
        row = enqueue(session, event, channel=channel, target=target, data=data,
                      recipient=recipient, user_id=user_id, link=link, urgent=urgent,
                      dedupe_key=key, tz=tz)
        if row is not None:
            out.append(row)
    return out


def notify_channel(
    session: Session, channel_id: int, event: str, data: Mapping[str, Any], *,
    locale: str = "zh-CN", recipient: str | None = None, mentions: Iterable[str] = (),
    link: str | None = None, dedupe_key: str | None = None, urgent: bool | None = None,
    tz: str | None = None,
) -> int | None:
    """Post to one configured channel (a group robot, a webhook; email/SMS need `recipient`).
    `mentions` are mobiles to @ in robots. None when the channel is missing or disabled."""
    cfg = repository.get_channel(session, channel_id)
    if cfg is None or not cfg.enabled:
        return None
    key = f"{dedupe_key}:{cfg.kind}:c{cfg.id}" if dedupe_key else None
    return enqueue(session, event, channel=cfg.kind, target=str(cfg.id), data=data,
                   recipient=recipient, locale=locale, mentions=mentions, link=link,
                   dedupe_key=key, urgent=urgent, tz=tz)


def robot_channel_ids(session: Session, kinds: Iterable[str] = ROBOTS) -> list[int]:
    """Enabled group-robot channels (WeCom, DingTalk, Feishu), for broadcasts to the team;
    pass `kinds` to include others (e.g. "webhook")."""
    return repository.enabled_channel_ids(session, kinds)


# ---------------------------------------------------------------- the bell
def my_notifications(session: Session, ctx: RequestContext, unread_only: bool, limit: int,
                     offset: int) -> tuple[list[Notification], int, int]:
    """The actor's notifications, newest first, with the total and the unread count."""
    assert ctx.actor.user_id is not None
    return repository.notifications_for(session, ctx.actor.user_id, unread_only, limit, offset)


def mark_read(session: Session, ctx: RequestContext, notification_id: int) -> Notification:
    """Mark one of the actor's notifications read (404 for anyone else's)."""
    n = repository.get_notification(session, notification_id)
    if n is None or n.user_id != ctx.actor.user_id:
        raise not_found("通知", "Notification")
    if n.read_at is None:
        n.read_at = utcnow()
        session.flush()
    return n


def mark_all_read(session: Session, ctx: RequestContext) -> int:
    """Mark all the actor's notifications read; how many changed."""
    assert ctx.actor.user_id is not None
    return repository.mark_all_read(session, ctx.actor.user_id, utcnow())


def check_locale(locale: str) -> str:
    if locale not in ("zh-CN", "en"):
        raise BadInput(f"不支持的语言:{locale[:16]},可选 zh-CN 或 en",
                       f"Unsupported locale {locale[:16]!r}; use zh-CN or en",
                       code="locale_unsupported")
    return locale


def fanout_row(event: str, data: Mapping[str, Any], *, users: Iterable[int],
               robots: bool = False, mentions: Iterable[str] = (), link: str | None = None,
               dedupe_key: str, urgent: bool | None = None) -> dict[str, Any]:
    """One outbox row that stands for a whole announcement: the relay expands it after
    commit into in-app rows for `users` and, with `robots`, a message to every enabled group
    robot (@ `mentions`). Writing one row per announcement keeps a big sweep short."""
    now = utcnow()
    return {"event": event, "channel": str(ChannelKind.fanout), "target": "fanout",
            "recipient": None, "dedupe_key": dedupe_key, "throttle_key": None,
            "status": OutboxStatus.pending, "attempts": 0, "next_attempt_at": now,
            "created_at": now,
            "payload": {"data": _jsonable(data), "users": sorted(set(users)),
                        "robots": robots, "mentions": [str(m) for m in mentions],
                        "link": link, "urgent": urgent}}


def enqueue_fanouts(session: Session, rows: list[dict[str, Any]]) -> None:
    """Add fan-out rows (from `fanout_row`) in the caller's transaction, in one statement."""
    repository.insert_outbox_many(session, rows)


def expand_fanout(session: Session, event: str, payload: Mapping[str, Any],
                  dedupe_key: str | None) -> int:
    """The per-person and per-robot rows a fan-out row stands for (their dedupe keys derive
    from the fan-out's, so expanding twice adds nothing). Returns how many were added."""
    data, link, urgent = payload.get("data") or {}, payload.get("link"), payload.get("urgent")
    data = {k: _as_time(v) if k.endswith("_at") else v for k, v in data.items()}
    added = 0
    for user_id in payload.get("users") or []:
        added += len(notify_user(session, int(user_id), event, data, link=link, urgent=urgent,
                                 dedupe_key=dedupe_key))
    if payload.get("robots"):
        for channel_id in robot_channel_ids(session):
            added += notify_channel(session, channel_id, event, data, link=link,
                                    mentions=payload.get("mentions") or (),
                                    dedupe_key=dedupe_key, urgent=urgent) is not None
    return added


def _as_time(v: Any) -> Any:
    """Times come back from the fan-out's JSON as ISO text: make them times again, so the
    message shows them in local time like any other."""
    if isinstance(v, str):
        try:
            return datetime.fromisoformat(v)
        except ValueError:
            return v
    return v
