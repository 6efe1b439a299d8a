"""Business-calendar arithmetic: working hours, breaks, China's holidays and 调休, overrides.

Pure functions of their arguments: no I/O, no database, no clock. Every datetime taken must
be timezone-aware (naive ones raise ValueError); every datetime returned is in UTC.

Working time is real elapsed time inside working intervals. Intervals are half-open
``[start, end)``: an interval's end is not a working instant, yet a deadline may land exactly
on one (work that finishes at 12:00 is due at 12:00, not at 13:30 after lunch). Local
intervals are turned into UTC per date with zoneinfo, so a DST night counts its real length.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from itertools import pairwise
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import chinese_calendar

Hours = Sequence[tuple[time, time]]
Interval = tuple[datetime, datetime]

_DAY = timedelta(days=1)
_MIDNIGHT = time(0)
_WHOLE_DAY: tuple[tuple[time, time], ...] = ((_MIDNIGHT, _MIDNIGHT),)
# A calendar that finds no working time in this many consecutive days has none at all.
_MAX_IDLE_DAYS = 400

DEFAULT_HOURS: Mapping[int, Hours] = MappingProxyType(
    {wd: ((time(8, 30), time(12)), (time(13, 30), time(18))) for wd in range(5)}
)


@cache
def _year_known(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=16384)
def _public_day(d: date) -> tuple[bool, str | None]:
    # chinese_calendar re-scans its whole table on every call (~30 µs); cache per date.
    return chinese_calendar.get_holiday_detail(d)


def missing_holiday_years(years: Iterable[int]) -> list[int]:
    """The years (sorted, once each) for which chinese_calendar has no holiday data."""
    return sorted({y for y in years if not _year_known(y)})


def _utc(t: datetime) -> datetime:
    if t.tzinfo is None or t.utcoffset() is None:
        raise ValueError(f"naive datetime {t.isoformat()}: business-calendar times need a tz")
    return t.astimezone(UTC)


def _check_hours(spec: Hours, what: str) -> tuple[tuple[time, time], ...]:
    """Sorted, validated local intervals; an end of 00:00 means midnight at the day's end."""
    out = tuple(sorted((s, e) for s, e in spec))
    for s, e in out:
        if s.tzinfo is not None or e.tzinfo is not None:
            raise ValueError(f"{what}: working hours are local wall-clock times, without tz")
        if not (s < e or e == _MIDNIGHT):
            raise ValueError(f"{what}: interval {s}–{e} is empty or reversed")
    for (_, end), (nxt, _) in pairwise(out):
        if end == _MIDNIGHT or nxt < end:
            raise ValueError(f"{what}: intervals overlap")
    return out


@dataclass(frozen=True)
class BusinessCalendar:
    """When work counts: weekly hours, China's public calendar, per-date overrides, or 24×7.

    A date is a working day when its override says so; else, with ``public_holidays`` and a
    year chinese_calendar knows, public holidays are off and 调休 make-up weekend days are on;
    else the weekday rule applies (a weekday with hours works). Only the deviations from a
    Mon–Fri week are taken from chinese_calendar, so a shop that also opens on Saturdays
    keeps its ordinary Saturdays (for a Mon–Fri week this is exactly ``is_workday``).
    A working day whose weekday has no hours, and every make-up day, uses ``workday_hours``
    (default: Monday's hours, or the first weekday that has any).
    """

    tz: str
    hours: Mapping[int, Hours]
    workday_hours: Hours | None = None
    overrides: Mapping[date, bool] = field(default_factory=dict)
    public_holidays: bool = True
    always_open: bool = False
    _zone: ZoneInfo = field(init=False, repr=False, compare=False)
    _days: dict[date, tuple[Interval, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            zone = ZoneInfo(self.tz)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {self.tz!r}") from exc
        hours: dict[int, tuple[tuple[time, time], ...]] = {}
        for wd, spec in self.hours.items():
            if wd not in range(7):
                raise ValueError(f"weekday {wd!r} is not 0 (Monday) … 6 (Sunday)")
            if spec:
                hours[wd] = _check_hours(spec, f"weekday {wd}")
        if self.workday_hours is not None:
            fallback = _check_hours(self.workday_hours, "workday_hours")
        else:
            fallback = hours.get(0) or next((hours[wd] for wd in sorted(hours)), ())
        # Frozen, and copied so a caller mutating its dicts cannot stale the per-date cache.
        setattr_ = object.__setattr__
        setattr_(self, "hours", MappingProxyType(hours))
        setattr_(self, "workday_hours", fallback)
        setattr_(self, "overrides", MappingProxyType(dict(self.overrides)))
        setattr_(self, "_zone", zone)
        setattr_(self, "_days", {})

    # -- days -------------------------------------------------------------------------------

    def _status(self, d: date) -> tuple[bool, bool]:
        """(working day, make-up day) for a local date."""
        if self.always_open:
            return True, False
        if d in self.overrides:
            return self.overrides[d], False
        weekend = d.weekday() >= 5
        if self.public_holidays and _year_known(d.year):
            off, name = _public_day(d)
            if not off and weekend:
                return True, True
            if off and (name is not None or not weekend):
                return False, False
        return d.weekday() in self.hours, False

    def is_working_day(self, d: date) -> bool:
        """Whether work counts on this local date at all."""
        return self._status(d)[0]

    def _local_hours(self, d: date) -> Hours:
        if self.always_open:
            return _WHOLE_DAY
        working, make_up = self._status(d)
        if not working:
            return ()
        if make_up:
            return self.workday_hours or ()
        return self.hours.get(d.weekday()) or self.workday_hours or ()

    def _day(self, d: date) -> tuple[Interval, ...]:
        cached = self._days.get(d)
        if cached is None:
            out: list[Interval] = []
            for s, e in self._local_hours(d):
                start = datetime.combine(d, s, self._zone).astimezone(UTC)
                end_day = d + _DAY if e == _MIDNIGHT else d
                end = datetime.combine(end_day, e, self._zone).astimezone(UTC)
                if out:  # a wall-clock gap (spring forward) can fold intervals onto each other
                    start = max(start, out[-1][1])
                if start < end:
                    out.append((start, end))
            cached = self._days[d] = tuple(out)
        return cached

    def intervals(self, d: date) -> list[Interval]:
        """The working intervals of a local date, in UTC and in order (empty on a day off)."""
        return list(self._day(d))

    # -- instants ---------------------------------------------------------------------------

    def _walk(self, t: datetime, until: datetime | None = None) -> Iterator[Interval]:
        """Working intervals after UTC instant t, the first clipped to start at t.

        Without ``until`` the walk is endless, unless the calendar has no working time at all.
        """
        last = until.astimezone(self._zone).date() if until is not None else None
        d = t.astimezone(self._zone).date()
        idle = 0
        while last is None or d <= last:
            found = False
            for s, e in self._day(d):
                if until is not None and s >= until:
                    return
                if e > t:
                    yield max(s, t), e
                    t, found = e, True
            idle = 0 if found else idle + 1
            if until is None and idle > _MAX_IDLE_DAYS:
                raise ValueError(f"calendar has no working time within {_MAX_IDLE_DAYS} days")
            d += _DAY

    def is_working(self, t: datetime) -> bool:
        """Whether the instant lies inside working hours (an interval's end does not)."""
        t = _utc(t)
        if self.always_open:
            return True
        return any(s <= t < e for s, e in self._day(t.astimezone(self._zone).date()))

    def next_working_instant(self, t: datetime) -> datetime:
        """The first working instant at or after t (t itself when it is working)."""
        t = _utc(t)
        if self.always_open:
            return t
        return next(self._walk(t))[0]

    def add(self, start: datetime, work: timedelta) -> datetime:
        """The instant at which ``work`` of working time has elapsed since ``start``.

        Counting begins at the next working instant when ``start`` is outside hours. Zero work
        returns that next working instant (an SLA clock never starts in the lunch break).
        Work that ends exactly at an interval's end returns that end, so the result is always
        either a working instant or an interval's end, never a break or a night.
        """
        start = _utc(start)
        if work < timedelta(0):
            raise ValueError("work must not be negative")
        if self.always_open:
            return start + work
        if not work:
            return self.next_working_instant(start)
        remaining = work
        for s, e in self._walk(start):
            if remaining <= e - s:
                return s + remaining
            remaining -= e - s
        raise AssertionError("unreachable: the walk is endless or raises")

    def between(self, a: datetime, b: datetime) -> timedelta:
        """Working time in [a, b); zero when b ≤ a."""
        a, b = _utc(a), _utc(b)
        if b <= a:
            return timedelta(0)
        if self.always_open:
            return b - a
        total = timedelta(0)
        for s, e in self._walk(a, until=b):
            total += min(e, b) - s
        return total


ALWAYS_OPEN = BusinessCalendar(tz="Asia/Shanghai", hours={}, always_open=True)
