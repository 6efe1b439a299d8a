"""Work orders over HTTP: transitions, guards, confirmations, edits, fake-close flags, lists."""

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import update

from bihuan.users.models import User
from tests.factories import Factory
from tests.factories import TestUser as Person
from tests.workorders.conftest import Clock

BASE = "/api/v1/work-orders"
TYPES = ["repair", "maintenance", "production_exception"]
# the confirmation that lets each type close
KIND = {"repair": "customer", "maintenance": "customer", "production_exception": "qa"}
NUMBER = re.compile(r"^WO-\d{4}-\d{6}$")


# Factory.act looks these users up inside its open write session: create them first
pytestmark = pytest.mark.usefixtures("factory_people")


# ------------------------------------------------------------------ helpers
def act(client: Any, user: Person, oid: int, action: str, **body: Any) -> Any:
    return client.post(f"{BASE}/{oid}/transitions", json={"action": action, **body},
                       headers=user.headers)


def show(client: Any, user: Person, oid: int) -> dict[str, Any]:
    r = client.get(f"{BASE}/{oid}", headers=user.headers)
    assert r.status_code == 200, r.text
    return r.json()


def confirm(client: Any, user: Person, oid: int, kind: str) -> Any:
    return client.post(f"{BASE}/{oid}/confirmations", headers=user.headers,
                       json={"kind": kind, "signed_by": "王经理"})


def events(client: Any, user: Person, oid: int) -> list[dict[str, Any]]:
    r = client.get(f"{BASE}/{oid}/events", params={"limit": 200}, headers=user.headers)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def transitions(client: Any, user: Person, oid: int, action: str) -> list[dict[str, Any]]:
    return [e for e in events(client, user, oid) if e["action"] == f"transition:{action}"]


def suspected(client: Any, user: Person) -> list[dict[str, Any]]:
    r = client.get(f"{BASE}/suspected-fake-completions", params={"limit": 200},
                   headers=user.headers)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def error(r: Any, status: int, code: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["code"] == code, body
    assert body["messages"]["zh-CN"] and body["messages"]["en"]
    return body


# ------------------------------------------------------------------ close
class TestEngineersCannotClose:
    @pytest.mark.parametrize("order_type", TYPES)
    def test_assigned_engineer_gets_403_even_when_confirmed(self, client, f: Factory,
                                                            order_type: str) -> None:
        eng, sup = f.user("engineer"), f.user("supervisor")
        oid = f.order(state="awaiting_confirmation", type=order_type, assignee=eng)
        assert confirm(client, sup, oid, KIND[order_type]).status_code == 201
        error(act(client, eng, oid, "close"), 403, "role_not_allowed")
        assert show(client, eng, oid)["state"] == "awaiting_confirmation"
        assert transitions(client, sup, oid, "close") == []
        # the order was closable: only the role stood in the way
        r = act(client, sup, oid, "close")
        assert r.status_code == 200 and r.json()["state"] == "closed"

    @pytest.mark.parametrize("order_type", TYPES)
    def test_engineer_bulk_close_is_forbidden(self, client, f: Factory, order_type: str) -> None:
        eng = f.user("engineer")
        oid = f.order(state="awaiting_confirmation", type=order_type, assignee=eng)
        r = client.post(f"{BASE}/bulk-transitions", headers=eng.headers,
                        json={"ids": [oid], "action": "close"})
        assert r.status_code == 403
        assert show(client, eng, oid)["state"] == "awaiting_confirmation"


class TestCloseNeedsConfirmation:
    @pytest.mark.parametrize(("order_type", "recorded", "code"), [
        ("repair", [], "customer_confirmation_required"),
        ("repair", ["qa"], "customer_confirmation_required"),
        ("production_exception", [], "qa_verification_required"),
        ("production_exception", ["customer"], "qa_verification_required"),
        ("maintenance", [], "confirmation_required"),
    ])
    def test_missing_confirmation_is_409(self, client, f: Factory, order_type: str,
                                         recorded: list[str], code: str) -> None:
        sup = f.user("supervisor")
        oid = f.order(state="awaiting_confirmation", type=order_type)
        for kind in recorded:
            assert confirm(client, sup, oid, kind).status_code == 201
        body = error(act(client, sup, oid, "close"), 409, code)
        assert [d["code"] for d in body["details"]] == [code]
        assert body["details"][0]["zh-CN"] and body["details"][0]["en"]
        assert show(client, sup, oid)["state"] == "awaiting_confirmation"

    @pytest.mark.parametrize(("order_type", "kind"), [
        ("repair", "customer"), ("production_exception", "qa"),
        ("maintenance", "customer"), ("maintenance", "qa"),
    ])
    def test_the_right_confirmation_closes(self, client, f: Factory, order_type: str,
                                           kind: str) -> None:
        sup = f.user("supervisor")
        oid = f.order(state="awaiting_confirmation", type=order_type)
        assert confirm(client, sup, oid, kind).status_code == 201
        r = act(client, sup, oid, "close")
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["state"] == "closed" and body["closed_at"] is not None
        assert body["actions"] == []  # nothing left to do on a closed order


class TestConfirmations:
    @pytest.mark.parametrize(("role", "kind", "status"), [
        ("supervisor", "qa", 201),
        ("admin", "qa", 201),
        ("agent", "qa", 403),
        ("dispatcher", "qa", 403),
        ("engineer", "qa", 403),
        ("agent", "customer", 201),
        ("engineer", "customer", 201),
    ])
    def test_who_may_record_what(self, client, f: Factory, role: str, kind: str,
                                 status: int) -> None:
        user, sup = f.user(role), f.user("supervisor")
        eng = user if role == "engineer" else f.user("engineer")
        oid = f.order(state="awaiting_confirmation", type="production_exception", assignee=eng)
        r = confirm(client, user, oid, kind)
        assert r.status_code == status, r.text
        if status == 403:
            assert r.json()["code"] == "role_not_allowed"
        else:
            assert r.json()["kind"] == kind and r.json()["recorded_by_id"] == user.id
        # only the supervisor's / admin's QA record lets a production exception close
        closed = act(client, sup, oid, "close").status_code == 200
        assert closed == (kind == "qa" and status == 201)

    def test_only_orders_awaiting_confirmation(self, client, f: Factory) -> None:
        sup = f.user("supervisor")
        oid = f.order(state="in_progress")
        error(confirm(client, sup, oid, "customer"), 409, "not_awaiting_confirmation")

    def test_confirmation_is_audited(self, client, f: Factory) -> None:
        sup = f.user("supervisor")
        oid = f.order(state="awaiting_confirmation", type="production_exception")
        assert confirm(client, sup, oid, "qa").status_code == 201
        last = events(client, sup, oid)[-1]
        assert last["action"] == "confirmation:qa" and last["actor_id"] == sup.id


# ------------------------------------------------------------------ guards
class TestGuardFailures:
    def test_resolve_without_note_or_photo_lists_both(self, client, f: Factory) -> None:
        eng = f.user("engineer")
        oid = f.order(state="in_progress", assignee=eng)
        body = error(act(client, eng, oid, "resolve"), 409, "repair_note_required")
        assert [d["code"] for d in body["details"]] == ["repair_note_required", "photo_required"]
        assert all(d["zh-CN"] and d["en"] for d in body["details"])
        assert show(client, eng, oid)["state"] == "in_progress"

    def test_resolve_with_note_but_no_photo(self, client, f: Factory) -> None:
        eng = f.user("engineer")
        oid = f.order(state="in_progress", assignee=eng)
        assert client.patch(f"{BASE}/{oid}", headers=eng.headers,
                            json={"repair_note": "更换轴承"}).status_code == 200
        body = error(act(client, eng, oid, "resolve"), 409, "photo_required")
        assert [d["code"] for d in body["details"]] == ["photo_required"]

    def test_assign_without_assignee(self, client, f: Factory) -> None:
        disp = f.user("dispatcher")
        oid = f.order(state="dispatching")
        body = error(act(client, disp, oid, "assign"), 409, "assignee_required")
        assert [d["code"] for d in body["details"]] == ["assignee_required"]

    def test_an_engineer_cannot_even_see_someone_else_s_order(self, client, f: Factory) -> None:
        # so `not_assignee` never reaches HTTP for engineers: they get 404 first
        mine, other = f.user("engineer"), f.user("engineer", name="other")
        oid = f.order(state="assigned", assignee=mine)
        error(act(client, other, oid, "start"), 404, "not_found")
        assert show(client, mine, oid)["state"] == "assigned"

    @pytest.mark.parametrize(("state", "action", "status", "code"), [
        ("new", "start", 409, "invalid_transition"),
        ("closed", "reopen", 409, "invalid_transition"),
        ("assigned", "teleport", 400, "unknown_action"),
        ("new", "cancel", 400, "reason_required"),
        ("in_progress", "hold", 400, "reason_required"),
        ("awaiting_confirmation", "reopen", 400, "reason_required"),
    ])
    def test_refusals(self, client, f: Factory, state: str, action: str, status: int,
                      code: str) -> None:
        admin = f.user("admin")
        oid = f.order(state=state)
        before = show(client, admin, oid)
        error(act(client, admin, oid, action), status, code)
        after = show(client, admin, oid)
        assert (after["state"], after["version"]) == (before["state"], before["version"])


# ------------------------------------------------------------------ hold / resume / decline
class TestResume:
    @pytest.mark.parametrize(("held_from", "who"), [
        ("assigned", "engineer"), ("in_progress", "engineer"), ("dispatching", "dispatcher")])
    def test_resume_returns_to_the_state_held_from(self, client, f: Factory, held_from: str,
                                                   who: str) -> None:
        eng = f.user("engineer")
        user = f.user(who)
        oid = f.order(state=held_from, assignee=eng)
        r = act(client, user, oid, "hold", reason="等待备件")
        assert r.status_code == 200, r.text
        assert (r.json()["state"], r.json()["hold_from_state"]) == ("on_hold", held_from)
        r = act(client, user, oid, "resume")
        assert r.status_code == 200, r.text
        assert (r.json()["state"], r.json()["hold_from_state"]) == (held_from, None)
        change = transitions(client, f.user("admin"), oid, "resume")[0]["changes"]
        assert change["state"] == ["on_hold", held_from]

    def test_resume_from_the_factory_hold(self, client, f: Factory) -> None:
        admin = f.user("admin")
        oid = f.order(state="on_hold")  # the factory holds from in_progress
        assert act(client, admin, oid, "resume").json()["state"] == "in_progress"


class TestDecline:
    def test_decline_clears_the_assignee_and_goes_back_to_dispatching(self, client,
                                                                       f: Factory) -> None:
        eng, admin = f.user("engineer"), f.user("admin")
        oid = f.order(state="assigned", assignee=eng)
        assert act(client, eng, oid, "accept").json()["accepted_at"] is not None
        r = act(client, eng, oid, "decline", reason="不在服务区域")
        assert r.status_code == 200, r.text
        body = r.json()
        assert (body["state"], body["assignee_id"], body["accepted_at"]) == (
            "dispatching", None, None)
        ev = transitions(client, admin, oid, "decline")
        assert len(ev) == 1 and ev[0]["reason"] == "不在服务区域"
        assert ev[0]["changes"]["assignee_id"] == [eng.id, None]
        # no longer theirs: they can neither see it nor find it in their list
        error(client.get(f"{BASE}/{oid}", headers=eng.headers), 404, "not_found")
        assert client.get(BASE, headers=eng.headers).json()["total"] == 0

    def test_decline_needs_a_reason(self, client, f: Factory) -> None:
        eng = f.user("engineer")
        oid = f.order(state="assigned", assignee=eng)
        error(act(client, eng, oid, "decline"), 400, "reason_required")
        assert show(client, eng, oid)["assignee_id"] == eng.id


# ------------------------------------------------------------------ reopen
class TestReopen:
    @pytest.mark.parametrize("order_type", TYPES)
    def test_close_after_reopen_needs_a_new_confirmation(self, client, f: Factory, clock: Clock,
                                                         order_type: str) -> None:
        eng, sup, agent = f.user("engineer"), f.user("supervisor"), f.user("agent")
        oid = f.order(state="awaiting_confirmation", type=order_type, assignee=eng)
        clock.advance(minutes=5)
        assert confirm(client, sup, oid, KIND[order_type]).status_code == 201
        clock.advance(minutes=1)
        r = act(client, agent, oid, "reopen", reason="客户反馈仍有异响")
        assert r.status_code == 200 and r.json()["state"] == "in_progress"
        clock.advance(hours=1)
        r = act(client, eng, oid, "resolve")
        assert r.status_code == 200 and r.json()["state"] == "awaiting_confirmation"
        clock.advance(minutes=5)
        code = {"repair": "customer_confirmation_required", "maintenance":
                "confirmation_required", "production_exception": "qa_verification_required"}
        error(act(client, sup, oid, "close"), 409, code[order_type])
        actions = {a["action"]: a for a in show(client, sup, oid)["actions"]}
        assert not actions["close"]["allowed"]
        assert [x["code"] for x in actions["close"]["reasons"]] == [code[order_type]]
        assert confirm(client, sup, oid, KIND[order_type]).status_code == 201
        r = act(client, sup, oid, "close")
        assert r.status_code == 200, r.text
        assert r.json()["state"] == "closed"

    def test_reopen_needs_a_desk_role(self, client, f: Factory) -> None:
        eng = f.user("engineer")
        oid = f.order(state="awaiting_confirmation", assignee=eng)
        error(act(client, eng, oid, "reopen", reason="x"), 403, "role_not_allowed")


# ------------------------------------------------------------------ versions and assignees
class TestExpectedVersion:
    def test_stale_version_is_state_conflict(self, client, f: Factory) -> None:
        admin = f.user("admin")
        oid = f.order(state="dispatching")
        v = show(client, admin, oid)["version"]
        body = error(act(client, admin, oid, "hold", reason="r", expected_version=v - 1),
                     409, "state_conflict")
        assert body["details"] == {"state": "dispatching", "version": v}
        r = act(client, admin, oid, "hold", reason="r", expected_version=v)
        assert r.status_code == 200 and r.json()["version"] == v + 1
        error(act(client, admin, oid, "resume", expected_version=v), 409, "state_conflict")

    def test_stale_version_on_edit(self, client, f: Factory) -> None:
        admin = f.user("admin")
        oid = f.order()
        v = show(client, admin, oid)["version"]
        r = client.patch(f"{BASE}/{oid}", headers=admin.headers,
                         json={"title": "新标题", "expected_version": v + 1})
        error(r, 409, "state_conflict")
        assert show(client, admin, oid)["title"] == "主轴异响"


class TestAssignee:
    @pytest.mark.parametrize("who", ["dispatcher", "admin", "director", "nobody",
                                     "inactive_engineer"])
    def test_assigning_to_a_non_engineer_is_400(self, client, f: Factory, who: str) -> None:
        disp = f.user("dispatcher")
        oid = f.order(state="dispatching")
        if who == "nobody":
            target = 999_999
        elif who == "inactive_engineer":
            target = f.user("engineer", name="left").id
            with f.session() as s:
                s.execute(update(User).where(User.id == target).values(is_active=False))
        else:
            target = f.user(who).id
        error(act(client, disp, oid, "assign", assignee_id=target), 400, "assignee_not_engineer")
        body = show(client, disp, oid)
        assert (body["state"], body["assignee_id"]) == ("dispatching", None)

    def test_assigning_to_an_engineer_works_and_reassign_too(self, client, f: Factory) -> None:
        disp, a, b = f.user("dispatcher"), f.user("engineer"), f.user("engineer", name="b")
        oid = f.order(state="dispatching")
        r = act(client, disp, oid, "assign", assignee_id=a.id)
        assert r.status_code == 200 and r.json()["assignee_id"] == a.id
        r = act(client, disp, oid, "assign", assignee_id=b.id)
        assert (r.json()["state"], r.json()["assignee_id"]) == ("assigned", b.id)


# ------------------------------------------------------------------ actions in the detail
class TestDetailActions:
    @staticmethod
    def actions(client: Any, user: Person, oid: int) -> dict[str, dict[str, Any]]:
        return {a["action"]: a for a in show(client, user, oid)["actions"]}

    def test_engineer_on_an_assigned_order(self, client, f: Factory) -> None:
        eng = f.user("engineer")
        oid = f.order(state="assigned", assignee=eng)
        acts = self.actions(client, eng, oid)
        assert set(acts) == {"accept", "decline", "start", "hold"}
        assert all(a["allowed"] and a["reasons"] == [] for a in acts.values())
        assert acts["decline"]["needs_reason"] and not acts["start"]["needs_reason"]
        assert acts["start"]["label"] == {"zh-CN": "开始处理", "en": "Start work"}

    def test_blocked_resolve_says_why(self, client, f: Factory) -> None:
        eng = f.user("engineer")
        oid = f.order(state="in_progress", assignee=eng)
        acts = self.actions(client, eng, oid)
        assert set(acts) == {"hold", "resolve"}
        assert not acts["resolve"]["allowed"]
        assert [r["code"] for r in acts["resolve"]["reasons"]] == [
            "repair_note_required", "photo_required"]
        assert acts["hold"]["allowed"]

    def test_close_becomes_allowed_once_confirmed(self, client, f: Factory) -> None:
        admin, sup = f.user("admin"), f.user("supervisor")
        oid = f.order(state="awaiting_confirmation")
        acts = self.actions(client, admin, oid)
        assert set(acts) == {"reopen", "close"}
        assert not acts["close"]["allowed"] and acts["reopen"]["allowed"]
        assert acts["close"]["reasons"][0]["code"] == "customer_confirmation_required"
        confirm(client, sup, oid, "customer")
        assert self.actions(client, admin, oid)["close"]["allowed"]

    @pytest.mark.parametrize(("role", "order_type", "expected"), [
        ("engineer", "repair", set()),
        ("director", "repair", set()),
        ("dispatcher", "repair", {"reopen"}),
        ("dispatcher", "maintenance", {"reopen", "close"}),
        ("agent", "production_exception", {"reopen"}),
        ("supervisor", "production_exception", {"reopen", "close"}),
    ])
    def test_awaiting_confirmation_per_role(self, client, f: Factory, role: str,
                                            order_type: str, expected: set[str]) -> None:
        user = f.user(role)
        oid = f.order(state="awaiting_confirmation", type=order_type,
                      assignee=user if role == "engineer" else None)
        assert set(self.actions(client, user, oid)) == expected


# ------------------------------------------------------------------ edits
class TestEditing:
    @pytest.mark.parametrize("state", ["closed", "cancelled"])
    def test_locked_order_needs_a_reason(self, client, f: Factory, state: str) -> None:
        admin = f.user("admin")
        oid = f.order(state=state)
        r = client.patch(f"{BASE}/{oid}", headers=admin.headers, json={"title": "改标题"})
        error(r, 400, "reason_required")
        r = client.patch(f"{BASE}/{oid}", headers=admin.headers,
                         json={"title": "改标题", "reason": "   "})
        error(r, 400, "reason_required")
        assert show(client, admin, oid)["title"] == "主轴异响"
        r = client.patch(f"{BASE}/{oid}", headers=admin.headers,
                         json={"title": "改标题", "reason": "客户更正故障描述"})
        assert r.status_code == 200 and r.json()["title"] == "改标题"
        assert r.json()["state"] == state
        last = events(client, admin, oid)[-1]
        assert last["action"] == "update" and last["reason"] == "客户更正故障描述"
        assert last["changes"] == {"title": ["主轴异响", "改标题"]}

    def test_open_order_needs_no_reason(self, client, f: Factory) -> None:
        admin = f.user("admin")
        oid = f.order(state="in_progress")
        r = client.patch(f"{BASE}/{oid}", headers=admin.headers, json={"priority": "urgent"})
        assert r.status_code == 200 and r.json()["priority"] == "urgent"

    @pytest.mark.parametrize("body", [
        {"title": "x"}, {"priority": "high"}, {"description": "d"},
        {"customer_id": None}, {"reporter_name": "李工"},
        {"repair_note": "ok", "priority": "high"},
    ])
    def test_engineer_may_only_touch_note_and_photos(self, client, f: Factory,
                                                     body: dict[str, Any]) -> None:
        eng = f.user("engineer")
        oid = f.order(state="in_progress", assignee=eng)
        before = show(client, eng, oid)
        r = client.patch(f"{BASE}/{oid}", headers=eng.headers, json=body)
        error(r, 403, "field_not_allowed")
        after = show(client, eng, oid)
        assert after["version"] == before["version"] and after["repair_note"] is None

    def test_engineer_edits_note_and_photos(self, client, f: Factory) -> None:
        eng = f.user("engineer")
        oid = f.order(state="in_progress", assignee=eng)
        r = client.patch(f"{BASE}/{oid}", headers=eng.headers,
                         json={"repair_note": "更换轴承", "photo_refs": ["p/1.jpg"]})
        assert r.status_code == 200, r.text
        assert (r.json()["repair_note"], r.json()["photo_refs"]) == ("更换轴承", ["p/1.jpg"])


# ------------------------------------------------------------------ suspected fake completion
class TestSuspectedFakeCompletion:
    @pytest.mark.parametrize(("seconds", "flagged"), [
        (0, True), (3, True), (14.9, True), (15, False), (16, False), (3600, False)])
    def test_fast_close(self, client, f: Factory, clock: Clock, seconds: float,
                        flagged: bool) -> None:
        sup, director = f.user("supervisor"), f.user("director")
        oid = f.order(state="awaiting_confirmation")  # resolved at clock.now
        resolved = datetime.fromisoformat(show(client, sup, oid)["resolved_at"])
        assert resolved == clock.now
        assert confirm(client, sup, oid, "customer").status_code == 201
        clock.advance(seconds)
        assert act(client, sup, oid, "close").status_code == 200
        rows = [s for s in suspected(client, director) if s["work_order_id"] == oid]
        if flagged:
            assert [s["reason"] for s in rows] == ["fast_close"]
            row = rows[0]
            assert row["seconds_after_resolve"] == pytest.approx(seconds)
            assert row["actor_id"] == sup.id and NUMBER.match(row["number"])
            assert row["detail"] == {"threshold_seconds": 15.0}
            flags = [e for e in events(client, sup, oid)
                     if e["action"] == "flag:suspected_fake_completion"]
            assert len(flags) == 1
        else:
            assert rows == []

    def test_bulk_closes_are_flagged_bulk(self, client, f: Factory, clock: Clock) -> None:
        sup, admin = f.user("supervisor"), f.user("admin")
        ids = [f.order(state="awaiting_confirmation") for _ in range(3)]
        for oid in ids:
            assert confirm(client, sup, oid, "customer").status_code == 201
        clock.advance(minutes=10)  # slow enough: only the bulk flag applies
        r = client.post(f"{BASE}/bulk-transitions", headers=sup.headers,
                        json={"ids": ids, "action": "close"})
        assert r.status_code == 200, r.text
        assert [(i["id"], i["ok"], i["state"]) for i in r.json()] == [
            (oid, True, "closed") for oid in ids]
        rows = suspected(client, admin)
        assert sorted((s["work_order_id"], s["reason"]) for s in rows) == [
            (oid, "bulk") for oid in sorted(ids)]
        assert all(s["detail"] == {"source": "bulk_transitions"} for s in rows)

    def test_many_single_closes_in_a_minute_count_as_bulk(self, client, f: Factory,
                                                           clock: Clock) -> None:
        sup = f.user("supervisor")
        ids = [f.order(state="awaiting_confirmation") for _ in range(6)]
        for oid in ids:
            confirm(client, sup, oid, "customer")
        clock.advance(minutes=10)
        for oid in ids:
            clock.advance(5)
            assert act(client, sup, oid, "close").status_code == 200
        rows = suspected(client, sup)
        # the 5th and 6th close inside 60 s are flagged; the first four are not
        assert sorted(s["work_order_id"] for s in rows) == sorted(ids[4:])
        assert {s["reason"] for s in rows} == {"bulk"}
        assert {s["detail"]["closes_in_window"] for s in rows} == {5, 6}

    @pytest.mark.parametrize("role", ["agent", "dispatcher", "engineer"])
    def test_only_watchers_see_the_list(self, client, f: Factory, role: str) -> None:
        r = client.get(f"{BASE}/suspected-fake-completions", headers=f.user(role).headers)
        assert r.status_code == 403


class TestBulkTransitions:
    def test_each_item_succeeds_or_fails_alone(self, client, f: Factory, clock: Clock) -> None:
        sup = f.user("supervisor")
        good1, good2 = (f.order(state="awaiting_confirmation") for _ in range(2))
        unconfirmed = f.order(state="awaiting_confirmation")
        fresh = f.order(state="new")
        for oid in (good1, good2):
            confirm(client, sup, oid, "customer")
        clock.advance(minutes=1)
        ids = [good1, fresh, 999_999, unconfirmed, good2, good1]
        r = client.post(f"{BASE}/bulk-transitions", headers=sup.headers,
                        json={"ids": ids, "action": "close"})
        assert r.status_code == 200, r.text
        out = {i["id"]: i for i in r.json()}
        assert [i["id"] for i in r.json()] == [good1, fresh, 999_999, unconfirmed, good2]
        assert out[good1]["ok"] and out[good1]["state"] == "closed" and not out[good1]["error"]
        assert out[good2]["ok"] and out[good2]["state"] == "closed"
        assert not out[fresh]["ok"] and out[fresh]["error"]["code"] == "invalid_transition"
        assert not out[999_999]["ok"] and out[999_999]["error"]["code"] == "not_found"
        err = out[unconfirmed]["error"]
        assert not out[unconfirmed]["ok"] and err["code"] == "customer_confirmation_required"
        assert [d["code"] for d in err["details"]] == ["customer_confirmation_required"]
        # failures rolled back alone; the successes stuck
        states = {oid: show(client, sup, oid)["state"] for oid in (good1, good2, fresh,
                                                                   unconfirmed)}
        assert states == {good1: "closed", good2: "closed", fresh: "new",
                          unconfirmed: "awaiting_confirmation"}
        assert len(transitions(client, sup, good1, "close")) == 1
        assert transitions(client, sup, unconfirmed, "close") == []

    def test_bulk_needs_a_reason_where_the_action_does(self, client, f: Factory) -> None:
        disp = f.user("dispatcher")
        ids = [f.order(state="new") for _ in range(2)]
        r = client.post(f"{BASE}/bulk-transitions", headers=disp.headers,
                        json={"ids": ids, "action": "cancel"})
        assert [i["error"]["code"] for i in r.json()] == ["reason_required"] * 2
        r = client.post(f"{BASE}/bulk-transitions", headers=disp.headers,
                        json={"ids": ids, "action": "cancel", "reason": "重复报修"})
        assert [(i["ok"], i["state"]) for i in r.json()] == [(True, "cancelled")] * 2


# ------------------------------------------------------------------ lists
def listing(client: Any, user: Person, **params: Any) -> dict[str, Any]:
    r = client.get(BASE, params={"limit": 200, **params}, headers=user.headers)
    assert r.status_code == 200, r.text
    return r.json()


def ids_of(page: dict[str, Any]) -> list[int]:
    return [i["id"] for i in page["items"]]


class TestListing:
    @pytest.fixture
    def world(self, f: Factory, clock: Clock) -> dict[str, Any]:
        """Five orders an hour apart (oldest first) across types, states, customers, people."""
        clock.set(datetime(2026, 6, 10, 1, 0, tzinfo=UTC))
        a, b = f.user("engineer", name="a"), f.user("engineer", name="b")
        c1, c2 = f.customer(), f.customer()
        w: dict[str, Any] = {"t0": clock.now, "a": a, "b": b, "c1": c1, "c2": c2}
        plan = [("repair", "new", None, c1), ("maintenance", "dispatching", None, None),
                ("production_exception", "assigned", a, None), ("repair", "closed", b, c2),
                ("maintenance", "in_progress", a, None)]
        w["o"] = []
        for i, (order_type, state, eng, cust) in enumerate(plan):
            clock.set(w["t0"].replace(hour=1 + i))
            kw = {"customer_id": cust} if cust else {}
            w["o"].append(f.order(state=state, type=order_type, assignee=eng, **kw))
        clock.advance(hours=1)
        return w

    @pytest.mark.parametrize(("params", "expected"), [
        ({}, [4, 3, 2, 1, 0]),
        ({"state": ["new", "closed"]}, [3, 0]),
        ({"state": "assigned"}, [2]),
        ({"type": "maintenance"}, [4, 1]),
        ({"type": "maintenance", "state": "in_progress"}, [4]),
        ({"customer_id": "c1"}, [0]),
        ({"customer_id": "c2"}, [3]),
        ({"assignee_id": "a"}, [4, 2]),
        ({"assignee_id": "b"}, [3]),
        ({"created_from": 1, "created_to": 3}, [2, 1]),  # inclusive .. exclusive
        ({"created_from": 3}, [4, 3]),
        ({"created_to": 1}, [0]),
    ])
    def test_filters(self, client, f: Factory, world: dict[str, Any], params: dict[str, Any],
                     expected: list[int]) -> None:
        q = dict(params)
        for key in ("customer_id", "assignee_id"):
            if key in q:
                v = world[q[key]]
                q[key] = v if isinstance(v, int) else v.id
        for key in ("created_from", "created_to"):
            if key in q:
                q[key] = world["t0"].replace(hour=1 + q[key]).isoformat()
        page = listing(client, f.user("admin"), **q)
        assert ids_of(page) == [world["o"][i] for i in expected]
        assert page["total"] == len(expected)

    def test_q_by_number_prefix(self, client, f: Factory, world: dict[str, Any]) -> None:
        admin = f.user("admin")
        numbers = {i["id"]: i["number"] for i in listing(client, admin)["items"]}
        target = world["o"][2]
        assert ids_of(listing(client, admin, q=numbers[target])) == [target]
        assert ids_of(listing(client, admin, q=numbers[target].lower())) == [target]
        assert listing(client, admin, q=numbers[target][:8])["total"] == 5  # "WO-2606-"
        assert listing(client, admin, q="WO-1999-")["total"] == 0

    def test_bad_state_is_422(self, client, f: Factory, world: dict[str, Any]) -> None:
        r = client.get(BASE, params={"state": "exploded"}, headers=f.user("admin").headers)
        assert r.status_code == 422

    def test_paging(self, client, f: Factory, world: dict[str, Any]) -> None:
        admin = f.user("admin")
        seen = []
        for offset in (0, 2, 4):
            page = listing(client, admin, limit=2, offset=offset)
            assert set(page) >= {"items", "total"}
            assert page["total"] == 5 and (page["limit"], page["offset"]) == (2, offset)
            assert len(page["items"]) == (1 if offset == 4 else 2)
            seen += ids_of(page)
        assert seen == list(reversed(world["o"]))
        assert listing(client, admin, limit=2, offset=10)["items"] == []

    def test_engineers_see_only_their_own(self, client, f: Factory,
                                          world: dict[str, Any]) -> None:
        a, b, o = world["a"], world["b"], world["o"]
        assert ids_of(listing(client, a)) == [o[4], o[2]]
        assert ids_of(listing(client, b)) == [o[3]]
        assert listing(client, a, assignee_id=b.id) == {"items": [], "total": 0, "limit": 200,
                                                        "offset": 0, "total_exact": True}
        assert ids_of(listing(client, a, assignee_id=a.id)) == [o[4], o[2]]
        assert ids_of(listing(client, a, type="production_exception")) == [o[2]]
        assert listing(client, a, state="closed")["total"] == 0
        engineer = f.user("engineer", name="idle")
        assert listing(client, engineer)["total"] == 0


class TestNumbers:
    def create(self, client: Any, user: Person, order_type: str = "maintenance") -> Any:
        r = client.post(BASE, headers=user.headers, json={"type": order_type, "title": "异响"})
        assert r.status_code == 201, r.text
        return r.json()

    def test_numbers_are_well_formed_unique_and_sequential(self, client, f: Factory) -> None:
        agent = f.user("agent")
        numbers = [self.create(client, agent)["number"] for _ in range(6)]
        assert all(NUMBER.match(n) for n in numbers), numbers
        assert len(set(numbers)) == 6
        assert len({n[:8] for n in numbers}) == 1
        tails = [int(n[-6:]) for n in numbers]
        assert tails == list(range(tails[0], tails[0] + 6))

    def test_month_key_is_local_time_and_counts_per_month(self, client, f: Factory,
                                                          clock: Clock) -> None:
        # 2026-01-31 16:30 UTC is already 2026-02-01 00:30 in Asia/Shanghai
        clock.set(datetime(2026, 1, 31, 16, 30, tzinfo=UTC))
        agent = f.user("agent")
        assert self.create(client, agent)["number"] == "WO-2602-000001"
        clock.set(datetime(2026, 1, 31, 15, 59, tzinfo=UTC))  # 23:59 on Jan 31 locally
        assert self.create(client, agent)["number"] == "WO-2601-000001"
        clock.set(datetime(2026, 2, 1, 2, 0, tzinfo=UTC))  # tokens live 12 h
        assert self.create(client, agent, "production_exception")["number"] == "WO-2602-000002"
