"""Notification routes: the bell and preferences for everyone; channels, templates and the
outbox for admins. Thin: the services do the work."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from bihuan.deps import SessionDep, require
from bihuan.kit.pagination import Page, PageParams, page_params
from bihuan.kit.schemas import error_responses
from bihuan.kit.validators import DbId
from bihuan.notifications import admin, service
from bihuan.notifications.enums import OutboxStatus
from bihuan.notifications.schemas import (
    ChannelIn,
    ChannelOut,
    ChannelPatch,
    NotificationOut,
    NotificationPage,
    OutboxOut,
    PreferencesIn,
    PreferencesOut,
    ReadAllOut,
    TemplateIn,
    TemplateOut,
)
from bihuan.users.roles import STAFF, Role

router = APIRouter(tags=["notifications"])
Anyone = require(*STAFF)
Admin = require(Role.admin)


# ---------------------------------------------------------------- the bell
@router.get("/notifications", response_model=NotificationPage,
            responses=error_responses(401, 403))
async def list_notifications(
    session: SessionDep, ctx: Anyone, page: Annotated[PageParams, Depends(page_params)],
    unread_only: bool = False,
) -> NotificationPage:
    """Your notifications, newest first, with the unread count for the bell."""
    rows, total, unread = service.my_notifications(session, ctx, unread_only, page.limit,
                                                   page.offset)
    return NotificationPage(items=[NotificationOut.model_validate(n) for n in rows],
                            total=total, limit=page.limit, offset=page.offset, unread=unread)


@router.post("/notifications/read-all", response_model=ReadAllOut,
             responses=error_responses(401, 403))
async def read_all_notifications(session: SessionDep, ctx: Anyone) -> ReadAllOut:
    """Mark all your notifications read."""
    return ReadAllOut(updated=service.mark_all_read(session, ctx))


@router.post("/notifications/{notification_id}/read", response_model=NotificationOut,
             responses=error_responses(401, 403, 404))
async def read_notification(session: SessionDep, ctx: Anyone,
                            notification_id: DbId) -> NotificationOut:
    """Mark one of your notifications read (someone else's answers 404)."""
    return NotificationOut.model_validate(service.mark_read(session, ctx, notification_id))


@router.get("/notification-preferences", response_model=PreferencesOut,
            responses=error_responses(401, 403))
async def get_preferences(session: SessionDep, ctx: Anyone) -> PreferencesOut:
    """Your muted channels per event, quiet hours and language."""
    return service.get_preferences(session, ctx)


@router.put("/notification-preferences", response_model=PreferencesOut,
            responses=error_responses(401, 403))
async def put_preferences(session: SessionDep, ctx: Anyone,
                          body: PreferencesIn) -> PreferencesOut:
    """Replace your preferences; in quiet hours non-urgent messages wait until they end."""
    return service.put_preferences(session, ctx, body)


# ---------------------------------------------------------------- outbox (admin)
@router.get("/outbox", response_model=Page[OutboxOut], responses=error_responses(401, 403))
async def list_outbox(
    session: SessionDep, _: Admin, page: Annotated[PageParams, Depends(page_params)],
    status: Annotated[OutboxStatus | None, Query(description="dead = gave up")] = None,
) -> Page[OutboxOut]:
    """Outgoing messages, newest first; `status=dead` lists those that need a look."""
    items, total = admin.list_outbox(session, status, page.limit, page.offset)
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post("/outbox/{outbox_id}/retry", response_model=OutboxOut,
             responses=error_responses(401, 403, 404, 409))
async def retry_outbox(session: SessionDep, ctx: Admin, outbox_id: DbId) -> OutboxOut:
    """Send a dead message again (due now, with a fresh set of attempts); 409 if not dead."""
    return admin.retry_outbox(session, ctx, outbox_id)


# ---------------------------------------------------------------- channels (admin)
@router.get("/notification-channels", response_model=list[ChannelOut],
            responses=error_responses(401, 403))
async def list_channels(session: SessionDep, _: Admin) -> list[ChannelOut]:
    """Configured channels; secrets are never shown (`has_secret`), URL keys are masked."""
    return admin.list_channels(session)


@router.post("/notification-channels", status_code=201, response_model=ChannelOut,
             responses=error_responses(400, 401, 403, 503))
async def create_channel(session: SessionDep, ctx: Admin, body: ChannelIn) -> ChannelOut:
    """Add a WeCom/DingTalk/Feishu robot, an SMTP server, an SMS account or a webhook. 503
    `secret_key_unusable`: the server's encryption key (BIHUAN_SECRET_KEY) is malformed."""
    return admin.create_channel(session, ctx, body)


@router.patch("/notification-channels/{channel_id}", response_model=ChannelOut,
              responses=error_responses(400, 401, 403, 404, 503))
async def update_channel(session: SessionDep, ctx: Admin, channel_id: DbId,
                         body: ChannelPatch) -> ChannelOut:
    """Change a channel; leave `secret` out to keep it, send null to clear it."""
    return admin.update_channel(session, ctx, admin.access_channel(session, channel_id), body)


@router.delete("/notification-channels/{channel_id}", status_code=204,
               responses=error_responses(401, 403, 404))
async def delete_channel(session: SessionDep, ctx: Admin, channel_id: DbId) -> None:
    """Delete a channel; its undelivered messages end up dead (visible in the outbox)."""
    admin.delete_channel(session, ctx, admin.access_channel(session, channel_id))


# ---------------------------------------------------------------- templates (admin)
@router.get("/notification-templates", response_model=list[TemplateOut],
            responses=error_responses(401, 403))
async def list_templates(session: SessionDep, _: Admin) -> list[TemplateOut]:
    """Every event's wording in zh-CN and en: defaults, and admin overrides where set."""
    return admin.list_templates(session)


@router.put("/notification-templates/{event}/{locale}", response_model=TemplateOut,
            responses=error_responses(400, 401, 403))
async def put_template(
    session: SessionDep, ctx: Admin, body: TemplateIn,
    event: Annotated[str, Path(max_length=64, description="e.g. sla.breach")],
    locale: Annotated[str, Path(max_length=8, description="zh-CN or en")],
) -> TemplateOut:
    """Set one event's wording in one locale; {placeholders} come from the event's data."""
    return admin.put_template(session, ctx, event, locale, body)
