"""Group commit: jobs that arrive together share one transaction; each still succeeds or fails
alone, numbers stay contiguous and the audit chain stays whole."""

import asyncio
import threading
from typing import Any

import httpx
import pytest
from sqlalchemy import event, func, select, text

from bihuan.audit import service as audit
from bihuan.audit.models import AuditEvent
from bihuan.config import Settings
from bihuan.db import Database, session_scope
from bihuan.errors import BadInput
from bihuan.groupcommit import GroupCommit
from bihuan.main import create_app
from bihuan.workorders import service as orders
from bihuan.workorders.models import WorkOrder
from bihuan.workorders.schemas import WorkOrderCreate
from tests import live
from tests.factories import Factory


def _commits(db: Database) -> list[int]:
    """Counts COMMITs on the engine (one list item per COMMIT)."""
    seen: list[int] = []
    event.listen(db.engine, "commit", lambda conn: seen.append(1))
    return seen


def _create(ctx: Any, settings: Settings, title: str, type: str = "maintenance"):  # type: ignore[no-untyped-def]
    def job(session):  # type: ignore[no-untyped-def]
        return orders.create_order(session, ctx, settings, WorkOrderCreate(type=type,
                                                                           title=title))
    return job


def _numbers(db: Database) -> list[int]:
    with session_scope(db, write=False) as s:
        return sorted(int(n.rsplit("-", 1)[1]) for n in s.scalars(select(WorkOrder.number)))


def _verify(db: Database) -> None:
    with session_scope(db, write=False) as s:
        result = audit.verify(s)
    assert result.ok, result.problem


async def _gather(group: GroupCommit, jobs: list[Any]) -> list[Any]:
    return await asyncio.gather(*(group.run(j) for j in jobs), return_exceptions=True)


def test_jobs_that_arrive_together_share_one_commit(db: Database, settings: Settings,
                                                    f: Factory) -> None:
    agent = f.user("agent")
    commits = _commits(db)
    group = GroupCommit(db)
    results = asyncio.run(_gather(group, [_create(agent.ctx, settings, f"t{i}") for i in range(10)]))
    assert len(commits) == 1
    # each answer has its number, given at the end of the batch, in arrival order
    assert [r.number.rsplit("-", 1)[1] for r in results] == [f"{i:06d}" for i in range(1, 11)]
    assert _numbers(db) == list(range(1, 11))
    _verify(db)
    with session_scope(db, write=False) as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent)) >= 10


def test_a_failing_job_fails_alone(db: Database, settings: Settings, f: Factory) -> None:
    agent = f.user("agent")
    jobs = [_create(agent.ctx, settings, f"t{i}") for i in range(6)]
    jobs[3] = _create(agent.ctx, settings, "no customer", type="repair")  # refused: 400

    def writes_then_fails(session):  # type: ignore[no-untyped-def]
        orders.create_order(session, agent.ctx, settings,
                            WorkOrderCreate(type="maintenance", title="half-written"))
        raise RuntimeError("after the insert")

    jobs.append(writes_then_fails)
    results = asyncio.run(_gather(GroupCommit(db), jobs))
    assert isinstance(results[3], BadInput) and results[3].code == "customer_required"
    assert isinstance(results[6], RuntimeError)
    assert sum(isinstance(r, WorkOrder) for r in results) == 5
    # nothing of the failed jobs is kept, and the survivors' numbers have no gap
    assert _numbers(db) == list(range(1, 6))
    with session_scope(db, write=False) as s:
        assert s.scalar(select(func.count()).where(WorkOrder.title == "half-written")) == 0
    _verify(db)


def test_a_failed_commit_runs_each_job_again_alone(db: Database, settings: Settings,
                                                  f: Factory) -> None:
    agent = f.user("agent")
    commits = _commits(db)
    failed = {"once": False}

    def poison(session):  # type: ignore[no-untyped-def]
        # fails at COMMIT, not when run: a deferred check the database makes at the end
        if not failed["once"]:
            failed["once"] = True

            @event.listens_for(session, "before_commit", once=True)
            def _boom(_s):  # type: ignore[no-untyped-def]
                raise RuntimeError("commit refused")
        return "poison"

    jobs = [_create(agent.ctx, settings, f"t{i}") for i in range(4)] + [poison]
    results = asyncio.run(_gather(GroupCommit(db), jobs))
    assert all(isinstance(r, WorkOrder) for r in results[:4]) and results[4] == "poison"
    # the batch's COMMIT failed; then each job committed alone (the poison one writes nothing)
    assert len(commits) == 4
    assert _numbers(db) == list(range(1, 5))
    _verify(db)


def test_concurrent_http_writes_on_one_server(db: Database, settings: Settings,
                                              f: Factory) -> None:
    """32 clients at once on one server: creates and transitions are grouped, every answer is
    right, numbers are contiguous and the chain verifies."""
    agent = f.user("agent")
    ids = [f.order(type="maintenance") for _ in range(16)]
    commits = _commits(db)
    barrier = threading.Barrier(32)
    answers: list[tuple[str, int, dict[str, Any]]] = []
    lock = threading.Lock()

    with live.live_server(create_app(settings, db)) as url:
        def worker(i: int) -> None:
            with httpx.Client(base_url=url, headers=agent.headers, timeout=30) as c:
                barrier.wait()
                if i < 16:
                    r = c.post("/api/v1/work-orders", json={"type": "maintenance",
                                                            "title": f"c{i}"})
                    kind = "create"
                else:
                    r = c.post(f"/api/v1/work-orders/{ids[i - 16]}/transitions",
                               json={"action": "dispatch"})
                    kind = "dispatch"
                with lock:
                    answers.append((kind, r.status_code, r.json()))

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(32)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)

    assert len(answers) == 32
    assert [a for a in answers if a[0] == "create" and a[1] != 201] == []
    assert [a for a in answers if a[0] == "dispatch" and a[1] != 200] == []
    assert {a[2]["state"] for a in answers if a[0] == "dispatch"} == {"dispatching"}
    assert len(commits) < 32  # grouped: fewer COMMITs than writes
    assert _numbers(db) == list(range(1, 33))
    with session_scope(db, write=False) as s:  # each answer is the order as stored
        stored = dict(s.execute(select(WorkOrder.id, WorkOrder.number)).all())
    assert all(stored[a[2]["id"]] == a[2]["number"] for a in answers if a[0] == "create")
    _verify(db)


@pytest.mark.parametrize("n", [1, 3])
def test_single_writes_still_commit_at_once(db: Database, settings: Settings, f: Factory,
                                            n: int) -> None:
    agent = f.user("agent")
    group = GroupCommit(db)

    async def one_by_one() -> list[Any]:
        return [await group.run(_create(agent.ctx, settings, f"s{i}")) for i in range(n)]

    assert len(asyncio.run(one_by_one())) == n
    with session_scope(db, write=False) as s:
        assert s.execute(text("SELECT count(*) FROM work_orders")).scalar() == n
    _verify(db)


def test_same_external_ref_twice_in_one_batch(db: Database, settings: Settings,
                                              f: Factory) -> None:
    """The second order's check cannot see the first's reference (written at the end of the
    batch): the batch fails at its end and each job runs again alone; one order gets it."""
    agent = f.user("agent")
    ref = [{"system": "zendesk", "external_id": "4711"}]

    def create(title: str, refs: list[dict[str, str]]):  # type: ignore[no-untyped-def]
        return lambda session: orders.create_order(
            session, agent.ctx, settings,
            WorkOrderCreate(type="maintenance", title=title, external_refs=refs))

    results = asyncio.run(_gather(GroupCommit(db), [
        create("a", []), create("b", ref), create("c", ref), create("d", [])]))
    assert [type(r).__name__ for r in results] == ["WorkOrder", "WorkOrder", "Conflict",
                                                   "WorkOrder"]
    assert results[2].code == "external_ref_taken"
    assert _numbers(db) == [1, 2, 3]
    with session_scope(db, write=False) as s:
        owner = s.scalar(text("SELECT work_order_id FROM work_order_external_refs"))
    assert owner == results[1].id
    _verify(db)


def test_the_number_counter_is_locked_only_at_the_end(db: Database, settings: Settings,
                                                     f: Factory) -> None:
    """While a batch's jobs run, another server process can take numbers: the counter row
    is locked only from the end of the batch to its COMMIT."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    agent = f.user("agent")
    f.order(type="maintenance")  # the month's counter row exists
    seen: list[str] = []

    def probe(session):  # type: ignore[no-untyped-def]
        with db.engine.connect() as other:
            other.execute(text("SET lock_timeout = '200ms'"))
            try:
                other.execute(text("SELECT value FROM number_sequences FOR UPDATE"))
                seen.append("free")
            except Exception:  # noqa: BLE001 - the lock timeout
                seen.append("locked")
            other.rollback()
        return "probe"

    jobs = [_create(agent.ctx, settings, "t1"), probe, _create(agent.ctx, settings, "t2")]
    results = asyncio.run(_gather(GroupCommit(db), jobs))
    assert seen == ["free"] and results[1] == "probe"
    assert [r.number[-2:] for r in (results[0], results[2])] == ["02", "03"]
    _verify(db)
