"""Who may call what: every route × every role (and anonymous), object-level visibility for
engineers, and tokens (expired, revoked, deactivated user)."""

import hashlib
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from bihuan.auth import service as auth
from bihuan.auth.models import AuthToken
from bihuan.engineers import service as engineers
from bihuan.engineers.schemas import EngineerCreate
from bihuan.kit.clock import set_clock, utcnow
from bihuan.kit.context import SYSTEM, RequestContext
from bihuan.devices.models import Device
from bihuan.users.models import User
from bihuan.workorders import service as orders
from bihuan.workorders.schemas import SavedViewIn
from tests import media
from tests.audit.helpers import cheap_password, fast_argon2, last_seq
from tests.factories import PASSWORD, Factory
from tests.factories import TestUser as Staff
from tests.notifications import perm as notify_perm
from tests.sla.test_endpoints import perm_assignment, perm_todo

pytestmark = pytest.mark.usefixtures("fast_argon2")
_ = fast_argon2  # the fixture, imported

ROLES = ("admin", "agent", "dispatcher", "engineer", "supervisor", "director")
EVERYONE = frozenset(ROLES)
DESK = EVERYONE - {"engineer"}
PUBLIC = None  # no token needed
_n = itertools.count(1)


def _engineer_profile(f: Factory) -> int:
    """One engineer profile per test, for the /engineers/{id} routes."""
    if not hasattr(f, "_profile"):
        with f.session() as s:
            f._profile = engineers.create_engineer(s, RequestContext(SYSTEM), EngineerCreate(
                username=f"prof{next(_n)}", display_name="档案工程师", password=PASSWORD,
                skills=["HR-E"], cert_level=2, home_base="深圳", region="华南")).id
    return f._profile  # type: ignore[no-any-return]


def _mine(f: Factory, state: str) -> int:
    """A fresh order in `state`, assigned to the engineer of the matrix."""
    return f.order(state, assignee=f.user("engineer"))


def _view_of(f: Factory) -> int:
    """A saved view owned by whoever the matrix is acting as (only the owner may delete)."""
    owner = f.user(f.acting) if f.acting else f.user("admin")
    with f.session() as s:
        return orders.create_saved_view(s, owner.ctx, SavedViewIn(name="v", filters={})).id


def _token(f: Factory) -> str:
    device = f.device(f.customer())  # before opening a session: writers take turns (SQLite)
    with f.session() as s:
        return str(s.get(Device, device).qr_token)


def _awaiting(f: Factory) -> str:
    return f.tracking_code(f.order("awaiting_confirmation"))


def _tracked_photo(f: Factory) -> str:
    order = f.order("in_progress")
    return f"/api/v1/portal/track/{f.tracking_code(order)}/files/{f.photo(order)}"


@dataclass(frozen=True)
class Upload:
    """A multipart body (form fields and files) instead of JSON."""
    data: dict[str, str]
    files: dict[str, tuple[str, bytes, str]]


Build = Callable[[Factory], tuple[str, Any]]


@dataclass(frozen=True)
class Row:
    allowed: frozenset[str] | None  # None: public
    ok: int  # what an allowed caller gets
    build: Build  # -> (url, json body)


WO = "/api/v1/work-orders"
MATRIX: dict[tuple[str, str], Row] = {
    ("POST", "/api/v1/auth/login"): Row(PUBLIC, 200, lambda f: (
        "/api/v1/auth/login", {"username": f.user("admin").username, "password": PASSWORD})),
    ("POST", "/api/v1/auth/logout"): Row(EVERYONE, 204, lambda f: ("/api/v1/auth/logout", None)),
    ("GET", "/api/v1/auth/me"): Row(EVERYONE, 200, lambda f: ("/api/v1/auth/me", None)),
    ("GET", WO): Row(EVERYONE, 200, lambda f: (WO, None)),
    ("POST", WO): Row(frozenset({"admin", "agent", "dispatcher", "supervisor"}), 201, lambda f: (
        WO, {"type": "repair", "title": "主轴异响", "customer_id": f.customer()})),
    ("GET", WO + "/suspected-fake-completions"): Row(
        frozenset({"admin", "supervisor", "director"}), 200,
        lambda f: (WO + "/suspected-fake-completions", None)),
    ("POST", WO + "/bulk-transitions"): Row(
        frozenset({"admin", "agent", "dispatcher", "supervisor"}), 200,
        lambda f: (WO + "/bulk-transitions", {"ids": [f.order("new")], "action": "dispatch"})),
    ("GET", WO + "/{order_id}"): Row(EVERYONE, 200, lambda f: (
        f"{WO}/{_mine(f, 'assigned')}", None)),
    ("PATCH", WO + "/{order_id}"): Row(EVERYONE - {"director"}, 200, lambda f: (
        f"{WO}/{_mine(f, 'in_progress')}", {"repair_note": "更换轴承"})),
    ("POST", WO + "/{order_id}/transitions"): Row(EVERYONE - {"director"}, 200, lambda f: (
        f"{WO}/{_mine(f, 'assigned')}/transitions", {"action": "hold", "reason": "等待备件"})),
    ("POST", WO + "/{order_id}/confirmations"): Row(EVERYONE - {"director"}, 201, lambda f: (
        f"{WO}/{_mine(f, 'awaiting_confirmation')}/confirmations",
        {"kind": "customer", "signed_by": "王经理"})),
    ("GET", WO + "/{order_id}/events"): Row(EVERYONE, 200, lambda f: (
        f"{WO}/{_mine(f, 'assigned')}/events", None)),
    ("GET", "/api/v1/customers"): Row(DESK, 200, lambda f: ("/api/v1/customers", None)),
    ("POST", "/api/v1/customers"): Row(frozenset({"admin", "agent", "supervisor"}), 201,
                                       lambda f: ("/api/v1/customers", {
                                           "code": f"PM{next(_n)}", "name": "权限客户",
                                           "province": "广东", "city": "深圳"})),
    ("GET", "/api/v1/customers/{customer_id}"): Row(DESK, 200, lambda f: (
        f"/api/v1/customers/{f.customer()}", None)),
    ("PATCH", "/api/v1/customers/{customer_id}"): Row(
        frozenset({"admin", "agent", "supervisor"}), 200,
        lambda f: (f"/api/v1/customers/{f.customer()}", {"city": "东莞"})),
    ("DELETE", "/api/v1/customers/{customer_id}"): Row(
        frozenset({"admin", "supervisor"}), 204,
        lambda f: (f"/api/v1/customers/{f.customer()}", None)),
    ("GET", "/api/v1/devices"): Row(DESK, 200, lambda f: ("/api/v1/devices", None)),
    ("POST", "/api/v1/devices"): Row(frozenset({"admin", "agent", "supervisor"}), 201,
                                     lambda f: ("/api/v1/devices", {
                                         "brand": "华锐", "family": "HR-E", "model": "HR-E3200",
                                         "serial_no": f"PM-SN-{next(_n)}"})),
    ("GET", "/api/v1/devices/{device_id}"): Row(DESK, 200, lambda f: (
        f"/api/v1/devices/{f.device()}", None)),
    ("PATCH", "/api/v1/devices/{device_id}"): Row(
        frozenset({"admin", "agent", "supervisor"}), 200,
        lambda f: (f"/api/v1/devices/{f.device()}", {"location": "2号线"})),
    ("DELETE", "/api/v1/devices/{device_id}"): Row(
        frozenset({"admin", "supervisor"}), 204,
        lambda f: (f"/api/v1/devices/{f.device()}", None)),
    ("GET", "/api/v1/engineers"): Row(DESK, 200, lambda f: ("/api/v1/engineers", None)),
    ("POST", "/api/v1/engineers"): Row(frozenset({"admin", "dispatcher"}), 201, lambda f: (
        "/api/v1/engineers", {"username": f"pm.eng{next(_n)}", "display_name": "新工程师",
                              "password": PASSWORD, "skills": ["HR-E"], "cert_level": 1,
                              "home_base": "深圳", "region": "华南"})),
    ("GET", "/api/v1/engineers/teams"): Row(DESK, 200, lambda f: (
        "/api/v1/engineers/teams", None)),
    ("GET", "/api/v1/engineers/{engineer_id}"): Row(DESK, 200, lambda f: (
        f"/api/v1/engineers/{_engineer_profile(f)}", None)),
    ("PATCH", "/api/v1/engineers/{engineer_id}"): Row(
        frozenset({"admin", "dispatcher"}), 200,
        lambda f: (f"/api/v1/engineers/{_engineer_profile(f)}", {"max_load": 7})),
    ("GET", "/api/v1/users"): Row(frozenset({"admin"}), 200, lambda f: ("/api/v1/users", None)),
    ("POST", "/api/v1/users"): Row(frozenset({"admin"}), 201, lambda f: ("/api/v1/users", {
        "username": f"pm.user{next(_n)}", "display_name": "新同事", "role": "agent",
        "password": PASSWORD})),
    ("GET", "/api/v1/users/{user_id}"): Row(frozenset({"admin"}), 200, lambda f: (
        f"/api/v1/users/{f.user('agent').id}", None)),
    ("PATCH", "/api/v1/users/{user_id}"): Row(frozenset({"admin"}), 200, lambda f: (
        f"/api/v1/users/{f.user('director').id}", {"title": "运营总监"})),
    ("POST", WO + "/{order_id}/attachments"): Row(EVERYONE - {"director"}, 201, lambda f: (
        f"{WO}/{_mine(f, 'in_progress')}/attachments", Upload({}, {"file": (
            "p.png", media.png(), "image/png")}))),
    ("GET", "/api/v1/attachments/{attachment_id}/content"): Row(EVERYONE, 200, lambda f: (
        f"/api/v1/attachments/{f.photo(_mine(f, 'in_progress'))}/content", None)),
    ("GET", "/api/v1/devices/labels.pdf"): Row(DESK, 200, lambda f: (
        f"/api/v1/devices/labels.pdf?ids={f.device()}", None)),
    ("GET", "/api/v1/saved-views"): Row(EVERYONE, 200, lambda f: ("/api/v1/saved-views", None)),
    ("POST", "/api/v1/saved-views"): Row(EVERYONE, 201, lambda f: (
        "/api/v1/saved-views", {"name": "待确认", "filters": {"state": ["awaiting_confirmation"]}})),
    ("DELETE", "/api/v1/saved-views/{view_id}"): Row(EVERYONE, 204, lambda f: (
        f"/api/v1/saved-views/{_view_of(f)}", None)),
    ("GET", "/api/v1/portal/devices/{token}"): Row(PUBLIC, 200, lambda f: (
        f"/api/v1/portal/devices/{_token(f)}", None)),
    ("POST", "/api/v1/portal/devices/{token}/reports"): Row(PUBLIC, 201, lambda f: (
        f"/api/v1/portal/devices/{_token(f)}/reports",
        Upload({"fault_type": "alarm", "phone": "13812345678"}, {}))),
    ("GET", "/api/v1/portal/track/{code}"): Row(PUBLIC, 200, lambda f: (
        f"/api/v1/portal/track/{f.tracking_code(f.order('assigned'))}", None)),
    ("GET", "/api/v1/portal/track/{code}/files/{file_id}"): Row(PUBLIC, 200, lambda f: (
        _tracked_photo(f), None)),
    ("POST", "/api/v1/portal/track/{code}/confirm"): Row(PUBLIC, 200, lambda f: (
        f"/api/v1/portal/track/{_awaiting(f)}/confirm",
        {"signed_by": "王经理", "strokes": media.STROKES, "png": media.signature_png_data_url()})),
    ("POST", "/api/v1/portal/track/{code}/reject"): Row(PUBLIC, 200, lambda f: (
        f"/api/v1/portal/track/{_awaiting(f)}/reject", {"reason": "还在漏油"})),
    # notifications
    ("GET", "/api/v1/notifications"): Row(EVERYONE, 200, lambda f: (
        "/api/v1/notifications", None)),
    ("POST", "/api/v1/notifications/read-all"): Row(EVERYONE, 200, lambda f: (
        "/api/v1/notifications/read-all", None)),
    ("POST", "/api/v1/notifications/{notification_id}/read"): Row(EVERYONE, 200, lambda f: (
        notify_perm.own_notification(f), None)),
    ("GET", "/api/v1/notification-preferences"): Row(EVERYONE, 200, lambda f: (
        "/api/v1/notification-preferences", None)),
    ("PUT", "/api/v1/notification-preferences"): Row(EVERYONE, 200, lambda f: (
        "/api/v1/notification-preferences", {"locale": "en", "muted": {"*": ["sms"]}})),
    ("GET", "/api/v1/outbox"): Row(frozenset({"admin"}), 200, lambda f: (
        "/api/v1/outbox?status=dead", None)),
    ("POST", "/api/v1/outbox/{outbox_id}/retry"): Row(frozenset({"admin"}), 200, lambda f: (
        notify_perm.dead_message(f), None)),
    ("GET", "/api/v1/notification-channels"): Row(frozenset({"admin"}), 200, lambda f: (
        "/api/v1/notification-channels", None)),
    ("POST", "/api/v1/notification-channels"): Row(frozenset({"admin"}), 201, lambda f: (
        "/api/v1/notification-channels", {"kind": "webhook", "name": "ERP",
                                          "url": "https://erp.example/hook", "secret": "s"})),
    ("PATCH", "/api/v1/notification-channels/{channel_id}"): Row(
        frozenset({"admin"}), 200, lambda f: (notify_perm.channel(f), {"enabled": False})),
    ("DELETE", "/api/v1/notification-channels/{channel_id}"): Row(
        frozenset({"admin"}), 204, lambda f: (notify_perm.channel(f), None)),
    ("GET", "/api/v1/notification-templates"): Row(frozenset({"admin"}), 200, lambda f: (
        "/api/v1/notification-templates", None)),
    ("PUT", "/api/v1/notification-templates/{event}/{locale}"): Row(
        frozenset({"admin"}), 200, lambda f: ("/api/v1/notification-templates/sla.breach/en",
                                              {"subject": "SLA {number}", "body": "{title}"})),
    # sla
    ("GET", "/api/v1/sla/board"): Row(DESK - {"agent"}, 200, lambda f: (
        "/api/v1/sla/board", None)),
    ("GET", "/api/v1/sla/policies"): Row(DESK - {"agent"}, 200, lambda f: (
        "/api/v1/sla/policies", None)),
    ("POST", "/api/v1/sla/policies"): Row(frozenset({"admin"}), 201, lambda f: (
        "/api/v1/sla/policies", {"name": f"权限策略{next(_n)}", "response_minutes": 60,
                                 "resolution_minutes": 480})),
    ("PUT", "/api/v1/sla/policies/{policy_id}"): Row(frozenset({"admin"}), 200, lambda f: (
        "/api/v1/sla/policies/4", {"name": f"基础客户{next(_n)}", "response_minutes": 1440,
                                   "resolution_minutes": 4320, "calendar_id": 1})),
    ("GET", "/api/v1/sla/rules"): Row(DESK - {"agent"}, 200, lambda f: (
        "/api/v1/sla/rules", None)),
    ("PUT", "/api/v1/sla/rules"): Row(frozenset({"admin"}), 200, lambda f: (
        "/api/v1/sla/rules", [{"priority": "urgent", "policy_id": 5},
                              {"tier": "strategic", "policy_id": 1}])),
    ("GET", "/api/v1/sla/calendars"): Row(DESK - {"agent"}, 200, lambda f: (
        "/api/v1/sla/calendars", None)),
    ("POST", "/api/v1/sla/calendars"): Row(frozenset({"admin"}), 201, lambda f: (
        "/api/v1/sla/calendars", {"name": f"权限日历{next(_n)}",
                                  "hours": {"0": [["08:30", "18:00"]]}})),
    ("PUT", "/api/v1/sla/calendars/{calendar_id}"): Row(frozenset({"admin"}), 200, lambda f: (
        "/api/v1/sla/calendars/2", {"name": f"5×12 延长服务{next(_n)}",
                                    "hours": {"0": [["08:30", "18:00"]]}})),
    ("GET", "/api/v1/sla/calendars/{calendar_id}/overrides"): Row(
        DESK - {"agent"}, 200, lambda f: ("/api/v1/sla/calendars/1/overrides", None)),
    ("PUT", "/api/v1/sla/calendars/{calendar_id}/overrides/{day}"): Row(
        frozenset({"admin"}), 200, lambda f: ("/api/v1/sla/calendars/1/overrides/2026-12-31",
                                              {"working": False, "note": "年终盘点"})),
    ("DELETE", "/api/v1/sla/calendars/{calendar_id}/overrides/{day}"): Row(
        frozenset({"admin"}), 204, lambda f: ("/api/v1/sla/calendars/1/overrides/2026-12-31",
                                              None)),
    ("GET", "/api/v1/sla/calendar-assignments"): Row(DESK - {"agent"}, 200, lambda f: (
        "/api/v1/sla/calendar-assignments", None)),
    ("PUT", "/api/v1/sla/calendar-assignments"): Row(frozenset({"admin"}), 200, lambda f: (
        "/api/v1/sla/calendar-assignments", {"calendar_id": 2, "scope": "region",
                                             "key": "浙江"})),
    ("DELETE", "/api/v1/sla/calendar-assignments/{assignment_id}"): Row(
        frozenset({"admin"}), 204, lambda f: (perm_assignment(f), None)),
    ("GET", "/api/v1/todos"): Row(EVERYONE, 200, lambda f: ("/api/v1/todos", None)),
    ("POST", "/api/v1/todos/{todo_id}/done"): Row(EVERYONE, 200, lambda f: (
        perm_todo(f), None)),
    ("GET", "/api/v1/meta"): Row(PUBLIC, 200, lambda f: ("/api/v1/meta", None)),
    ("GET", "/api/v1/health"): Row(PUBLIC, 200, lambda f: ("/api/v1/health", None)),
}


def test_matrix_covers_every_route_of_the_app(app):
    routes = {(method.upper(), path) for path, ops in app.openapi()["paths"].items()
              for method in ops}
    assert len(routes) > 20
    assert routes - set(MATRIX) == set(), "routes without a permission row"
    assert set(MATRIX) - routes == set(), "rows for routes that no longer exist"


def _fresh_token(f: Factory, user: Staff) -> str:
    """Each request gets its own token, so logout in the matrix revokes nothing else."""
    with f.session() as s:
        u = s.get(User, user.id)
        return auth.issue_token(s, f.settings, u)


def test_role_route_matrix(client, f, db):
    for role in ROLES:  # all created up front (f.order() needs the supervisor)
        f.user(role)
    cheap_password(db, f.user("admin").id)  # the login row logs in seven times
    wrong = []
    for (method, path), row in MATRIX.items():
        refused_target = None  # a refused request changes nothing: one target serves them all
        for role in (*ROLES, None):
            allowed = row.allowed is PUBLIC or (role is not None and role in row.allowed)
            f.acting = role
            if allowed:
                url, body = row.build(f)
            else:
                refused_target = refused_target or row.build(f)
                url, body = refused_target
            headers = {}
            if role is not None:
                headers["Authorization"] = f"Bearer {_fresh_token(f, f.user(role))}"
            if isinstance(body, Upload):
                r = client.request(method, url, data=body.data, files=body.files or None,
                                   headers=headers)
            else:
                r = client.request(method, url, json=body, headers=headers)
            if allowed:
                expect, code = row.ok, None
            elif role is None:
                expect, code = 401, "not_authenticated"
            else:
                expect, code = 403, "forbidden"
            got_code = r.json().get("code") if r.status_code >= 400 else None
            if r.status_code != expect or got_code != code:
                wrong.append(f"{method} {path} as {role or 'anonymous'}: expected {expect} "
                             f"{code or ''}, got {r.status_code} {r.text[:160]}")
            if expect == 401:
                assert r.headers.get("www-authenticate") == "Bearer"
    assert not wrong, "\n".join(wrong)


def test_forbidden_is_answered_before_the_body_is_read(client, f):
    """A role that may not write gets 403 even for a body that would not validate."""
    director = f.user("director")
    r = client.post("/api/v1/customers", json={"nonsense": True}, headers=director.headers)
    assert (r.status_code, r.json()["code"]) == (403, "forbidden")
    r = client.post("/api/v1/customers", json={"nonsense": True})
    assert (r.status_code, r.json()["code"]) == (401, "not_authenticated")
    assert r.json()["message"] == "请先登录"


# ---------------------------------------------------------------- engineers see their own
@pytest.fixture
def team(f, db) -> dict[str, Staff]:
    """Three engineers: the owner, a teammate (same supervisor) and an outsider."""
    sup, other_sup = f.user("supervisor"), f.user("supervisor", "other-supervisor")
    f.user("admin")
    users = {k: f.user("engineer", k) for k in ("owner", "teammate", "outsider")}
    with f.session() as s:
        for name, boss in (("owner", sup), ("teammate", sup), ("outsider", other_sup)):
            s.execute(update(User).where(User.id == users[name].id).values(supervisor_id=boss.id))
    return users


def test_an_engineer_gets_404_for_orders_not_assigned_to_him(client, f, db, team):
    owner = team["owner"]
    assigned = f.order("assigned", assignee=owner)
    awaiting = f.order("awaiting_confirmation", assignee=owner)
    unassigned = f.order("new")
    missing = client.get(f"{WO}/999999", headers=owner.headers).json()
    requests = [
        ("GET", f"{WO}/{assigned}", None, 200),
        ("PATCH", f"{WO}/{assigned}", {"repair_note": "检查主轴"}, 200),
        ("GET", f"{WO}/{assigned}/events", None, 200),
        ("POST", f"{WO}/{assigned}/transitions", {"action": "accept"}, 200),
        ("POST", f"{WO}/{awaiting}/confirmations", {"kind": "customer", "signed_by": "王"}, 201),
    ]
    before = last_seq(db)
    for who in ("teammate", "outsider"):
        for method, url, body, _ in requests:
            r = client.request(method, url, json=body, headers=team[who].headers)
            assert r.status_code == 404, (who, method, url, r.text)
            # indistinguishable from an order that does not exist: nothing leaks
            assert r.json() == missing, (who, url)
    for method, url, body, _ in requests:  # nobody's order: the owner cannot see it either
        url = url.replace(f"/{assigned}", f"/{unassigned}").replace(f"/{awaiting}",
                                                                      f"/{unassigned}")
        r = client.request(method, url, json=body, headers=owner.headers)
        assert r.status_code == 404 and r.json() == missing, (method, url)
    assert last_seq(db) == before, "a refused request wrote an audit event"
    for method, url, body, ok in requests:
        r = client.request(method, url, json=body, headers=owner.headers)
        assert r.status_code == ok, (method, url, r.text)


def test_an_engineer_lists_only_his_orders(client, f, team):
    owner, teammate, outsider = team["owner"], team["teammate"], team["outsider"]
    mine = {f.order("assigned", assignee=owner), f.order("in_progress", assignee=owner)}
    theirs = f.order("assigned", assignee=teammate)
    f.order("new")

    def listed(user: Staff, **params: Any) -> tuple[set[int], int]:
        r = client.get(WO, params=params, headers=user.headers)
        assert r.status_code == 200, r.text
        return {o["id"] for o in r.json()["items"]}, r.json()["total"]

    assert listed(owner) == (mine, 2)
    assert listed(owner, assignee_id=teammate.id) == (set(), 0)
    assert listed(owner, assignee_id=owner.id) == (mine, 2)
    assert listed(owner, state="assigned") == (mine - {max(mine)}, 1)
    assert listed(teammate) == ({theirs}, 1)
    assert listed(outsider) == (set(), 0)
    assert listed(f.user("dispatcher"))[1] == 4


def test_reassigning_moves_visibility(client, f, team):
    owner, teammate = team["owner"], team["teammate"]
    oid = f.order("assigned", assignee=owner)
    r = client.post(f"{WO}/{oid}/transitions", headers=f.user("admin").headers,
                    json={"action": "assign", "assignee_id": teammate.id})
    assert r.status_code == 200, r.text
    assert client.get(f"{WO}/{oid}", headers=owner.headers).status_code == 404
    assert client.get(f"{WO}/{oid}", headers=teammate.headers).status_code == 200


# ---------------------------------------------------------------- tokens
def test_missing_or_malformed_credentials_are_401(client, f):
    agent = f.user("agent")
    cases = [({}, "not_authenticated"),
             ({"Authorization": f"Basic {agent.token}"}, "not_authenticated"),
             ({"Authorization": "Bearer"}, "not_authenticated"),
             ({"Authorization": "Bearer not-a-real-token"}, "token_invalid"),
             ({"Authorization": f"Bearer {agent.token}x"}, "token_invalid")]
    for headers, code in cases:
        r = client.get("/api/v1/auth/me", headers=headers)
        assert (r.status_code, r.json()["code"]) == (401, code), headers
    r = client.get("/api/v1/auth/me", headers={"Authorization": f"bearer {agent.token}"})
    assert r.status_code == 200 and r.json()["id"] == agent.id


def test_a_token_expires_after_its_ttl(client, f, settings):
    t0 = utcnow()
    set_clock(lambda: t0)
    agent = f.user("agent")
    ttl = timedelta(hours=settings.token_ttl_hours)
    set_clock(lambda: t0 + ttl - timedelta(seconds=1))
    assert client.get("/api/v1/auth/me", headers=agent.headers).status_code == 200
    set_clock(lambda: t0 + ttl)
    r = client.get("/api/v1/auth/me", headers=agent.headers)
    assert (r.status_code, r.json()["code"]) == (401, "token_invalid")
    assert r.json()["message"] == "登录已过期,请重新登录"
    r = client.get("/api/v1/auth/me", headers={**agent.headers, "Accept-Language": "en"})
    assert r.json()["message"] == "Your session has expired; log in again"


def test_logout_revokes_only_that_token(client, f, db):
    agent = f.user("agent")
    other = _fresh_token(f, agent)
    r = client.post("/api/v1/auth/logout", headers=agent.headers)
    assert r.status_code == 204
    r = client.get("/api/v1/auth/me", headers=agent.headers)
    assert (r.status_code, r.json()["code"]) == (401, "token_invalid")
    r = client.post("/api/v1/auth/logout", headers=agent.headers)
    assert (r.status_code, r.json()["code"]) == (401, "token_invalid")
    r = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {other}"})
    assert r.status_code == 200


def test_login_issues_a_working_token_stored_only_as_a_hash(client, f, db, settings):
    eng = f.user("engineer")
    cheap_password(db, eng.id)
    r = client.post("/api/v1/auth/login", json={"username": eng.username.upper(),
                                                "password": PASSWORD})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == settings.token_ttl_hours * 3600
    assert body["user"]["id"] == eng.id and "password_hash" not in body["user"]
    token = body["access_token"]
    assert len(token) >= 40
    with db.session(write=False) as s:
        stored = set(s.scalars(select(AuthToken.token_hash)))
    assert token not in stored and hashlib.sha256(token.encode()).hexdigest() in stored
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json()["role"] == "engineer"


def test_wrong_password_is_401_invalid_credentials_in_the_callers_language(client, f, db):
    agent = f.user("agent")
    cheap_password(db, agent.id)
    zh, en = "用户名或密码错误", "Wrong username or password"
    cases = [(None, zh), ("zh-CN,zh;q=0.9", zh), ("en", en), ("en-US,en;q=0.9", en),
             ("EN-GB", en)]
    # a wrong password for a real user (fewer than the lockout threshold) and an unknown user
    for (lang, message), username in zip(cases, [agent.username, "no-such-user"] * 3,
                                         strict=False):
        headers = {"Accept-Language": lang} if lang else {}
        r = client.post("/api/v1/auth/login", headers=headers,
                        json={"username": username, "password": "wrong-password"})
        assert r.status_code == 401, (lang, username)
        body = r.json()
        assert (body["code"], body["message"]) == ("invalid_credentials", message), lang
        assert body["messages"] == {"zh-CN": zh, "en": en}
        assert "access_token" not in body


def test_a_deactivated_user_loses_tokens_and_login(client, f):
    admin, agent = f.user("admin"), f.user("agent")
    r = client.patch(f"/api/v1/users/{agent.id}", json={"is_active": False},
                     headers=admin.headers)
    assert r.status_code == 200 and r.json()["is_active"] is False
    r = client.get("/api/v1/auth/me", headers=agent.headers)
    assert (r.status_code, r.json()["code"]) == (401, "token_invalid")
    r = client.post("/api/v1/auth/login", json={"username": agent.username,
                                                "password": PASSWORD})
    assert (r.status_code, r.json()["code"]) == (401, "invalid_credentials")
