"""An order's SLA clock through the workflow: deadlines on create, hold and resume, a priority
change mid-way, the statuses shown on the order, the `overdue` filter, reopening (and its
escalation), and the customer-perceived time. Time only moves when a test moves it."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bihuan.audit.models import AuditEvent
from bihuan.sla.calendar import ALWAYS_OPEN, DEFAULT_HOURS, BusinessCalendar
from bihuan.sla.sweeper import sweep_once
from tests.portal.helpers import P, awaiting, signature
from tests.sla.support import MONDAY, SH, row

WO = "/api/v1/work-orders"
H, MIN, SEC = timedelta(hours=1), timedelta(minutes=1), timedelta(seconds=1)
CAL_5X8 = BusinessCalendar(tz="Asia/Shanghai", hours=DEFAULT_HOURS)  # as seeded: calendar 1
FRIDAY = datetime(2026, 11, 20, 17, tzinfo=SH)


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)


def sla_of(client, f, oid: int) -> dict:
    r = client.get(f"{WO}/{oid}", headers=f.user("admin").headers)
    assert r.status_code == 200, r.text
    return r.json()["sla"]


def due(sla: dict, kind: str = "response") -> datetime:
    return datetime.fromisoformat(sla[f"{kind}_due_at"])


def order(f, tier: str = "standard", state: str = "new", **kw) -> int:
    return f.order(state, customer_id=f.customer(tier=tier), **kw)


# ---------------------------------------------------------------- deadlines on create
@pytest.mark.parametrize(("tier", "priority", "policy", "response", "resolution", "first"), [
    # 8 working hours on 5×8: 1 h on Friday, none at the weekend, 3.5 + 3.5 h on Monday
    ("standard", "normal", 3, sh(2026, 11, 23, 17), sh(2026, 11, 30, 17), sh(2026, 11, 20, 19)),
    # 7×24, 30 min: at risk after 24
    ("standard", "urgent", 5, sh(2026, 11, 20, 17, 30), sh(2026, 11, 20, 21),
     sh(2026, 11, 20, 17, 24)),
    # 7×24, 2 h: at risk after 96 min, before the undispatched check at 19:00
    ("strategic", "normal", 1, sh(2026, 11, 20, 19), sh(2026, 11, 21, 1), sh(2026, 11, 20, 18, 36)),
    # 5×12, 08:00–20:00
    ("key", "normal", 2, sh(2026, 11, 23, 9), sh(2026, 11, 24, 17), sh(2026, 11, 20, 19)),
])
def test_an_order_created_friday_at_five_gets_its_policys_deadlines(
        client, f, clock, tier, priority, policy, response, resolution, first):
    clock.to(FRIDAY)
    oid = order(f, tier, priority=priority)
    o = row(f, oid)
    assert o.sla_policy_id == policy
    assert (o.response_due_at, o.resolution_due_at) == (response, resolution)
    assert o.sla_running_since == FRIDAY and o.sla_elapsed_seconds == 0
    # the sweeper looks first when the response turns at risk, or at the undispatched check
    # two hours in
    assert o.sla_next_at == first
    sla = sla_of(client, f, oid)
    assert sla["policy"]["id"] == policy
    assert (due(sla), due(sla, "resolution")) == (response, resolution)
    assert (sla["response_status"], sla["paused"], sla["escalation_level"]) == (
        "on_track", False, 0)


# ---------------------------------------------------------------- hold and resume
def test_hold_stops_the_clock_and_resume_pushes_deadlines_by_the_working_time_on_hold(
        client, f, clock):
    # Monday 09:00, 5×8: response due Tuesday 09:00; starting work answers the response
    oid = order(f, state="in_progress")
    before = row(f, oid)
    assert before.response_due_at == sh(2026, 11, 17, 9)
    clock.to(sh(2026, 11, 16, 10))
    f.act(oid, "hold")
    held = row(f, oid)
    assert held.sla_next_at is None and held.sla_running_since is None
    assert held.sla_elapsed_seconds == 3600
    sla = sla_of(client, f, oid)
    assert (sla["response_status"], sla["resolution_status"], sla["paused"]) == (
        "met", "paused", True)

    clock.to(sh(2026, 11, 16, 15))  # on hold 10:00–15:00: 3.5 working hours (lunch off)
    f.act(oid, "resume")
    resumed = row(f, oid)
    assert resumed.response_due_at == before.response_due_at  # met: it stays as it was
    for kind in ("resolution_due_at",):
        shift = CAL_5X8.between(getattr(before, kind), getattr(resumed, kind))
        assert shift == timedelta(hours=3.5), kind
    assert resumed.sla_paused_seconds == 5 * 3600  # wall time on hold
    assert resumed.sla_next_at is not None
    sla = sla_of(client, f, oid)
    assert (sla["resolution_status"], sla["paused"], sla["paused_seconds"]) == (
        "on_track", False, 5 * 3600)

    clock.to(sh(2026, 11, 17, 9))  # a second hold, one working hour long
    f.act(oid, "hold")
    clock.to(sh(2026, 11, 17, 10))
    f.act(oid, "resume")
    again = row(f, oid)
    assert again.sla_paused_seconds == 6 * 3600
    assert again.response_due_at == before.response_due_at
    assert again.sla_elapsed_seconds == 4.5 * 3600  # Mon 09–10 and 15–18, Tue 08:30–09


def test_raising_the_priority_switches_the_policy_and_keeps_the_elapsed_time(client, f, clock):
    oid = order(f, state="assigned")  # standard: policy 3 on 5×8
    now = clock.to(MONDAY + 20 * MIN)
    r = client.patch(f"{WO}/{oid}", json={"priority": "urgent"}, headers=f.user("admin").headers)
    assert r.status_code == 200, r.text
    o = row(f, oid)
    assert o.sla_policy_id == 5
    elapsed = timedelta(seconds=o.sla_elapsed_seconds)
    assert elapsed == 20 * MIN
    assert o.response_due_at == ALWAYS_OPEN.add(now, 30 * MIN - elapsed) == now + 10 * MIN
    assert o.resolution_due_at == ALWAYS_OPEN.add(now, 240 * MIN - elapsed)
    assert o.sla_next_at == now + 4 * MIN  # at risk once 24 of the 30 minutes are used
    with f.db.session(write=False) as s:
        event = s.scalars(select(AuditEvent).where(
            AuditEvent.entity_id == oid, AuditEvent.action == "update")).one()
    assert event.changes["sla_policy_id"] == [3, 5]
    assert event.changes["priority"] == ["normal", "urgent"]
    assert sla_of(client, f, oid)["policy"]["id"] == 5


def test_the_time_banked_at_a_policy_change_is_counted_on_the_old_calendar(client, f, clock):
    """Friday 17:50 → 18:10 is 10 working minutes on the standard 5×8 calendar, not 20: the
    evening only starts counting once the urgent 7×24 policy applies."""
    clock.to(sh(2026, 11, 20, 17, 50))
    oid = order(f, state="assigned")
    now = clock.to(sh(2026, 11, 20, 18, 10))
    r = client.patch(f"{WO}/{oid}", json={"priority": "urgent"}, headers=f.user("admin").headers)
    assert r.status_code == 200, r.text
    o = row(f, oid)
    assert o.sla_elapsed_seconds == 600
    assert o.response_due_at == now + 20 * MIN


# ---------------------------------------------------------------- statuses
def test_status_goes_on_track_then_at_risk_then_breached(client, f, clock):
    oid = order(f, "strategic", state="assigned")  # 120 min on 7×24: at risk below 24 min
    expected = [(96 * MIN, "on_track"), (96 * MIN + timedelta(seconds=1), "at_risk"),
                (120 * MIN - timedelta(seconds=1), "at_risk"), (120 * MIN, "breached")]
    for offset, status in expected:
        clock.to(MONDAY + offset)
        assert sla_of(client, f, oid)["response_status"] == status, offset


def test_accepting_on_time_meets_the_response_and_resolving_late_breaches(client, f, clock):
    eng = f.user("engineer")
    late = order(f, "strategic", state="assigned", assignee=eng)
    on_time = order(f, "strategic", state="assigned", assignee=eng)
    clock.to(MONDAY + H)
    for oid in (late, on_time):
        f.act(oid, "accept", assignee=eng)
        f.act(oid, "start", assignee=eng)
    clock.to(MONDAY + 7 * H)
    f.act(on_time, "resolve", assignee=eng)
    clock.to(MONDAY + 9 * H)  # resolution target 8 h on 7×24
    f.act(late, "resolve", assignee=eng)
    clock.to(MONDAY + 30 * H)  # statuses of met deadlines do not change with time
    for oid, resolution in ((late, "breached"), (on_time, "met")):
        sla = sla_of(client, f, oid)
        assert (sla["response_status"], sla["resolution_status"]) == ("met", resolution), oid
        assert row(f, oid).sla_next_at is None


def test_overdue_lists_exactly_the_open_orders_past_a_deadline(client, f, clock):
    eng = f.user("engineer")
    unaccepted = order(f, "strategic", state="assigned", assignee=eng)  # response due 11:00
    accepted = order(f, "strategic", state="assigned", assignee=eng)  # resolution due 17:00
    order(f, "standard", state="assigned")  # response due Tuesday 09:00
    cancelled = order(f, "strategic")
    clock.to(MONDAY + 10 * MIN)
    f.act(accepted, "accept", assignee=eng)
    f.act(cancelled, "cancel")
    admin = f.user("admin")

    def overdue() -> tuple[set[int], int]:
        r = client.get(WO, params={"overdue": "true"}, headers=admin.headers)
        board = client.get("/api/v1/sla/board", headers=admin.headers).json()
        return {o["id"] for o in r.json()["items"]}, board["overdue"]

    clock.to(MONDAY + 2 * H - timedelta(seconds=1))
    assert overdue() == (set(), 0)
    clock.to(MONDAY + 2 * H + 30 * MIN)
    assert overdue() == ({unaccepted}, 1)
    clock.to(MONDAY + 8 * H + MIN)
    assert overdue() == ({unaccepted, accepted}, 2)


def test_an_order_held_before_its_deadline_is_paused_not_overdue(client, f, clock):
    """Held with an hour of its response time left: while on hold nothing runs out."""
    oid = order(f, "strategic", state="assigned")  # response due 11:00 on 7×24
    clock.to(MONDAY + H)
    f.act(oid, "hold")
    clock.to(MONDAY + 5 * H)
    sla = sla_of(client, f, oid)
    assert (sla["response_status"], sla["resolution_status"]) == ("paused", "paused")
    assert sla["response_left_seconds"] == 3600  # the countdown stands still
    r = client.get(WO, params={"overdue": "true"}, headers=f.user("admin").headers)
    assert r.json()["items"] == []
    clock.to(MONDAY + 6 * H)
    f.act(oid, "resume")
    assert row(f, oid).response_due_at == MONDAY + 7 * H  # the hour that was left


# ---------------------------------------------------------------- reopen
def test_reopening_restarts_the_resolution_clock_and_its_escalation(client, f, clock):
    eng = f.user("engineer")
    oid = order(f, "strategic", state="assigned", assignee=eng)
    f.act(oid, "accept", assignee=eng)
    f.act(oid, "start", assignee=eng)
    clock.to(MONDAY + H)
    f.act(oid, "resolve", assignee=eng)
    assert row(f, oid).sla_next_at is None
    clock.to(MONDAY + 3 * H)
    f.act(oid, "reopen")  # the customer is not satisfied: 7 of the 8 hours are left
    o = row(f, oid)
    assert o.sla_running_since == MONDAY + 3 * H
    assert o.resolution_due_at == MONDAY + 10 * H
    # at risk once 6.4 of the 8 working hours are used: 5.4 h after the reopen
    assert o.sla_next_at == MONDAY + 3 * H + timedelta(hours=5.4)
    assert sla_of(client, f, oid)["resolution_status"] == "on_track"
    assert sweep_once(f.db, f.settings, now=clock.to(o.sla_next_at)).at_risk == 1
    assert row(f, oid).sla_next_at == MONDAY + 10 * H
    assert sweep_once(f.db, f.settings, now=clock.to(MONDAY + 10 * H - SEC)).checked == 0
    assert sweep_once(f.db, f.settings, now=clock.to(MONDAY + 10 * H)).levels == {1: 1}
    assert sla_of(client, f, oid)["resolution_status"] == "breached"
    assert row(f, oid).escalation_level == 1


# ---------------------------------------------------------------- customer-perceived time
def test_customer_seconds_run_from_the_report_to_the_portal_confirmation(client, f, clock):
    oid, code = awaiting(f, reporter_phone="13812345678")
    clock.to(MONDAY + timedelta(days=2, hours=3, minutes=7))
    r = client.post(f"{P}/track/{code}/confirm", json=signature()[0])
    assert r.status_code == 200, r.text
    o = row(f, oid)
    assert o.state == "closed" and o.closed_at == clock.now
    expected = (o.closed_at - o.created_at).total_seconds()
    assert expected == 2 * 86400 + 3 * 3600 + 7 * 60
    assert o.customer_seconds == expected
    assert sla_of(client, f, oid)["customer_seconds"] == expected
