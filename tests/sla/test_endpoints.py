"""The SLA admin API: policies, calendars, overrides and calendar assignments (admin only,
refusals with a code and never a 500), and what each change does to the next order's
deadlines; the holiday-data warning. `perm_*` build targets for the permission matrix."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from bihuan.kit.clock import set_clock
from bihuan.kit.context import SYSTEM, RequestContext
from bihuan.sla import admin as sla_admin
from bihuan.sla.models import Todo
from bihuan.sla.schemas import AssignmentIn
from bihuan.workorders.models import WorkOrder
from tests.audit.helpers import last_seq
from tests.factories import Factory

SH = ZoneInfo("Asia/Shanghai")
SLA = "/api/v1/sla"
FRIDAY = datetime(2026, 11, 20, 17, tzinfo=SH)
ROLES = ("admin", "agent", "dispatcher", "engineer", "supervisor", "director")
WEEK_8_20 = {str(d): [["08:00", "20:00"]] for d in range(7)}


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)


@pytest.fixture(autouse=True)
def _friday() -> None:
    set_clock(lambda: FRIDAY)


@pytest.fixture
def api(client, f):
    """client.request as the admin (or as `role=`)."""
    def call(method: str, url: str, body=None, role: str = "admin"):
        return client.request(method, SLA + url, json=body, headers=f.user(role).headers)
    return call


def response_due(f, **kw) -> datetime:
    oid = f.order(**kw)
    with f.db.session(write=False) as s:
        return s.get(WorkOrder, oid).response_due_at


# ---------------------------------------------------------------- permission-matrix targets
def perm_todo(f: Factory) -> str:
    """A to-do of whoever the matrix is acting as (only its owner may finish it)."""
    owner = f.user(f.acting) if f.acting else f.user("admin")
    with f.session() as s:
        todo = Todo(user_id=owner.id, work_order_id=None, title="处理超时工单",
                    created_at=FRIDAY)
        s.add(todo)
        s.flush()
        return f"/api/v1/todos/{todo.id}/done"


def perm_assignment(f: Factory) -> str:
    with f.session() as s:
        a = sla_admin.assign(s, RequestContext(SYSTEM), AssignmentIn(
            calendar_id=2, scope="region", key=f"省{id(s)}"))
        return f"/api/v1/sla/calendar-assignments/{a.id}"


# ---------------------------------------------------------------- CRUD
def test_an_admin_creates_lists_and_changes_policies(api):
    body = {"name": "夜班 7×24", "response_minutes": 45, "resolution_minutes": 300,
            "calendar_id": 3}
    r = api("POST", "/policies", body)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created == {**body, "id": created["id"], "confirmation_minutes": None,
                       "is_default": False}
    r = api("PUT", f"/policies/{created['id']}", {**body, "response_minutes": 60})
    assert (r.status_code, r.json()["response_minutes"]) == (200, 60)
    listed = api("GET", "/policies", role="director").json()
    assert [p["id"] for p in listed] == [1, 2, 3, 4, 5, created["id"]]
    assert listed[-1]["response_minutes"] == 60


def test_an_admin_creates_and_changes_calendars(api):
    body = {"name": "客户 7×12", "hours": WEEK_8_20, "public_holidays": False}
    r = api("POST", "/calendars", body)
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    assert r.json()["hours"]["6"] == [["08:00", "20:00"]]
    r = api("PUT", f"/calendars/{cid}", {**body, "hours": {"5": [["09:00", "12:00"]]}})
    assert r.status_code == 200 and r.json()["hours"] == {"5": [["09:00", "12:00"]]}
    items = api("GET", "/calendars", role="supervisor").json()["items"]
    assert [c["id"] for c in items] == [1, 2, 3, cid]
    assert items[2]["always_open"] is True


def test_overrides_and_assignments_are_set_listed_and_removed(api, f):
    r = api("PUT", "/calendars/1/overrides/2026-11-23", {"working": False, "note": "厂休"})
    assert r.status_code == 200 and r.json() == {"day": "2026-11-23", "working": False,
                                                 "note": "厂休"}
    assert api("GET", "/calendars/1/overrides", role="dispatcher").json() == [r.json()]
    assert api("DELETE", "/calendars/1/overrides/2026-11-23").status_code == 204
    assert api("GET", "/calendars/1/overrides").json() == []
    customer = f.customer()
    body = {"calendar_id": 2, "scope": "customer", "key": str(customer)}
    r = api("PUT", "/calendar-assignments", body)
    assert r.status_code == 200, r.text
    aid = r.json()["id"]
    r = api("PUT", "/calendar-assignments", {**body, "calendar_id": 3})  # same key: moved
    assert (r.json()["id"], r.json()["calendar_id"]) == (aid, 3)
    assert api("GET", "/calendar-assignments").json() == [{**body, "calendar_id": 3,
                                                            "id": aid}]
    assert api("DELETE", f"/calendar-assignments/{aid}").status_code == 204
    assert api("GET", "/calendar-assignments").json() == []


WRITES = [("POST", "/policies", {"name": "x", "response_minutes": 1, "resolution_minutes": 2}),
          ("PUT", "/policies/3", {"name": "x", "response_minutes": 1, "resolution_minutes": 2}),
          ("PUT", "/rules", []), ("POST", "/calendars", {"name": "x", "hours": {}}),
          ("PUT", "/calendars/1/overrides/2026-11-23", {"working": False}),
          ("PUT", "/calendar-assignments", {"calendar_id": 1, "scope": "region", "key": "x"})]


def test_only_an_admin_changes_anything_and_engineers_and_agents_see_nothing(api, db):
    before = last_seq(db)
    for role in ROLES[1:]:
        for method, url, body in WRITES:
            r = api(method, url, body, role=role)
            assert (r.status_code, r.json()["code"]) == (403, "forbidden"), (role, url)
    for role in ("engineer", "agent"):
        for url in ("/policies", "/rules", "/calendars", "/calendar-assignments", "/board"):
            assert api("GET", url, role=role).status_code == 403, (role, url)
    assert last_seq(db) == before
    assert [x["policy_id"] for x in api("GET", "/rules").json()] == [5, 1, 2, 3, 4]


# ---------------------------------------------------------------- refusals
def hours(*spans: tuple[str, str], day: str = "0") -> dict:
    return {"name": "坏日历", "hours": {day: [list(s) for s in spans]}}


@pytest.mark.parametrize(("method", "url", "body", "status", "code"), [
    ("POST", "/calendars", hours(("8:30", "12:00")), 422, "validation_error"),
    ("POST", "/calendars", hours(("08:30", "24:00")), 422, "validation_error"),
    ("POST", "/calendars", hours(("08:30", "12:00"), day="7"), 422, "validation_error"),
    ("POST", "/calendars", hours(("18:00", "08:30")), 400, "calendar_invalid"),
    ("POST", "/calendars", hours(("08:00", "12:00"), ("11:00", "14:00")), 400,
     "calendar_invalid"),
    ("POST", "/calendars", {**hours(), "timezone": "Mars/Olympus"}, 400, "calendar_invalid"),
    ("POST", "/calendars", {**hours(), "colour": "red"}, 422, "validation_error"),
    ("PUT", "/calendars/99", hours(("08:00", "12:00")), 404, "not_found"),
    ("POST", "/policies", {"name": "p", "response_minutes": 60, "resolution_minutes": 120,
                           "calendar_id": 99}, 400, "calendar_not_found"),
    ("POST", "/policies", {"name": "p", "response_minutes": 0, "resolution_minutes": 120},
     422, "validation_error"),
    ("PUT", "/policies/99", {"name": "p", "response_minutes": 1, "resolution_minutes": 2},
     404, "not_found"),
    ("PUT", "/rules", [{"tier": "key", "policy_id": 99}], 400, "policy_not_found"),
    ("PUT", "/calendars/99/overrides/2026-11-23", {"working": False}, 400,
     "calendar_not_found"),
    ("PUT", "/calendars/1/overrides/2026-13-01", {"working": False}, 422, "validation_error"),
    ("PUT", "/calendar-assignments", {"calendar_id": 99, "scope": "customer", "key": "1"},
     400, "calendar_not_found"),
    ("PUT", "/calendar-assignments", {"calendar_id": 1, "scope": "team", "key": "无此服务组"},
     400, "team_not_found"),
    ("PUT", "/calendar-assignments", {"calendar_id": 1, "scope": "group", "key": "1"}, 422,
     "validation_error"),
    ("DELETE", "/calendar-assignments/99", None, 404, "not_found"),
])
def test_bad_input_is_refused_with_a_code_and_writes_nothing(api, db, method, url, body,
                                                             status, code):
    before = last_seq(db)
    r = api(method, url, body)
    assert (r.status_code, r.json()["code"]) == (status, code), r.text
    assert last_seq(db) == before


@pytest.fixture
def lenient(app) -> TestClient:
    """A client that shows a server error as a 500 instead of raising it."""
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize(("method", "url", "body"), [
    ("POST", "/policies", {"name": "紧急 7×24:30 分钟响应,4 小时修复", "response_minutes": 5,
                           "resolution_minutes": 60}),
    ("POST", "/calendars", {"name": "7×24 全天候", "hours": {}, "always_open": True}),
    ("PUT", "/calendars/2", {"name": "5×8 标准工作时间", "hours": WEEK_8_20}),
])
def test_a_name_already_taken_is_a_409_not_a_500(lenient, f, method, url, body):
    r = lenient.request(method, SLA + url, json=body, headers=f.user("admin").headers)
    assert (r.status_code, r.json()["code"]) == (409, "name_taken"), r.text


def test_a_calendar_without_any_working_time_is_refused(api):
    """Stored, it would make every order on it fail with a 500 (no deadline can be found)."""
    r = api("POST", "/calendars", {"name": "空日历", "hours": {}, "public_holidays": False})
    assert r.status_code == 400, r.text
    assert r.json()["code"] == "calendar_invalid"


# ---------------------------------------------------------------- effects on deadlines
def test_a_day_off_override_moves_the_deadline_and_removing_it_moves_it_back(api, f):
    standard = f.customer(tier="standard")
    assert response_due(f, customer_id=standard) == sh(2026, 11, 23, 17)
    assert api("PUT", "/calendars/1/overrides/2026-11-23", {"working": False}).status_code == 200
    assert response_due(f, customer_id=standard) == sh(2026, 11, 24, 17)
    api("DELETE", "/calendars/1/overrides/2026-11-23")
    api("PUT", "/calendars/1/overrides/2026-11-21", {"working": True, "note": "加班"})
    # Saturday works Monday's hours: 1 h Friday, 3.5 + 3.5 h Saturday
    assert response_due(f, customer_id=standard) == sh(2026, 11, 21, 17)


@pytest.fixture
def by_location(api) -> dict[str, int]:
    """A 7×12 calendar, and a standard-tier policy that has no calendar of its own."""
    cal = api("POST", "/calendars", {"name": "客户 7×12", "hours": WEEK_8_20,
                                     "public_holidays": False}).json()["id"]
    pol = api("POST", "/policies", {"name": "按地点日历 1 小时", "response_minutes": 60,
                                    "resolution_minutes": 600}).json()["id"]
    assert api("PUT", "/rules", [{"tier": "standard", "policy_id": pol}]).status_code == 200
    return {"calendar": cal, "policy": pol}


def test_a_customers_or_regions_calendar_is_used_for_its_new_orders(api, f, by_location):
    set_clock(lambda: sh(2026, 11, 21, 19, 30))  # Saturday evening
    mine, zhejiang, elsewhere = (f.customer(province=p) for p in ("浙江", "浙江", "广东"))
    api("PUT", "/calendar-assignments", {"calendar_id": by_location["calendar"],
                                         "scope": "customer", "key": str(mine)})
    r = api("PUT", "/calendar-assignments", {"calendar_id": 3, "scope": "region", "key": "浙江"})
    assert r.status_code == 200
    # the customer's own calendar beats its region's: 30 min Saturday, 30 min Sunday
    assert response_due(f, customer_id=mine) == sh(2026, 11, 22, 8, 30)
    assert response_due(f, customer_id=zhejiang) == sh(2026, 11, 21, 20, 30)  # 7×24
    assert response_due(f, customer_id=elsewhere) == sh(2026, 11, 23, 9, 30)  # default 5×8
    (mine_row,) = [a for a in api("GET", "/calendar-assignments").json()
                   if a["scope"] == "customer"]
    assert api("DELETE", f"/calendar-assignments/{mine_row['id']}").status_code == 204
    assert response_due(f, customer_id=mine) == sh(2026, 11, 21, 20, 30)  # the region's now


def test_the_status_on_the_order_counts_on_its_regions_calendar_too(api, client, f,
                                                                    by_location):
    """Due 18:30 on the region's 7×24 calendar; at 17:55 there are 35 of 60 minutes left (on
    track), not the 5 minutes the default 5×8 calendar would count (at risk)."""
    api("PUT", "/calendar-assignments", {"calendar_id": 3, "scope": "region", "key": "浙江"})
    set_clock(lambda: sh(2026, 11, 20, 17, 30))
    oid = f.order(customer_id=f.customer(province="浙江"))
    set_clock(lambda: sh(2026, 11, 20, 17, 55))
    r = client.get(f"/api/v1/work-orders/{oid}", headers=f.user("admin").headers)
    sla = r.json()["sla"]
    assert datetime.fromisoformat(sla["response_due_at"]) == sh(2026, 11, 20, 18, 30)
    assert sla["response_status"] == "on_track"
    listed = client.get("/api/v1/work-orders", headers=f.user("admin").headers).json()
    assert listed["items"][0]["sla"]["response_status"] == "on_track"


def test_with_the_seeded_matrix_a_standard_customers_calendar_applies(api, f):
    """All seeded policies name a calendar, which beats the customer's: an assignment made
    in the admin UI would change nobody's deadlines."""
    customer = f.customer(tier="standard")
    api("PUT", "/calendar-assignments", {"calendar_id": 3, "scope": "customer",
                                         "key": str(customer)})
    assert response_due(f, customer_id=customer) == FRIDAY + timedelta(hours=8)  # on 7×24


# ---------------------------------------------------------------- holiday data
def test_calendars_warn_that_next_years_holidays_are_not_loaded(api):
    set_clock(lambda: sh(2026, 11, 22, 10))
    warning = api("GET", "/calendars", role="director").json()["holiday_warning"]
    assert warning is not None and "2027" in warning["zh-CN"] and "2027" in warning["en"]
    assert "2026" not in warning["en"]
    set_clock(lambda: sh(2025, 11, 22, 10))  # 2025 and 2026 are both known
    assert api("GET", "/calendars").json()["holiday_warning"] is None


def test_matrix_cells_must_name_known_tiers_and_priorities(client, f):
    admin = f.user("admin")
    for bad in ({"tier": "vip", "policy_id": 3}, {"priority": "asap", "policy_id": 3}):
        r = client.put("/api/v1/sla/rules", json=[bad], headers=admin.headers)
        assert (r.status_code, r.json()["code"]) == (422, "validation_error"), bad
    rules = client.get("/api/v1/sla/rules", headers=admin.headers).json()
    assert len(rules) == 5  # the seeded matrix is untouched


def test_overrides_of_a_calendar_that_does_not_exist_are_not_found(client, f):
    r = client.get("/api/v1/sla/calendars/999/overrides", headers=f.user("admin").headers)
    assert r.status_code == 404
