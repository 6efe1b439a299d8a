"""Test data through the real services, so every row has its audit event."""

import io
import itertools
from dataclasses import dataclass
from typing import Any

from bihuan.attachments import service as attachments
from bihuan.auth import service as auth
from bihuan.config import Settings
from bihuan.customers import service as customers
from bihuan.customers.schemas import CustomerCreate
from bihuan.db import Database, session_scope
from bihuan.devices import service as devices
from bihuan.devices.schemas import DeviceCreate
from bihuan.kit.context import SYSTEM, Actor, RequestContext
from bihuan.users.models import User
from bihuan.users.service import hash_password
from bihuan.workorders import service as orders
from bihuan.workorders.enums import State
from bihuan.workorders.models import WorkOrder
from bihuan.workorders.schemas import ConfirmationIn, TransitionIn, WorkOrderCreate, WorkOrderUpdate

from tests import media

PASSWORD = "secret-pass-1"
_HASH = hash_password(PASSWORD)  # argon2 is slow on purpose: hash once per test run
_seq = itertools.count(1)

# the moves that lead from `new` to each state
PATHS: dict[str, list[str]] = {
    State.new: [],
    State.dispatching: ["dispatch"],
    State.assigned: ["dispatch", "assign"],
    State.in_progress: ["dispatch", "assign", "start"],
    State.awaiting_confirmation: ["dispatch", "assign", "start", "resolve"],
    State.closed: ["dispatch", "assign", "start", "resolve", "close"],
    State.on_hold: ["dispatch", "assign", "start", "hold"],
    State.cancelled: ["cancel"],
}


@dataclass
class TestUser:
    id: int
    username: str
    role: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    @property
    def ctx(self) -> RequestContext:
        return RequestContext(Actor(self.id, self.username, self.role), ip="127.0.0.1")


class Factory:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db, self.settings = db, settings
        self._users: dict[str, TestUser] = {}
        self.acting: str | None = None  # the role a permission test is acting as

    def session(self):  # type: ignore[no-untyped-def]
        return session_scope(self.db)

    def user(self, role: str, name: str | None = None) -> TestUser:
        """A user of `role` with a live token; the same name gives the same user."""
        key = name or role
        if key in self._users:
            return self._users[key]
        with self.session() as s:
            u = User(username=f"{key}{next(_seq)}", display_name=key, role=role,
                     password_hash=_HASH)
            s.add(u)
            s.flush()
            token = auth.issue_token(s, self.settings, u)
            tu = TestUser(u.id, u.username, role, token)
        self._users[key] = tu
        return tu

    def customer(self, **kw: Any) -> int:
        n = next(_seq)
        data = {"code": f"C{n:05d}", "name": f"测试客户{n}", "province": "广东", "city": "深圳",
                "contacts": [{"name": "王经理", "phone": "0755-88889999"}], **kw}
        with self.session() as s:
            return customers.create_customer(s, RequestContext(SYSTEM),
                                             CustomerCreate(**data)).id

    def device(self, customer_id: int | None = None, **kw: Any) -> int:
        n = next(_seq)
        data = {"customer_id": customer_id, "brand": "华锐", "family": "HR-E",
                "model": "HR-E3200", "serial_no": f"HR-E3200-T-{n:06d}", **kw}
        with self.session() as s:
            return devices.create_device(s, RequestContext(SYSTEM), DeviceCreate(**data)).id

    def order(self, state: str = State.new, type: str = "repair",
              assignee: TestUser | None = None, **kw: Any) -> int:
        """Create an order and walk it to `state` through the real workflow."""
        admin = self.user("admin")
        if type == "repair" and "customer_id" not in kw and "device_id" not in kw:
            kw["customer_id"] = self.customer()
        data = WorkOrderCreate(type=type, title=kw.pop("title", "主轴异响"), **kw)
        with self.session() as s:
            order = orders.create_order(s, admin.ctx, self.settings, data)
            oid = order.id
        if PATHS[state]:
            assignee = assignee or self.user("engineer")
            for action in PATHS[state]:
                self.act(oid, action, assignee=assignee)
        return oid

    def act(self, order_id: int, action: str, *, assignee: TestUser | None = None,
            actor: TestUser | None = None, **payload: Any) -> None:
        """Apply one action as a plausible actor, preparing what its guards need."""
        admin = self.user("admin")
        # create the users first: a nested write session would wait on the outer one (SQLite)
        supervisor, engineer = self.user("supervisor"), self.user("engineer")
        with self.session() as s:
            order = orders.access_order(s, admin.ctx, order_id)
            if action == "assign":
                payload.setdefault("assignee_id", (assignee or engineer).id)
            if action in ("hold", "cancel", "reopen", "decline"):
                payload.setdefault("reason", "测试原因")
            if action == "resolve" and not order.photo_refs:
                order = orders.update_order(s, admin.ctx, order, WorkOrderUpdate(
                    repair_note="更换主轴轴承,试机正常", photo_refs=["t/photo1.jpg"]))
            if action == "close":
                kind = "qa" if order.type == "production_exception" else "customer"
                orders.add_confirmation(s, supervisor.ctx, order,
                                        ConfirmationIn(kind=kind, signed_by="王经理"))
            who = actor or (engineer if action in (
                "accept", "start", "resolve") and assignee is None else admin)
            if assignee is not None and action in ("accept", "start", "resolve"):
                who = assignee
            orders.transition(s, who.ctx, self.settings, order,
                              TransitionIn(action=action, **payload))

    def tracking_code(self, order_id: int) -> str:
        with self.session() as s:
            code = s.get(WorkOrder, order_id).tracking_code
        assert code
        return code  # type: ignore[no-any-return]

    def photo(self, order_id: int, data: bytes | None = None) -> int:
        """A staff repair photo on the order (stored, recorded, counted as evidence)."""
        admin = self.user("admin")
        with self.session() as s:
            order = orders.access_order(s, admin.ctx, order_id)
            att = attachments.add_upload(s, admin.ctx, self.settings.data_dir, order_id,
                                         io.BytesIO(data or media.png()), "p.png", "staff")
            orders.add_photo_ref(s, admin.ctx, order, f"attachment:{att.id}")
            return att.id
