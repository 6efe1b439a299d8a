"""Every write leaves exactly one audit event, in the same transaction: who, when, from where,
what changed. Failed requests leave nothing."""

from datetime import UTC, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bihuan.audit import service as audit
from bihuan.audit.models import AuditEvent
from bihuan.customers.models import Customer
from bihuan.engineers import repository as engineers_repo
from bihuan.errors import Conflict
from bihuan.kit.clock import utcnow
from bihuan.users.models import User
from bihuan.workorders.models import WorkOrder
from tests.audit.helpers import (
    cheap_password,
    count,
    events_since,
    fast_argon2,
    head,
    last_seq,
    only_event,
)

pytestmark = pytest.mark.usefixtures("fast_argon2")
_ = fast_argon2  # the fixture, imported

UA = "BihuanApp/2.1 (HarmonyOS 4; Mate 60)"
GPS = {"lat": 31.2304, "lng": 121.4737, "accuracy": 15.0}
GPS_HEADER = "31.2304,121.4737,15"


def _hdr(user: Any, **extra: str) -> dict[str, str]:
    return {**user.headers, "User-Agent": UA, "X-Client-GPS": GPS_HEADER, **extra}


class Recorder:
    """Send one request and return the single event it wrote, checked for who/when/where."""

    def __init__(self, client: TestClient, db: Any) -> None:
        self.client, self.db = client, db

    def __call__(self, user: Any, method: str, url: str, body: Any = None, *, status: int,
                 entity: tuple[str, int | None] | None = None, action: str,
                 gps: dict[str, Any] | None = GPS, **expect: Any) -> tuple[Any, AuditEvent]:
        before, t0 = last_seq(self.db), utcnow()
        r = self.client.request(method, url, json=body, headers=_hdr(user))
        t1 = utcnow()
        assert r.status_code == status, r.text
        data = r.json() if r.content else None
        entity_id = entity[1] if entity else data["id"]
        e = only_event(self.db, before, actor_id=user.id, actor_name=user.username,
                       actor_role=user.role, action=action, ip="testclient", user_agent=UA,
                       gps=gps, **expect)
        if entity:
            assert (e.entity_type, e.entity_id) == entity
        else:
            assert e.entity_id == entity_id
        assert e.occurred_at.utcoffset() == timedelta(0) and e.occurred_at.tzinfo is not None
        assert t0 <= e.occurred_at <= t1
        return data, e


@pytest.fixture
def rec(client, db) -> Recorder:
    return Recorder(client, db)


def test_master_data_writes_one_event_each_with_before_and_after(rec, f, db):
    agent, dispatcher, admin = f.user("agent"), f.user("dispatcher"), f.user("admin")
    cust, e = rec(agent, "POST", "/api/v1/customers", {
        "code": "SZ-001", "name": "深圳精工", "tier": "key", "province": "广东", "city": "深圳",
        "contacts": [{"name": "王经理", "phone": "0755 8888 9999"}]},
        status=201, action="create", entity_type="customer")
    assert e.changes["code"] == [None, "SZ-001"]
    assert e.changes["tier"] == [None, "key"]
    assert e.changes["contacts"] == [None, [{"name": "王经理", "phone": "0755-88889999",
                                             "title": None, "is_primary": False}]]

    _, e = rec(agent, "PATCH", f"/api/v1/customers/{cust['id']}",
               {"name": "深圳精工集团", "city": "深圳"},  # city unchanged: not in the diff
               status=200, action="update", entity=("customer", cust["id"]))
    assert e.changes == {"name": ["深圳精工", "深圳精工集团"]}

    dev, e = rec(agent, "POST", "/api/v1/devices", {
        "customer_id": cust["id"], "brand": "华锐", "family": "HR-E", "model": "HR-E3200",
        "serial_no": "SN-EV-1", "warranty_until": "2030-01-31"},
        status=201, action="create", entity_type="device")
    assert e.changes["serial_no"] == [None, "SN-EV-1"]
    assert e.changes["warranty_until"] == [None, "2030-01-31"]
    _, e = rec(agent, "PATCH", f"/api/v1/devices/{dev['id']}", {"location": "3号车间"},
               status=200, action="update", entity=("device", dev["id"]))
    assert e.changes == {"location": [None, "3号车间"]}

    # an engineer is two rows (login + profile): one event for each, both by the dispatcher
    before = last_seq(db)
    r = rec.client.post("/api/v1/engineers", headers=_hdr(dispatcher), json={
        "username": "li.gong", "display_name": "李工", "password": "long-enough-1",
        "skills": ["HR-E"], "cert_level": 3, "home_base": "深圳", "region": "华南"})
    assert r.status_code == 201, r.text
    eng = r.json()
    new = events_since(db, before)
    assert [(x.action, x.entity_type, x.entity_id) for x in new] == [
        ("create", "user", eng["user_id"]), ("create", "engineer", eng["id"])]
    assert all((x.actor_id, x.ip, x.user_agent, x.gps) == (dispatcher.id, "testclient", UA, GPS)
               for x in new)
    assert new[0].changes["password"] == [None, "***"]
    assert "long-enough-1" not in str(new[0].changes)
    _, e = rec(dispatcher, "PATCH", f"/api/v1/engineers/{eng['id']}",
               {"max_load": 8, "skills": ["HR-E", "HR-X"]}, status=200, action="update",
               entity=("engineer", eng["id"]))
    assert e.changes == {"max_load": [6, 8], "skills": [["HR-E"], ["HR-E", "HR-X"]]}

    user, e = rec(admin, "POST", "/api/v1/users", {
        "username": "zhang.kf", "display_name": "张客服", "role": "agent",
        "password": "long-enough-2"}, status=201, action="create", entity_type="user")
    assert e.changes["role"] == [None, "agent"] and e.changes["password"] == [None, "***"]
    _, e = rec(admin, "PATCH", f"/api/v1/users/{user['id']}",
               {"role": "dispatcher", "password": "long-enough-3"}, status=200,
               action="update", entity=("user", user["id"]))
    assert e.changes == {"role": ["agent", "dispatcher"], "password": ["***", "***"]}


def test_work_order_life_writes_one_event_per_step(rec, f, db):
    agent, dispatcher, sup = f.user("agent"), f.user("dispatcher"), f.user("supervisor")
    eng = f.user("engineer")
    cust = f.customer()
    order, e = rec(agent, "POST", "/api/v1/work-orders", {
        "type": "repair", "title": "主轴异响", "customer_id": cust, "priority": "high"},
        status=201, action="create", entity_type="work_order")
    oid = order["id"]
    assert e.changes["state"] == [None, "new"] and e.changes["number"] == [None, order["number"]]
    url = f"/api/v1/work-orders/{oid}"

    _, e = rec(agent, "PATCH", url, {"priority": "urgent", "title": "主轴异响"}, status=200,
               action="update", entity=("work_order", oid))
    # urgent picks another SLA policy from the matrix: recorded with the change that caused it
    assert e.changes == {"priority": ["high", "urgent"], "sla_policy_id": [3, 5]}

    def move(user: Any, body: dict[str, Any], **kw: Any) -> AuditEvent:
        return rec(user, "POST", f"{url}/transitions", body, status=200,
                   action=f"transition:{body['action']}", entity=("work_order", oid), **kw)[1]

    e = move(agent, {"action": "dispatch"})
    assert e.changes == {"state": ["new", "dispatching"], "action": [None, "dispatch"]}
    e = move(dispatcher, {"action": "assign", "assignee_id": eng.id})
    assert e.changes["assignee_id"] == [None, eng.id]
    assert e.changes["state"] == ["dispatching", "assigned"]
    e = move(eng, {"action": "accept"})
    assert e.changes["accepted_at"][0] is None and e.changes["accepted_at"][1]
    # GPS in the body is the phone's fix for this very action: it wins over the header
    body_gps = {"lat": 22.5431, "lng": 114.0579, "accuracy": 4.5}
    e = move(eng, {"action": "start", "gps": body_gps}, gps=body_gps)
    assert e.changes["state"] == ["assigned", "in_progress"]
    e = move(eng, {"action": "hold", "reason": "等待备件"}, reason="等待备件")
    assert e.changes["hold_from_state"] == [None, "in_progress"]
    move(eng, {"action": "resume"})

    _, e = rec(eng, "PATCH", url, {"repair_note": "更换轴承", "photo_refs": ["p/1.jpg"]},
               status=200, action="update", entity=("work_order", oid))
    assert e.changes == {"repair_note": [None, "更换轴承"], "photo_refs": [[], ["p/1.jpg"]]}
    move(eng, {"action": "resolve"})
    _, e = rec(sup, "POST", f"{url}/confirmations", {"kind": "customer", "signed_by": "王经理"},
               status=201, action="confirmation:customer", entity=("work_order", oid))
    assert e.changes["confirmation"][1]["signed_by"] == "王经理"

    # the order's own trail over the API agrees with the table, oldest first
    items = rec.client.get(f"{url}/events?limit=200", headers=agent.headers).json()["items"]
    assert [i["action"] for i in items] == [
        "create", "update", "transition:dispatch", "transition:assign", "transition:accept",
        "transition:start", "transition:hold", "transition:resume", "update",
        "transition:resolve", "confirmation:customer"]
    assert items[5]["gps"] == body_gps and items[4]["gps"] == GPS


def test_a_write_that_changes_nothing_writes_no_event(client, f, db):
    agent = f.user("agent")
    cid = f.customer(name="不变客户")
    before = last_seq(db)
    r = client.patch(f"/api/v1/customers/{cid}", json={"name": "不变客户"}, headers=agent.headers)
    assert r.status_code == 200
    assert last_seq(db) == before


def test_gps_header_is_optional_and_accuracy_too(client, f, db):
    agent = f.user("agent")
    before = last_seq(db)
    r = client.post("/api/v1/customers", headers={**agent.headers, "X-Client-GPS": "-33.86,151.2"},
                    json={"code": "G1", "name": "n", "province": "p", "city": "c"})
    assert r.status_code == 201
    r = client.post("/api/v1/customers", headers=agent.headers,
                    json={"code": "G2", "name": "n", "province": "p", "city": "c"})
    assert r.status_code == 201
    assert [e.gps for e in events_since(db, before)] == [
        {"lat": -33.86, "lng": 151.2, "accuracy": None}, None]


def test_invalid_gps_header_is_400_and_writes_nothing(client, f, db):
    agent = f.user("agent")
    customer = {"code": "GX", "name": "n", "province": "p", "city": "c"}
    for raw in ("abc", "91,0", "0,181", "31.2", "31.2,121.4,-1", "31.2,121.4,inf",
                "31.2,121.4,1e999", "nan,121.4", "31.2;121.4"):
        r = client.post("/api/v1/customers", headers={**agent.headers, "X-Client-GPS": raw},
                        json=customer)
        assert r.status_code == 400, (raw, r.text)
        body = r.json()
        assert body["code"] == "gps_invalid"
        assert "示例:31.2304,121.4737,15" in body["message"]
        r = client.post("/api/v1/customers", json=customer,
                        headers={**agent.headers, "X-Client-GPS": raw, "Accept-Language": "en"})
        assert r.json()["message"].startswith("X-Client-GPS must be"), raw
    assert last_seq(db) == 0 and count(db, Customer) == 0


def test_invalid_gps_in_a_transition_body_is_422_and_writes_nothing(client, f, db):
    eng = f.user("engineer")
    oid = f.order("assigned", assignee=eng)
    before = last_seq(db)
    for gps in ('{"lat": 91, "lng": 0}', '{"lat": 1}', '"31.2,121.4"',
                '{"lat": 1, "lng": 2, "accuracy": Infinity}', '{"lat": NaN, "lng": 2}'):
        r = client.post(f"/api/v1/work-orders/{oid}/transitions",
                        content=f'{{"action": "start", "gps": {gps}}}',
                        headers={**eng.headers, "Content-Type": "application/json"})
        assert r.status_code == 422, (gps, r.text)
        assert r.json()["code"] == "validation_error"
    assert last_seq(db) == before
    assert _order_row(db, oid)[0] == "assigned"


def test_client_ip_comes_from_x_forwarded_for_only_behind_a_trusted_proxy(app, client, f, db):
    agent = f.user("agent")
    fwd = {**agent.headers, "X-Forwarded-For": "203.0.113.7, 10.0.0.2"}
    before = last_seq(db)
    client.post("/api/v1/customers", headers=fwd,
                json={"code": "IP1", "name": "n", "province": "p", "city": "c"})
    app.state.settings.trusted_proxies = ["testclient"]
    client.post("/api/v1/customers", headers=fwd,
                json={"code": "IP2", "name": "n", "province": "p", "city": "c"})
    assert [e.ip for e in events_since(db, before)] == ["testclient", "203.0.113.7"]


# ---------------------------------------------------------------- failures leave nothing
def _order_row(db: Any, oid: int) -> tuple[str, int, int | None]:
    with db.session(write=False) as s:
        o = s.get(WorkOrder, oid)
        assert o is not None
        return o.state, o.version, o.assignee_id


def test_failed_requests_write_no_event_and_no_record(client, f, db):
    eng, agent, director = f.user("engineer"), f.user("agent"), f.user("director")
    other = f.user("engineer", "other-engineer")
    oid = f.order("in_progress", assignee=eng)
    state = _order_row(db, oid)
    n_customers, before = count(db, Customer), last_seq(db)
    url = f"/api/v1/work-orders/{oid}"
    attempts = [
        # guard failure: no repair note yet
        (eng, "POST", f"{url}/transitions", {"action": "resolve"}, 409, "repair_note_required"),
        # engineers can never close; not awaiting confirmation either
        (eng, "POST", f"{url}/transitions", {"action": "close"}, 409, "invalid_transition"),
        (agent, "POST", f"{url}/transitions", {"action": "hold"}, 400, "reason_required"),
        (agent, "POST", f"{url}/transitions", {"action": "fly"}, 400, "unknown_action"),
        (agent, "POST", f"{url}/transitions", {"action": "assign", "assignee_id": agent.id},
         409, "invalid_transition"),
        (director, "POST", f"{url}/transitions", {"action": "hold", "reason": "x"}, 403,
         "forbidden"),
        (other, "PATCH", url, {"repair_note": "x"}, 404, "not_found"),
        (eng, "PATCH", url, {"title": "改标题"}, 403, "field_not_allowed"),
        (eng, "PATCH", url, {"repair_note": "x", "expected_version": 1}, 409, "state_conflict"),
        (agent, "PATCH", url, {"priority": "whenever"}, 422, "validation_error"),
        (agent, "POST", "/api/v1/customers", {"code": "F1", "name": "n", "province": "p",
                                               "city": "c", "contacts": [
                                                   {"name": "a", "phone": "88889999"}]},
         422, "validation_error"),
        (agent, "POST", "/api/v1/work-orders", {"type": "repair", "title": "t"}, 400,
         "customer_required"),
        (agent, "POST", "/api/v1/work-orders", {"type": "repair", "title": "t",
                                                 "customer_id": 999999}, 400,
         "customer_not_found"),
    ]
    for user, method, path, body, status, code in attempts:
        r = client.request(method, path, json=body, headers=user.headers)
        assert (r.status_code, r.json()["code"]) == (status, code), (path, body, r.text)
    assert last_seq(db) == before
    assert count(db, Customer) == n_customers
    assert count(db, WorkOrder) == 1
    assert _order_row(db, oid) == state


def test_a_failure_after_the_first_row_rolls_the_whole_request_back(client, f, db,
                                                                    monkeypatch):
    """Creating an engineer writes the login, then the profile: fail at the profile."""
    dispatcher = f.user("dispatcher")
    n_users, before = count(db, User), last_seq(db)

    def refuse(session: Any, engineer: Any) -> None:
        raise Conflict("档案冲突", "profile conflict", code="profile_conflict")

    monkeypatch.setattr(engineers_repo, "add", refuse)
    r = client.post("/api/v1/engineers", headers=dispatcher.headers, json={
        "username": "half.made", "display_name": "半成品", "password": "long-enough-1",
        "skills": ["HR-E"], "cert_level": 1, "home_base": "深圳", "region": "华南"})
    assert (r.status_code, r.json()["code"]) == (409, "profile_conflict")
    assert count(db, User) == n_users
    assert count(db, User, User.username == "half.made") == 0
    assert last_seq(db) == before


def test_the_event_and_the_change_commit_together(app, f, db, monkeypatch):
    """A crash right after the event is written takes the customer down with it, and back."""
    agent = f.user("agent")
    head_before = head(db)
    real = audit.record

    def record_then_crash(*args: Any, **kw: Any) -> None:
        real(*args, **kw)
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(audit, "record", record_then_crash)
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.post("/api/v1/customers", headers=agent.headers,
                   json={"code": "BOOM", "name": "n", "province": "p", "city": "c"})
    assert (r.status_code, r.json()["code"]) == (500, "internal_error")
    assert "disk on fire" not in r.text
    assert count(db, Customer) == 0 and count(db, AuditEvent) == 0
    assert head(db) == head_before


# ---------------------------------------------------------------- login
def test_login_success_and_failure_are_audited(client, f, db):
    eng = f.user("engineer")
    cheap_password(db, eng.id)
    hdr = {"User-Agent": UA, "X-Client-GPS": GPS_HEADER}
    before = last_seq(db)
    r = client.post("/api/v1/auth/login", headers=hdr,
                    json={"username": eng.username, "password": "secret-pass-1"})
    assert r.status_code == 200, r.text
    e = only_event(db, before, action="auth:login", actor_id=eng.id, actor_name=eng.username,
                   actor_role="engineer", entity_type="user", entity_id=eng.id,
                   ip="testclient", user_agent=UA)

    # a failure answers 401, and still commits its event
    for username, entity_id in ((eng.username, eng.id), ("nobody-here", None)):
        before = last_seq(db)
        r = client.post("/api/v1/auth/login", headers=hdr,
                        json={"username": username, "password": "wrong-password"})
        assert (r.status_code, r.json()["code"]) == (401, "invalid_credentials")
        e = only_event(db, before, action="auth:login_failed", actor_id=None,
                       actor_name=username, actor_role="anonymous", entity_type="user",
                       entity_id=entity_id, ip="testclient", user_agent=UA)
        assert e.changes == {}
        assert e.occurred_at.tzinfo is not None and e.occurred_at.astimezone(UTC) == e.occurred_at
    with db.session(write=False) as s:
        assert audit.verify(s).ok
