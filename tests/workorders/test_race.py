"""Concurrent transitions on the real database: exactly one wins, the rest get 409.

Every round starts N threads at one threading.Barrier. Over HTTP each thread talks to its own
uvicorn server on a loopback port, all sharing one database (as worker processes do); in the
service layer
each thread has its own session and transaction. On SQLite the writers are serialised by
BEGIN IMMEDIATE, so losers read the new version; on PostgreSQL the compare-and-set UPDATE
decides. Either way the loser's answer is a 409 with a stable code and the audit trail holds
exactly one event for the transition.
"""

import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from bihuan.audit import service as audit
from bihuan.audit.models import AuditEvent
from bihuan.db import session_scope
from bihuan.errors import DomainError
from bihuan.main import create_app
from bihuan.workorders import service as orders
from bihuan.workorders.models import SuspectedFakeCompletion, WorkOrder
from bihuan.workorders.schemas import ConfirmationIn, TransitionIn, WorkOrderUpdate
from tests import live
from tests.factories import Factory
from tests.factories import TestUser as Person
from tests.workorders.conftest import Clock

THREADS = 8
ROUNDS = 20
BASE = "/api/v1/work-orders"
# what a loser may be told when it did not send expected_version: either its compare-and-set
# lost (state_conflict) or it read the order after the winner committed, when the action is
# no longer valid from the new state (invalid_transition)
LOSER_CODES = {"state_conflict", "invalid_transition"}


# ------------------------------------------------------------------ machinery
# Factory.act looks these users up inside its open write session: create them first
pytestmark = pytest.mark.usefixtures("factory_people")


@pytest.fixture
def servers(settings: Any, db: Any) -> Iterator[list[str]]:
    """One uvicorn server per racing client, each in its own thread and event loop, all on
    the same database: a worker runs one request at a time, as `bihuan serve --workers N`
    runs N of them, so real overlap needs several servers."""
    running = [live.serve(create_app(settings, db)) for _ in range(THREADS)]
    yield [url for *_, url in running]
    for srv, thread, sock, _ in running:
        live.stop(srv, thread, sock)


@pytest.fixture
def clients(servers: list[str]) -> Iterator[list[httpx.Client]]:
    """One keep-alive client per racing thread, each on its own server."""
    cs = [httpx.Client(base_url=url, timeout=60) for url in servers]
    yield cs
    for c in cs:
        c.close()


def race(n: int, fn: Callable[[int], Any]) -> list[Any]:
    """Run fn(0..n-1) in n threads released together; returns results (or exceptions)."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = fn(i)
        except BaseException as e:  # noqa: BLE001 - reported to the test below
            results[i] = e

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not any(t.is_alive() for t in threads), "a racing thread hung"
    return results


def http_outcomes(results: list[Any]) -> tuple[list[httpx.Response], list[httpx.Response]]:
    for r in results:
        assert isinstance(r, httpx.Response), repr(r)
        assert r.status_code in (200, 409), r.text
    return ([r for r in results if r.status_code == 200],
            [r for r in results if r.status_code == 409])


def count_events(f: Factory, oid: int, action: str) -> int:
    with f.session() as s:
        return s.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.entity_type == "work_order", AuditEvent.entity_id == oid,
            AuditEvent.action == action)) or 0


def load(f: Factory, oid: int) -> WorkOrder:
    with f.session() as s:
        order = s.get(WorkOrder, oid)
        assert order is not None
        return order


def assert_chain_intact(f: Factory) -> None:
    with f.session() as s:
        result = audit.verify(s)
    assert result.ok, result.problem


def in_own_session(f: Factory, user: Person, oid: int, do: Callable[[Any, WorkOrder], Any],
                   gate: threading.Barrier | None = None) -> Any:
    """One service call in its own transaction; returns "ok" or the 409 DomainError.

    With `gate`, every thread loads the order before any of them writes (PostgreSQL only:
    on SQLite the first read already takes the write lock, so a shared read cannot happen)."""
    try:
        with session_scope(f.db) as s:
            order = orders.access_order(s, user.ctx, oid)
            if gate is not None:
                gate.wait(timeout=30)
            do(s, order)
        return "ok"
    except DomainError as e:
        assert e.status_code == 409, (e.code, e.en)
        return e


def transition_in_own_session(f: Factory, user: Person, oid: int, data: TransitionIn,
                              gate: threading.Barrier | None = None) -> Any:
    return in_own_session(f, user, oid, lambda s, order: orders.transition(
        s, user.ctx, f.settings, order, data), gate)


# ------------------------------------------------------------------ the same transition
class TestSameTransitionOverHttp:
    def test_start_with_expected_version(self, clients: list[httpx.Client], f: Factory) -> None:
        eng, admin = f.user("engineer"), f.user("admin")
        movers = [eng, admin]  # both may start
        for _ in range(ROUNDS):
            oid = f.order(state="assigned", type="maintenance", assignee=eng)
            v = load(f, oid).version
            results = race(THREADS, lambda i: clients[i].post(
                f"{BASE}/{oid}/transitions", headers=movers[i % 2].headers,
                json={"action": "start", "expected_version": v}))
            won, lost = http_outcomes(results)
            assert len(won) == 1 and len(lost) == THREADS - 1
            assert won[0].json()["state"] == "in_progress"
            assert {r.json()["code"] for r in lost} == {"state_conflict"}
            assert all(r.json()["details"] == {"state": "in_progress", "version": v + 1}
                       for r in lost)
            assert count_events(f, oid, "transition:start") == 1
            order = load(f, oid)
            assert (order.state, order.version) == ("in_progress", v + 1)
        assert_chain_intact(f)

    def test_close_without_expected_version(self, clients: list[httpx.Client], f: Factory,
                                            clock: Clock, backend: str) -> None:
        closers = [f.user(r) for r in ("admin", "agent", "dispatcher", "supervisor")]
        codes: list[str] = []
        for _ in range(ROUNDS):
            clock.advance(minutes=2)  # out of the last round's bulk-close window
            oid = f.order(state="awaiting_confirmation", type="maintenance")
            with f.session() as s:
                sup = closers[3]
                orders.add_confirmation(s, sup.ctx, orders.access_order(s, sup.ctx, oid),
                                        ConfirmationIn(kind="customer", signed_by="王经理"))
            v = load(f, oid).version
            results = race(THREADS, lambda i: clients[i].post(
                f"{BASE}/{oid}/transitions", headers=closers[i % 4].headers,
                json={"action": "close"}))
            won, lost = http_outcomes(results)
            assert len(won) == 1 and len(lost) == THREADS - 1
            assert won[0].json()["state"] == "closed"
            round_codes = [r.json()["code"] for r in lost]
            assert set(round_codes) <= LOSER_CODES, round_codes
            codes += round_codes
            assert count_events(f, oid, "transition:close") == 1
            order = load(f, oid)
            assert (order.state, order.version) == ("closed", v + 1)
            # closed at the instant it was resolved: one fast_close flag, from the winner only
            with f.session() as s:
                flags = s.scalars(select(SuspectedFakeCompletion.reason).where(
                    SuspectedFakeCompletion.work_order_id == oid)).all()
            assert flags == ["fast_close"]
        if backend == "sqlite":
            # writers queue on BEGIN IMMEDIATE: every loser reads the closed order
            assert set(codes) == {"invalid_transition"}
        else:
            # proof that the requests really overlapped: some losers lost the UPDATE itself
            assert "state_conflict" in codes
        assert_chain_intact(f)


class TestSameTransitionInTheServiceLayer:
    def test_start_in_separate_sessions(self, f: Factory) -> None:
        eng = f.user("engineer")
        for _ in range(ROUNDS):
            oid = f.order(state="assigned", type="production_exception", assignee=eng)
            results = race(THREADS, lambda i: transition_in_own_session(
                f, eng, oid, TransitionIn(action="start")))
            assert results.count("ok") == 1, results
            lost = [r for r in results if r != "ok"]
            assert {e.code for e in lost} <= LOSER_CODES, results
            assert count_events(f, oid, "transition:start") == 1
            assert load(f, oid).state == "in_progress"
        assert_chain_intact(f)

    def test_all_read_before_anyone_writes(self, f: Factory, backend: str) -> None:
        """Everyone holds the same version when the UPDATEs go in: only compare-and-set
        can stop the losers, and they all get state_conflict."""
        if backend == "sqlite":
            pytest.skip("SQLite writers take the lock at their first read: no shared read")
        eng = f.user("engineer")
        for _ in range(ROUNDS):
            oid = f.order(state="assigned", type="maintenance", assignee=eng)
            v = load(f, oid).version
            gate = threading.Barrier(THREADS)
            results = race(THREADS, lambda i: transition_in_own_session(
                f, eng, oid, TransitionIn(action="start"), gate))
            assert results.count("ok") == 1, results
            lost = [r for r in results if r != "ok"]
            assert [e.code for e in lost] == ["state_conflict"] * (THREADS - 1), results
            # the loser is told where the order is now, not what it had read
            assert all(e.details == {"state": "in_progress", "version": v + 1} for e in lost)
            assert count_events(f, oid, "transition:start") == 1
        assert_chain_intact(f)


# ------------------------------------------------------------------ two assigns
class TestAssignRace:
    def test_two_dispatchers_two_engineers(self, clients: list[httpx.Client],
                                           f: Factory) -> None:
        d1, d2 = f.user("dispatcher"), f.user("dispatcher", name="d2")
        e1, e2 = f.user("engineer"), f.user("engineer", name="e2")
        plan = [(d1, e1), (d2, e2)]
        winners = set()
        for _ in range(ROUNDS):
            oid = f.order(state="dispatching", type="maintenance")
            v = load(f, oid).version
            results = race(2, lambda i: clients[i].post(
                f"{BASE}/{oid}/transitions", headers=plan[i][0].headers,
                json={"action": "assign", "assignee_id": plan[i][1].id,
                      "expected_version": v}))
            won, lost = http_outcomes(results)
            assert len(won) == 1 and len(lost) == 1
            assert lost[0].json()["code"] == "state_conflict"
            winner = won[0].json()["assignee_id"]
            assert winner in (e1.id, e2.id)
            winners.add(winner)
            order = load(f, oid)
            assert (order.state, order.assignee_id) == ("assigned", winner)
            assert count_events(f, oid, "transition:assign") == 1
        assert_chain_intact(f)

    def test_without_expected_version_the_last_assign_is_the_one_set(
            self, clients: list[httpx.Client], f: Factory) -> None:
        """`assign` is also valid from `assigned` (a reassign), so a loser that reads after
        the winner committed reassigns; whatever happens, the order ends with the engineer
        of the last recorded assign and one event per success."""
        d1, d2 = f.user("dispatcher"), f.user("dispatcher", name="d2")
        e1, e2 = f.user("engineer"), f.user("engineer", name="e2")
        plan = [(d1, e1), (d2, e2)]
        for _ in range(ROUNDS):
            oid = f.order(state="dispatching", type="maintenance")
            results = race(2, lambda i: clients[i].post(
                f"{BASE}/{oid}/transitions", headers=plan[i][0].headers,
                json={"action": "assign", "assignee_id": plan[i][1].id}))
            won, lost = http_outcomes(results)
            assert len(won) >= 1
            assert all(r.json()["code"] == "state_conflict" for r in lost)
            with f.session() as s:
                last = s.scalars(select(AuditEvent).where(
                    AuditEvent.entity_id == oid, AuditEvent.entity_type == "work_order",
                    AuditEvent.action == "transition:assign").order_by(AuditEvent.seq)).all()
            assert len(last) == len(won)
            order = load(f, oid)
            assert order.assignee_id == last[-1].changes["assignee_id"][1]
            assert order.version == 2 + len(won)  # create, dispatch, then each assign
        assert_chain_intact(f)


# ------------------------------------------------------------------ edits
class TestEditRace:
    def test_patch_with_expected_version(self, clients: list[httpx.Client], f: Factory) -> None:
        admin = f.user("admin")
        for _ in range(ROUNDS // 2):
            oid = f.order(type="maintenance")
            v = load(f, oid).version
            results = race(THREADS, lambda i: clients[i].patch(
                f"{BASE}/{oid}", headers=admin.headers,
                json={"title": f"标题{i}", "expected_version": v}))
            won, lost = http_outcomes(results)
            assert len(won) == 1 and len(lost) == THREADS - 1
            assert {r.json()["code"] for r in lost} == {"state_conflict"}
            assert count_events(f, oid, "update") == 1
            order = load(f, oid)
            assert (order.title, order.version) == (won[0].json()["title"], v + 1)
        assert_chain_intact(f)

    def test_all_read_before_anyone_writes(self, f: Factory, backend: str) -> None:
        if backend == "sqlite":
            pytest.skip("SQLite writers take the lock at their first read: no shared read")
        admin = f.user("admin")
        for _ in range(ROUNDS // 2):
            oid = f.order(type="maintenance")
            v = load(f, oid).version
            gate = threading.Barrier(THREADS)
            results = race(THREADS, lambda i: in_own_session(
                f, admin, oid, lambda s, order: orders.update_order(
                    s, admin.ctx, order, WorkOrderUpdate(title=f"标题{i}")), gate))
            assert results.count("ok") == 1, results
            lost = [r for r in results if r != "ok"]
            assert [e.code for e in lost] == ["state_conflict"] * (THREADS - 1)
            assert all(e.details == {"state": "new", "version": v + 1} for e in lost)
            assert count_events(f, oid, "update") == 1


# ------------------------------------------------------------------ numbers
class TestConcurrentCreate:
    def test_numbers_stay_unique_and_contiguous(self, clients: list[httpx.Client],
                                                f: Factory) -> None:
        agent = f.user("agent")
        numbers: list[str] = []
        for _ in range(3):
            results = race(THREADS, lambda i: clients[i].post(
                BASE, headers=agent.headers, json={"type": "maintenance", "title": "并发"}))
            assert all(isinstance(r, httpx.Response) and r.status_code == 201
                       for r in results), results
            numbers += [r.json()["number"] for r in results]
        assert len(set(numbers)) == len(numbers) == 3 * THREADS
        tails = sorted(int(n[-6:]) for n in numbers)
        assert tails == list(range(tails[0], tails[0] + len(numbers)))
        assert_chain_intact(f)
