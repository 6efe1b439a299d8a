"""Shared steps for the portal tests: QR tokens, fault reports, walking an order."""

import base64
import hashlib
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select

from bihuan.attachments.models import Attachment
from bihuan.audit.models import AuditEvent
from bihuan.auth import service as auth
from bihuan.devices.models import Device
from bihuan.users.models import User
from bihuan.workorders import service as orders
from bihuan.workorders.models import Confirmation, WorkOrder
from bihuan.workorders.schemas import WorkOrderUpdate
from tests import media
from tests.factories import _HASH, Factory, TestUser

P = "/api/v1/portal"
PHONE = "13812345678"


def qr_token(f: Factory, device_id: int) -> str:
    with f.session() as s:
        return str(s.get(Device, device_id).qr_token)


def scanned_device(f: Factory, **kw: Any) -> tuple[int, str]:
    """A customer's device and the token its QR label carries."""
    device = f.device(f.customer(), **kw)
    return device, qr_token(f, device)


def report(client: TestClient, token: str, *, fault_type: str = "noise", phone: str = PHONE,
           files: list[tuple[str, bytes, str]] | None = None, headers: dict[str, str] | None
           = None, **form: str) -> Response:
    data = {"fault_type": fault_type, "phone": phone, **form}
    return client.post(f"{P}/devices/{token}/reports", data=data, headers=headers or {},
                       files=[("files", f) for f in files or []] or None)


def wang(f: Factory, display_name: str = "王伟", phone: str = "13900001111") -> TestUser:
    """An engineer with a real Chinese name, a username and a phone the customer must not see."""
    with f.session() as s:
        u = User(username=f"wangwei{len(f._users)}", display_name=display_name,
                 role="engineer", password_hash=_HASH, phone=phone)
        s.add(u)
        s.flush()
        tu = TestUser(u.id, u.username, "engineer", auth.issue_token(s, f.settings, u))
    f._users[tu.username] = tu
    return tu


def resolve_with_photo(f: Factory, order_id: int, engineer: TestUser) -> int:
    """From in_progress: a staff photo, a repair note, then resolve. Returns the photo's id."""
    photo = f.photo(order_id)
    admin = f.user("admin")
    with f.session() as s:
        o = orders.access_order(s, admin.ctx, order_id)
        orders.update_order(s, admin.ctx, o, WorkOrderUpdate(repair_note="更换主轴轴承,试机正常"))
    f.act(order_id, "resolve", assignee=engineer)
    return photo


def awaiting(f: Factory, **kw: Any) -> tuple[int, str]:
    """A repair order awaiting the customer's confirmation, with a staff photo."""
    eng = f.user("engineer")
    oid = f.order("in_progress", assignee=eng, **kw)
    resolve_with_photo(f, oid, eng)
    return oid, f.tracking_code(oid)


def order_row(f: Factory, order_id: int) -> WorkOrder:
    with f.session() as s:
        o = s.get(WorkOrder, order_id)
        s.expunge(o)
        return o


def counts(f: Factory) -> dict[str, int]:
    with f.session() as s:
        return {m.__name__: s.scalar(select(func.count()).select_from(m)) or 0
                for m in (WorkOrder, Attachment, Confirmation, AuditEvent)}


def events(f: Factory, order_id: int, action: str | None = None) -> list[AuditEvent]:
    with f.session() as s:
        stmt = select(AuditEvent).where(AuditEvent.entity_type == "work_order",
                                        AuditEvent.entity_id == order_id)
        if action:
            stmt = stmt.where(AuditEvent.action == action)
        rows = list(s.scalars(stmt.order_by(AuditEvent.seq)))
        s.expunge_all()
        return rows


def signature() -> tuple[dict[str, Any], str]:
    """A valid confirm body and the SHA-256 of its PNG."""
    url = media.signature_png_data_url()
    png = base64.b64decode(url.split(",", 1)[1])
    return ({"signed_by": "李经理", "strokes": media.STROKES, "png": url},
            hashlib.sha256(png).hexdigest())
