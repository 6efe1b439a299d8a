"""Send-rate limits per robot and per phone, decided from the outbox itself.

Counting `sent` rows in the window (plus rows being sent right now) works across processes:
there is no counter to drift. A message over the limit is never dropped; it stays pending
until a slot frees.
"""

from datetime import datetime, timedelta
from typing import Any

from bihuan.notifications.config import NotifySettings
from bihuan.notifications.enums import ChannelKind

Window = tuple[float, int]  # (seconds, at most this many)


def windows(channel: str, channel_settings: dict[str, Any] | None,
            ns: NotifySettings) -> list[Window]:
    """The limits that apply to a message on this channel."""
    s = channel_settings or {}
    if channel in (ChannelKind.wecom, ChannelKind.dingtalk):
        return [(60.0, int(s.get("per_minute") or ns.robot_per_minute))]
    if channel == ChannelKind.feishu:
        return [(60.0, int(s.get("per_minute") or ns.feishu_per_minute)), (1.0, 5)]
    if channel == ChannelKind.sms:
        return [(60.0, ns.sms_per_phone_minute), (3600.0, ns.sms_per_phone_hour),
                (86400.0, ns.sms_per_phone_day)]
    return []


def longest(ws: list[Window]) -> float:
    return max((w for w, _ in ws), default=0.0)


def next_free(recent: list[datetime], ws: list[Window], now: datetime) -> datetime | None:
    """None if one more message fits now; else when it will (the latest of the windows).

    `recent` are send times, newest first. A window of w seconds holding n sends is full
    while the n-th newest send is less than w seconds old; the slot frees when it ages out.
    """
    free = None
    for seconds, limit in ws:
        inside = [t for t in recent if t > now - timedelta(seconds=seconds)]
        if len(inside) >= limit:
            at = inside[limit - 1] + timedelta(seconds=seconds)
            free = at if free is None else max(free, at)
    return free
