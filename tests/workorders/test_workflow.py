"""The workflow engine on its own: no database, a fake order, every type × state × action."""

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest

from bihuan.users.roles import Role
from bihuan.workorders.enums import OrderType, State
from bihuan.workorders.workflow import (
    ALL_ACTIONS,
    GUARDS,
    PREVIOUS,
    WORKFLOWS,
    GuardContext,
    Transition,
    Workflow,
    check_transition,
)

TYPES = [OrderType.repair, OrderType.maintenance, OrderType.production_exception]
STATES = list(State)
ROLES = list(Role)
ME = 7  # the actor's user id; the fake order is assigned to them
HELD_FROM = State.in_progress  # where the fake on-hold order was held from

# ------------------------------------------------------------------ the expected tables
# Written out by hand on purpose: a change to the workflow must change this file too.
ACTIONS = {"accept", "assign", "cancel", "close", "decline", "dispatch", "hold", "reopen",
           "resolve", "resume", "start"}

# state -> action -> target; anything missing is `invalid_transition`. Same for every type.
EXPECTED: dict[str, dict[str, str]] = {
    State.new: {"dispatch": State.dispatching, "assign": State.assigned,
                "cancel": State.cancelled},
    State.dispatching: {"assign": State.assigned, "hold": State.on_hold,
                        "cancel": State.cancelled},
    State.assigned: {"assign": State.assigned, "accept": State.assigned,
                     "decline": State.dispatching, "start": State.in_progress,
                     "hold": State.on_hold, "cancel": State.cancelled},
    State.in_progress: {"hold": State.on_hold, "resolve": State.awaiting_confirmation},
    State.awaiting_confirmation: {"reopen": State.in_progress, "close": State.closed},
    State.closed: {},
    State.on_hold: {"resume": HELD_FROM, "cancel": State.cancelled},
    State.cancelled: {},
}

A, AG, D, E, S = Role.admin, Role.agent, Role.dispatcher, Role.engineer, Role.supervisor
# action -> the roles that may take it; `close` differs per type. Directors never move orders.
ROLES_FOR: dict[str, set[str]] = {
    "dispatch": {A, AG, D, S},
    "assign": {A, D, S},
    "accept": {E, A},
    "decline": {E, A, D},
    "start": {E, A},
    "hold": {E, A, AG, D, S},
    "resume": {E, A, AG, D, S},
    "resolve": {E, A},
    "reopen": {A, AG, D, S},
    "cancel": {A, AG, D, S},
}
CLOSE_ROLES: dict[str, set[str]] = {
    OrderType.repair: {A, AG, S},
    OrderType.maintenance: {A, AG, D, S},
    OrderType.production_exception: {A, S},
}
NEEDS_REASON = {"decline", "hold", "reopen", "cancel"}


def roles_for(order_type: str, action: str) -> set[str]:
    return CLOSE_ROLES[order_type] if action == "close" else ROLES_FOR[action]


# ------------------------------------------------------------------ helpers
def fake_order(state: str, order_type: str = OrderType.repair, **kw: Any) -> SimpleNamespace:
    """An order that satisfies every guard unless told otherwise."""
    values: dict[str, Any] = dict(
        id=1, type=order_type, state=state, assignee_id=ME, repair_note="更换主轴轴承",
        photo_refs=["p/1.jpg"], hold_from_state=HELD_FROM if state == State.on_hold else None)
    values.update(kw)
    return SimpleNamespace(**values)


def context(order: Any, role: str = Role.admin, *, actor_id: int | None = ME,
            payload: dict[str, Any] | None = None,
            kinds: frozenset[str] = frozenset({"customer", "qa"})) -> GuardContext:
    return GuardContext(
        order=order, actor_role=role, actor_id=actor_id,
        payload={"assignee_id": 42, "reason": "客户要求"} if payload is None else payload,
        now=datetime(2026, 1, 5, 8, 0, tzinfo=UTC), confirmation_kinds=kinds)


def decide(order_type: str, action: str, ctx: GuardContext):  # type: ignore[no-untyped-def]
    return check_transition(WORKFLOWS[order_type], action, ctx)


def codes(decision: Any) -> list[str]:
    return [f.code for f in decision.failures]


def test_the_tables_cover_every_action_and_state() -> None:
    assert set(ALL_ACTIONS) == ACTIONS
    assert set(ROLES_FOR) | {"close"} == ACTIONS
    assert set(EXPECTED) == set(State)
    assert set(WORKFLOWS) == set(TYPES)


# ------------------------------------------------------------------ the full product
class TestEveryTypeStateAction:
    @pytest.mark.parametrize("action", ALL_ACTIONS)
    @pytest.mark.parametrize("state", STATES)
    @pytest.mark.parametrize("order_type", TYPES)
    def test_outcome_matches_the_table(self, order_type: str, state: str, action: str) -> None:
        target = EXPECTED[state].get(action)
        # a role that is allowed when the transition exists; admin may take every action
        role = Role.admin
        d = decide(order_type, action, context(fake_order(state, order_type), role))
        if target is None:
            assert d.error is not None and d.error.code == "invalid_transition"
            assert d.target is None and d.transition is None
            assert state in d.error.zh and action in d.error.en  # both languages say what
        else:
            assert d.error is None, d.error
            assert d.failures == ()
            assert d.target == target
            assert d.transition is not None and d.transition.action == action

    @pytest.mark.parametrize("order_type", TYPES)
    @pytest.mark.parametrize(("state", "action"), [
        (s, a) for s, row in EXPECTED.items() for a in row])
    def test_every_allowed_role_may_take_it(self, order_type: str, state: str,
                                            action: str) -> None:
        for role in sorted(roles_for(order_type, action)):
            d = decide(order_type, action, context(fake_order(state, order_type), role))
            assert d.error is None and d.failures == (), (role, d)
            assert d.target == EXPECTED[state][action]

    @pytest.mark.parametrize("order_type", TYPES)
    @pytest.mark.parametrize(("state", "action"), [
        (s, a) for s, row in EXPECTED.items() for a in row])
    def test_every_other_role_gets_role_not_allowed(self, order_type: str, state: str,
                                                    action: str) -> None:
        others = set(Role) - roles_for(order_type, action)
        assert Role.director in others
        for role in sorted(others):
            d = decide(order_type, action, context(fake_order(state, order_type), role))
            assert d.error is not None and d.error.code == "role_not_allowed", (role, d)
            assert d.target is None

    @pytest.mark.parametrize("order_type", TYPES)
    @pytest.mark.parametrize("state", [State.closed, State.cancelled])
    def test_closed_and_cancelled_are_final(self, order_type: str, state: str) -> None:
        for action in ALL_ACTIONS:
            d = decide(order_type, action, context(fake_order(state, order_type)))
            assert d.error is not None and d.error.code == "invalid_transition"


# ------------------------------------------------------------------ engineers and close
class TestEngineersNeverClose:
    @pytest.mark.parametrize("order_type", TYPES)
    def test_engineer_close_is_role_not_allowed(self, order_type: str) -> None:
        order = fake_order(State.awaiting_confirmation, order_type)
        d = decide(order_type, "close", context(order, Role.engineer))
        assert d.error is not None and d.error.code == "role_not_allowed"

    @pytest.mark.parametrize("order_type", TYPES)
    def test_no_shipped_transition_lets_an_engineer_reach_closed(self, order_type: str) -> None:
        for t in WORKFLOWS[order_type].transitions:
            if t.target == State.closed:
                assert Role.engineer not in t.roles

    @pytest.mark.parametrize("action", ["close", "finish"])
    def test_building_a_workflow_where_engineers_close_raises(self, action: str) -> None:
        bad = Transition(action, frozenset({State.awaiting_confirmation}), State.closed,
                         frozenset({Role.admin, Role.engineer}))
        with pytest.raises(ValueError, match="engineers can never close"):
            Workflow("repair", [bad])

    def test_engineers_on_other_transitions_are_fine(self) -> None:
        ok = Transition("start", frozenset({State.assigned}), State.in_progress,
                        frozenset({Role.engineer}))
        closing = Transition("close", frozenset({State.awaiting_confirmation}), State.closed,
                             frozenset({Role.admin}))
        wf = Workflow("repair", [ok, closing])
        assert wf.actions() == {"start", "close"}

    def test_unknown_guard_name_raises(self) -> None:
        t = Transition("start", frozenset({State.assigned}), State.in_progress,
                       frozenset({Role.admin}), ("actor_is_assignee", "has_unicorn"))
        with pytest.raises(ValueError, match="has_unicorn"):
            Workflow("repair", [t])

    def test_known_guard_names_build(self) -> None:
        t = Transition("start", frozenset({State.assigned}), State.in_progress,
                       frozenset({Role.admin}), tuple(sorted(GUARDS)))
        assert Workflow("repair", [t]).find("start", State.assigned) is t


# ------------------------------------------------------------------ guards, one at a time
class TestGuardFailures:
    def test_assign_without_assignee(self) -> None:
        for state in (State.new, State.dispatching, State.assigned):
            d = decide(OrderType.repair, "assign", context(fake_order(state), payload={}))
            assert d.error is None and codes(d) == ["assignee_required"]
            assert d.failures[0].zh and d.failures[0].en

    @pytest.mark.parametrize(("state", "action"), [
        (State.assigned, "accept"), (State.assigned, "decline"), (State.assigned, "start"),
        (State.assigned, "hold"), (State.in_progress, "hold"), (State.on_hold, "resume"),
        (State.in_progress, "resolve"),
    ])
    def test_engineer_who_is_not_the_assignee(self, state: str, action: str) -> None:
        order = fake_order(state, assignee_id=ME + 1)
        d = decide(OrderType.repair, action, context(order, Role.engineer))
        assert d.error is None and codes(d) == ["not_assignee"]
        d = decide(OrderType.repair, action, context(order, Role.engineer, actor_id=ME + 1))
        assert d.error is None and codes(d) == []

    def test_unassigned_order_is_nobody_s_to_take(self) -> None:
        order = fake_order(State.dispatching, assignee_id=None)
        d = decide(OrderType.repair, "hold", context(order, Role.engineer))
        assert codes(d) == ["not_assignee"]

    def test_desk_roles_are_not_held_to_the_assignee_rule(self) -> None:
        order = fake_order(State.assigned, assignee_id=ME + 1)
        for role in (Role.admin, Role.dispatcher):
            assert codes(decide(OrderType.repair, "decline", context(order, role))) == []

    @pytest.mark.parametrize(("note", "photos", "expected"), [
        (None, ["p/1.jpg"], ["repair_note_required"]),
        ("", ["p/1.jpg"], ["repair_note_required"]),
        ("   \n", ["p/1.jpg"], ["repair_note_required"]),
        ("更换轴承", [], ["photo_required"]),
        ("更换轴承", None, ["photo_required"]),
        (None, [], ["repair_note_required", "photo_required"]),
        ("更换轴承", ["p/1.jpg"], []),
    ])
    def test_resolve_needs_note_and_photo(self, note: str | None, photos: list[str] | None,
                                          expected: list[str]) -> None:
        order = fake_order(State.in_progress, repair_note=note, photo_refs=photos)
        for order_type in TYPES:
            d = decide(order_type, "resolve", context(order, Role.engineer))
            assert d.error is None and codes(d) == expected
            assert d.target == State.awaiting_confirmation  # the target is known either way

    def test_every_failing_guard_is_reported(self) -> None:
        order = fake_order(State.in_progress, assignee_id=None, repair_note="", photo_refs=[])
        d = decide(OrderType.repair, "resolve", context(order, Role.engineer))
        assert codes(d) == ["not_assignee", "repair_note_required", "photo_required"]

    @pytest.mark.parametrize(("order_type", "kinds", "expected"), [
        (OrderType.repair, set(), ["customer_confirmation_required"]),
        (OrderType.repair, {"qa"}, ["customer_confirmation_required"]),
        (OrderType.repair, {"customer"}, []),
        (OrderType.production_exception, set(), ["qa_verification_required"]),
        (OrderType.production_exception, {"customer"}, ["qa_verification_required"]),
        (OrderType.production_exception, {"qa"}, []),
        (OrderType.maintenance, set(), ["confirmation_required"]),
        (OrderType.maintenance, {"customer"}, []),
        (OrderType.maintenance, {"qa"}, []),
    ])
    def test_close_needs_the_right_confirmation(self, order_type: str, kinds: set[str],
                                                expected: list[str]) -> None:
        d = decide(order_type, "close", context(fake_order(State.awaiting_confirmation,
                                                           order_type), kinds=frozenset(kinds)))
        assert d.error is None and codes(d) == expected
        assert d.target == State.closed


# ------------------------------------------------------------------ reasons and unknowns
class TestReasonRequired:
    @pytest.mark.parametrize(("state", "action"), [
        (State.assigned, "decline"), (State.dispatching, "hold"), (State.in_progress, "hold"),
        (State.awaiting_confirmation, "reopen"), (State.new, "cancel"),
        (State.on_hold, "cancel"),
    ])
    @pytest.mark.parametrize("reason", [None, "", "   "])
    def test_missing_reason(self, state: str, action: str, reason: str | None) -> None:
        assert action in NEEDS_REASON
        payload = {"assignee_id": 42} if reason is None else {"assignee_id": 42, "reason": reason}
        d = decide(OrderType.repair, action, context(fake_order(state), payload=payload))
        assert d.error is not None and d.error.code == "reason_required"
        assert d.failures == ()  # guards are not even asked

    def test_reason_flags_match_the_table(self) -> None:
        for wf in WORKFLOWS.values():
            assert {t.action for t in wf.transitions if t.needs_reason} == NEEDS_REASON

    @pytest.mark.parametrize(("state", "action"), [
        (State.new, "dispatch"), (State.assigned, "start"), (State.on_hold, "resume")])
    def test_other_actions_need_no_reason(self, state: str, action: str) -> None:
        d = decide(OrderType.repair, action, context(fake_order(state), payload={}))
        assert d.error is None and d.failures == ()

    def test_role_is_checked_before_reason(self) -> None:
        d = decide(OrderType.repair, "cancel", context(fake_order(State.new), Role.engineer,
                                                       payload={}))
        assert d.error is not None and d.error.code == "role_not_allowed"


class TestUnknownAction:
    @pytest.mark.parametrize("action", ["fly", "", "CLOSE", "close "])
    @pytest.mark.parametrize("order_type", TYPES)
    def test_unknown_action(self, order_type: str, action: str) -> None:
        d = decide(order_type, action, context(fake_order(State.assigned, order_type)))
        assert d.error is not None and d.error.code == "unknown_action"
        assert d.transition is None and d.target is None


class TestResumeTarget:
    @pytest.mark.parametrize("held_from", [State.dispatching, State.assigned,
                                           State.in_progress])
    def test_resume_returns_to_the_state_held_from(self, held_from: str) -> None:
        order = fake_order(State.on_hold, hold_from_state=held_from)
        d = decide(OrderType.maintenance, "resume", context(order))
        assert d.error is None and d.target == held_from
        assert d.transition is not None and d.transition.target == PREVIOUS
