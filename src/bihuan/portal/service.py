"""The customer's side of the loop: report from the device QR, follow, confirm or reject.

Everything here is reached without a login, so each function returns only what the holder
of the device token or tracking code may see: no other device, no other customer, no staff
names beyond "王工"."""

import base64
import binascii
from datetime import timedelta
from typing import Any, BinaryIO

from sqlalchemy.orm import Session

from bihuan.attachments import service as attachments
from bihuan.attachments.models import Attachment
from bihuan.audit import service as audit
from bihuan.config import Settings
from bihuan.devices import service as devices
from bihuan.devices.models import Device
from bihuan.errors import BadInput, Conflict, NotFound
from bihuan.kit.clock import utcnow
from bihuan.kit.context import Actor, RequestContext
from bihuan.kit.validators import mask_phone
from bihuan.portal import ratelimit, texts
from bihuan.portal.schemas import (
    PortalConfirmation,
    PortalConfirmIn,
    PortalDevice,
    PortalEngineer,
    PortalOpenOrder,
    PortalPreset,
    PortalRejectIn,
    PortalReport,
    PortalStep,
    PortalTrack,
    PortalWorkDone,
)
from bihuan.users import service as users
from bihuan.users.roles import CUSTOMER
from bihuan.workorders import service as orders
from bihuan.workorders.enums import LABELS, OrderType, State
from bihuan.workorders.models import WorkOrder
from bihuan.workorders.schemas import TransitionIn, WorkOrderCreate
from bihuan.workorders.workflow import WORKFLOWS

HOUR = timedelta(hours=1)
MAX_FILES = 6
MAX_SIGNATURE_POINTS = 20_000


def _label(table: str, value: str) -> dict[str, str]:
    zh, en, _ = LABELS[table][value]
    return {"zh-CN": zh, "en": en}


def as_customer(ctx: RequestContext, phone: str | None = None) -> RequestContext:
    """The request, acted by "the customer" (masked phone when known) for workflow and audit."""
    name = f"customer:{mask_phone(phone)}" if phone else "customer"
    return RequestContext(Actor(None, name, CUSTOMER), ctx.ip, ctx.user_agent, ctx.gps)


# ---------------------------------------------------------------- device page and report
def _device(session: Session, token: str) -> Device:
    device = devices.by_qr_token(session, token)
    if device is None:
        raise NotFound("二维码无效或设备已停用,请联系服务热线",
                       "This QR code is not valid (or the device is retired); call the hotline",
                       code="device_not_found")
    return device


def device_page(session: Session, token: str) -> PortalDevice:
    """What the QR code shows: the device, its fault presets and any open report."""
    d = _device(session, token)
    open_orders = orders.open_for_device(session, d.id)
    return PortalDevice(
        brand=d.brand, model=d.model, family=d.family, serial=d.serial_no,
        warranty_until=d.warranty_until,
        in_warranty=d.warranty_until is not None and d.warranty_until >= utcnow().date(),
        fault_presets=[PortalPreset(code=p.code, label={"zh-CN": p.label_zh, "en": p.label_en})
                       for p in devices.fault_presets(session, d)],
        open_orders=[PortalOpenOrder(number=o.number, state=o.state,
                                  state_label=_label("state", o.state), created_at=o.created_at)
                     for o in open_orders])


def report(session: Session, ctx: RequestContext, settings: Settings, token: str, *,
           fault_type: str, phone: str, name: str | None, description: str | None,
           files: list[tuple[BinaryIO, str | None]]) -> PortalReport:
    """Create a repair order from a QR scan; photos/videos are checked before anything is
    written, and a failure anywhere leaves nothing behind."""
    d = _device(session, token)
    ratelimit.hit(session, f"report:ip:{ctx.ip}", settings.portal_reports_per_ip_hour, HOUR)
    ratelimit.hit(session, f"report:device:{d.id}", settings.portal_reports_per_device_hour,
                  HOUR)
    presets = {p.code: p for p in devices.fault_presets(session, d)}
    preset = presets.get(fault_type)
    if preset is None:
        raise BadInput("请选择故障类型", "Choose a fault type", code="fault_type_invalid",
                       details={"allowed": sorted(presets)})
    if len(files) > MAX_FILES:
        raise BadInput(f"最多上传 {MAX_FILES} 个文件", f"At most {MAX_FILES} files",
                       code="too_many_files")
    stored = [(attachments.store(settings.data_dir, f), fname) for f, fname in files]
    cctx = as_customer(ctx, phone)
    order = orders.create_order(session, cctx, settings, WorkOrderCreate(
        type=OrderType.repair if d.customer_id else OrderType.maintenance,
        title=f"{preset.label_zh}({d.model} {d.serial_no})",
        description=description, fault_type=preset.code, customer_id=d.customer_id,
        device_id=d.id, reporter_name=name, reporter_phone=phone))
    for s, fname in stored:
        attachments.add_stored(session, cctx, order.id, s, fname, source="customer")
    assert order.tracking_code is not None
    return PortalReport(tracking_code=order.tracking_code, number=order.number,
                     progress_url=f"/t/{order.tracking_code}")


# ---------------------------------------------------------------- progress page
def _order(session: Session, code: str) -> WorkOrder:
    order = orders.by_tracking_code(session, code.strip().upper())
    if order is None:
        raise NotFound("查询码不存在,请核对后重试", "No report has this tracking code; check it",
                       code="tracking_code_not_found")
    return order


def _engineer(session: Session, order: WorkOrder) -> PortalEngineer | None:
    if order.assignee_id is None:
        return None
    user = users.get_user(session, order.assignee_id)
    return PortalEngineer(display=texts.engineer_display(user.display_name if user else ""),
                       title={"zh-CN": "工程师", "en": "Engineer"})


def _customer_may_close(order: WorkOrder) -> bool:
    t = WORKFLOWS[order.type].find("close", State.awaiting_confirmation)
    return t is not None and CUSTOMER in t.roles


def _photos(session: Session, order: WorkOrder, code: str) -> list[str]:
    return [f"/api/v1/portal/track/{code}/files/{a.id}"
            for a in attachments.for_order(session, order.id)
            if a.source == "staff" and a.kind == "photo"]


def track(session: Session, code: str) -> PortalTrack:
    """The progress page: plain-words state, the steps so far, the work done."""
    order = _order(session, code)
    code = order.tracking_code or code
    engineer = _engineer(session, order)
    events, _ = audit.events_for(session, orders.ENTITY, order.id, 500, 0)
    steps = [PortalStep(at=e.occurred_at, label=label)
             for e in events if (label := texts.step_label(e.action, engineer)) is not None]
    device = devices.get_device(session, order.device_id) if order.device_id else None
    done = order.state in (State.awaiting_confirmation, State.closed)
    conf = orders.latest_customer_confirmation(session, order.id)
    presets = {p.code: p for p in devices.fault_presets(session, device)} if device else {}
    preset = presets.get(order.fault_type or "")
    fault = ({"zh-CN": preset.label_zh, "en": preset.label_en} if preset else
             {"zh-CN": order.fault_type, "en": order.fault_type} if order.fault_type else None)
    return PortalTrack(
        number=order.number, state=order.state, state_label=_label("state", order.state),
        status_text=texts.status_text(order.state, engineer),
        device={"brand": device.brand, "model": device.model, "serial": device.serial_no}
        if device else None,
        fault_label=fault,
        created_at=order.created_at, engineer=engineer, expected_by=None, timeline=steps,
        work_done=PortalWorkDone(repair_note=order.repair_note,
                              photos=_photos(session, order, code)) if done else None,
        can_confirm=order.state == State.awaiting_confirmation and _customer_may_close(order),
        confirmation=PortalConfirmation(signed_by=conf.signed_by, at=conf.created_at)
        if conf and order.state == State.closed else None)


def file_for(session: Session, code: str, attachment_id: int) -> Attachment:
    """A repair photo of this order; anything else is "not found"."""
    order = _order(session, code)
    att = next((a for a in attachments.for_order(session, order.id)
                if a.id == attachment_id and a.source == "staff" and a.kind == "photo"), None)
    if att is None:
        raise NotFound("文件不存在", "File not found")
    return att


# ---------------------------------------------------------------- sign-off
def _signature_png(data_url: str) -> bytes:
    prefix = "data:image/png;base64,"
    try:
        if not data_url.startswith(prefix):
            raise ValueError
        png = base64.b64decode(data_url[len(prefix):], validate=True)
    except (ValueError, binascii.Error):
        raise BadInput("签名图片格式不对,请重新签字", "The signature image is not a PNG; sign again",
                       code="signature_invalid") from None
    if not png.startswith(b"\x89PNG\r\n\x1a\n"):
        raise BadInput("签名图片格式不对,请重新签字", "The signature image is not a PNG; sign again",
                       code="signature_invalid")
    return png


def _check_strokes(strokes: list[Any]) -> None:
    points = 0
    for s in strokes:
        pts = s.get("points") if isinstance(s, dict) else None
        if not isinstance(pts, list):
            raise BadInput("签名笔迹数据不完整,请重新签字", "The signature strokes are incomplete; "
                           "sign again", code="signature_invalid")
        points += len(pts)
    if points < 2:
        raise BadInput("请先签字", "Please sign first", code="signature_empty")
    if points > MAX_SIGNATURE_POINTS:
        raise BadInput("签名笔迹过长,请清除后重签", "The signature is too long; clear it and sign "
                       "again", code="signature_too_long")


def _signoff_order(session: Session, settings: Settings, code: str) -> WorkOrder:
    order = _order(session, code)
    ratelimit.hit(session, f"signoff:{order.id}", settings.portal_signoffs_per_order_hour, HOUR)
    if order.state != State.awaiting_confirmation or not _customer_may_close(order):
        raise Conflict("此工单当前不需要您确认", "This order is not waiting for your confirmation",
                       code="not_awaiting_confirmation", details={"state": order.state})
    return order


def confirm(session: Session, ctx: RequestContext, settings: Settings, code: str,
            data: PortalConfirmIn) -> PortalTrack:
    """The customer signs: the signature (PNG + strokes) is recorded and the order closes."""
    order = _signoff_order(session, settings, code)
    png = _signature_png(data.png)
    _check_strokes(data.strokes)
    cctx = as_customer(ctx, order.reporter_phone)
    sig = attachments.add_signature(session, cctx, settings.data_dir, order.id, png)
    orders.add_customer_signature(session, cctx, order, data.signed_by, sig, data.strokes)
    orders.transition(session, cctx, settings, order, TransitionIn(action="close"))
    return track(session, code)


def reject(session: Session, ctx: RequestContext, settings: Settings, code: str,
           data: PortalRejectIn) -> PortalTrack:
    """The customer is not satisfied: the order goes back to the engineer with the reason."""
    order = _signoff_order(session, settings, code)
    cctx = as_customer(ctx, order.reporter_phone)
    orders.transition(session, cctx, settings, order,
                      TransitionIn(action="reopen", reason=f"客户退回:{data.reason}"))
    return track(session, code)
