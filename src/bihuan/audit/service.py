"""Write audit events in the caller's transaction, and verify the chain."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from bihuan import groupcommit
from bihuan.audit import repository
from bihuan.audit.chain import GENESIS, link_hash
from bihuan.audit.models import AuditEvent
from bihuan.kit.clock import utcnow
from bihuan.kit.context import RequestContext


def record(
    session: Session,
    ctx: RequestContext,
    action: str,
    entity_type: str,
    entity_id: int | None,
    changes: dict[str, Any],
    reason: str | None = None,
) -> None:
    """Append one event to the chain; call it last in a do_ so the head lock is short."""
    record_many(session, ctx, [(action, entity_type, entity_id, changes, reason)])


def record_many(
    session: Session, ctx: RequestContext,
    events: list[tuple[str, str, int | None, dict[str, Any], str | None]],
) -> None:
    """Append several events by one actor (action, entity type, id, changes, reason), chained
    in order, with one head lock and one insert: the SLA sweeper writes hundreds at a time.

    In a group transaction the events wait for the end of the batch and are chained there
    (`_chain_pending`), all jobs' events with one head lock and one insert, in job order."""
    if not events:
        return
    at = utcnow()
    rows = []
    for action, entity_type, entity_id, changes, reason in events:
        values: dict[str, Any] = {
            "occurred_at": at,
            "actor_id": ctx.actor.user_id,
            "actor_name": ctx.actor.username,
            "actor_role": ctx.actor.role,
            "action": action,
            "entity_type": entity_type,
            "entity_id": entity_id,
            "changes": changes,
            "reason": reason,
            "ip": ctx.ip,
            "user_agent": (ctx.user_agent or None) and ctx.user_agent[:512],
            "gps": ctx.gps,
        }
        rows.append(values)
    waiting = groupcommit.pending(session, "audit", list)
    if waiting is None:
        _append(session, rows)
    else:
        waiting.extend(rows)
        groupcommit.before_commit(session, _chain_pending)


def _append(session: Session, rows: list[dict[str, Any]]) -> None:
    """Lock the head, chain the rows after it, insert them and move the head."""
    seq, prev = repository.lock_head(session)
    for values in rows:
        seq += 1
        values["seq"], values["prev_hash"] = seq, prev
        values["hash"] = prev = link_hash(prev, values)
    if len(rows) == 1:
        repository.append(session, rows[0])
    else:
        repository.append_many(session, rows)


def _chain_pending(session: Session) -> None:
    rows = groupcommit.pending(session, "audit", list)
    if rows:
        _append(session, rows)


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    bad_seq: int | None = None
    problem: str | None = None


def _as_dict(e: AuditEvent) -> dict[str, Any]:
    return {
        "seq": e.seq, "occurred_at": e.occurred_at, "actor_id": e.actor_id,
        "actor_name": e.actor_name, "actor_role": e.actor_role, "action": e.action,
        "entity_type": e.entity_type, "entity_id": e.entity_id, "changes": e.changes,
        "reason": e.reason, "ip": e.ip, "user_agent": e.user_agent, "gps": e.gps,
    }


def verify(session: Session) -> VerifyResult:
    """Walk the chain in seq order; report the first event that does not link."""
    expected_seq, prev, checked = 1, GENESIS, 0
    for e in repository.iter_chain(session):
        if e.seq != expected_seq:
            kind = "missing" if e.seq > expected_seq else "duplicate"
            return VerifyResult(False, checked, expected_seq,
                                f"event #{expected_seq} is {kind} (next stored is #{e.seq})")
        if e.prev_hash != prev:
            return VerifyResult(False, checked, e.seq,
                                f"event #{e.seq} does not point at the hash of #{e.seq - 1}")
        if link_hash(prev, _as_dict(e)) != e.hash:
            return VerifyResult(False, checked, e.seq,
                                f"event #{e.seq} content does not match its hash (edited)")
        prev, expected_seq, checked = e.hash, e.seq + 1, checked + 1
    head = repository.head(session)
    if head is None:
        if checked:  # the head row is written with the first event: none means it was removed
            return VerifyResult(False, checked, checked,
                                f"chain has {checked} events but the head row is missing")
        return VerifyResult(True, checked)
    if head[0] > checked:
        return VerifyResult(False, checked, checked + 1,
                            f"chain ends at #{checked} but the head records #{head[0]} "
                            "(events removed from the end)")
    if head[0] < checked:
        return VerifyResult(False, checked, head[0] + 1,
                            f"event #{head[0] + 1} is past the head, which records #{head[0]} "
                            "(events added at the end)")
    if head[1] != prev:
        return VerifyResult(False, checked, checked,
                            f"event #{checked} does not match the hash the head records")
    return VerifyResult(True, checked)


def events_for(session: Session, entity_type: str, entity_id: int, limit: int,
               offset: int) -> tuple[list[AuditEvent], int]:
    return repository.for_entity(session, entity_type, entity_id, limit, offset)

