"""The demo database: big enough, realistic, every state present, and a verifiable audit trail.

Built once per module (it takes a while); every test reads the same database.
"""

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bihuan.audit.models import AuditEvent
from bihuan.audit.service import verify
from bihuan.config import Settings
from bihuan.customers.models import Contact, Customer
from bihuan.db import Database
from bihuan.demo.data import CITIES
from bihuan.demo.plan import Cust, Dev, Eng, Planner, Step, World
from bihuan.demo.seed import DemoSummary, build_demo
from bihuan.devices.models import Device
from bihuan.engineers.models import Engineer
from bihuan.kit import rowjson
from bihuan.kit.context import Actor, RequestContext
from bihuan.kit.validators import normalize_phone
from bihuan.users.models import User
from bihuan.users.service import verify_password
from bihuan.workorders import service as orders
from bihuan.workorders.endpoints import ListPage
from bihuan.workorders.enums import OPEN_STATES, State
from bihuan.workorders.models import (
    Confirmation,
    ExternalRef,
    SuspectedFakeCompletion,
    WorkOrder,
)
from bihuan.workorders.repository import OrderFilter

pytestmark = pytest.mark.slow


@dataclass
class Demo:
    summary: DemoSummary
    session: Session
    settings: Settings


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("demo"), database_url=None)
    summary = build_demo(settings, seed=2601)
    db = Database(settings.effective_database_url)
    session = db.session(write=False)
    yield Demo(summary, session, settings)
    session.close()
    db.dispose()


def _count(s: Session, *where: object, model: object = WorkOrder) -> int:
    return s.scalar(select(func.count()).select_from(model).where(*where)) or 0  # type: ignore


def test_sizes_match_the_issue(demo: Demo) -> None:
    s, summary = demo.session, demo.summary
    assert summary.customers >= 30
    assert summary.devices >= 200
    assert summary.engineers >= 12
    assert summary.orders >= 1000
    assert summary.orders == _count(s)
    assert summary.audit_events == _count(s, model=AuditEvent)
    assert summary.database_url.startswith("sqlite")


def test_every_state_and_type_is_present(demo: Demo) -> None:
    by_state = demo.summary.orders_by_state
    assert set(by_state) == {st.value for st in State}
    assert all(n > 0 for n in by_state.values()), by_state
    assert by_state["closed"] > sum(by_state.values()) / 2  # most history is closed
    by_type = demo.summary.orders_by_type
    total = sum(by_type.values())
    assert 0.55 < by_type["repair"] / total < 0.75
    assert 0.12 < by_type["maintenance"] / total < 0.28
    assert 0.08 < by_type["production_exception"] / total < 0.22


def test_history_spans_half_a_year_and_open_orders_are_recent(demo: Demo) -> None:
    s = demo.session
    now = datetime.now(UTC)
    oldest = s.scalar(select(func.min(WorkOrder.created_at)))
    assert oldest is not None and now - oldest > timedelta(days=150)
    assert s.scalar(select(func.max(WorkOrder.created_at))) <= now
    open_oldest = s.scalar(select(func.min(WorkOrder.created_at)).where(
        WorkOrder.state.in_(list(OPEN_STATES))))
    assert open_oldest is not None and now - open_oldest < timedelta(days=61)
    new_oldest = s.scalar(select(func.min(WorkOrder.created_at)).where(
        WorkOrder.state == State.new))
    assert new_oldest is not None and now - new_oldest < timedelta(days=3)


def test_customers_are_spread_and_reachable(demo: Demo) -> None:
    s = demo.session
    provinces = set(s.scalars(select(Customer.province)))
    assert {"广东", "江苏", "浙江", "上海", "山东", "福建", "湖北", "四川", "天津"} <= provinces
    assert set(s.scalars(select(Customer.tier))) == {"strategic", "key", "standard", "basic"}
    today = datetime.now(UTC).date()
    expiries = [d for d in s.scalars(select(Customer.contract_expires_on)) if d is not None]
    assert any(d < today for d in expiries)
    assert any(today <= d <= today + timedelta(days=30) for d in expiries)
    per_customer = dict(s.execute(select(Contact.customer_id, func.count()).group_by(
        Contact.customer_id)).all())
    assert len(per_customer) == demo.summary.customers
    assert all(1 <= n <= 3 for n in per_customer.values())
    phones = list(s.scalars(select(Contact.phone)))
    assert all(normalize_phone(p) == p for p in phones)
    assert any("-" in p for p in phones) and any("-" not in p for p in phones)


def test_devices(demo: Demo) -> None:
    s = demo.session
    devices = list(s.scalars(select(Device)))
    assert {d.family for d in devices} >= {"HR-E", "HR-M", "HR-G", "HR-L"}
    assert all(re.fullmatch(r"HR-[EMGL]\d{3,4}-\d{4}-\d{5}", d.serial_no) for d in devices)
    assert all(d.brand == "华锐 Huarui" for d in devices)
    own = [d for d in devices if d.customer_id is None]
    assert len(own) >= 5
    assert sum(d.tag_id is not None for d in devices) >= 50
    today = datetime.now(UTC).date()
    assert any(d.warranty_until and d.warranty_until >= today for d in devices)
    assert any(d.warranty_until and d.warranty_until < today for d in devices)
    customers = {c.id: c for c in s.scalars(select(Customer))}
    for d in devices:  # every device is close to its customer's site
        assert d.lat is not None and d.lng is not None
        if d.customer_id is not None:
            city = CITIES[customers[d.customer_id].city]
            assert abs(d.lat - city.lat) < 0.1 and abs(d.lng - city.lng) < 0.1
    pe_devices = set(s.scalars(select(WorkOrder.device_id).where(
        WorkOrder.type == "production_exception")))
    assert pe_devices and pe_devices <= {d.id for d in own}


def test_demo_users_log_in_and_engineers_report_to_the_supervisor(demo: Demo) -> None:
    s = demo.session
    users = {u.username: u for u in s.scalars(select(User))}
    for name in ("admin", "agent", "dispatcher", "engineer", "supervisor", "director"):
        assert users[name].role == name
    assert verify_password(users["engineer"].password_hash, "demo1234")
    assert verify_password(users["eng02"].password_hash, "demo1234")
    engineers = list(s.scalars(select(Engineer)))
    assert users["engineer"].id in {e.user_id for e in engineers}
    assert {u.supervisor_id for u in users.values() if u.role == "engineer"} == {
        users["supervisor"].id}
    assert len({e.region for e in engineers}) >= 5
    assert len({e.home_base for e in engineers}) >= 10
    assert {e.cert_level for e in engineers} >= {1, 2, 3, 4, 5}
    # every engineer is in the service team of their home base's region
    assert {(e.region, e.team) for e in engineers} == {
        (r, f"{r}服务组") for r in ("华南", "华东", "华北", "华中", "西南")}


def test_the_engineer_login_has_work_in_every_working_state(demo: Demo) -> None:
    s = demo.session
    me = s.scalar(select(User.id).where(User.username == "engineer"))
    mine = list(s.scalars(select(WorkOrder).where(WorkOrder.assignee_id == me)))

    def n(state: str, accepted: bool | None = None) -> int:
        return sum(o.state == state and (accepted is None or (o.accepted_at is not None)
                                         == accepted) for o in mine)

    assert n("assigned", accepted=True) >= 2
    assert n("assigned", accepted=False) >= 2
    for state in ("in_progress", "on_hold", "awaiting_confirmation"):
        assert n(state) >= 2, state
    assert n("closed") >= 10


def test_audit_chain_verifies_and_times_never_go_back(demo: Demo) -> None:
    s = demo.session
    result = verify(s)
    assert result.ok, result
    assert result.checked == demo.summary.audit_events
    times = list(s.scalars(select(AuditEvent.occurred_at).order_by(AuditEvent.seq)))
    assert all(a <= b for a, b in itertools.pairwise(times))
    # the actions came from the people, not from a seeding script
    actors = set(s.scalars(select(AuditEvent.actor_role).where(
        AuditEvent.entity_type == "work_order")))
    assert {"agent", "dispatcher", "engineer", "supervisor"} <= actors


def test_closed_orders_passed_their_guards(demo: Demo) -> None:
    s = demo.session
    roles = dict(s.execute(select(User.id, User.role)).all())
    closed = list(s.scalars(select(WorkOrder).where(WorkOrder.state == State.closed)))
    kinds: dict[int, set[str]] = {}
    for c in s.scalars(select(Confirmation)):
        kinds.setdefault(c.work_order_id, set()).add(c.kind)
    for o in closed:
        assert roles[o.closed_by_id] != "engineer"
        assert o.repair_note and o.photo_refs and o.photo_refs[0].startswith("demo/photos/WO-")
        assert o.created_at <= o.started_at <= o.resolved_at <= o.closed_at  # type: ignore
        if o.type == "repair":
            assert "customer" in kinds[o.id]
        elif o.type == "production_exception":
            assert "qa" in kinds[o.id]


def test_some_closes_are_flagged_as_suspected_fake(demo: Demo) -> None:
    s = demo.session
    flags = list(s.scalars(select(SuspectedFakeCompletion)))
    assert demo.summary.suspected_fake_completions == len(flags)
    assert 5 <= len(flags) <= 20
    assert all(f.reason == "fast_close" and f.seconds_after_resolve < 15 for f in flags)
    normal = s.scalar(select(func.count()).select_from(WorkOrder).where(
        WorkOrder.state == State.closed,
        func.julianday(WorkOrder.closed_at) - func.julianday(WorkOrder.resolved_at) < 15 / 86400))
    assert normal == len(flags)


def test_detours_and_external_refs(demo: Demo) -> None:
    s = demo.session
    actions = set(s.scalars(select(AuditEvent.action).distinct()))
    for a in ("hold", "resume", "decline", "reopen", "cancel", "dispatch", "accept"):
        assert f"transition:{a}" in actions
    assert set(s.scalars(select(ExternalRef.system).distinct())) == {"zendesk", "jira", "erp"}
    reassigned = s.scalar(select(func.count(func.distinct(AuditEvent.entity_id))).where(
        AuditEvent.action == "transition:decline"))
    assert reassigned and reassigned >= 10


def _tiny_world() -> World:
    city = CITIES["深圳"]
    devs = [Dev(i, 1, "HR-M", "HR-M5000", f"HR-M5000-2401-{i:05d}", "CNC车间", city.lat,
                city.lng) for i in range(1, 6)]
    plant = [Dev(10, None, "HR-G", "HR-G800", "HR-G800-2301-00001", "厂房", 22.9, 113.9)]
    cust = Cust(1, "深圳测试客户", city, "key", [("王伟", "13800138000")], devs)
    engs = [Eng(100, "engineer", "张伟", city, ("HR-M", "HR-E"), 4),
            Eng(101, "eng02", "李强", CITIES["东莞"], ("HR-M", "HR-G"), 3)]
    return World([cust], plant, engs, "罗建华")


def _shape(steps: list[Step]) -> list[tuple[int, str, str]]:
    return [(s.order, s.args["type"], s.args["title"]) for s in steps if s.kind == "create"]


def test_the_plan_is_reproducible_from_the_seed() -> None:
    end = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
    start = end - timedelta(days=182)
    first = Planner(7, _tiny_world(), start, end, 300).plan()
    again = Planner(7, _tiny_world(), start, end, 300).plan()
    assert [(s.at, s.kind, s.actor, s.args) for s in first] == [
        (s.at, s.kind, s.actor, s.args) for s in again]
    # built a few hours later: same orders, only the clock moved
    later = Planner(7, _tiny_world(), start + timedelta(hours=5), end + timedelta(hours=5),
                    300).plan()
    assert sorted(_shape(first)) == sorted(_shape(later))
    assert sorted(_shape(first)) != sorted(_shape(Planner(8, _tiny_world(), start, end,
                                                          300).plan()))



def test_list_pages_are_written_as_pydantic_writes_them(demo: Demo) -> None:
    """kit.rowjson writes the list's rows without validating them: over every demo order
    (every state, SLA clocks running, paused, met and breached, fault labels, photos), its
    bytes are pydantic's."""
    s = demo.session
    admin = s.scalar(select(User).where(User.username == "admin"))
    ctx = RequestContext(Actor(admin.id, admin.username, admin.role), ip="127.0.0.1")
    seen = 0
    for offset in range(0, demo.summary.orders, 200):
        rows, total, exact = orders.list_orders(s, ctx, demo.settings, OrderFilter(), 200,
                                                offset)
        page = {"items": rows, "total": total, "limit": 200, "offset": offset,
                "total_exact": exact}
        expected = ListPage.model_validate(page).model_dump_json().encode()
        assert bytes(rowjson.response(ListPage, page).body) == expected
        seen += len(rows)
    assert seen == demo.summary.orders
