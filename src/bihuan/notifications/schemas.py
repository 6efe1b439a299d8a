"""Notification API shapes."""

import re
from datetime import datetime, time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bihuan.kit.pagination import Page
from bihuan.kit.validators import bilingual_error
from bihuan.notifications.enums import ChannelKind

Locale = Literal["zh-CN", "en"]
EVENT_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$"


class NotificationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    event: str
    title: str
    body: str
    link: str | None
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Page[NotificationOut]):
    unread: int = Field(description="how many of your notifications are unread (all pages)")


class ReadAllOut(BaseModel):
    updated: int


class PreferencesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    muted: dict[str, list[ChannelKind]] = Field(
        default_factory=dict, max_length=100,
        description='channels muted per event; "*" mutes a channel for every event',
        examples=[{"*": ["sms"], "order.assigned": ["email"]}])
    quiet_start: time | None = Field(default=None, description="local time, e.g. 22:00")
    quiet_end: time | None = Field(default=None, description="local time, e.g. 08:00")
    locale: Locale = "zh-CN"

    @field_validator("muted")
    @classmethod
    def _events(cls, v: dict[str, list[ChannelKind]]) -> dict[str, list[ChannelKind]]:
        for key in v:
            if key != "*" and (len(key) > 64 or not re.match(EVENT_PATTERN, key)):
                raise bilingual_error("event_invalid", f"事件名无效:{key[:64]},示例:sla.breach",
                                      f"Invalid event name {key[:64]!r}, e.g. sla.breach")
        return {k: sorted(set(chs)) for k, chs in v.items() if chs}

    @model_validator(mode="after")
    def _quiet_pair(self) -> "PreferencesIn":
        if (self.quiet_start is None) != (self.quiet_end is None):
            raise bilingual_error("quiet_hours_pair", "免打扰需同时填写开始和结束时间,示例:22:00–08:00",
                                  "Quiet hours need both start and end, e.g. 22:00–08:00")
        if self.quiet_start is not None and self.quiet_start == self.quiet_end:
            raise bilingual_error("quiet_hours_empty", "免打扰的开始和结束时间不能相同",
                                  "Quiet hours must not start and end at the same time")
        return self


class PreferencesOut(PreferencesIn):
    model_config = ConfigDict(from_attributes=True)


class OutboxOut(BaseModel):
    id: int
    event: str
    channel: str
    target: str
    recipient: str | None = Field(description="phones shown masked")
    payload: dict[str, Any]
    dedupe_key: str | None
    status: str
    attempts: int
    next_attempt_at: datetime
    lease_until: datetime | None
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None


class ChannelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["wecom", "dingtalk", "feishu", "email", "sms", "webhook"]
    name: str = Field(min_length=1, max_length=64)
    url: str | None = Field(default=None, max_length=500,
                            description="robot webhook / SMS endpoint / webhook receiver")
    secret: str | None = Field(default=None, max_length=500, description=(
        "signing secret, SMTP password or SMS AccessKey secret; write-only"))
    enabled: bool = True
    settings: dict[str, Any] = Field(default_factory=dict, description=(
        "per kind: wecom {msgtype, per_minute}; dingtalk/feishu {per_minute}; email {host, "
        "port, user, starttls, ssl, sender}; sms {access_key_id, sign_name, template_code, "
        "templates, params, region_id}"))


class ChannelPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, min_length=1, max_length=64)
    url: str | None = Field(default=None, max_length=500)
    secret: str | None = Field(default=None, max_length=500, description="null clears it")
    enabled: bool | None = None
    settings: dict[str, Any] | None = None


class ChannelOut(BaseModel):
    id: int
    kind: str
    name: str
    url: str | None = Field(description="keys and tokens in the URL are masked")
    has_secret: bool
    enabled: bool
    settings: dict[str, Any]
    created_at: datetime
    updated_at: datetime


class TemplateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    subject: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=4000)


class TemplateOut(BaseModel):
    event: str
    locale: str
    subject: str
    body: str
    overridden: bool = Field(description="an admin's wording replaces the default")
    default_subject: str | None
    default_body: str | None
    updated_at: datetime | None = None
