"""Business calendars attached to service teams: precedence (the policy's, the customer's, the
assignee's team's, the region's, the default), an order moving onto its new assignee's team
calendar and back when it changes hands (assigned, reassigned, declined) without losing the
elapsed time (and likewise onto another customer's), the sweeper and the order's status
counting on the same calendar, and assignments that must name an existing team."""

from datetime import datetime, timedelta

import pytest

from bihuan.engineers import service as engineers
from bihuan.engineers.schemas import EngineerCreate
from bihuan.kit.context import SYSTEM, RequestContext
from bihuan.sla import clock as sla_clock
from bihuan.sla import service as sla
from bihuan.sla.calendar import DEFAULT_HOURS, BusinessCalendar
from bihuan.sla.sweeper import sweep_once
from tests.audit.helpers import fast_argon2, last_seq
from tests.factories import PASSWORD
from tests.sla.support import SH, row

pytestmark = pytest.mark.usefixtures("fast_argon2")
_ = fast_argon2  # the fixture, imported

WO = "/api/v1/work-orders"
H = timedelta(hours=1)
SOUTH, EAST = "华南服务组", "华东服务组"
EXTENDED, ALWAYS = 2, 3  # seeded calendars: 5×12 and 7×24 (calendar 1, 5×8, is the default)


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)


FRIDAY = sh(2026, 11, 20, 17)


# ---------------------------------------------------------------- precedence, pure
def _cal() -> BusinessCalendar:
    return BusinessCalendar(tz="Asia/Shanghai", hours=DEFAULT_HOURS)


CALS = {"policy": _cal(), "customer": _cal(), "team": _cal(), "region": _cal(),
        "default": _cal()}
TARGETS = sla_clock.Targets(H, 8 * H)
OWN = sla.Policy(1, "own calendar", TARGETS, calendar_id=10)
PLAIN = sla.Policy(2, "no calendar", TARGETS, calendar_id=None)
TABLES = sla._Tables(
    policies={1: OWN, 2: PLAIN}, default_policy=PLAIN, rules=[],
    calendars={10: CALS["policy"], 11: CALS["customer"], 12: CALS["team"], 13: CALS["region"]},
    default_calendar=CALS["default"], by_customer={"7": 11}, by_region={"广东": 13},
    by_team={SOUTH: 12})


@pytest.mark.parametrize(("policy", "customer", "region", "team", "expected"), [
    (OWN, 7, "广东", SOUTH, "policy"),
    (PLAIN, 7, "广东", SOUTH, "customer"),
    (PLAIN, 8, "广东", SOUTH, "team"),
    (PLAIN, None, None, SOUTH, "team"),
    (PLAIN, 8, "广东", EAST, "region"),  # a team without a calendar of its own
    (PLAIN, 8, "广东", None, "region"),
    (PLAIN, 8, "浙江", EAST, "default"),
    (None, None, None, None, "default"),
])
def test_the_customers_calendar_beats_the_teams_which_beats_the_regions(
        policy, customer, region, team, expected):
    cal = sla.calendar_for(TABLES, policy, customer, region, team)
    assert [k for k, v in CALS.items() if v is cal] == [expected]


# ---------------------------------------------------------------- through the workflow
@pytest.fixture
def clock(clock):
    clock.to(FRIDAY)
    return clock


def engineer(f, username: str, team: str | None) -> int:
    with f.session() as s:
        return engineers.create_engineer(s, RequestContext(SYSTEM), EngineerCreate(
            username=username, display_name=username, password=PASSWORD, skills=["HR-E"],
            cert_level=3, home_base="深圳", region="华南", team=team)).user_id


@pytest.fixture
def people(client, f, clock) -> dict[str, int]:
    """An engineer of 华南服务组 (on 7×24), one of 华东服务组 (no calendar), one in no team."""
    found = {"south": engineer(f, "south.eng", SOUTH), "east": engineer(f, "east.eng", EAST),
             "none": engineer(f, "lone.eng", None)}
    r = client.put("/api/v1/sla/calendar-assignments", headers=f.user("admin").headers,
                   json={"calendar_id": ALWAYS, "scope": "team", "key": SOUTH})
    assert r.status_code == 200, r.text
    return found


def act(client, f, oid: int, action: str, **body) -> None:
    r = client.post(f"{WO}/{oid}/transitions", headers=f.user("admin").headers,
                    json={"action": action, **body})
    assert r.status_code == 200, r.text


def deadlines(f, oid: int) -> tuple[datetime | None, datetime | None]:
    o = row(f, oid)
    return o.response_due_at, o.resolution_due_at


def standard_order(f, **kw) -> int:
    """Standard tier: 8 h response, 48 h resolution, on the order's own calendar."""
    return f.order("dispatching", customer_id=f.customer(tier="standard", **kw))


def test_an_order_counts_on_its_assignees_team_calendar_and_moves_back_when_reassigned(
        client, f, clock, people):
    oid = standard_order(f)  # Friday 17:00, on the default 5×8 calendar
    assert deadlines(f, oid) == (sh(2026, 11, 23, 17), sh(2026, 11, 30, 17))

    # 18:00, one working hour gone: 7 h and 47 h left, now counted round the clock
    clock.now = FRIDAY + H
    act(client, f, oid, "assign", assignee_id=people["south"])
    o = row(f, oid)
    assert (o.response_due_at, o.resolution_due_at) == (sh(2026, 11, 21, 1), sh(2026, 11, 22, 17))
    assert (o.sla_elapsed_seconds, o.sla_running_since, o.sla_paused_seconds) == (
        3600, FRIDAY + H, 0)
    # the order's status counts on the team's calendar too, in its detail and in lists
    detail = client.get(f"{WO}/{oid}", headers=f.user("admin").headers).json()["sla"]
    assert (detail["response_status"], detail["response_left_seconds"]) == ("on_track", 7 * 3600)
    listed = client.get(WO, headers=f.user("admin").headers).json()["items"]
    assert [x["sla"]["response_left_seconds"] for x in listed if x["id"] == oid] == [7 * 3600]

    # 20:00, two more hours on 7×24: 3 h used, the rest back on 5×8 from Monday morning
    clock.now = FRIDAY + 3 * H
    before = last_seq(f.db)
    act(client, f, oid, "assign", assignee_id=people["none"])
    o = row(f, oid)
    assert (o.response_due_at, o.resolution_due_at) == (sh(2026, 11, 23, 15),
                                                        sh(2026, 11, 30, 15))
    assert (o.sla_elapsed_seconds, o.sla_running_since) == (3 * 3600, FRIDAY + 3 * H)
    assert last_seq(f.db) == before + 1  # one audit event, with the moved deadlines in it


def test_a_decline_puts_the_order_back_on_its_own_calendar(client, f, clock, people):
    oid = standard_order(f)
    clock.now = FRIDAY + H
    act(client, f, oid, "assign", assignee_id=people["south"])
    clock.now = FRIDAY + 2 * H  # one hour on 7×24, one on 5×8 before it: 6 h left
    act(client, f, oid, "decline", reason="不在服务区")
    o = row(f, oid)
    assert (o.assignee_id, o.sla_elapsed_seconds) == (None, 2 * 3600)
    assert o.response_due_at == sh(2026, 11, 23, 16)


def test_a_team_without_a_calendar_leaves_the_deadlines_alone(client, f, clock, people):
    oid = standard_order(f)
    was = deadlines(f, oid)
    clock.now = FRIDAY + H
    act(client, f, oid, "assign", assignee_id=people["east"])
    assert deadlines(f, oid) == was
    assert row(f, oid).sla_elapsed_seconds == 0  # the clock was not even touched


def test_the_customers_own_calendar_beats_the_assignees_team(client, f, clock, people):
    customer = f.customer(tier="standard")
    r = client.put("/api/v1/sla/calendar-assignments", headers=f.user("admin").headers,
                   json={"calendar_id": EXTENDED, "scope": "customer", "key": str(customer)})
    assert r.status_code == 200, r.text
    oid = f.order("dispatching", customer_id=customer)
    was = deadlines(f, oid)  # 5×12: 3 h Friday, 5 h Monday
    assert was[0] == sh(2026, 11, 23, 13)
    clock.now = FRIDAY + H
    act(client, f, oid, "assign", assignee_id=people["south"])
    assert deadlines(f, oid) == was


def test_the_team_calendar_beats_the_regions(client, f, clock, people):
    r = client.put("/api/v1/sla/calendar-assignments", headers=f.user("admin").headers,
                   json={"calendar_id": EXTENDED, "scope": "region", "key": "广东"})
    assert r.status_code == 200, r.text
    oid = standard_order(f)
    assert deadlines(f, oid)[0] == sh(2026, 11, 23, 13)  # the region's 5×12
    clock.now = FRIDAY + H  # one hour of 5×12 gone
    act(client, f, oid, "assign", assignee_id=people["south"])
    assert deadlines(f, oid)[0] == sh(2026, 11, 21, 1)


def test_moving_an_order_to_another_customer_moves_its_clock_onto_that_customers_calendar(
        client, f, clock):
    """The same policy (standard), another calendar: as for a new assignee, the hour on 5×8
    is kept and the 7 h left count round the clock."""
    round_the_clock = f.customer(tier="standard")
    r = client.put("/api/v1/sla/calendar-assignments", headers=f.user("admin").headers,
                   json={"calendar_id": ALWAYS, "scope": "customer", "key": str(round_the_clock)})
    assert r.status_code == 200, r.text
    oid = standard_order(f)
    clock.now = FRIDAY + H
    r = client.patch(f"{WO}/{oid}", headers=f.user("admin").headers,
                     json={"customer_id": round_the_clock})
    assert r.status_code == 200, r.text
    o = row(f, oid)
    assert (o.sla_policy_id, o.sla_elapsed_seconds) == (3, 3600)
    assert (o.response_due_at, o.resolution_due_at) == (sh(2026, 11, 21, 1), sh(2026, 11, 22, 17))


def test_the_sweeper_escalates_on_the_assignees_team_calendar(client, f, db, settings, clock,
                                                              people):
    """Saturday 05:00 is 4 h past the 7×24 deadline (Saturday 01:00), half the 8 h target:
    level 2. The same order in no team is due on Monday and not escalated at all."""
    south, lone = standard_order(f), standard_order(f)
    clock.now = FRIDAY + H
    act(client, f, south, "assign", assignee_id=people["south"])
    act(client, f, lone, "assign", assignee_id=people["none"])
    # at risk with 1.6 of the 8 hours left (7×24), due Saturday 01:00
    assert row(f, south).sla_next_at == sh(2026, 11, 20, 23, 24)
    clock.now = sh(2026, 11, 21, 5)
    sweep_once(db, settings, now=clock.now)
    assert (row(f, south).escalation_level, row(f, lone).escalation_level) == (2, 0)
    # the next look: level 3 at a full target over, 8 h after the deadline on 7×24
    assert row(f, south).sla_next_at == sh(2026, 11, 21, 9)


def test_a_calendar_can_only_be_given_to_a_team_that_exists(client, f, db, people):
    admin = f.user("admin").headers
    before = last_seq(db)
    for key, status, code in (("华北服务组", 400, "team_not_found"),
                              ("华南", 400, "team_not_found"),
                              (" ", 422, "validation_error"), ("组" * 65, 422, "validation_error")):
        r = client.put("/api/v1/sla/calendar-assignments", headers=admin,
                       json={"calendar_id": ALWAYS, "scope": "team", "key": key})
        assert (r.status_code, r.json()["code"]) == (status, code), (key, r.text)
    assert last_seq(db) == before
    r = client.put("/api/v1/sla/calendar-assignments", headers={**admin, "Accept-Language": "en"},
                   json={"calendar_id": ALWAYS, "scope": "team", "key": "华北服务组"})
    assert r.json()["message"] == "There is no service team '华北服务组': set it on an engineer first"
    assert r.json()["messages"]["zh-CN"] == "服务组「华北服务组」不存在:先在工程师资料中设置服务组"
    r = client.put("/api/v1/sla/calendar-assignments", headers=admin,
                   json={"calendar_id": EXTENDED, "scope": "team", "key": f" {EAST} "})
    assert (r.status_code, r.json()["key"]) == (200, EAST)
    listed = client.get("/api/v1/sla/calendar-assignments", headers=admin).json()
    assert sorted((a["scope"], a["key"], a["calendar_id"]) for a in listed) == [
        ("team", EAST, EXTENDED), ("team", SOUTH, ALWAYS)]
