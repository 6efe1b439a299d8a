"""Group commit: concurrent write requests share one transaction and one COMMIT.

A hot write (create an order, move it through the workflow) is a few short statements and a
COMMIT; the COMMIT and the locks held until it ends are most of its cost: SQLite's single
writer lock and WAL append, PostgreSQL's WAL flush with the audit-chain head row locked.
Requests that arrive together are queued here and run one after another, in arrival order,
inside a single transaction; one COMMIT makes them all durable, and only then does each
request get its answer. Each job sees the effects of the jobs before it, as if they had run
one by one.

Work that every job repeats can wait for the end of the batch: `pending(session, key)` gives a
module a place in the group transaction to collect it (the new orders to insert and number,
the audit events to chain) and `before_commit` registers the function that writes it once,
just before the COMMIT. Outside a group transaction `pending` is None and callers write at
once. What such a function fills in (a new order's number) is known when `run` returns, not
inside the job. Rows whose locks every writer queues for (the month's number counter, the
audit-chain head) are written there, so a batch holds those locks only from its end to its
COMMIT, not while its jobs run: the batches of several server processes overlap.

A job that raises gets its own exception and the transaction is rolled back and run again
without it, so one bad request never takes another's writes with it and never leaves half a
record. A failed COMMIT makes every job of the batch run again on its own.
"""

import asyncio
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from bihuan.db import WRITE_LOCK_TIMEOUT, Database, busy_error

T = TypeVar("T")
Job = Callable[[Session], Any]
MAX_BATCH = 64


_GROUP = "bihuan.group"


@dataclass
class _GroupTx:
    size: int
    state: dict[str, Any] = field(default_factory=dict)
    flushers: list[Callable[[Session], None]] = field(default_factory=list)


def pending(session: Session, key: str, factory: Callable[[], Any]) -> Any | None:
    """This group transaction's collected work under `key` (made by `factory` and registered
    on first use); None when the session is not a group transaction."""
    tx: _GroupTx | None = session.info.get(_GROUP)
    if tx is None:
        return None
    if key not in tx.state:
        tx.state[key] = factory()
    return tx.state[key]


def batch_size(session: Session) -> int:
    """How many jobs this group transaction runs (at most)."""
    tx: _GroupTx = session.info[_GROUP]
    return tx.size


def before_commit(session: Session, flush: Callable[[Session], None], *,
                  first: bool = False) -> None:
    """Run `flush(session)` once, just before this group transaction's COMMIT, after the
    functions registered before it; `first`: before every other (rows the others refer to)."""
    tx: _GroupTx = session.info[_GROUP]
    if flush in tx.flushers:
        return
    if first:
        tx.flushers.insert(0, flush)
    else:
        tx.flushers.append(flush)


@dataclass
class _Queue:
    items: list[tuple[Job, asyncio.Future[Any]]] = field(default_factory=list)
    draining: bool = False


class GroupCommit:
    """One per Database; queues are kept per event loop (tests run several loops)."""

    def __init__(self, db: Database, max_batch: int = MAX_BATCH) -> None:
        self.db = db
        self.max_batch = max_batch
        self._queues: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Queue] = (
            weakref.WeakKeyDictionary())

    async def run(self, job: Callable[[Session], T]) -> T:
        """Run `job(session)` in the next group transaction; return its result once committed."""
        loop = asyncio.get_running_loop()
        queue = self._queues.get(loop)
        if queue is None:
            queue = self._queues[loop] = _Queue()
        future: asyncio.Future[T] = loop.create_future()
        queue.items.append((job, future))
        if not queue.draining:
            queue.draining = True
            loop.create_task(self._drain(queue))
        return await future

    async def _drain(self, queue: _Queue) -> None:
        try:
            # one turn of the loop lets requests that arrived together join the first batch
            await asyncio.sleep(0)
            while queue.items:
                batch = queue.items[: self.max_batch]
                del queue.items[: self.max_batch]
                await self._run_batch([(j, f) for j, f in batch if not f.done()])
        finally:
            queue.draining = False

    async def _run_batch(self, batch: list[tuple[Job, asyncio.Future[Any]]]) -> None:
        if not batch:
            return
        lock = self.db.write_lock
        if lock is not None and not await lock.acquire_async(WRITE_LOCK_TIMEOUT):
            for _, fut in batch:
                fut.set_exception(busy_error())
            return
        try:
            if not self._together(batch):
                for item in batch:  # the COMMIT failed: each job again, on its own
                    if not item[1].done():
                        self._together([item])
        except BaseException as exc:
            for _, fut in batch:
                if not fut.done():
                    fut.set_exception(exc) if isinstance(exc, Exception) else fut.cancel()
            raise
        finally:
            if lock is not None:
                lock.release()

    def _together(self, batch: list[tuple[Job, asyncio.Future[Any]]]) -> bool:
        """Run the jobs in one transaction; False if the COMMIT itself failed (nothing is
        answered then). A job that raises is answered with its exception and dropped."""
        pending = list(batch)
        while pending:
            session = self.db.session(write=True)
            tx = session.info[_GROUP] = _GroupTx(len(pending))
            try:
                results, failed = [], None
                for i, (job, _) in enumerate(pending):
                    try:
                        results.append(job(session))
                    except Exception as exc:  # noqa: BLE001 - handed to that request
                        failed = (i, exc)
                        break
                if failed is not None:
                    session.rollback()
                    i, exc = failed
                    pending.pop(i)[1].set_exception(exc)
                    continue
                try:
                    for flush in tx.flushers:
                        flush(session)
                    session.commit()
                except Exception as exc:  # noqa: BLE001 - answered below
                    session.rollback()
                    if len(pending) == 1:
                        pending[0][1].set_exception(exc)
                        return True
                    return False
                for (_, fut), result in zip(pending, results, strict=True):
                    fut.set_result(result)
                return True
            finally:
                session.close()
        return True
