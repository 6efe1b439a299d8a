"""Business-calendar arithmetic: properties over any start, then concrete 2026 China cases."""

import time as clock
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bihuan.sla.calendar import (
    ALWAYS_OPEN,
    DEFAULT_HOURS,
    BusinessCalendar,
    missing_holiday_years,
)

SH, BERLIN = ZoneInfo("Asia/Shanghai"), ZoneInfo("Europe/Berlin")
H = timedelta(hours=1)
CN = BusinessCalendar(tz="Asia/Shanghai", hours=DEFAULT_HOURS)
CN_OVERRIDDEN = BusinessCalendar(
    tz="Asia/Shanghai", hours=DEFAULT_HOURS, workday_hours=[(time(9), time(17))],
    overrides={date(2026, 2, 16): True, date(2026, 2, 14): False, date(2026, 3, 4): False,
               date(2026, 3, 8): True},
)
# Odd on purpose: a Sunday night across the DST switch, a Saturday shift ending at midnight.
BERLIN_SHIFTS = BusinessCalendar(
    tz="Europe/Berlin", public_holidays=False,
    hours={**{wd: [(time(8), time(12)), (time(13), time(17))] for wd in range(5)},
           5: [(time(20), time(0))], 6: [(time(1), time(4))]},
)
CALENDARS = [CN, CN_OVERRIDDEN, BERLIN_SHIFTS]


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)


def local_hours(cal: BusinessCalendar, d: date) -> list[tuple[time, time]]:
    zone = ZoneInfo(cal.tz)
    return [(s.astimezone(zone).time(), e.astimezone(zone).time()) for s, e in cal.intervals(d)]


def interval_end(cal: BusinessCalendar, t: datetime) -> bool:
    local = t.astimezone(ZoneInfo(cal.tz)).date()
    return any(t == end for d in (local - timedelta(days=1), local) for _, end in cal.intervals(d))


# Starts anywhere (UTC, to the microsecond) or exactly on a local boundary, with holiday
# stretches and the unknown year 2027 in range.
DATES = st.one_of(
    st.dates(date(2025, 12, 1), date(2027, 2, 1)),
    st.sampled_from([date(2026, 2, 13) + timedelta(days=i) for i in range(17)]
                    + [date(2026, 9, 29) + timedelta(days=i) for i in range(13)]
                    + [date(2026, 3, 28), date(2026, 3, 29), date(2026, 10, 25)]),
)
BOUNDARIES = [time(0), time(1), time(2, 30), time(4), time(8), time(8, 30), time(12),
              time(13), time(13, 30), time(17), time(18), time(20)]
STARTS = st.one_of(
    st.datetimes(datetime(2025, 12, 1), datetime(2027, 2, 1)).map(lambda t: t.replace(tzinfo=UTC)),
    st.builds(lambda d, t, z: datetime.combine(d, t, z), DATES, st.sampled_from(BOUNDARIES),
              st.sampled_from([SH, BERLIN])),
)
TEN_DAYS_US = 10 * 8 * 3600 * 10**6
WORK = st.one_of(st.integers(0, TEN_DAYS_US).map(lambda us: timedelta(microseconds=us)),
                 st.integers(0, 10 * 8 * 60).map(lambda m: timedelta(minutes=m)))
CALS = st.sampled_from(CALENDARS)


class TestProperties:
    @settings(max_examples=200, deadline=None)
    @given(cal=CALS, start=STARTS, work=WORK)
    def test_between_undoes_add(self, cal, start, work):
        assert cal.between(start, cal.add(start, work)) == work

    @settings(max_examples=200, deadline=None)
    @given(cal=CALS, start=STARTS, work=WORK)
    def test_add_lands_in_working_time_or_on_an_interval_end(self, cal, start, work):
        due = cal.add(start, work)
        assert due.tzinfo is UTC and due >= start
        assert cal.is_working(due) or interval_end(cal, due)

    @settings(max_examples=200, deadline=None)
    @given(cal=CALS, start=STARTS, w1=WORK, w2=WORK)
    def test_add_is_monotonic(self, cal, start, w1, w2):
        w1, w2 = sorted((w1, w2))
        assert cal.add(start, w1) <= cal.add(start, w2)

    @settings(max_examples=200, deadline=None)
    @given(cal=CALS, points=st.lists(STARTS, min_size=3, max_size=3))
    def test_between_is_additive(self, cal, points):
        a, b, c = sorted(points, key=lambda t: t.astimezone(UTC))  # same-tz compare is wall-clock
        assert cal.between(a, c) == cal.between(a, b) + cal.between(b, c)
        assert cal.between(c, a) == timedelta(0)

    @settings(max_examples=200, deadline=None)
    @given(start=STARTS, work=WORK)
    def test_always_open_is_plain_clock_time(self, start, work):
        start = start.astimezone(UTC)  # local aware + timedelta is wall-clock, not elapsed, time
        assert ALWAYS_OPEN.add(start, work) == start + work
        assert ALWAYS_OPEN.between(start, start + work) == work
        assert ALWAYS_OPEN.is_working(start)


class TestSpringFestival2026:
    # chinese_calendar 1.11.0: holiday Sun 2026-02-15 … Mon 2026-02-23 (9 days);
    # make-up working Saturdays 2026-02-14 and 2026-02-28.
    @pytest.mark.parametrize("d", [date(2026, 2, 15) + timedelta(days=i) for i in range(9)])
    def test_holiday_days_are_off(self, d):
        assert not CN.is_working_day(d) and CN.intervals(d) == []

    @pytest.mark.parametrize("d", [date(2026, 2, 14), date(2026, 2, 28)])
    def test_make_up_saturdays_work_with_weekday_hours(self, d):
        assert CN.is_working_day(d)
        assert local_hours(CN, d) == list(DEFAULT_HOURS[0])

    def test_make_up_day_uses_workday_hours(self):
        cal = BusinessCalendar(tz="Asia/Shanghai", hours=DEFAULT_HOURS,
                               workday_hours=[(time(9), time(17))])
        assert cal.intervals(date(2026, 2, 28)) == [(sh(2026, 2, 28, 9), sh(2026, 2, 28, 17))]

    def test_sla_started_before_the_holiday_lands_after_it(self):
        assert CN.add(sh(2026, 2, 14, 16), 4 * H) == sh(2026, 2, 24, 10, 30)
        assert CN.between(sh(2026, 2, 14, 16), sh(2026, 2, 24, 10, 30)) == 4 * H

    def test_friday_before_rolls_onto_the_make_up_saturday(self):
        assert CN.add(sh(2026, 2, 13, 16), 4 * H) == sh(2026, 2, 14, 10, 30)


class TestNationalDay2026:
    # chinese_calendar 1.11.0: holiday Thu 2026-10-01 … Wed 2026-10-07;
    # make-up working Sun 2026-09-20 and Sat 2026-10-10 (Mid-autumn is off Fri 09-25).
    @pytest.mark.parametrize("d", [date(2026, 10, 1) + timedelta(days=i) for i in range(7)])
    def test_holiday_days_are_off(self, d):
        assert not CN.is_working_day(d)

    @pytest.mark.parametrize("d", [date(2026, 9, 20), date(2026, 10, 10)])
    def test_make_up_weekend_days_work(self, d):
        assert CN.is_working_day(d) and CN.is_working(datetime.combine(d, time(9), SH))

    def test_sla_across_the_golden_week(self):
        assert CN.add(sh(2026, 9, 30, 16), 4 * H) == sh(2026, 10, 8, 10, 30)
        assert CN.add(sh(2026, 10, 9, 17), 2 * H) == sh(2026, 10, 10, 9, 30)

    def test_a_year_counts_the_official_working_days(self):
        # 248 working days in 2026 (incl. 6 make-up weekend days), 8 hours each.
        assert CN.between(sh(2026, 1, 1), sh(2027, 1, 1)) == 248 * 8 * H


class TestOverrides:
    def test_override_beats_the_public_calendar_both_ways(self):
        assert CN_OVERRIDDEN.is_working_day(date(2026, 2, 16))  # Spring Festival holiday
        assert not CN_OVERRIDDEN.is_working_day(date(2026, 2, 14))  # make-up Saturday
        assert not CN_OVERRIDDEN.is_working_day(date(2026, 3, 4))  # ordinary Wednesday
        assert CN_OVERRIDDEN.is_working_day(date(2026, 3, 8))  # ordinary Sunday

    def test_override_working_days_take_their_hours(self):
        assert local_hours(CN_OVERRIDDEN, date(2026, 2, 16)) == list(DEFAULT_HOURS[0])  # Monday
        assert local_hours(CN_OVERRIDDEN, date(2026, 3, 8)) == [(time(9), time(17))]  # Sunday

    def test_deadline_follows_overrides(self):
        assert CN_OVERRIDDEN.add(sh(2026, 3, 3, 17), 2 * H) == sh(2026, 3, 5, 9, 30)

    def test_without_public_holidays_the_week_rules(self):
        cal = BusinessCalendar(tz="Asia/Shanghai", hours=DEFAULT_HOURS, public_holidays=False)
        assert cal.is_working_day(date(2026, 2, 16)) and not cal.is_working_day(date(2026, 2, 14))

    def test_six_day_shop_keeps_ordinary_saturdays_but_not_holiday_ones(self):
        cal = BusinessCalendar(tz="Asia/Shanghai", hours={**DEFAULT_HOURS, 5: DEFAULT_HOURS[0]})
        assert cal.is_working_day(date(2026, 3, 7)) and not cal.is_working_day(date(2026, 2, 21))


class TestHoursAndBreaks:
    @pytest.mark.parametrize(("start", "work", "due"), [
        (sh(2026, 3, 2, 11), 1 * H, sh(2026, 3, 2, 12)),  # ends exactly at the break
        (sh(2026, 3, 2, 11), 1.5 * H, sh(2026, 3, 2, 14)),  # would land in lunch: 13:30 + 0:30
        (sh(2026, 3, 2, 12, 30), 1 * H, sh(2026, 3, 2, 14, 30)),  # starts in lunch
        (sh(2026, 3, 6, 17), 2 * H, sh(2026, 3, 9, 9, 30)),  # Friday evening → Monday
        (sh(2026, 3, 2, 7), 0 * H, sh(2026, 3, 2, 8, 30)),  # zero work: next working instant
        (sh(2026, 3, 2, 12), 0 * H, sh(2026, 3, 2, 13, 30)),
        (sh(2026, 3, 2, 10), 40 * H, sh(2026, 3, 9, 10)),  # five working days
    ])
    def test_add(self, start, work, due):
        assert CN.add(start, work) == due

    def test_between_skips_lunch_and_nights(self):
        assert CN.between(sh(2026, 3, 2, 11), sh(2026, 3, 2, 14)) == 1.5 * H
        assert CN.between(sh(2026, 3, 6, 17), sh(2026, 3, 9, 9, 30)) == 2 * H
        assert CN.between(sh(2026, 3, 2, 14), sh(2026, 3, 2, 11)) == timedelta(0)

    def test_instants(self):
        assert CN.is_working(sh(2026, 3, 2, 8, 30)) and not CN.is_working(sh(2026, 3, 2, 12))
        assert CN.next_working_instant(sh(2026, 3, 2, 12)) == sh(2026, 3, 2, 13, 30)
        assert CN.next_working_instant(sh(2026, 3, 2, 9)) == sh(2026, 3, 2, 9)

    def test_a_year_and_200_hours_are_stepped_not_ticked(self):
        cal = BusinessCalendar(tz="Asia/Shanghai", hours=DEFAULT_HOURS)  # cold cache
        began = clock.perf_counter()
        cal.between(sh(2025, 1, 1), sh(2026, 1, 1))
        cal.add(sh(2024, 1, 1), 200 * H)
        assert clock.perf_counter() - began < 0.5  # a per-minute loop takes seconds


class TestUnknownYears:
    def test_missing_holiday_years(self):
        assert missing_holiday_years([2026, 2027]) == [2027]
        assert missing_holiday_years([2027, 2003, 2027, 2010]) == [2003, 2027]

    def test_2027_falls_back_to_the_week_rule(self):
        assert CN.is_working_day(date(2027, 1, 1))  # a Friday; its holiday is not loaded yet
        assert not CN.is_working_day(date(2027, 1, 2))
        assert CN.add(sh(2026, 12, 31, 17), 3 * H) == sh(2027, 1, 1, 10, 30)


class TestTimeZones:
    OFFICE = BusinessCalendar(tz="Europe/Berlin", public_holidays=False,
                              hours={wd: [(time(8), time(18))] for wd in range(5)})

    @pytest.mark.parametrize(("start", "due_utc"), [
        (datetime(2026, 3, 27, 17, tzinfo=BERLIN), datetime(2026, 3, 30, 7, tzinfo=UTC)),
        (datetime(2026, 10, 23, 17, tzinfo=BERLIN), datetime(2026, 10, 26, 8, tzinfo=UTC)),
    ])
    def test_weekend_dst_switch(self, start, due_utc):
        due = self.OFFICE.add(start, 2 * H)
        assert due == due_utc and due.tzinfo is UTC
        assert due.astimezone(BERLIN).time() == time(9)

    @pytest.mark.parametrize(("day", "hours"), [
        (date(2026, 3, 29), 2), (date(2026, 10, 25), 4), (date(2026, 3, 22), 3)])
    def test_a_dst_night_counts_its_real_length(self, day, hours):
        (start, end), = BERLIN_SHIFTS.intervals(day)  # Sunday 01:00–04:00 wall clock
        assert end - start == hours * H
        assert BERLIN_SHIFTS.add(start, hours * H) == end

    def test_shift_ending_at_midnight(self):
        sat = datetime(2026, 3, 7, 20, tzinfo=BERLIN)
        assert BERLIN_SHIFTS.add(sat, 4 * H) == datetime(2026, 3, 8, 0, tzinfo=BERLIN)
        assert BERLIN_SHIFTS.add(sat, 5 * H) == datetime(2026, 3, 8, 2, tzinfo=BERLIN)


class TestBadInput:
    NAIVE = datetime(2026, 3, 2, 9)

    @pytest.mark.parametrize("call", [
        lambda t: CN.add(t, H), lambda t: CN.between(t, sh(2026, 3, 3)),
        lambda t: CN.between(sh(2026, 3, 1), t), lambda t: CN.is_working(t),
        lambda t: CN.next_working_instant(t), lambda t: ALWAYS_OPEN.add(t, H),
    ])
    def test_naive_datetimes_raise(self, call):
        with pytest.raises(ValueError, match="naive"):
            call(self.NAIVE)

    @pytest.mark.parametrize(("kwargs", "match"), [
        ({"tz": "Mars/Olympus", "hours": DEFAULT_HOURS}, "time zone"),
        ({"tz": "Asia/Shanghai", "hours": {0: [(time(12), time(9))]}}, "reversed"),
        ({"tz": "Asia/Shanghai", "hours": {0: [(time(9), time(12)), (time(11), time(14))]}},
         "overlap"),
        ({"tz": "Asia/Shanghai", "hours": {7: [(time(9), time(12))]}}, "weekday"),
    ])
    def test_bad_calendars_are_refused(self, kwargs, match):
        with pytest.raises(ValueError, match=match):
            BusinessCalendar(**kwargs)

    def test_negative_work_and_no_working_time_raise(self):
        with pytest.raises(ValueError, match="negative"):
            CN.add(sh(2026, 3, 2), -H)
        with pytest.raises(ValueError, match="no working time"):
            BusinessCalendar(tz="Asia/Shanghai", hours={}, public_holidays=False).add(sh(2026, 1, 1), H)
