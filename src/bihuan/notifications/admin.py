"""Admin use cases: channels, template wording, the outbox (dead letters and retries)."""

import logging
import re
from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy.orm import Session

from bihuan.audit import service as audit
from bihuan.errors import BadInput, Conflict, DomainError, not_found
from bihuan.kit.clock import utcnow
from bihuan.kit.context import RequestContext
from bihuan.kit.secrets import SecretKeyError, Unreadable, keyring
from bihuan.kit.validators import mask_phone
from bihuan.notifications import repository
from bihuan.notifications.enums import LOCALES
from bihuan.notifications.models import NotificationChannel, NotificationTemplate, Outbox
from bihuan.notifications.schemas import (
    EVENT_PATTERN,
    ChannelIn,
    ChannelOut,
    ChannelPatch,
    OutboxOut,
    TemplateIn,
    TemplateOut,
)
from bihuan.notifications.service import check_locale
from bihuan.notifications.templates import DEFAULTS, default_for

log = logging.getLogger("bihuan.notifications")
CHANNEL = "notification_channel"
TEMPLATE = "notification_template"
OUTBOX = "outbox"
# query parameters that carry a robot's credential (WeCom key, DingTalk access_token)
_SECRET_PARAMS = frozenset({"key", "access_token", "token"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Robot(_Strict):
    per_minute: int | None = Field(default=None, ge=1, le=1000)


class _WeCom(_Robot):
    msgtype: Literal["text", "markdown"] | None = None


class _Email(_Strict):
    host: str = Field(min_length=1, max_length=255)
    port: int = Field(default=25, ge=1, le=65535)
    user: str | None = Field(default=None, max_length=255)
    starttls: bool = False
    ssl: bool = False
    sender: str = Field(min_length=3, max_length=255, pattern=r".+@.+")


class _Sms(_Strict):
    access_key_id: str = Field(min_length=1, max_length=128)
    sign_name: str = Field(min_length=1, max_length=64)
    template_code: str | None = Field(default=None, max_length=64)
    templates: dict[str, str] = Field(default_factory=dict, description="event -> code")
    params: list[str] | None = None
    region_id: str | None = Field(default=None, max_length=32)


SETTINGS_MODELS: dict[str, type[BaseModel]] = {
    "wecom": _WeCom, "dingtalk": _Robot, "feishu": _Robot, "email": _Email, "sms": _Sms,
    "webhook": _Strict,
}


# ---------------------------------------------------------------- channels
def mask_url(url: str | None) -> str | None:
    """The URL with credential query values replaced by ****; all of it when it cannot be
    decrypted (a lost or changed key: the admin enters it again)."""
    if not url:
        return url
    if isinstance(url, Unreadable):
        return "****"
    parts = urlsplit(url)
    query = [(k, "****" if k.lower() in _SECRET_PARAMS else v) for k, v in parse_qsl(
        parts.query, keep_blank_values=True)]
    path = parts.path
    if "/bot/v2/hook/" in path:  # Feishu puts its token in the path
        path = path.rsplit("/", 1)[0] + "/****"
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(query, safe="*"),
                       parts.fragment))


def channel_out(c: NotificationChannel) -> ChannelOut:
    return ChannelOut(id=c.id, kind=c.kind, name=c.name, url=mask_url(c.url),
                      has_secret=bool(c.secret), enabled=c.enabled, settings=c.settings or {},
                      created_at=c.created_at, updated_at=c.updated_at)


def check_channel(kind: str, url: str | None, secret: str | None,
                  settings: dict[str, Any]) -> dict[str, Any]:
    """Validate a channel's settings for its kind; returns them normalised."""
    try:
        clean = SETTINGS_MODELS[kind].model_validate(settings).model_dump(exclude_none=True)
    except ValidationError as e:
        raise BadInput(f"{kind} 渠道设置无效:{e.errors()[0]['loc']}",
                       f"Invalid settings for a {kind} channel: {e.errors()[0]['msg']}",
                       code="channel_settings_invalid",
                       details=[{"field": ".".join(map(str, x["loc"])), "message": x["msg"]}
                                for x in e.errors()]) from None
    if kind in ("wecom", "dingtalk", "feishu", "webhook") and not url:
        raise BadInput("该渠道需要填写 URL", "This channel needs a URL", code="channel_url_required")
    if url and not isinstance(url, Unreadable):  # an undecryptable URL is kept as it is
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise BadInput("URL 应以 http:// 或 https:// 开头,示例:https://oapi.dingtalk.com/"
                           "robot/send?access_token=…", "The URL must be http(s)://host/…",
                           code="channel_url_invalid")
    if kind in ("webhook", "sms") and not secret:
        raise BadInput("该渠道需要签名密钥(secret)", "This channel needs a secret to sign with",
                       code="channel_secret_required")
    return clean


def _check_key() -> None:
    """The encryption key is usable, before a URL or secret is written (503, not a 500)."""
    try:
        keyring()
    except SecretKeyError as e:
        log.error("notification channel not saved: %s", e)
        raise DomainError("服务器的加密密钥(BIHUAN_SECRET_KEY 或数据目录中的 secret.key)不可用,"
                          "无法保存渠道的 URL 和密钥", "The server's encryption key "
                          "(BIHUAN_SECRET_KEY or secret.key in the data folder) is unusable, so "
                          "channel URLs and secrets cannot be saved",
                          code="secret_key_unusable", status_code=503) from None


def list_channels(session: Session) -> list[ChannelOut]:
    return [channel_out(c) for c in repository.list_channels(session)]


def create_channel(session: Session, ctx: RequestContext, data: ChannelIn) -> ChannelOut:
    """Add a channel; the secret is stored and never shown again."""
    settings = check_channel(data.kind, data.url, data.secret, data.settings)
    if data.url or data.secret:
        _check_key()
    c = NotificationChannel(kind=data.kind, name=data.name, url=data.url, secret=data.secret,
                            enabled=data.enabled, settings=settings)
    repository.add(session, c)
    audit.record(session, ctx, "create", CHANNEL, c.id, {
        "kind": [None, c.kind], "name": [None, c.name], "url": [None, mask_url(c.url)],
        "secret": [None, "****" if c.secret else None], "enabled": [None, c.enabled],
        "settings": [None, settings]})
    return channel_out(c)


def access_channel(session: Session, channel_id: int) -> NotificationChannel:
    c = repository.get_channel(session, channel_id)
    if c is None:
        raise not_found("通知渠道", "Notification channel")
    return c


def update_channel(session: Session, ctx: RequestContext, c: NotificationChannel,
                   data: ChannelPatch) -> ChannelOut:
    """Change a channel; `secret: null` clears the secret, leaving it out keeps it."""
    fields = data.model_dump(exclude_unset=True)
    for k in ("name", "enabled", "settings"):
        if k in fields and fields[k] is None:
            fields.pop(k)
    merged = {k: fields.get(k, getattr(c, k)) for k in ("url", "secret", "settings")}
    fields["settings"] = check_channel(c.kind, merged["url"], merged["secret"],
                                       merged["settings"] or {})
    if fields.get("url") or fields.get("secret"):
        _check_key()
    changes: dict[str, Any] = {}
    for k, v in fields.items():
        old = getattr(c, k)
        if old == v:
            continue
        if k == "secret":
            changes[k] = ["****" if old else None, "****" if v else None]
        elif k == "url":
            changes[k] = [mask_url(old), mask_url(v)]
        else:
            changes[k] = [old, v]
        setattr(c, k, v)
    if changes:
        session.flush()
        audit.record(session, ctx, "update", CHANNEL, c.id, changes)
    return channel_out(c)


def delete_channel(session: Session, ctx: RequestContext, c: NotificationChannel) -> None:
    """Delete a channel; its undelivered messages go to `dead` when the relay meets them."""
    audit.record(session, ctx, "delete", CHANNEL, c.id, {"name": [c.name, None],
                                                          "kind": [c.kind, None]})
    repository.delete(session, c)


# ---------------------------------------------------------------- templates
def _template_out(event: str, locale: str, row: NotificationTemplate | None) -> TemplateOut:
    base = DEFAULTS.get(event, {}).get(locale) or default_for(event, locale)
    return TemplateOut(event=event, locale=locale, subject=row.subject if row else base.subject,
                       body=row.body if row else base.body, overridden=row is not None,
                       default_subject=base.subject, default_body=base.body,
                       updated_at=row.updated_at if row else None)


def list_templates(session: Session) -> list[TemplateOut]:
    """Every event's wording in every locale: the defaults, with admin overrides applied."""
    rows = {(t.event, t.locale): t for t in repository.list_templates(session)}
    keys = sorted({*((e, loc) for e in DEFAULTS for loc in LOCALES), *rows})
    return [_template_out(e, loc, rows.get((e, loc))) for e, loc in keys]


def put_template(session: Session, ctx: RequestContext, event: str, locale: str,
                 data: TemplateIn) -> TemplateOut:
    """Set the wording of one event in one locale ({placeholders} from the event's data)."""
    check_locale(locale)
    if len(event) > 64 or not re.match(EVENT_PATTERN, event):
        raise BadInput(f"事件名无效:{event[:64]},示例:sla.breach", f"Invalid event name "
                       f"{event[:64]!r}, e.g. sla.breach", code="event_invalid")
    row = repository.get_template(session, event, locale)
    before = [row.subject, row.body] if row else None
    if row is None:
        row = NotificationTemplate(event=event, locale=locale, subject=data.subject,
                                   body=data.body, updated_at=utcnow(),
                                   updated_by_id=ctx.actor.user_id)
        repository.add(session, row)
    elif [row.subject, row.body] != [data.subject, data.body]:
        row.subject, row.body = data.subject, data.body
        row.updated_at, row.updated_by_id = utcnow(), ctx.actor.user_id
        session.flush()
    else:
        return _template_out(event, locale, row)
    audit.record(session, ctx, "update", TEMPLATE, row.id,
                 {f"{event}/{locale}": [before, [data.subject, data.body]]})
    return _template_out(event, locale, row)


# ---------------------------------------------------------------- outbox
def _mask_recipient(value: str | None) -> str | None:
    if value and (value.isdigit() and len(value) == 11 or "-" in value):
        return mask_phone(value)
    return value


def outbox_out(row: Outbox) -> OutboxOut:
    payload = dict(row.payload or {})
    payload["mentions"] = [mask_phone(m) for m in payload.get("mentions") or []]
    return OutboxOut(id=row.id, event=row.event, channel=row.channel, target=row.target,
                     recipient=_mask_recipient(row.recipient), payload=payload,
                     dedupe_key=row.dedupe_key, status=row.status, attempts=row.attempts,
                     next_attempt_at=row.next_attempt_at, lease_until=row.lease_until,
                     last_error=row.last_error, created_at=row.created_at, sent_at=row.sent_at)


def list_outbox(session: Session, status: str | None, limit: int, offset: int
                ) -> tuple[list[OutboxOut], int]:
    rows, total = repository.list_outbox(session, status, limit, offset)
    return [outbox_out(r) for r in rows], total


def retry_outbox(session: Session, ctx: RequestContext, row_id: int) -> OutboxOut:
    """Put a dead message back in the queue, due now, with a fresh set of attempts."""
    row = repository.load(session, row_id)
    if row is None:
        raise not_found("消息", "Outbox message")
    if not repository.requeue_dead(session, row_id, utcnow()):
        raise Conflict("只有投递失败(dead)的消息可以重试",
                       "Only dead messages can be retried",
                       code="outbox_not_dead", details={"status": row.status})
    session.refresh(row)
    audit.record(session, ctx, "retry", OUTBOX, row_id, {"status": ["dead", "pending"]})
    return outbox_out(row)
