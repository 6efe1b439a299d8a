"""The SLA sweeper: finds orders whose next SLA moment has come and escalates them.

Each sweep is one transaction: it takes the earliest due orders by the index of
`sla_timers` (locked, skipping rows another sweeper holds, on PostgreSQL), decides each
order's new escalation level, and writes the level, the audit event and the notifications
(outbox) together. So an escalation is announced exactly when it is recorded, and two sweepers never
announce the same one; the outbox dedupe keys guard the rest.

Levels: 1: the responsible person (the assignee, else the dispatchers) in-app and @ in the
group robots; 2: the assignee's supervisor, with a to-do; 3: red on the director's board.
Each announcement is one fan-out outbox row, expanded by the relay after commit. An order not dispatched within 2 hours of its creation goes on the board too.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from bihuan.audit import service as audit
from bihuan.config import Settings
from bihuan.db import Database, session_scope
from bihuan.kit.clock import utcnow
from bihuan.kit.context import SYSTEM, RequestContext
from bihuan.notifications import service as notify
from bihuan.sla import clock, repository
from bihuan.sla import service as sla
from bihuan.users import service as users
from bihuan.workorders import service as orders

KIND_LABELS = {"response": ("响应", "response"), "resolution": ("修复", "resolution"),
               "confirmation": ("确认", "confirmation")}
# who hears of each level when the order has no one of its own to tell
ROLES = ("dispatcher", "supervisor", "director")


@dataclass
class SweepStats:
    checked: int = 0
    escalated: int = 0
    at_risk: int = 0
    boarded: int = 0
    notifications: int = 0
    levels: dict[int, int] = field(default_factory=dict)


class _People:
    """Who to tell, looked up once per sweep: the assignees of the swept orders in one query,
    their supervisors in one more when the first is needed, the roles in one."""

    def __init__(self, session: Session, rows: list[Any]) -> None:
        self.session = session
        self._role: dict[str, list[Any]] = {}
        self._audience: dict[Any, tuple[list[int], list[str]]] = {}
        self._user: dict[int, Any] = users.get_users(
            session, {r.assignee_id for r in rows if r.assignee_id is not None})
        self._bosses_loaded = False

    def role(self, role: str) -> list[Any]:
        if role not in self._role:  # the roles a sweep may tell, all in one query
            self._role.update(users.active_by_role(self.session, {role, *ROLES}))
        return self._role[role]

    def user(self, user_id: int | None) -> Any:
        if user_id is None:
            return None
        if user_id not in self._user:
            self._user[user_id] = users.get_user(self.session, user_id)
        return self._user[user_id]

    def boss(self, user: Any) -> Any:
        """The user's supervisor (None without one)."""
        if user.supervisor_id is None:
            return None
        if not self._bosses_loaded:
            self._bosses_loaded = True
            wanted = {u.supervisor_id for u in self._user.values() if u is not None}
            self._user.update(users.get_users(self.session, wanted - self._user.keys()))
        return self.user(user.supervisor_id)

    def audience(self, targets: list[Any], role: str | None = None) -> tuple[list[int], list[str]]:
        """The targets' ids and mobiles (to @ in the robots); a role's are worked out once."""
        if role is not None and role in self._audience:
            return self._audience[role]
        found = [u.id for u in targets], [u.phone for u in targets if u.phone]
        if role is not None:
            self._audience[role] = found
        return found


def _deadlines(row: Any, policy: sla.Policy) -> list[tuple[str, datetime, timedelta]]:
    """The order's deadlines that can still run out: (kind, due, target). Response and
    resolution while the clock runs; the confirmation while the order waits for it."""
    out = []
    if row.sla_running_since is not None:
        if row.response_due_at is not None and (row.accepted_at or row.started_at) is None:
            out.append(("response", row.response_due_at, policy.targets.response))
        if row.resolution_due_at is not None and row.resolved_at is None:
            out.append(("resolution", row.resolution_due_at, policy.targets.resolution))
    if sla.confirmation_open(row) and policy.targets.confirmation:
        out.append(("confirmation", row.confirmation_due_at, policy.targets.confirmation))
    return out


def _missed(deadlines: list[tuple[str, datetime, timedelta]], cal: Any, now: datetime,
            urgent: bool) -> tuple[int, str | None]:
    """The level the unmet deadlines have reached, and which deadline drives it."""
    best, kind = 0, None
    for name, due, target in deadlines:
        level = clock.level_at(due, target, cal, now, urgent)
        if level > best:
            best, kind = level, name
    return best, kind


def _at_risk(row: Any, deadlines: list[tuple[str, datetime, timedelta]], cal: Any,
             now: datetime) -> list[tuple[str, datetime]]:
    """The deadlines that have turned at risk and are not missed yet: (kind, due)."""
    out = []
    for kind, due, target in deadlines:
        if now >= due:  # missed: an escalation, not a warning
            continue
        if kind == "confirmation":
            start, used = row.resolved_at, timedelta(0)
        else:
            start, used = row.sla_running_since, timedelta(seconds=row.sla_elapsed_seconds or 0)
        work = target * (1 - clock.AT_RISK_SHARE) - used
        if start + work > now:  # not even in wall-clock time: no calendar sum needed
            continue
        if clock.at_risk_at(cal, start, used, target) <= now:
            out.append((kind, due))
    return out


def sweep_once(db: Database, settings: Settings, now: datetime | None = None,
               limit: int = 1000) -> SweepStats:
    """One pass over the due orders, in one transaction."""
    now = now or utcnow()
    stats = SweepStats()
    with session_scope(db) as session:
        rows = orders.claim_sla_due(session, now, limit)
        if not rows:
            return stats
        t = sla.tables(session)
        teams = sla.teams_of(session, {r.assignee_id for r in rows})
        people = _People(session, rows)
        ctx = RequestContext(SYSTEM)
        marks: list[dict[str, Any]] = []
        events: list[Any] = []
        announcements: list[dict[str, Any]] = []
        todos: list[dict[str, Any]] = []
        for row in rows:
            stats.checked += 1
            marks.append(_decide(todos, t, people, row, now, stats, events, announcements,
                                 teams.get(row.assignee_id)))
        orders.set_sla_marks(session, marks)
        repository.add_todos(session, todos)
        notify.enqueue_fanouts(session, announcements)
        audit.record_many(session, ctx, events)  # last: the chain head stays locked briefly
        stats.notifications = len(announcements)
    return stats


def _decide(todos: list[dict[str, Any]], t: Any, people: _People, row: Any, now: datetime,
            stats: SweepStats, events: list[Any], out: list[dict[str, Any]],
            team: str | None = None) -> dict[str, Any]:
    policy = t.policies.get(row.sla_policy_id) if row.sla_policy_id else None
    cal = sla.calendar_for(t, policy, row.customer_id, row.region, team)
    old = row.escalation_level or 0
    deadlines = _deadlines(row, policy) if policy else []
    level, kind = _missed(deadlines, cal, now, row.priority == sla.URGENT)
    level = max(level, old)
    for risk_kind, due in _at_risk(row, deadlines, cal, now):
        stats.at_risk += 1
        _announce_risk(people, row, risk_kind, due, out)
    board_since, reason = row.board_since, row.board_reason
    undispatched = (board_since is None and row.state in ("new", "dispatching")
                    and now >= row.created_at + sla.UNDISPATCHED_AFTER)
    if undispatched:
        board_since, reason = now, "undispatched"
        stats.boarded += 1
        _announce_undispatched(people, row, out)
    if level > old:
        if level >= 3 and board_since is None:
            board_since, reason = now, "escalated"
            stats.boarded += 1
        stats.escalated += 1
        stats.levels[level] = stats.levels.get(level, 0) + 1
        due = next((d for k, d, _ in deadlines if k == kind), None)
        for lv in range(old + 1, level + 1):
            _announce(todos, people, row, lv, kind or "resolution", due, now, out)
    if level > old or undispatched:
        changes: dict[str, Any] = {}
        if level > old:
            changes["escalation_level"] = [old, level]
            changes["sla_deadline"] = [None, kind]
        if board_since != row.board_since:
            changes["board"] = [None, reason]
        events.append(("sla:escalate", orders.ENTITY, row.id, changes, None))
    view = _View(row, level, board_since)
    next_at = (sla.next_check(view, _clock(row), policy, cal, now,
                              response_met=(row.accepted_at or row.started_at) is not None,
                              resolved=row.resolved_at is not None, state_after=None)
               if policy else None)
    if next_at is not None and next_at <= now:  # never spin on the same instant
        next_at = None
    return {"oid": row.id, "level": level, "next_at": next_at, "board_since": board_since,
            "reason": reason, "changed": level > old or board_since != row.board_since}


class _View:
    """The swept row with its new level and board flag, as next_check reads it."""

    def __init__(self, row: Any, level: int, board_since: datetime | None) -> None:
        self.priority, self.state, self.created_at = row.priority, row.state, row.created_at
        self.escalation_level, self.board_since = level, board_since
        self.resolved_at, self.confirmed_at = row.resolved_at, row.confirmed_at
        self.confirmation_due_at = row.confirmation_due_at


def _clock(row: Any) -> clock.Clock:
    return clock.Clock(running_since=row.sla_running_since,
                       elapsed=timedelta(seconds=row.sla_elapsed_seconds or 0),
                       response_due_at=row.response_due_at,
                       resolution_due_at=row.resolution_due_at)


def _data(row: Any, assignee: Any, extra: dict[str, Any]) -> dict[str, Any]:
    data = {"number": row.number, "title": row.title, "customer": row.customer_name or "",
            "assignee": assignee.display_name if assignee else "—",
            "created_at": row.created_at, "order_id": row.id}
    data.update({k: v for k, v in extra.items() if v is not None})
    return data


def _announce(todos: list[dict[str, Any]], people: _People, row: Any, level: int, kind: str,
              due: datetime | None, now: datetime, out: list[dict[str, Any]]) -> None:
    """Queue the announcement of this level (one fan-out row; the relay expands it)."""
    assignee = people.user(row.assignee_id)
    data = _data(row, assignee, {"level": level, "kind": kind, "due_at": due})
    # the assignee (L1) or their supervisor (L2), else everyone in the level's role
    one = assignee if level == 1 else people.boss(assignee) if level == 2 and assignee else None
    if one is not None:
        ids, phones = people.audience([one])
    else:
        role = ROLES[level - 1]
        ids, phones = people.audience(people.role(role), role)
    if level == 2:
        title = f"处理超时工单 {row.number}({KIND_LABELS[kind][0]})"
        todos.extend({"user_id": uid, "work_order_id": row.id, "created_at": now,
                      "title": title, "done_at": None} for uid in ids)
    out.append(notify.fanout_row(
        "sla.breach", data, users=ids, robots=level < 3, mentions=phones,
        link=f"/desk/work-orders/{row.id}", dedupe_key=f"sla:{row.id}:{kind}:L{level}"))


def _announce_risk(people: _People, row: Any, kind: str, due: datetime,
                   out: list[dict[str, Any]]) -> None:
    """Warn the responsible person (the assignee, else the dispatchers) before a deadline is
    missed: once per deadline (a moved deadline warns again), to them only, not the groups."""
    assignee = people.user(row.assignee_id)
    ids = (people.audience([assignee]) if assignee is not None
           else people.audience(people.role(ROLES[0]), ROLES[0]))[0]
    out.append(notify.fanout_row(
        "sla.at_risk", _data(row, assignee, {"kind": kind, "due_at": due}), users=ids,
        robots=False, link=f"/desk/work-orders/{row.id}",
        dedupe_key=f"sla:{row.id}:{kind}:risk:{due:%Y%m%dT%H%M%S}"))


def _announce_undispatched(people: _People, row: Any, out: list[dict[str, Any]]) -> None:
    ids = (people.audience(people.role("director"), "director")[0]
           + people.audience(people.role("dispatcher"), "dispatcher")[0])
    out.append(notify.fanout_row(
        "order.undispatched", _data(row, None, {}), users=ids, robots=True,
        link=f"/desk/work-orders/{row.id}", dedupe_key=f"sla:{row.id}:undispatched"))


def run_forever(db: Database, settings: Settings, stop: threading.Event,
                interval: float = 15.0, on_error: Callable[[Exception], None] | None = None,
                batch: int = 1000) -> None:
    """The worker loop: sweep, then wait `interval` seconds (or until stopped)."""
    while not stop.is_set():
        try:
            while sweep_once(db, settings, limit=batch).checked == batch and not stop.is_set():
                pass  # a full batch: more may be due, go again at once
        except Exception as e:  # noqa: BLE001 - the loop must outlive one bad sweep
            if on_error:
                on_error(e)
        stop.wait(interval)
