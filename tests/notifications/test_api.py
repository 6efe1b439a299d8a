"""The API: the bell, preferences, and the admin's outbox, channels and templates."""

from sqlalchemy import select

from bihuan.audit.models import AuditEvent
from bihuan.db import session_scope
from bihuan.notifications import service
from bihuan.notifications.config import NotifySettings
from bihuan.notifications.relay import run_once
from tests.notifications.conftest import enqueue, robot, row

API = "/api/v1"


class TestBell:
    def test_each_person_sees_only_their_own_newest_first_with_the_unread_count(
            self, client, db, ns, f, clock):
        me, other = f.user("engineer", "me"), f.user("engineer", "other")
        for i in range(3):
            enqueue(db, channel="inapp", target=me.id, data={"number": f"WO-{i}", "title": "t"})
            clock.advance(60)
            run_once(db, ns)
        enqueue(db, channel="inapp", target=other.id)
        run_once(db, ns)
        r = client.get(f"{API}/notifications", headers=me.headers)
        assert r.status_code == 200, r.text
        body = r.json()
        assert (body["total"], body["unread"]) == (3, 3)
        assert [n["title"].split()[0][-4:] for n in body["items"]] == ["WO-2", "WO-1", "WO-0"]
        theirs = client.get(f"{API}/notifications", headers=other.headers).json()
        assert theirs["total"] == 1

        r = client.post(f"{API}/notifications/{theirs['items'][0]['id']}/read",
                        headers=me.headers)
        assert (r.status_code, r.json()["code"]) == (404, "not_found")
        first = body["items"][0]["id"]
        r = client.post(f"{API}/notifications/{first}/read", headers=me.headers)
        assert r.status_code == 200 and r.json()["read_at"] is not None
        page = client.get(f"{API}/notifications", params={"unread_only": True, "limit": 1},
                          headers=me.headers).json()
        assert (page["total"], page["unread"], len(page["items"])) == (2, 2, 1)
        assert page["items"][0]["id"] != first
        r = client.post(f"{API}/notifications/read-all", headers=me.headers)
        assert r.json() == {"updated": 2}
        assert client.get(f"{API}/notifications", headers=me.headers).json()["unread"] == 0
        assert client.get(f"{API}/notifications", headers=other.headers).json()["unread"] == 1

    def test_anonymous_gets_401(self, client):
        assert client.get(f"{API}/notifications").status_code == 401


class TestPreferences:
    def test_defaults_then_saved(self, client, f):
        me = f.user("dispatcher")
        r = client.get(f"{API}/notification-preferences", headers=me.headers)
        assert r.json() == {"muted": {}, "quiet_start": None, "quiet_end": None,
                            "locale": "zh-CN"}
        prefs = {"muted": {"*": ["sms", "sms"], "sla.at_risk": ["email"]},
                 "quiet_start": "22:00:00", "quiet_end": "07:30:00", "locale": "en"}
        r = client.put(f"{API}/notification-preferences", json=prefs, headers=me.headers)
        assert r.status_code == 200, r.text
        prefs["muted"]["*"] = ["sms"]
        assert r.json() == prefs
        assert client.get(f"{API}/notification-preferences", headers=me.headers).json() == prefs

    def test_invalid_preferences_are_422_with_codes(self, client, f):
        me = f.user("dispatcher")
        for body, code in [({"quiet_start": "22:00"}, "quiet_hours_pair"),
                           ({"quiet_start": "22:00", "quiet_end": "22:00"}, "quiet_hours_empty"),
                           ({"muted": {"*": ["pigeon"]}}, "enum"),
                           ({"muted": {"Bad Event!": ["sms"]}}, "event_invalid"),
                           ({"locale": "fr"}, "literal_error")]:
            r = client.put(f"{API}/notification-preferences", json=body, headers=me.headers)
            assert r.status_code == 422, body
            assert r.json()["details"][0]["code"] == code, r.json()


class TestOutbox:
    def test_dead_letters_for_admins_only_and_retry_puts_them_back(
            self, client, db, f, receiver, clock):
        ns = NotifySettings(allow_private_urls=True, max_attempts=2)
        ch = robot(db, receiver, "sms")
        row_id = enqueue(db, channel="sms", target=ch, recipient="13700001111")
        receiver.fail["sms"] = 2
        run_once(db, ns)
        clock.advance(hours=1)
        assert run_once(db, ns).dead == 1
        admin, agent = f.user("admin"), f.user("agent")

        r = client.get(f"{API}/outbox", params={"status": "dead"}, headers=admin.headers)
        assert r.status_code == 200, r.text
        [item] = r.json()["items"]
        assert (item["id"], item["status"], item["attempts"]) == (row_id, "dead", 2)
        assert item["recipient"] == "137****1111" and "HTTP 500" in item["last_error"]
        assert client.get(f"{API}/outbox", params={"status": "pending"},
                          headers=admin.headers).json()["total"] == 0
        for who in (agent, f.user("supervisor"), f.user("engineer")):
            r = client.get(f"{API}/outbox", params={"status": "dead"}, headers=who.headers)
            assert (r.status_code, r.json()["code"]) == (403, "forbidden")
            r = client.post(f"{API}/outbox/{row_id}/retry", headers=who.headers)
            assert r.status_code == 403
        assert client.get(f"{API}/outbox").status_code == 401

        r = client.post(f"{API}/outbox/{row_id}/retry", headers=admin.headers)
        assert r.status_code == 200, r.text
        assert (r.json()["status"], r.json()["attempts"]) == ("pending", 0)
        assert row(db, row_id).next_attempt_at == clock.now
        r = client.post(f"{API}/outbox/{row_id}/retry", headers=admin.headers)
        assert (r.status_code, r.json()["code"]) == (409, "outbox_not_dead")
        r = client.post(f"{API}/outbox/999999/retry", headers=admin.headers)
        assert r.status_code == 404
        assert run_once(db, ns).sent == 1
        assert receiver.deliveries() == [row_id]
        with session_scope(db, write=False) as s:
            assert s.scalar(select(AuditEvent.action).where(
                AuditEvent.entity_type == "outbox", AuditEvent.entity_id == row_id)) == "retry"

    def test_unknown_status_filter_is_422(self, client, f):
        r = client.get(f"{API}/outbox", params={"status": "lost"},
                       headers=f.user("admin").headers)
        assert r.status_code == 422


class TestChannels:
    def test_secrets_are_written_never_read(self, client, f):
        admin = f.user("admin")
        body = {"kind": "dingtalk", "name": "售后群",
                "url": "https://oapi.dingtalk.com/robot/send?access_token=TOKEN123",
                "secret": "SEC-very-secret", "settings": {"per_minute": 10}}
        r = client.post(f"{API}/notification-channels", json=body, headers=admin.headers)
        assert r.status_code == 201, r.text
        out = r.json()
        assert out["has_secret"] is True and "secret" not in out
        assert out["url"] == "https://oapi.dingtalk.com/robot/send?access_token=****"
        assert out["settings"] == {"per_minute": 10}
        listed = client.get(f"{API}/notification-channels", headers=admin.headers)
        assert "SEC-very-secret" not in listed.text and "TOKEN123" not in listed.text

        url = f"{API}/notification-channels/{out['id']}"
        r = client.patch(url, json={"name": "售后二群"}, headers=admin.headers)
        assert r.json()["name"] == "售后二群" and r.json()["has_secret"] is True
        r = client.patch(url, json={"secret": None}, headers=admin.headers)
        assert r.json()["has_secret"] is False
        with session_scope(f.db, write=False) as s:
            changes = [e.changes for e in s.scalars(select(AuditEvent).where(
                AuditEvent.entity_type == "notification_channel"))]
        assert "SEC-very-secret" not in str(changes) and "TOKEN123" not in str(changes)
        assert client.delete(url, headers=admin.headers).status_code == 204
        assert client.patch(url, json={"name": "x"}, headers=admin.headers).status_code == 404

    def test_wecom_key_and_feishu_token_are_masked(self, client, f):
        admin = f.user("admin")
        for body, shown in [
            ({"kind": "wecom", "name": "w", "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/"
              "send?key=abc-123"}, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****"),
            ({"kind": "feishu", "name": "f", "url": "https://open.feishu.cn/open-apis/bot/v2/"
              "hook/tok-456", "secret": "s"}, "https://open.feishu.cn/open-apis/bot/v2/hook/****")]:
            r = client.post(f"{API}/notification-channels", json=body, headers=admin.headers)
            assert r.status_code == 201 and r.json()["url"] == shown

    def test_invalid_channels_are_400_with_codes(self, client, f):
        admin = f.user("admin")
        for body, code in [
            ({"kind": "webhook", "name": "w", "url": "https://x.example/h"},
             "channel_secret_required"),
            ({"kind": "dingtalk", "name": "d"}, "channel_url_required"),
            ({"kind": "webhook", "name": "w", "url": "ftp://x/h", "secret": "s"},
             "channel_url_invalid"),
            ({"kind": "email", "name": "e", "settings": {"host": "smtp", "sender": "no-at"}},
             "channel_settings_invalid"),
            ({"kind": "wecom", "name": "w", "url": "https://q/s?key=k",
              "settings": {"colour": "red"}}, "channel_settings_invalid"),
        ]:
            r = client.post(f"{API}/notification-channels", json=body, headers=admin.headers)
            assert (r.status_code, r.json()["code"]) == (400, code), (body, r.text)
        r = client.post(f"{API}/notification-channels", json={"kind": "inapp", "name": "i"},
                        headers=admin.headers)
        assert r.status_code == 422


class TestTemplates:
    def test_defaults_listed_and_an_override_takes_effect(self, client, db, f):
        admin = f.user("admin")
        listed = client.get(f"{API}/notification-templates", headers=admin.headers).json()
        keys = {(t["event"], t["locale"]) for t in listed}
        for event in ("sla.at_risk", "sla.breach", "order.undispatched", "order.assigned",
                      "order.resolved"):
            assert {(event, "zh-CN"), (event, "en")} <= keys
        assert not any(t["overridden"] for t in listed)

        r = client.put(f"{API}/notification-templates/order.assigned/zh-CN",
                       json={"subject": "派工:{number}", "body": "{title} {oops}"},
                       headers=admin.headers)
        assert r.status_code == 200, r.text
        assert r.json()["overridden"] is True
        assert r.json()["default_subject"] == "【新派工】{number} {title}"
        with session_scope(db, write=False) as s:
            out = service.render(s, "order.assigned", "zh-CN", {"number": "WO-9", "title": "漏油"})
        assert (out.subject, out.body) == ("派工:WO-9", "漏油 {oops}")

    def test_bad_locale_or_event_is_400(self, client, f):
        admin = f.user("admin")
        body = {"subject": "s", "body": "b"}
        r = client.put(f"{API}/notification-templates/order.assigned/fr", json=body,
                       headers=admin.headers)
        assert (r.status_code, r.json()["code"]) == (400, "locale_unsupported")
        r = client.put(f"{API}/notification-templates/Order Assigned!/en", json=body,
                       headers=admin.headers)
        assert (r.status_code, r.json()["code"]) == (400, "event_invalid")


class TestMeta:
    def test_meta_names_every_channel_kind_outbox_state_and_templated_event(self, client):
        from bihuan.notifications.enums import ChannelKind, OutboxStatus
        from bihuan.notifications.templates import DEFAULTS

        enums = client.get(f"{API}/meta").json()["enums"]
        values = {name: [c["value"] for c in enums[name]]
                  for name in ("channel_kind", "outbox_status", "notify_event")}
        assert values["channel_kind"] == list(ChannelKind)
        assert values["outbox_status"] == list(OutboxStatus)
        assert sorted(values["notify_event"]) == sorted(DEFAULTS)
        dead = next(c for c in enums["outbox_status"] if c["value"] == "dead")
        assert dead["label"] == {"zh-CN": "投递失败", "en": "Dead"}
