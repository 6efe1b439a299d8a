"""Device use cases; every write is audited."""

import secrets
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from bihuan.audit import service as audit
from bihuan.customers import service as customers
from bihuan.devices import repository
from bihuan.devices.models import Device, FaultPreset
from bihuan.devices.schemas import DeviceCreate, DeviceOut, DeviceUpdate
from bihuan.errors import BadInput, Conflict, not_found
from bihuan.kit.clock import utcnow
from bihuan.kit.context import RequestContext

ENTITY = "device"


def _plain(v: Any) -> Any:
    return v.isoformat() if isinstance(v, date) else v


def new_qr_token() -> str:
    """128 random bits, URL-safe: unguessable, and says nothing about the device."""
    return secrets.token_urlsafe(16)


def to_out(device: Device) -> DeviceOut:
    today = utcnow().date()
    under = device.warranty_until is not None and device.warranty_until >= today
    return DeviceOut.model_validate({**{c: getattr(device, c) for c in DeviceOut.model_fields
                                        if c != "under_warranty"}, "under_warranty": under})


def get_device(session: Session, device_id: int) -> Device | None:
    return repository.get(session, device_id)


def access_device(session: Session, device_id: int) -> Device:
    device = repository.get(session, device_id)
    if device is None:
        raise not_found("设备", "Device")
    return device


def list_devices(session: Session, **filters: Any) -> tuple[list[Device], int]:
    return repository.search(session, **filters)


def _check(session: Session, customer_id: int | None, tag_id: str | None,
           exclude_id: int | None) -> None:
    if customer_id is not None and customers.get_customer(session, customer_id) is None:
        raise BadInput(f"客户 {customer_id} 不存在", f"Customer {customer_id} does not exist",
                       code="customer_not_found")
    if tag_id and repository.taken(session, "tag_id", tag_id, exclude_id):
        raise Conflict(f"标签 {tag_id} 已绑定其他设备", f"Tag {tag_id} is bound to another device",
                       code="tag_taken")


def create_device(session: Session, ctx: RequestContext, data: DeviceCreate) -> Device:
    """Register a device; it gets a fresh QR token."""
    if repository.taken(session, "serial_no", data.serial_no):
        raise Conflict(f"序列号 {data.serial_no} 已存在", f"Serial {data.serial_no} already exists",
                       code="serial_taken")
    _check(session, data.customer_id, data.tag_id, None)
    device = Device(**data.model_dump(), qr_token=new_qr_token())
    repository.add(session, device)
    changes = {k: [None, _plain(v)] for k, v in data.model_dump().items() if v is not None}
    audit.record(session, ctx, "create", ENTITY, device.id, changes)
    return device


def update_device(session: Session, ctx: RequestContext, device: Device,
                  data: DeviceUpdate) -> Device:
    """Change device fields; audited with before/after values."""
    fields = data.model_dump(exclude_unset=True)
    changes = {k: [_plain(getattr(device, k)), _plain(v)] for k, v in fields.items()
               if getattr(device, k) != v}
    if not changes:
        return device
    _check(session, fields.get("customer_id"), fields.get("tag_id"), device.id)
    for k in changes:
        setattr(device, k, fields[k])
    session.flush()
    audit.record(session, ctx, "update", ENTITY, device.id, changes)
    return device


def count_for_customer(session: Session, customer_id: int) -> int:
    return repository.count_for_customer(session, customer_id)


def delete_device(session: Session, ctx: RequestContext, device: Device, in_use: bool) -> None:
    """Delete a device no order refers to (409 otherwise)."""
    if in_use:
        raise Conflict("该设备已有工单,不能删除", "This device has work orders and cannot be "
                       "deleted", code="device_in_use")
    snapshot = {"serial_no": [device.serial_no, None], "model": [device.model, None]}
    did = device.id
    repository.delete(session, device)
    audit.record(session, ctx, "delete", ENTITY, did, snapshot)


def fault_presets(session: Session, device: Device) -> list[FaultPreset]:
    """Fault types to offer for this device (model, else family, else generic)."""
    return repository.fault_presets(session, device.family, device.model)


def by_qr_token(session: Session, token: str) -> Device | None:
    return repository.by_qr_token(session, token)


def by_ids(session: Session, ids: list[int]) -> list[Device]:
    return repository.by_ids(session, ids)


def fault_labels(session: Session, rows: list[dict[str, Any]]) -> None:
    """Set `fault_label` on order rows (with fault_type, device_family, device_model) from
    the most specific preset: the model's, the family's, else the generic one."""
    codes = {r["fault_type"] for r in rows if r.get("fault_type")}
    by_code: dict[str, list[Any]] = {}
    for p in (repository.presets_with_codes(session, codes) if codes else []):
        by_code.setdefault(p.code, []).append(p)
    for r in rows:
        code = r.get("fault_type")
        match = by_code.get(code, ()) if code else ()
        best = (next((p for p in match if p.model and p.model == r.get("device_model")), None)
                or next((p for p in match if p.model is None and p.family
                         and p.family == r.get("device_family")), None)
                or next((p for p in match if p.family is None and p.model is None), None))
        r["fault_label"] = ({"zh-CN": best.label_zh, "en": best.label_en} if best else
                            {"zh-CN": code, "en": code} if code else None)
