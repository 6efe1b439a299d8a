"""The SLA sweeper with an injected clock: escalation levels 1–3 and who hears of each (outbox
rows, to-dos, the director's board), undispatched orders, exactly-once announcements (a
repeated sweep, two sweepers racing), one transaction per sweep, paused and closed orders."""

import os
import subprocess
import sys
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from bihuan.audit import service as audit
from bihuan.audit.models import AuditEvent
from bihuan.notifications import service as notify
from bihuan.notifications.config import NotifySettings
from bihuan.notifications.models import NotificationChannel, Outbox
from bihuan.notifications.relay import run_once
from bihuan.sla import service as sla
from bihuan.sla import sweeper
from bihuan.sla.models import SlaPolicy, Todo
from bihuan.users.models import User
from bihuan.workorders.models import WorkOrder
from tests.factories import TestUser as Staff
from tests.sla.support import MONDAY, row

H, MIN, SEC = timedelta(hours=1), timedelta(minutes=1), timedelta(seconds=1)
ENG_PHONE, BOSS_PHONE = "13800000001", "13900000002"


@dataclass
class Team:  # boss: the engineer's own supervisor; robots: the enabled group robots
    eng: Staff
    boss: Staff
    other_supervisor: Staff
    director: Staff
    dispatcher: Staff
    robots: list[int]


@pytest.fixture
def team(f, clock) -> Team:
    t = Team(f.user("engineer", "eng"), f.user("supervisor", "boss"), f.user("supervisor"),
             f.user("director"), f.user("dispatcher"), [])
    retired = f.user("director", "retired")
    with f.session() as s:
        s.execute(update(User).where(User.id == t.eng.id).values(
            supervisor_id=t.boss.id, phone=ENG_PHONE))
        s.execute(update(User).where(User.id == t.boss.id).values(phone=BOSS_PHONE))
        s.execute(update(User).where(User.id == retired.id).values(is_active=False))
        channels = [NotificationChannel(kind=k, name=k, url=f"https://{k}.example/hook",
                                        enabled=on, settings={})
                    for k, on in (("wecom", True), ("dingtalk", True), ("feishu", False),
                                  ("webhook", True))]
        s.add_all(channels)
        s.flush()
        t.robots = [c.id for c in channels[:2]]
    return t


@pytest.fixture
def sweep(db, settings, clock):  # sweep(at): the clock moves to `at`, one sweep runs there
    def run(at: datetime) -> sweeper.SweepStats:
        clock.now = at
        return sweeper.sweep_once(db, settings, now=at)
    return run


def relay(db) -> None:  # one cycle: fan-out rows expand (their rows go out the next cycle)
    run_once(db, NotifySettings(delivery_threads=1))


def rows(db, model, *where) -> list:
    with db.session(write=False) as s:
        found = list(s.scalars(select(model).where(*where).order_by(
            *model.__table__.primary_key)))
        s.expunge_all()
        return found


def outbox(db, fanout: bool | None = None) -> list[Outbox]:
    return rows(db, Outbox, *(() if fanout is None else ((Outbox.channel == "fanout")
                                                        == fanout,)))


def breaches(db, fanout: bool | None = True) -> list[Outbox]:
    """The escalations' rows (not the at-risk warnings before them)."""
    return [r for r in outbox(db, fanout) if r.event == "sla.breach"]


def escalations(db, oid: int | None = None) -> list[AuditEvent]:
    return rows(db, AuditEvent, AuditEvent.action == "sla:escalate",
                *(() if oid is None else (AuditEvent.entity_id == oid,)))


def count(db, model) -> int:
    return len(rows(db, model))


def expected_keys(oid: int, level: int, team: Team, *users: Staff) -> set[str]:
    """The rows one level's announcement expands to: in-app per person, robots below L3."""
    base = f"sla:{oid}:response:L{level}"
    robots = {f"{base}:{k}:c{c}" for k, c in zip(("wecom", "dingtalk"), team.robots,
                                                   strict=True)} if level < 3 else set()
    return {f"{base}:inapp:u{u.id}" for u in users} | robots


def announcement(db, key: str) -> Outbox:
    (fan,) = [r for r in outbox(db, fanout=True) if r.dedupe_key == key]
    return fan


# the strategic order's response turns at risk at 10:36, with 24 of its 120 minutes left
RISK = MONDAY + 96 * MIN


def strategic(f, team: Team, **kw) -> int:
    """Assigned at Monday 09:00; 120 min response on 7×24: at risk 10:36, L1 11:00, L2 12:00,
    L3 13:00."""
    return f.order("assigned", customer_id=f.customer(tier="strategic"), assignee=team.eng, **kw)


# ---------------------------------------------------------------- the three levels
def test_level_1_at_the_deadline_tells_the_assignee_in_app_and_in_the_robots(f, db, team,
                                                                             sweep):
    oid = strategic(f, team)
    assert sweep(RISK - SEC).checked == 0
    assert sweep(RISK).at_risk == 1  # see test_a_deadline_at_risk_warns_the_assignee_once
    assert sweep(MONDAY + 2 * H - SEC).checked == 0
    stats = sweep(MONDAY + 2 * H)
    assert (stats.escalated, stats.levels, stats.notifications) == (1, {1: 1}, 1)
    (fan,) = breaches(db)  # one fan-out row, written with the escalation
    assert (fan.channel, fan.event, fan.dedupe_key, fan.status) == (
        "fanout", "sla.breach", f"sla:{oid}:response:L1", "pending")
    p, data = fan.payload, fan.payload["data"]
    assert (p["users"], p["robots"], p["mentions"]) == ([team.eng.id], True, [ENG_PHONE])
    assert (data["order_id"], data["level"], data["kind"]) == (oid, 1, "response")
    assert datetime.fromisoformat(data["due_at"]) == MONDAY + 2 * H
    relay(db)
    rows = breaches(db, fanout=False)
    assert {r.dedupe_key for r in rows} == expected_keys(oid, 1, team, team.eng)
    assert sorted((r.channel, r.target, r.recipient, r.payload["mentions"]) for r in rows) == [
        ("dingtalk", str(team.robots[1]), None, [ENG_PHONE]),
        ("inapp", str(team.eng.id), str(team.eng.id), []),
        ("wecom", str(team.robots[0]), None, [ENG_PHONE])]
    for r in rows:
        assert (r.event, r.status, r.payload["urgent"]) == ("sla.breach", "pending", True)
        assert r.payload["link"] == f"/desk/work-orders/{oid}"
    (event,) = escalations(db, oid)
    assert event.changes == {"escalation_level": [0, 1], "sla_deadline": [None, "response"]}
    assert (row(f, oid).escalation_level, row(f, oid).sla_next_at) == (1, MONDAY + 3 * H)


def test_level_2_at_half_the_target_over_gives_his_own_supervisor_a_todo(client, f, db, team,
                                                                         sweep):
    oid = strategic(f, team)
    sweep(MONDAY + 2 * H)
    assert sweep(MONDAY + 3 * H - SEC).checked == 0
    assert sweep(MONDAY + 3 * H).levels == {2: 1}
    fan = announcement(db, f"sla:{oid}:response:L2")
    assert (fan.payload["users"], fan.payload["mentions"]) == ([team.boss.id], [BOSS_PHONE])
    relay(db)
    keys = {r.dedupe_key for r in outbox(db, fanout=False)}
    assert keys == expected_keys(oid, 1, team, team.eng) | expected_keys(oid, 2, team,
                                                                          team.boss)
    assert row(f, oid).escalation_level == 2

    def todos(user: Staff, **params: str) -> list[dict]:
        r = client.get("/api/v1/todos", params=params, headers=user.headers)
        assert r.status_code == 200, r.text
        return r.json()

    (todo,) = todos(team.boss)
    assert (todo["work_order_id"], todo["done_at"]) == (oid, None)
    assert todos(team.other_supervisor) == [] and todos(team.eng) == []
    for stranger in (team.other_supervisor, team.eng, team.director):
        r = client.post(f"/api/v1/todos/{todo['id']}/done", headers=stranger.headers)
        assert (r.status_code, r.json()["code"]) == (404, "not_found")
    r = client.post(f"/api/v1/todos/{todo['id']}/done", headers=team.boss.headers)
    assert r.status_code == 200 and r.json()["done_at"] is not None
    assert todos(team.boss) == []
    assert [t["id"] for t in todos(team.boss, open_only="false")] == [todo["id"]]


def test_level_3_at_a_full_target_over_is_the_directors_board(client, f, db, team, sweep):
    oid = strategic(f, team)
    for hours in (2, 3):
        sweep(MONDAY + hours * H)
    relay(db)
    before = {r.id for r in outbox(db)}
    assert sweep(MONDAY + 4 * H).levels == {3: 1}
    fan = announcement(db, f"sla:{oid}:response:L3")
    assert (fan.payload["users"], fan.payload["robots"]) == ([team.director.id], False)
    relay(db)
    new = [r for r in outbox(db, fanout=False) if r.id not in before]
    # the directors in-app (not the retired one), no robots at this level
    assert {r.dedupe_key for r in new} == expected_keys(oid, 3, team, team.director)
    board = client.get("/api/v1/sla/board", headers=team.director.headers)
    assert board.status_code == 200, board.text
    (item,) = board.json()["items"]
    assert (item["id"], item["escalation_level"], item["board_reason"]) == (oid, 3, "escalated")
    assert item["assignee_name"] == "eng" and board.json()["overdue"] == 1
    sla = client.get(f"/api/v1/work-orders/{oid}", headers=team.director.headers).json()["sla"]
    assert (sla["escalation_level"], sla["on_board"]) == (3, True)
    # the resolution deadline (17:00) is still watched: it turns at risk at 15:24, and at
    # 17:00 the top level adds nothing
    assert row(f, oid).sla_next_at == MONDAY + 8 * H - 96 * MIN
    assert sweep(MONDAY + 8 * H - 96 * MIN).at_risk == 1
    assert row(f, oid).sla_next_at == MONDAY + 8 * H
    events = len(escalations(db))
    assert sweep(MONDAY + 8 * H).escalated == 0
    assert len(escalations(db)) == events and row(f, oid).sla_next_at is None


def test_a_late_first_sweep_writes_every_level_once_and_a_repeat_writes_nothing(
        f, db, settings, team, sweep, tmp_path):
    oid = strategic(f, team)
    at = MONDAY + 5 * H
    assert sweep(at).levels == {3: 1}
    assert sorted(r.dedupe_key for r in outbox(db)) == [
        f"sla:{oid}:response:L{n}" for n in (1, 2, 3)]
    (event,) = escalations(db, oid)
    assert (event.changes["escalation_level"], event.changes["board"]) == (
        [0, 3], [None, "escalated"])
    assert count(db, Todo) == 1
    relay(db)
    keys = sorted(r.dedupe_key for r in outbox(db))
    again = sweep(at)
    assert (again.checked, again.notifications) == (0, 0)
    relay(db)
    assert sorted(r.dedupe_key for r in outbox(db)) == keys
    assert sorted(r.dedupe_key for r in outbox(db, fanout=False)) == sorted(
        expected_keys(oid, 1, team, team.eng) | expected_keys(oid, 2, team, team.boss)
        | expected_keys(oid, 3, team, team.director))
    assert len(escalations(db)) == 1 and count(db, Todo) == 1
    env = {**os.environ, "BIHUAN_DATABASE_URL": settings.database_url,
           "BIHUAN_DATA_DIR": str(tmp_path / "cli")}
    cli = subprocess.run([sys.executable, "-m", "bihuan.cli", "audit", "verify"], env=env,
                         capture_output=True, text=True, timeout=60, check=False)
    assert cli.returncode == 0, cli.stderr


def test_an_urgent_order_goes_straight_to_level_3_at_its_first_miss(f, db, team, sweep):
    oid = f.order("assigned", customer_id=f.customer(), assignee=team.eng, priority="urgent")
    assert sweep(MONDAY + 24 * MIN).at_risk == 1
    assert sweep(MONDAY + 30 * MIN - SEC).checked == 0
    assert sweep(MONDAY + 30 * MIN).levels == {3: 1}
    o = row(f, oid)
    assert (o.escalation_level, o.board_reason) == (3, "escalated")
    assert announcement(db, f"sla:{oid}:response:L3").payload["users"] == [team.director.id]


# ---------------------------------------------------------------- undispatched
def test_an_order_not_assigned_within_two_hours_goes_on_the_board(f, db, team, sweep, clock):
    standard = f.customer(tier="standard")  # response due Tuesday: only the 2 h check fires
    waiting, dispatching, assigned = (f.order(s, customer_id=standard)
                                      for s in ("new", "dispatching", "new"))
    clock.now = MONDAY + H
    f.act(assigned, "dispatch")
    f.act(assigned, "assign", assignee=team.eng)
    assert sweep(MONDAY + 2 * H - SEC).checked == 0
    stats = sweep(MONDAY + 2 * H)
    assert (stats.boarded, stats.escalated, stats.notifications) == (2, 0, 2)
    for oid in (waiting, dispatching):
        o = row(f, oid)
        assert (o.board_reason, o.board_since, o.escalation_level) == (
            "undispatched", MONDAY + 2 * H, 0)
        (event,) = escalations(db, oid)
        assert event.changes == {"board": [None, "undispatched"]}
        fan = announcement(db, f"sla:{oid}:undispatched")
        assert (fan.event, fan.payload["robots"]) == ("order.undispatched", True)
        assert fan.payload["users"] == sorted([team.director.id, team.dispatcher.id])
    assert row(f, assigned).board_since is None and escalations(db, assigned) == []
    relay(db)
    rows = outbox(db, fanout=False)
    assert {r.event for r in rows} == {"order.undispatched"}
    assert {r.target for r in rows if r.channel == "inapp"} == {
        str(team.director.id), str(team.dispatcher.id)}
    assert Counter(r.dedupe_key.split(":")[1] for r in rows) == {
        str(waiting): 4, str(dispatching): 4}  # two people and two robots each
    assert sweep(MONDAY + 2 * H).checked == 0


# ---------------------------------------------------------------- one transaction
def test_a_sweep_that_fails_at_its_last_step_leaves_nothing_behind(f, db, team, sweep,
                                                                 monkeypatch):
    oid = strategic(f, team)
    events = count(db, AuditEvent)

    def broken(*_a, **_kw):
        raise RuntimeError("disk full")

    monkeypatch.setattr(notify, "enqueue_fanouts", broken)  # after marks, to-dos and audit
    with pytest.raises(RuntimeError):
        sweep(MONDAY + 5 * H)
    assert (count(db, Outbox), count(db, Todo), count(db, AuditEvent)) == (0, 0, events)
    o = row(f, oid)
    assert (o.escalation_level, o.board_since, o.sla_next_at) == (0, None, RISK)
    monkeypatch.undo()
    assert sweep(MONDAY + 5 * H).levels == {3: 1}
    assert (count(db, Outbox), count(db, Todo), count(db, AuditEvent)) == (3, 1, events + 1)
    with db.session(write=False) as s:
        assert audit.verify(s).ok


# ---------------------------------------------------------------- paused and closed
def test_paused_closed_and_cancelled_orders_are_never_escalated(f, db, team, sweep, clock):
    held = strategic(f, team)
    closed = f.order("closed", customer_id=f.customer(tier="strategic"), assignee=team.eng)
    cancelled = f.order("cancelled", customer_id=f.customer(tier="strategic"))
    clock.now = MONDAY + H
    f.act(held, "hold")
    for oid in (held, closed, cancelled):
        assert row(f, oid).sla_next_at is None, oid
    month = MONDAY + timedelta(days=30)
    assert sweep(month).checked == 0
    assert outbox(db) == [] and escalations(db) == []
    f.act(held, "resume")  # one hour of the response time was left, at risk in 36 minutes
    assert row(f, held).sla_next_at == month + 36 * MIN
    assert sweep(month + H).levels == {1: 1}


# ---------------------------------------------------------------- two sweepers
def test_two_sweepers_racing_announce_every_escalation_exactly_once(f, db, settings, team,
                                                                    clock):
    customer = f.customer(tier="strategic")
    ids = [f.order("new", customer_id=customer) for _ in range(50)]
    at, barrier = MONDAY + 5 * H, threading.Barrier(2)
    clock.now = at
    stats: list[sweeper.SweepStats] = []
    errors: list[BaseException] = []

    def run() -> None:
        barrier.wait()
        try:
            while (s := sweeper.sweep_once(db, settings, now=at, limit=7)).checked:
                stats.append(s)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert sum(s.checked for s in stats) == sum(s.escalated for s in stats) == 50
    rows = outbox(db)
    assert len(rows) == sum(s.notifications for s in stats) == 50 * 4  # board + 3 levels
    assert Counter(r.dedupe_key for r in rows).most_common(1)[0][1] == 1
    assert Counter(int(r.payload["data"]["order_id"]) for r in rows) == dict.fromkeys(ids, 4)
    assert Counter(e.entity_id for e in escalations(db)) == dict.fromkeys(ids, 1)
    assert count(db, Todo) == 50 * 2  # no assignee: every supervisor gets one
    with db.session(write=False) as s:
        assert audit.verify(s).ok
        assert set(s.scalars(select(WorkOrder.escalation_level))) == {3}


# ---------------------------------------------------------------- at risk
def test_a_deadline_at_risk_warns_the_assignee_once_and_only_him(f, db, team, sweep):
    oid = strategic(f, team)
    unassigned = f.order("new", customer_id=f.customer(tier="strategic"))
    assert sweep(RISK - SEC).checked == 0
    stats = sweep(RISK)  # 24 of the 120 minutes left
    assert (stats.checked, stats.at_risk, stats.escalated, stats.notifications) == (2, 2, 0, 2)
    fan = announcement(db, f"sla:{oid}:response:risk:20261116T030000")
    assert (fan.event, fan.payload["users"], fan.payload["robots"]) == (
        "sla.at_risk", [team.eng.id], False)
    assert fan.payload["data"]["kind"] == "response"
    # nobody has the other order yet: the dispatchers hear of it
    other = announcement(db, f"sla:{unassigned}:response:risk:20261116T030000")
    assert other.payload["users"] == [team.dispatcher.id]
    assert escalations(db) == []  # a warning is not an escalation
    assert (row(f, oid).sla_next_at, row(f, oid).escalation_level) == (MONDAY + 2 * H, 0)
    relay(db)
    (inapp,) = [r for r in outbox(db, fanout=False) if r.payload["data"]["order_id"] == oid]
    assert (inapp.channel, inapp.recipient) == ("inapp", str(team.eng.id))
    assert "即将超时" in inapp.payload["subject"]
    # a sweep inside the window for another reason (the 2-hour dispatch check) adds nothing
    before = len(outbox(db))
    assert sweep(MONDAY + 2 * H).escalated == 2
    assert [r.event for r in outbox(db)[before:]].count("sla.at_risk") == 0


# ---------------------------------------------------------------- the confirmation target
def with_confirmation_target(f, minutes: int = 240) -> None:
    with f.session() as s:
        s.execute(update(SlaPolicy).where(SlaPolicy.id == 1).values(
            confirmation_minutes=minutes))
    sla.invalidate()


def test_the_confirmation_target_runs_from_the_resolve_to_the_customers_confirmation(
        client, f, db, team, sweep, clock):
    with_confirmation_target(f)  # strategic, 7×24: 4 h to confirm, at risk after 3 h 12 min
    oid = strategic(f, team)
    for action in ("accept", "start"):
        f.act(oid, action, assignee=team.eng)
    clock.now = resolved = MONDAY + H
    f.act(oid, "resolve", assignee=team.eng)
    o = row(f, oid)
    assert (o.confirmation_due_at, o.confirmed_at) == (resolved + 4 * H, None)
    assert o.sla_next_at == resolved + 192 * MIN
    admin = f.user("admin").headers
    sla_block = client.get(f"/api/v1/work-orders/{oid}", headers=admin).json()["sla"]
    assert (sla_block["confirmation_status"], sla_block["confirmation_left_seconds"]) == (
        "on_track", 4 * 3600)
    assert sweep(resolved + 192 * MIN).at_risk == 1
    stats = sweep(resolved + 4 * H)
    assert (stats.escalated, stats.levels) == (1, {1: 1})
    fan = announcement(db, f"sla:{oid}:confirmation:L1")
    assert (fan.payload["users"], fan.payload["data"]["kind"]) == ([team.eng.id], "confirmation")
    (event,) = escalations(db, oid)
    assert event.changes["sla_deadline"] == [None, "confirmation"]
    clock.now = resolved + 4 * H + MIN
    r = client.get("/api/v1/work-orders", params={"overdue": "true"}, headers=admin)
    assert [i["id"] for i in r.json()["items"]] == [oid]
    # the customer signs: the target is met late, and the sweeper stops watching
    clock.now = signed = resolved + 5 * H
    r = client.post(f"/api/v1/work-orders/{oid}/confirmations", headers=admin,
                    json={"kind": "customer", "signed_by": "王经理"})
    assert r.status_code == 201, r.text
    o = row(f, oid)
    assert (o.confirmed_at, o.sla_next_at, o.state) == (signed, None, "awaiting_confirmation")
    sla_block = client.get(f"/api/v1/work-orders/{oid}", headers=admin).json()["sla"]
    assert (sla_block["confirmation_status"], sla_block["confirmed_at"]) == (
        "breached", signed.astimezone(UTC).isoformat().replace("+00:00", "Z"))
    (audited,) = [e for e in rows(db, AuditEvent, AuditEvent.entity_id == oid)
                  if e.action == "confirmation:customer"]
    assert audited.changes["confirmed_at"][0] is None
    assert sweep(signed + timedelta(days=3)).checked == 0


def test_reopening_drops_the_confirmation_deadline_and_a_met_one_shows_met(
        client, f, db, team, sweep, clock):
    with_confirmation_target(f)
    oid = strategic(f, team)
    for action in ("accept", "start", "resolve"):
        f.act(oid, action, assignee=team.eng)
    assert row(f, oid).confirmation_due_at == MONDAY + 4 * H
    clock.now = MONDAY + H
    f.act(oid, "reopen")
    o = row(f, oid)
    assert (o.confirmation_due_at, o.confirmed_at) == (None, None)
    clock.now = MONDAY + 2 * H
    f.act(oid, "resolve", assignee=team.eng)
    assert row(f, oid).confirmation_due_at == MONDAY + 6 * H
    clock.now = MONDAY + 3 * H
    f.act(oid, "close")  # confirmed, then closed, an hour into the four
    o = row(f, oid)
    assert (o.state, o.confirmed_at, o.sla_next_at) == ("closed", MONDAY + 3 * H, None)
    sla_block = client.get(f"/api/v1/work-orders/{oid}",
                           headers=f.user("admin").headers).json()["sla"]
    assert (sla_block["confirmation_status"], sla_block["confirmation_left_seconds"]) == (
        "met", None)
    assert sweep(MONDAY + timedelta(days=2)).checked == 0 and breaches(db) == []


def test_without_a_confirmation_target_nothing_is_watched_after_the_resolve(f, db, team, sweep):
    oid = strategic(f, team)
    for action in ("accept", "start", "resolve"):
        f.act(oid, action, assignee=team.eng)
    o = row(f, oid)
    assert (o.confirmation_due_at, o.sla_next_at) == (None, None)
    assert sweep(MONDAY + timedelta(days=30)).checked == 0
