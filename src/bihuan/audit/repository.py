"""Every audit query."""

from collections.abc import Iterator
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from bihuan.audit.chain import GENESIS
from bihuan.audit.models import AuditEvent, AuditHead
from bihuan.kit import bulk

# Built once: these run on every write, and building a statement costs more than running it.
_LOCK_HEAD = select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1).with_for_update()
_INSERT_EVENT = insert(AuditEvent)
_MOVE_HEAD = update(AuditHead).where(AuditHead.id == 1).values(
    seq=bindparam("seq"), hash=bindparam("hash"))


def lock_head(session: Session) -> tuple[int, str]:
    """Lock the chain head (FOR UPDATE on PostgreSQL; SQLite already holds the write lock)."""
    row = session.connection().execute(_LOCK_HEAD).first()
    if row is None:
        session.execute(insert(AuditHead).values(id=1, seq=0, hash=GENESIS))
        return 0, GENESIS
    return row.seq, row.hash


def append(session: Session, values: dict[str, Any]) -> None:
    # Core, not ORM-enabled DML: the ORM path costs several times the statement itself
    conn = session.connection()
    conn.execute(_INSERT_EVENT, values)
    conn.execute(_MOVE_HEAD, {"seq": values["seq"], "hash": values["hash"]})


def append_many(session: Session, rows: list[dict[str, Any]]) -> None:
    """Many events in one statement, then the head once (they are already chained)."""
    conn = session.connection()
    bulk.insert_rows(conn, AuditEvent.__table__, rows)
    conn.execute(_MOVE_HEAD, {"seq": rows[-1]["seq"], "hash": rows[-1]["hash"]})


def head(session: Session) -> tuple[int, str] | None:
    row = session.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).first()
    return (row.seq, row.hash) if row else None


def iter_chain(session: Session, batch: int = 5000) -> Iterator[AuditEvent]:
    last = -1
    while True:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.seq > last).order_by(AuditEvent.seq).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq
        session.expunge_all()


def for_entity(
    session: Session, entity_type: str, entity_id: int, limit: int, offset: int
) -> tuple[list[AuditEvent], int]:
    cond = (AuditEvent.entity_type == entity_type, AuditEvent.entity_id == entity_id)
    total = session.scalar(select(func.count()).select_from(AuditEvent).where(*cond)) or 0
    rows = session.scalars(
        select(AuditEvent).where(*cond).order_by(AuditEvent.seq).limit(limit).offset(offset)
    ).all()
    return list(rows), total

