"""SLA use cases: pick the policy and the calendar for an order, keep its clock through the
workflow, and describe its deadlines. The tables are small and read on every order write,
so they are cached per process for a short time; every admin change clears the cache. The
assignee's team is read when needed (only while some team has a calendar): it changes with
every assignment, so it is not cached."""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from bihuan.engineers import service as engineers
from bihuan.sla import clock, repository
from bihuan.sla.calendar import DEFAULT_HOURS, BusinessCalendar, missing_holiday_years
from bihuan.sla.models import BusinessCalendarRow, SlaPolicy

CACHE_SECONDS = 30.0
URGENT = "urgent"


@dataclass(frozen=True)
class Policy:
    id: int
    name: str
    targets: clock.Targets
    calendar_id: int | None


@dataclass(frozen=True)
class _Tables:
    policies: dict[int, Policy]
    default_policy: Policy | None
    rules: list[tuple[str | None, str | None, str | None, int]]  # tier, fault, priority, policy
    calendars: dict[int, BusinessCalendar]
    default_calendar: BusinessCalendar
    by_customer: dict[str, int]
    by_region: dict[str, int]
    by_team: dict[str, int] = field(default_factory=dict)


_cache: tuple[float, Any, _Tables] | None = None
_lock = threading.Lock()
FALLBACK_CALENDAR = BusinessCalendar(tz="Asia/Shanghai", hours=DEFAULT_HOURS)


def invalidate(session: Session | None = None) -> None:
    """Forget the cached tables now and, given the session that changed them, once more when
    it commits: a reload in between still read the old rows."""
    global _cache
    with _lock:
        _cache = None
    if session is not None and not session.info.get("sla_invalidate"):
        session.info["sla_invalidate"] = True

        def _after(s: Session) -> None:
            s.info.pop("sla_invalidate", None)
            invalidate()

        event.listen(session, "after_commit", _after, once=True)


def _hours(spec: Any) -> list[tuple[dtime, dtime]]:
    return [(dtime.fromisoformat(a), dtime.fromisoformat(b)) for a, b in spec or []]


def to_calendar(row: BusinessCalendarRow, overrides: dict[date, bool]) -> BusinessCalendar:
    return BusinessCalendar(
        tz=row.timezone, hours={int(k): _hours(v) for k, v in (row.hours or {}).items()},
        workday_hours=_hours(row.workday_hours) if row.workday_hours else None,
        overrides=overrides, public_holidays=row.public_holidays, always_open=row.always_open)


def _load(session: Session) -> _Tables:
    per_cal: dict[int, dict[date, bool]] = {}
    for o in repository.overrides(session):
        per_cal.setdefault(o.calendar_id, {})[o.day] = o.working
    rows = repository.calendars(session)
    cals = {r.id: to_calendar(r, per_cal.get(r.id, {})) for r in rows}
    default_cal = next((cals[r.id] for r in rows if r.is_default), FALLBACK_CALENDAR)
    pols = {p.id: _policy(p) for p in repository.policies(session)}
    default = next((pols[p.id] for p in repository.policies(session) if p.is_default), None)
    assigned = repository.assignments(session)
    return _Tables(
        policies=pols, default_policy=default,
        rules=[(r.tier, r.fault_type, r.priority, r.policy_id) for r in repository.rules(session)],
        calendars=cals, default_calendar=default_cal,
        by_customer={a.key: a.calendar_id for a in assigned if a.scope == "customer"},
        by_region={a.key: a.calendar_id for a in assigned if a.scope == "region"},
        by_team={a.key: a.calendar_id for a in assigned if a.scope == "team"})


def _policy(p: SlaPolicy) -> Policy:
    conf = timedelta(minutes=p.confirmation_minutes) if p.confirmation_minutes else None
    return Policy(p.id, p.name, clock.Targets(timedelta(minutes=p.response_minutes),
                                              timedelta(minutes=p.resolution_minutes), conf),
                  p.calendar_id)


def tables(session: Session) -> _Tables:
    """The cached tables of the session's database (keyed by its engine: a list page asks
    once per row, and rendering the URL cost more than the rest of the lookup)."""
    global _cache
    engine = session.get_bind().engine
    now = time.monotonic()
    hit = _cache
    if hit is not None and hit[1] is engine and now - hit[0] < CACHE_SECONDS:
        return hit[2]
    loaded = _load(session)
    with _lock:
        _cache = (now, engine, loaded)
    return loaded


# ---------------------------------------------------------------- choosing
def policy_for(t: _Tables, tier: str | None, fault_type: str | None,
               priority: str | None) -> Policy | None:
    """The most specific matching rule of the matrix (empty cells match anything)."""
    best: tuple[int, int] | None = None
    chosen = None
    for pos, (r_tier, r_fault, r_prio, pid) in enumerate(t.rules):
        if (r_tier not in (None, tier) or r_fault not in (None, fault_type)
                or r_prio not in (None, priority)):
            continue
        score = (sum(x is not None for x in (r_tier, r_fault, r_prio)), -pos)
        if best is None or score > best:
            best, chosen = score, t.policies.get(pid)
    return chosen or t.default_policy


def calendar_for(t: _Tables, policy: Policy | None, customer_id: int | None,
                 region: str | None, team: str | None = None) -> BusinessCalendar:
    """The policy's own calendar, else the customer's, else the assignee's team's, else the
    region's, else the default."""
    for cid in (policy.calendar_id if policy else None,
                t.by_customer.get(str(customer_id)) if customer_id else None,
                t.by_team.get(team) if team else None,
                t.by_region.get(region or "")):
        if cid is not None and cid in t.calendars:
            return t.calendars[cid]
    return t.default_calendar


def team_of(session: Session, user_id: int | None) -> str | None:
    """The assignee's team, when it can matter (some team has a calendar): one lookup by
    the engineers' unique user id."""
    if user_id is None or not tables(session).by_team:
        return None
    return engineers.teams_of(session, {user_id}).get(user_id)


def teams_of(session: Session, user_ids: set[int | None]) -> dict[int, str]:
    """The teams of many assignees in one query (a list page, a sweep); {} when no team has
    a calendar."""
    ids = {u for u in user_ids if u is not None}
    if not ids or not tables(session).by_team:
        return {}
    return engineers.teams_of(session, ids)


# ---------------------------------------------------------------- the order's clock
@dataclass(frozen=True)
class OrderFacts:
    """What the SLA needs to know about an order."""

    tier: str | None
    region: str | None
    customer_id: int | None
    fault_type: str | None
    priority: str
    team: str | None = None  # the assignee's service team


def _calendar(t: _Tables, policy: Policy | None, facts: OrderFacts) -> BusinessCalendar:
    return calendar_for(t, policy, facts.customer_id, facts.region, facts.team)


def _clock_of(o: Any) -> clock.Clock:
    return clock.Clock(
        running_since=o.sla_running_since, elapsed=timedelta(seconds=o.sla_elapsed_seconds or 0),
        response_due_at=o.response_due_at, resolution_due_at=o.resolution_due_at,
        paused_at=o.sla_paused_at, paused=timedelta(seconds=o.sla_paused_seconds or 0))


def _columns(c: clock.Clock) -> dict[str, Any]:
    return {"sla_running_since": c.running_since, "sla_elapsed_seconds": c.elapsed.total_seconds(),
            "response_due_at": c.response_due_at, "resolution_due_at": c.resolution_due_at,
            "sla_paused_at": c.paused_at, "sla_paused_seconds": c.paused.total_seconds()}


def start_values(session: Session, facts: OrderFacts, now: datetime) -> dict[str, Any]:
    """Column values for a new order: its policy, deadlines and first sweeper check."""
    t = tables(session)
    policy = policy_for(t, facts.tier, facts.fault_type, facts.priority)
    base = {"sla_policy_id": None, "escalation_level": 0, "sla_elapsed_seconds": 0.0,
            "sla_paused_seconds": 0.0, "sla_running_since": None, "sla_paused_at": None,
            "response_due_at": None, "resolution_due_at": None, "sla_next_at": None}
    if policy is None:
        return base
    cal = _calendar(t, policy, facts)
    c = clock.start(cal, policy.targets, now)
    values = {**base, **_columns(c), "sla_policy_id": policy.id,
              "sla_due_at": open_due(c, response_met=False, resolved=False)}
    fresh = SimpleNamespace(priority=facts.priority, escalation_level=0, state="new",
                            board_since=None, created_at=now, confirmation_due_at=None)
    values["sla_next_at"] = next_check(fresh, c, policy, cal, now, response_met=False,
                                       resolved=False, state_after=None)
    return values


UNDISPATCHED_AFTER = timedelta(hours=2)
# which transitions touch the clock, and how
_PAUSE, _RESUME, _RESPONSE_MET, _STOP, _RESTART, _END = (
    "hold", "resume", "accept", "resolve", "reopen", ("close", "cancel"))


def transition_values(session: Session, order: Any, facts: OrderFacts, action: str,
                      now: datetime, before: OrderFacts | None = None) -> dict[str, Any]:
    """Clock changes for one workflow action (merged into the transition's update). `order`
    and `facts` are as after the action, `before` as before it when the assignee changed: a
    new assignee may bring their team's calendar, and the clock moves onto it."""
    if order.sla_policy_id is None:
        return {}
    t = tables(session)
    policy = t.policies.get(order.sla_policy_id)
    if policy is None:
        return {}
    cal = _calendar(t, policy, facts)
    c = _clock_of(order)
    # the engineer answered: accepted, or went straight to work
    response_met = (order.accepted_at is not None or order.started_at is not None
                    or action in (_RESPONSE_MET, "start"))
    old_cal = _calendar(t, policy, before) if before is not None else cal
    if old_cal is not cal:
        c = clock.recalendar(c, old_cal, cal, policy.targets, now, response_met=response_met,
                             resolution_met=order.resolved_at is not None)
    extra: dict[str, Any] = {}
    if action == _PAUSE:
        c = clock.pause(c, cal, now)
    elif action == _RESUME:
        c = clock.resume(c, cal, policy.targets, now, response_met=response_met,
                         resolution_met=False)
    elif action == _STOP:
        c = clock.stop(c, cal, now)
        extra = _confirmation_start(policy, cal, now)
    elif action == _RESTART:  # sent back: the resolution clock runs again from what is left
        c = clock.resume(c, cal, policy.targets, now, response_met=True, resolution_met=False)
        extra = {"confirmation_due_at": None, "confirmed_at": None}
    elif action in _END:
        values = _columns(clock.stop(c, cal, now))
        values.update(sla_next_at=None, sla_due_at=None)
        return values
    values = {**_columns(c), **extra}
    view = _Pending(order, extra) if extra else order
    values["sla_next_at"] = next_check(view, c, policy, cal, now, response_met=response_met,
                                       resolved=action == _STOP, state_after=None)
    values["sla_due_at"] = open_due(c, response_met=response_met, resolved=action == _STOP,
                                    confirmation=view)
    return values


def _confirmation_start(policy: Policy, cal: BusinessCalendar, now: datetime) -> dict[str, Any]:
    """At resolve, with a confirmation target: its deadline, and a fresh escalation ladder
    (the engineer's part is done; lateness from here on is the confirmation's)."""
    if policy.targets.confirmation is None:
        return {}
    return {"confirmation_due_at": cal.add(now, policy.targets.confirmation),
            "confirmed_at": None, "escalation_level": 0}


class _Pending:
    """An order as next_check reads it, with the values about to be written."""

    def __init__(self, order: Any, values: dict[str, Any]) -> None:
        self._order, self._values = order, values

    def __getattr__(self, name: str) -> Any:
        return self._values[name] if name in self._values else getattr(self._order, name)


def next_check(order: Any, c: clock.Clock, policy: Policy, cal: BusinessCalendar,
               now: datetime, *, response_met: bool, resolved: bool,
               state_after: str | None) -> datetime | None:
    """The next moment the sweeper must look: a deadline turning at risk, a deadline, the next
    escalation level, or the 2-hour dispatch limit."""
    urgent = order.priority == URGENT
    level = order.escalation_level or 0
    state = state_after or order.state
    moments: list[tuple[datetime, Callable[[], datetime | None]]] = []
    if c.running_since is not None:  # paused or stopped: neither deadline can come closer
        for due, target, met in ((c.response_due_at, policy.targets.response, response_met),
                                 (c.resolution_due_at, policy.targets.resolution, resolved)):
            if due is not None and not met:
                moments.append(_next_moment(c.running_since, c.elapsed, due, target, cal, now,
                                            level, urgent))
        if order.board_since is None and state in ("new", "dispatching"):
            limit = order.created_at + UNDISPATCHED_AFTER
            moments.append((limit, lambda: limit))
    if confirmation_open(order, state) and policy.targets.confirmation:
        moments.append(_next_moment(order.resolved_at, timedelta(0), order.confirmation_due_at,
                                    policy.targets.confirmation, cal, now, level, urgent))
    return _earliest(moments)


def _next_moment(start: datetime, used: timedelta, due: datetime, target: timedelta,
                 cal: BusinessCalendar, now: datetime, level: int, urgent: bool,
                 ) -> tuple[datetime, Callable[[], datetime | None]]:
    """One deadline's next moment (turning at risk, falling due, or the next level), as the
    earliest it can be and how to work it out: working time never runs faster than the wall
    clock, so `start + working time` bounds a calendar sum from below."""
    if now >= due:
        return (due + target * clock.LEVEL_OVERRUN.get(level + 1, 0),
                lambda: clock.next_level_at(due, target, cal, level, urgent))
    lower = start + max(target * (1 - clock.AT_RISK_SHARE) - used, timedelta(0))

    def exact() -> datetime:
        risk = clock.at_risk_at(cal, start, used, target)
        return risk if now < risk else due
    return min(lower, due), exact


def _earliest(moments: list[tuple[datetime, Callable[[], datetime | None]]]
              ) -> datetime | None:
    """The earliest of the moments, working out on the calendar only those that can still
    be it (a calendar sum over days costs tens of microseconds; a sweep does thousands)."""
    best = None
    for lower, exact in sorted(moments, key=lambda m: m[0]):
        if best is not None and lower >= best:
            break
        value = exact()
        if value is not None and (best is None or value < best):
            best = value
    return best


def open_due(c: clock.Clock, *, response_met: bool, resolved: bool,
             confirmation: Any = None) -> datetime | None:
    """The earliest deadline still open, stored as `sla_due_at` ("overdue" = it has passed).
    On hold nothing runs out, so only a deadline already missed when the hold began counts;
    `confirmation`: the order, for its confirmation deadline."""
    dues = [due for due, met in ((c.response_due_at, response_met),
                                 (c.resolution_due_at, resolved)) if due is not None and not met]
    if c.running_since is None:
        dues = [d for d in dues if c.paused_at is not None and d <= c.paused_at]
    if confirmation is not None and confirmation_open(confirmation):
        dues.append(confirmation.confirmation_due_at)
    return min(dues, default=None)


def confirmation_open(order: Any, state: str | None = None) -> bool:
    """The order waits for its confirmation against a deadline."""
    return ((state or order.state) == "awaiting_confirmation"
            and order.confirmation_due_at is not None and order.confirmed_at is None
            and order.resolved_at is not None)


def describe(order: Any, session: Session, now: datetime, region: str | None = None,
             team: str | None = None) -> dict[str, Any]:
    """The SLA block of an order for the API: deadlines, status and working time left each,
    pause, escalation."""
    t = tables(session)
    policy = t.policies.get(order.sla_policy_id) if order.sla_policy_id else None
    if policy is None:
        return {"policy": None}
    cal = calendar_for(t, policy, order.customer_id, region, team)
    paused = order.sla_running_since is None and order.sla_paused_at is not None
    if paused:  # the clock stopped when the order was held: nothing runs out while on hold
        now = min(now, order.sla_paused_at)
    out: dict[str, Any] = {"policy": {"id": policy.id, "name": policy.name}}
    deadlines = [("response", order.response_due_at, order.accepted_at or order.started_at,
                  policy.targets.response),
                 ("resolution", order.resolution_due_at, order.resolved_at,
                  policy.targets.resolution)]
    if order.confirmation_due_at is not None:
        deadlines.append(("confirmation", order.confirmation_due_at,
                          order.confirmed_at or order.closed_at,
                          policy.targets.confirmation or timedelta(0)))
    for kind, due, met, target in deadlines:
        out[f"{kind}_due_at"] = due
        out[f"{kind}_status"] = clock.status(due, met, target, cal, now, paused=paused)
        # working time left (negative: working time overdue), for the countdowns
        out[f"{kind}_left_seconds"] = (
            None if due is None or met is not None else
            (cal.between(now, due) if now < due else -cal.between(due, now)).total_seconds())
    out["confirmed_at"] = order.confirmed_at
    out.update(paused=paused, paused_seconds=order.sla_paused_seconds or 0.0,
               escalation_level=order.escalation_level or 0,
               on_board=order.board_since is not None, customer_seconds=order.customer_seconds)
    return out


def holiday_warning(now: datetime) -> dict[str, str] | None:
    """A warning when next year's public holidays are not known yet (chinesecalendar data)."""
    missing = missing_holiday_years([now.year, now.year + 1])
    if not missing:
        return None
    years = "、".join(map(str, missing))
    return {"zh-CN": f"{years} 年的法定节假日和调休尚未载入:升级 chinesecalendar 或在日历中手工设置",
            "en": f"Public holidays for {', '.join(map(str, missing))} are not loaded yet: "
                  "upgrade chinesecalendar or set the days by hand in the calendar"}


def retarget_values(session: Session, order: Any, facts: OrderFacts, now: datetime,
                    before: OrderFacts | None = None) -> dict[str, Any]:
    """After a priority, fault-type or customer change: the matrix may pick another policy
    and the order may count on another calendar (`before`: the facts as they were, when they
    differ); the clock keeps its elapsed and paused time and only the targets or the
    calendar change."""
    t = tables(session)
    policy = policy_for(t, facts.tier, facts.fault_type, facts.priority)
    if policy is None:
        return {}
    cal = _calendar(t, policy, facts)
    old = t.policies.get(order.sla_policy_id) if order.sla_policy_id else None
    old_cal = _calendar(t, old, before or facts) if old else cal
    same_policy = policy.id == order.sla_policy_id
    if same_policy and old_cal is cal:
        return {}
    c = _clock_of(order)
    response_met = order.accepted_at is not None or order.started_at is not None
    resolved = order.resolved_at is not None
    if same_policy:
        c = clock.recalendar(c, old_cal, cal, policy.targets, now, response_met=response_met,
                             resolution_met=resolved)
    elif c.running_since is not None:
        # bank the run so far on the calendar it ran under, then restart with the new targets
        c = clock.pause(c, old_cal, now)
        c = clock.resume(c, cal, policy.targets, now, response_met=response_met,
                         resolution_met=resolved)
    values = _columns(c) if same_policy else {**_columns(c), "sla_policy_id": policy.id}
    if confirmation_open(order) and policy.targets.confirmation:
        values["confirmation_due_at"] = cal.add(order.resolved_at, policy.targets.confirmation)
    view = _Pending(order, values)
    values["sla_next_at"] = next_check(view, c, policy, cal, now, response_met=response_met,
                                       resolved=resolved, state_after=None)
    values["sla_due_at"] = open_due(c, response_met=response_met, resolved=resolved,
                                    confirmation=view)
    return values
