"""Enqueue: in the caller's transaction, deduplicated, shaped by templates and preferences."""

from datetime import UTC, datetime, time
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import pytest

from bihuan.db import session_scope
from bihuan.notifications import service
from bihuan.notifications.config import NotifySettings
from bihuan.notifications.models import (
    NotificationChannel,
    NotificationPreference,
    NotificationTemplate,
    Outbox,
)
from bihuan.notifications.relay import run_once
from bihuan.users.models import User
from tests.notifications.conftest import add_channel, enqueue, rows


class TestTransaction:
    def test_a_rolled_back_transaction_leaves_no_outbox_row(self, db, clock):
        with pytest.raises(RuntimeError), session_scope(db) as s:
            assert service.enqueue(s, "order.assigned", channel="webhook", target=1) is not None
            raise RuntimeError("the caller's work failed")
        assert rows(db) == []

    def test_the_row_is_visible_only_after_the_callers_commit(self, db, clock):
        with session_scope(db) as s:
            service.enqueue(s, "order.assigned", channel="webhook", target=1)
            with session_scope(db, write=False) as other:
                assert other.get(Outbox, 1) is None
        assert len(rows(db)) == 1

    def test_the_same_dedupe_key_enqueues_once(self, db, clock):
        first = enqueue(db, channel="webhook", target=1, dedupe_key="esc:7:1")
        assert first is not None
        assert enqueue(db, channel="webhook", target=1, dedupe_key="esc:7:1") is None
        with session_scope(db) as s:  # also inside one transaction
            assert service.enqueue(s, "x", channel="webhook", target=1,
                                   dedupe_key="esc:7:1") is None
            assert service.enqueue(s, "x", channel="webhook", target=1,
                                   dedupe_key="esc:7:2") is not None
        assert [r.dedupe_key for r in rows(db)] == ["esc:7:1", "esc:7:2"]


def _person(db, f, phone="13812345678", email="li@example.com", **prefs):  # type: ignore[no-untyped-def]
    user = f.user("engineer")
    with session_scope(db) as s:
        u = s.get(User, user.id)
        u.phone, u.email = phone, email
        if prefs:
            s.add(NotificationPreference(user_id=user.id, updated_at=datetime.now(UTC),
                                         **{"muted": {}, "locale": "zh-CN", **prefs}))
    return user


def _notify(db, user_id, event="order.assigned", **kw):  # type: ignore[no-untyped-def]
    kw.setdefault("channels", ("inapp", "email", "sms"))
    with session_scope(db) as s:
        return service.notify_user(s, user_id, event, {"number": "WO-1", "title": "漏油"}, **kw)


class TestNotifyUser:
    def test_fans_out_to_the_persons_channels(self, db, f, clock):
        mail, sms = add_channel(db, "email", host="h", sender="a@b.c"), add_channel(
            db, "sms", "http://sms", "s", access_key_id="k", sign_name="n")
        user = _person(db, f)
        assert len(_notify(db, user.id, dedupe_key="assign:1")) == 3
        got = {(r.channel, r.target, r.recipient) for r in rows(db)}
        assert got == {("inapp", str(user.id), str(user.id)),
                       ("email", str(mail), "li@example.com"),
                       ("sms", str(sms), "13812345678")}
        assert {r.dedupe_key for r in rows(db)} == {
            f"assign:1:inapp:u{user.id}", f"assign:1:email:u{user.id}",
            f"assign:1:sms:u{user.id}"}
        assert _notify(db, user.id, dedupe_key="assign:1") == []  # a repeat is a no-op

    def test_channels_without_an_address_or_a_configuration_are_skipped(self, db, f, clock):
        add_channel(db, "email", host="h", sender="a@b.c")  # no SMS channel at all
        user = _person(db, f, email=None)
        assert len(_notify(db, user.id)) == 1
        assert [r.channel for r in rows(db)] == ["inapp"]

    def test_muted_channels_are_skipped_per_event_and_for_all(self, db, f, clock):
        add_channel(db, "email", host="h", sender="a@b.c")
        add_channel(db, "sms", "http://sms", "s", access_key_id="k", sign_name="n")
        user = _person(db, f, muted={"*": ["email"], "sla.breach": ["sms"]})
        _notify(db, user.id, "order.assigned")
        assert sorted(r.channel for r in rows(db)) == ["inapp", "sms"]
        _notify(db, user.id, "sla.breach.response")  # muting sla.breach covers its kinds
        assert sorted(r.channel for r in rows(db)) == ["inapp", "inapp", "sms"]

    def test_the_persons_locale_picks_the_wording(self, db, f, clock):
        user = _person(db, f, locale="en")
        _notify(db, user.id, channels=("inapp",))
        assert rows(db)[0].payload["subject"] == "[Assigned to you] WO-1 漏油"


class TestQuietHours:
    # 23:30 in Shanghai; quiet 22:00–08:00 ends at 08:00 local = 00:00 UTC next day
    NIGHT = datetime(2026, 11, 22, 15, 30, tzinfo=UTC)

    def test_a_normal_message_waits_for_the_end_of_quiet_hours(self, db, f, clock):
        clock.now = self.NIGHT
        add_channel(db, "sms", "http://127.0.0.1:9/sms", "s", access_key_id="k", sign_name="n",
                    template_code="SMS_1")
        user = _person(db, f, quiet_start=time(22), quiet_end=time(8))
        _notify(db, user.id, channels=("sms", "inapp"))
        due = {r.channel: r.next_attempt_at for r in rows(db)}
        assert due["sms"] == datetime(2026, 11, 23, 0, 0, tzinfo=UTC)
        assert due["inapp"] == self.NIGHT  # the bell disturbs no one
        stats = run_once(db, NotifySettings(allow_private_urls=True))
        assert (stats.claimed, stats.sent) == (1, 1)  # only the bell entry went

    def test_an_urgent_message_goes_now(self, db, f, clock):
        clock.now = self.NIGHT
        add_channel(db, "sms", "http://sms", "s", access_key_id="k", sign_name="n")
        user = _person(db, f, quiet_start=time(22), quiet_end=time(8))
        _notify(db, user.id, "sla.breach.resolution", channels=("sms",))  # urgent by event
        _notify(db, user.id, "order.assigned", channels=("sms",), urgent=True)
        assert [r.next_attempt_at for r in rows(db)] == [self.NIGHT, self.NIGHT]

    @pytest.mark.parametrize("local_hour, start, end, wait_until_local", [
        (23, 22, 8, (23, 8)), (2, 22, 8, (22, 8)), (12, 22, 8, None),
        (12, 12, 14, (22, 14)), (14, 12, 14, None), (11, 12, 14, None)])
    def test_quiet_period_arithmetic(self, local_hour, start, end, wait_until_local):
        sh = ZoneInfo("Asia/Shanghai")
        prefs = NotificationPreference(quiet_start=time(start), quiet_end=time(end))
        at = datetime(2026, 11, 22, local_hour, tzinfo=sh)
        until = service.quiet_until(prefs, at, "Asia/Shanghai")
        if wait_until_local is None:
            assert until is None
        else:
            day, hour = wait_until_local
            assert until == datetime(2026, 11, day, hour, tzinfo=sh)
            assert until.tzinfo == UTC


class TestTemplates:
    FULL: ClassVar[dict[str, Any]] = {"number": "WO-2611-000123", "title": "主轴异响", "kind": "response",
            "due_at": datetime(2026, 11, 22, 2, 0, tzinfo=UTC), "assignee": "李工",
            "level": 2, "created_at": datetime(2026, 11, 22, 1, 0, tzinfo=UTC),
            "customer": "华南精工", "address": "深圳宝安", "phone": "13812345678",
            "engineer": "李工"}

    @pytest.mark.parametrize("event", ["sla.at_risk", "sla.breach", "order.undispatched",
                                       "order.assigned", "order.resolved"])
    @pytest.mark.parametrize("locale", ["zh-CN", "en"])
    def test_every_default_renders_completely(self, db, event, locale):
        with session_scope(db, write=False) as s:
            r = service.render(s, event, locale, self.FULL)
        assert "{" not in r.subject + r.body and "WO-2611-000123" in r.subject
        assert "13812345678" not in r.body
        if "at_risk" in event or "breach" in event:
            assert "2026-11-22 10:00" in r.body  # local time (Asia/Shanghai)

    def test_breach_levels_are_named(self, db):
        with session_scope(db, write=False) as s:
            data = {k: v for k, v in self.FULL.items() if k != "kind"}  # from the event name
            zh = service.render(s, "sla.breach.resolution", "zh-CN", {**data, "level": 3})
            en = service.render(s, "sla.breach", "en", {**self.FULL, "level": 1})
        assert "第 3 级(总监)" in zh.body and "解决时限" in zh.body
        assert "level 1 (engineer)" in en.body and "[SLA breach · level 1]" in en.subject

    def test_an_admins_override_wins_also_for_more_specific_events(self, db, clock):
        with session_scope(db) as s:
            s.add(NotificationTemplate(event="sla.breach", locale="zh-CN", subject="超时!{number}",
                                       body="{assignee} 请处理 {phone}", updated_at=clock.now))
        with session_scope(db, write=False) as s:
            r = service.render(s, "sla.breach.response", "zh-CN", self.FULL)
            en = service.render(s, "sla.breach.response", "en", self.FULL)
        assert (r.subject, r.body) == ("超时!WO-2611-000123", "李工 请处理 138****5678")
        assert en.subject.startswith("[SLA breach")  # other locales keep the default

    @pytest.mark.parametrize("fmt, expected", [
        ("{number} {unknown}", "WO-1 {unknown}"), ("{", "{"), ("}{number", "}{number"),
        ("{0} {}", "{0} {}"), ("{number.__class__}", "{number.__class__}"),
        ("{number:%Y}", "WO-1"), ("{n:>5}", "    7"), ("{number!r}", "'WO-1'"),
        ("{number!z}", "WO-1"), ("{{literal}} {number}", "{literal} WO-1")])
    def test_placeholders_never_crash(self, db, clock, fmt, expected):
        with session_scope(db) as s:
            s.add(NotificationTemplate(event="custom.event", locale="zh-CN", subject=fmt,
                                       body=fmt, updated_at=clock.now))
        with session_scope(db, write=False) as s:
            r = service.render(s, "custom.event", "zh-CN", {"number": "WO-1", "n": 7})
        assert r.subject == expected

    def test_phones_are_masked_in_texts_and_data(self, db, clock):
        data = {"number": "WO-1", "title": "客户电话 13812345678 / +86 13900001111 / 0755-88889999",
                "contacts": [{"phone": "13812345678"}], "serial": "SN2026112200001234"}
        enqueue(db, "order.assigned", channel="webhook", target=1, data=data)
        p = rows(db)[0].payload
        assert "138****5678" in p["subject"] and "139****1111" in p["subject"]
        assert "0755-****9999" in p["subject"] and "13812345678" not in str(p)
        assert p["data"]["contacts"] == [{"phone": "138****5678"}]
        assert p["data"]["serial"] == "SN2026112200001234"  # digits inside longer runs stay


def test_robot_channel_ids_lists_enabled_robots_for_broadcasts(db, clock):
    wecom = add_channel(db, "wecom", "https://q/s?key=k")
    add_channel(db, "webhook", "https://erp/h", "s")
    feishu = add_channel(db, "feishu", "https://f/h", "s")
    off = add_channel(db, "dingtalk", "https://d/h", "s")
    with session_scope(db) as s:
        s.get(NotificationChannel, off).enabled = False
    with session_scope(db, write=False) as s:
        assert service.robot_channel_ids(s) == [wecom, feishu]
        assert len(service.robot_channel_ids(s, ("webhook", "wecom"))) == 2
