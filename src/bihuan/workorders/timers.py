"""The order's SLA marks as the sweeper reads and writes them: when to look next (the narrow
`sla_timers` table), the escalation level and the board flag (columns of the order).

Creates and transitions set the next check with `set_next_check`. In a group transaction the
batch's checks are written once, just before its COMMIT (one statement for the batch, like
the audit chain); outside one, at once.
"""

from collections import namedtuple
from datetime import datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Integer, bindparam, delete, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from bihuan import groupcommit
from bihuan.customers.models import Customer
from bihuan.db import UTCDateTime
from bihuan.kit import bulk
from bihuan.workorders.models import SlaTimer, WorkOrder

_KEY = "sla_timers"
_UPSERT = text("INSERT INTO sla_timers (work_order_id, next_at) VALUES (:oid, :at) "
               "ON CONFLICT (work_order_id) DO UPDATE SET next_at = excluded.next_at"
               ).bindparams(bindparam("at", type_=UTCDateTime()))
_DROP = delete(SlaTimer).where(SlaTimer.work_order_id == bindparam("oid"))


def set_next_check(session: Session, order_id: int, at: datetime | None) -> None:
    """When the sweeper must next look at the order (None: never, until a change says so)."""
    waiting = groupcommit.pending(session, _KEY, dict)
    if waiting is None:
        _write(session.connection(), {order_id: at})
        return
    waiting[order_id] = at  # a later job of the batch on the same order wins
    groupcommit.before_commit(session, _flush)


def _flush(session: Session) -> None:
    waiting = groupcommit.pending(session, _KEY, dict)
    if waiting:
        _write(session.connection(), waiting)


def _write(conn: Connection, checks: dict[int, datetime | None]) -> None:
    keep = [{"oid": oid, "at": at} for oid, at in sorted(checks.items()) if at is not None]
    drop = [{"oid": oid} for oid, at in sorted(checks.items()) if at is None]
    if keep:
        conn.execute(_UPSERT, keep)
    if drop:
        conn.execute(_DROP, drop)


# ---------------------------------------------------------------- the sweeper
_SLA_COLUMNS = (
    WorkOrder.id, WorkOrder.number, WorkOrder.title, WorkOrder.state, WorkOrder.priority,
    WorkOrder.customer_id, WorkOrder.assignee_id, WorkOrder.created_at, WorkOrder.accepted_at,
    WorkOrder.started_at,
    WorkOrder.resolved_at, WorkOrder.response_due_at, WorkOrder.resolution_due_at,
    WorkOrder.confirmation_due_at, WorkOrder.confirmed_at, WorkOrder.sla_elapsed_seconds,
    WorkOrder.sla_policy_id, WorkOrder.sla_running_since, WorkOrder.escalation_level,
    WorkOrder.board_since, WorkOrder.board_reason,
    Customer.name.label("customer_name"), Customer.province.label("region"),
)
_CLAIM = (select(*_SLA_COLUMNS).select_from(SlaTimer)
          .join(WorkOrder, WorkOrder.id == SlaTimer.work_order_id)
          .outerjoin(Customer, Customer.id == WorkOrder.customer_id)
          .where(SlaTimer.next_at <= bindparam("now"))
          .order_by(SlaTimer.next_at).limit(bindparam("limit", type_=Integer)))
_CLAIM_LOCKED = _CLAIM.with_for_update(of=(SlaTimer, WorkOrder), skip_locked=True)
# the sweeper reads each row's fields dozens of times: a named tuple's attribute costs a tenth
# of a Row's
SlaRow = namedtuple("SlaRow", [c.key for c in _CLAIM.selected_columns])  # type: ignore[misc]


def claim_sla_due(session: Session, now: datetime, limit: int) -> list[Any]:
    """The earliest due orders (by the timers' index). On PostgreSQL the rows stay locked
    until commit and rows another sweeper holds are skipped, so two sweepers never take the
    same order; on SQLite the write transaction already runs alone."""
    conn = session.connection()
    stmt = _CLAIM_LOCKED if conn.dialect.name == "postgresql" else _CLAIM
    return list(map(SlaRow._make, conn.execute(stmt, {"now": now, "limit": limit})))


# SQLite: executemany straight to the driver, the times through the column type's own bind
# processor; the per-row parameter handling of a compiled statement costs as much again
_SET_MARKS = ("UPDATE work_orders SET escalation_level = ?, board_since = ?, board_reason = ? "
              "WHERE id = ?")
_SET_NEXT = "UPDATE sla_timers SET next_at = ? WHERE work_order_id = ?"
_DROP_NEXT = "DELETE FROM sla_timers WHERE work_order_id = ?"
# PostgreSQL: the rows travel as one JSON document and the statement text never changes, so
# nothing is compiled per sweep and the server parses and plans one statement, not 1,000
_SET_MARKS_PG = text("""
UPDATE work_orders AS w
SET escalation_level = m.level, board_since = m.board_since, board_reason = m.reason
FROM json_to_recordset(CAST(:rows AS json)) AS m(oid integer, level integer,
     board_since timestamptz, reason varchar)
WHERE w.id = m.oid""")
_SET_NEXT_PG = text("""
UPDATE sla_timers AS t SET next_at = m.next_at
FROM json_to_recordset(CAST(:rows AS json)) AS m(oid integer, next_at timestamptz)
WHERE t.work_order_id = m.oid""")
_DROP_NEXT_PG = text("DELETE FROM sla_timers WHERE work_order_id = ANY(:ids)")


def set_sla_marks(session: Session, rows: list[dict[str, Any]]) -> None:
    """Next check for many orders, and level and board flag for those whose changed (the
    sweeper holds these rows: locked on PostgreSQL, the only writer on SQLite). Each row:
    oid, level, board_since, reason, next_at, changed."""
    if not rows:
        return
    rows = sorted(rows, key=itemgetter("oid"))  # table order: neighbouring pages together
    changed = [r for r in rows if r["changed"]]
    moved = [r for r in rows if r["next_at"] is not None]
    done = [r["oid"] for r in rows if r["next_at"] is None]
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        if changed:
            conn.execute(_SET_MARKS_PG, {"rows": bulk.json_doc(
                [{k: r[k] for k in ("oid", "level", "board_since", "reason")} for r in changed])})
        if moved:
            conn.execute(_SET_NEXT_PG, {"rows": bulk.json_doc(
                [{"oid": r["oid"], "next_at": r["next_at"]} for r in moved])})
        if done:
            conn.execute(_DROP_NEXT_PG, {"ids": done})
        return
    when = UTCDateTime().dialect_impl(conn.dialect).bind_processor(conn.dialect)
    assert when is not None
    if changed:
        conn.exec_driver_sql(_SET_MARKS, [
            (r["level"], when(r["board_since"]), r["reason"], r["oid"]) for r in changed])
    if moved:
        conn.exec_driver_sql(_SET_NEXT, [(when(r["next_at"]), r["oid"]) for r in moved])
    if done:
        conn.exec_driver_sql(_DROP_NEXT, [(oid,) for oid in done])
