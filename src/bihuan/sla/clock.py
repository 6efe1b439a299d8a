"""The SLA clock of one order, as pure functions: deadlines, pause, status, escalation.

The clock counts working time on a business calendar. While it runs, the deadlines are
`calendar.add(running_since, target - elapsed)`: `elapsed` is the working time consumed
before `running_since`. Holding the order stops the clock (elapsed absorbs the run so far,
running_since is cleared) and resuming restarts it, so pausing never loses elapsed time,
and changing the policy mid-way only changes `target`.

Escalation climbs in levels once a deadline is missed: level 1 at the deadline, level 2
when the overrun reaches half the target, level 3 (the director's board) at a full target
over. Urgent orders go straight to level 3 at their first miss.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from bihuan.sla.calendar import BusinessCalendar

# "at risk" once less than this share of the target is left
AT_RISK_SHARE = 0.2
# overrun (as a share of the target) at which each escalation level starts
LEVEL_OVERRUN = {1: 0.0, 2: 0.5, 3: 1.0}
MAX_LEVEL = 3


@dataclass(frozen=True)
class Targets:
    response: timedelta
    resolution: timedelta
    confirmation: timedelta | None = None


@dataclass
class Clock:
    """What the order stores about its SLA (mirrors the work_orders columns)."""

    running_since: datetime | None
    elapsed: timedelta
    response_due_at: datetime | None = None
    resolution_due_at: datetime | None = None
    paused_at: datetime | None = None
    paused: timedelta = timedelta(0)


def start(cal: BusinessCalendar, targets: Targets, now: datetime) -> Clock:
    c = Clock(running_since=now, elapsed=timedelta(0))
    return with_deadlines(c, cal, targets, response_met=False, resolution_met=False)


def with_deadlines(c: Clock, cal: BusinessCalendar, targets: Targets, *, response_met: bool,
                   resolution_met: bool) -> Clock:
    """Recompute the open deadlines from the clock (met ones stay as they were)."""
    if c.running_since is None:
        return c
    if not response_met:
        c.response_due_at = cal.add(c.running_since, max(targets.response - c.elapsed,
                                                         timedelta(0)))
    if not resolution_met:
        c.resolution_due_at = cal.add(c.running_since, max(targets.resolution - c.elapsed,
                                                           timedelta(0)))
    return c


def pause(c: Clock, cal: BusinessCalendar, now: datetime) -> Clock:
    if c.running_since is None:
        return c
    c.elapsed += cal.between(c.running_since, now)
    c.running_since, c.paused_at = None, now
    return c


def resume(c: Clock, cal: BusinessCalendar, targets: Targets, now: datetime, *,
           response_met: bool, resolution_met: bool) -> Clock:
    if c.paused_at is not None:
        c.paused += max(now - c.paused_at, timedelta(0))
    c.running_since, c.paused_at = now, None
    return with_deadlines(c, cal, targets, response_met=response_met,
                          resolution_met=resolution_met)


def recalendar(c: Clock, old: BusinessCalendar, new: BusinessCalendar, targets: Targets,
               now: datetime, *, response_met: bool, resolution_met: bool) -> Clock:
    """Move a running clock to another calendar (the order changed hands to another team, or
    to another customer): the run so far is banked on the calendar it ran under and the open
    deadlines still ahead are counted on the new one. A deadline already missed stays where
    it was: the target was used up on the old calendar."""
    if c.running_since is None:
        return c
    missed_response = c.response_due_at is not None and c.response_due_at <= now
    missed_resolution = c.resolution_due_at is not None and c.resolution_due_at <= now
    c = pause(c, old, now)
    return resume(c, new, targets, now, response_met=response_met or missed_response,
                  resolution_met=resolution_met or missed_resolution)


def stop(c: Clock, cal: BusinessCalendar, now: datetime) -> Clock:
    """The resolution is met: the clock stops for good (elapsed keeps the total)."""
    c = pause(c, cal, now)
    c.paused_at = None
    return c


def status(due: datetime | None, met_at: datetime | None, target: timedelta,
           cal: BusinessCalendar, now: datetime, *, paused: bool) -> str:
    """on_track | at_risk | breached | paused | met | none, for one deadline."""
    if due is None:
        return "none"
    if met_at is not None:
        return "met" if met_at <= due else "breached"
    if now >= due:
        return "breached"
    if paused:
        return "paused"
    left = cal.between(now, due)
    return "at_risk" if left < target * AT_RISK_SHARE else "on_track"


def at_risk_at(cal: BusinessCalendar, start: datetime, used: timedelta,
               target: timedelta) -> datetime:
    """When a running deadline turns at risk (less than AT_RISK_SHARE of its target left):
    `start` is when the clock last started and `used` the working time consumed before."""
    return cal.add(start, max(target * (1 - AT_RISK_SHARE) - used, timedelta(0)))


def level_at(due: datetime, target: timedelta, cal: BusinessCalendar, now: datetime,
             urgent: bool) -> int:
    """The escalation level an unmet deadline has reached by `now` (0: not missed yet)."""
    if now < due:
        return 0
    if urgent:
        return MAX_LEVEL
    over = cal.between(due, now)
    return max(lvl for lvl, share in LEVEL_OVERRUN.items() if over >= target * share)


def next_level_at(due: datetime, target: timedelta, cal: BusinessCalendar, level: int,
                  urgent: bool) -> datetime | None:
    """When the next level starts, or None once at the top."""
    if level >= MAX_LEVEL or (urgent and level >= 1):
        return None
    return cal.add(due, target * LEVEL_OVERRUN[level + 1])

