"""Each channel against a loopback receiver that checks what the real vendor checks."""

import json

import pytest
from sqlalchemy import select

from bihuan.db import session_scope
from bihuan.notifications.config import NotifySettings
from bihuan.notifications.models import Notification, NotificationChannel
from bihuan.notifications.relay import run_once
from tests.notifications.conftest import add_channel, enqueue, robot, row

PHONE = "13912345678"
DATA = {"number": "WO-2611-000007", "title": f"客户 {PHONE} 报主轴异响", "customer": "华南精工",
        "address": "深圳市宝安区", "phone": PHONE}


def _send(db, ns, kind, target, **kw):  # type: ignore[no-untyped-def]
    row_id = enqueue(db, "order.assigned", channel=kind, target=target, data=DATA, **kw)
    stats = run_once(db, ns)
    return row_id, stats


class TestRobots:
    def test_wecom_text_mentions_the_assignee_and_masks_phones_in_the_text(
            self, db, ns, receiver, clock):
        ch = robot(db, receiver, "wecom")
        row_id, stats = _send(db, ns, "wecom", ch, mentions=["13812345678"])
        assert stats.sent == 1, row(db, row_id).last_error
        [req] = receiver.of("wecom")
        assert req.verified, req.problem
        assert req.delivery == str(row_id)
        body = req.json
        assert body["msgtype"] == "text"
        content = body["text"]["content"]
        assert "WO-2611-000007" in content and "139****5678" in content
        assert PHONE not in content
        assert body["text"]["mentioned_mobile_list"] == ["13812345678"]
        assert row(db, row_id).status == "sent"

    def test_wecom_markdown_without_mentions(self, db, ns, receiver, clock):
        ch = robot(db, receiver, "wecom")
        _send(db, ns, "wecom", ch)
        body = receiver.of("wecom")[0].json
        assert body["msgtype"] == "markdown"
        assert body["markdown"]["content"].startswith("**【新派工】WO-2611-000007")

    def test_dingtalk_is_signed_in_the_query(self, db, ns, receiver, clock):
        ch = robot(db, receiver, "dingtalk")
        _row_id, stats = _send(db, ns, "dingtalk", ch, mentions=["13812345678"])
        [req] = receiver.of("dingtalk")
        assert req.verified, req.problem
        assert stats.sent == 1
        assert req.query["access_token"] == "T"
        assert int(req.query["timestamp"]) == int(clock.now.timestamp() * 1000)
        assert req.json["at"] == {"atMobiles": ["13812345678"], "isAtAll": False}
        assert PHONE not in req.json["text"]["content"]

    def test_feishu_is_signed_in_the_body(self, db, ns, receiver, clock):
        ch = robot(db, receiver, "feishu")
        _row_id, stats = _send(db, ns, "feishu", ch)
        [req] = receiver.of("feishu")
        assert req.verified, req.problem
        assert stats.sent == 1
        assert req.json["timestamp"] == str(int(clock.now.timestamp()))
        assert req.json["msg_type"] == "text" and "139****5678" in req.json["content"]["text"]


def test_webhook_signs_timestamp_dot_raw_body(db, ns, receiver, clock):
    ch = robot(db, receiver, "webhook")
    row_id, stats = _send(db, ns, "webhook", ch, link="https://desk.example/orders/7")
    [req] = receiver.of("webhook")
    assert req.verified, req.problem
    assert stats.sent == 1
    assert req.headers["x-bihuan-timestamp"] == str(int(clock.now.timestamp()))
    assert req.headers["x-bihuan-signature"].startswith("sha256=")
    doc = req.json
    assert doc["id"] == row_id and doc["event"] == "order.assigned"
    assert doc["data"]["phone"] == "139****5678" and PHONE not in req.raw.decode()
    assert doc["link"] == "https://desk.example/orders/7"


def test_sms_signed_like_aliyun_with_the_recipient_unmasked(db, ns, receiver, clock):
    ch = robot(db, receiver, "sms", templates={"order.assigned": "SMS_200"})
    row_id, stats = _send(db, ns, "sms", ch, recipient="13700001111")
    [req] = receiver.of("sms")
    assert req.verified, req.problem
    assert stats.sent == 1
    form = req.form
    assert form["PhoneNumbers"] == "13700001111"
    assert (form["Action"], form["SignName"], form["TemplateCode"]) == (
        "SendSms", "闭环", "SMS_200")
    params = json.loads(form["TemplateParam"])
    assert params["number"] == "WO-2611-000007" and params["phone"] == "139****5678"
    assert form["OutId"] == str(row_id)


@pytest.mark.parametrize("kind, vendor_error", [
    ("wecom", "93000"), ("dingtalk", "310000"), ("feishu", "19021"),
    ("webhook", "HTTP 401"), ("sms", "SignatureDoesNotMatch")])
def test_a_wrong_secret_is_refused_by_the_receiver_and_retried(
        db, ns, receiver, clock, kind, vendor_error):
    """The receiver really checks: signed with the wrong secret, nothing is delivered."""
    ch = robot(db, receiver, kind, secret="not-the-secret")
    row_id, stats = _send(db, ns, kind, ch, recipient="13700001111" if kind == "sms" else None)
    [req] = receiver.of(kind)
    assert not req.verified and req.problem
    assert (stats.sent, stats.retried) == (0, 1)
    r = row(db, row_id)
    assert r.status == "pending" and vendor_error in (r.last_error or "")
    assert r.next_attempt_at > clock.now


def test_email_over_smtp_with_login(db, ns, smtp, clock):
    box, port = smtp
    ch = add_channel(db, "email", secret="mail-pass", host="127.0.0.1", port=port,
                     user="mailer", sender="闭环 <noreply@bihuan.test>")
    row_id, stats = _send(db, ns, "email", ch, recipient="wang@example.com")
    assert stats.sent == 1, row(db, row_id).last_error
    [env] = box.messages
    assert env.rcpt_tos == ["wang@example.com"]
    text = env.content.decode()
    assert f"X-Bihuan-Delivery: {row_id}" in text
    assert f"Message-ID: <outbox-{row_id}@bihuan>" in text
    assert "Subject: =?utf-8?" in text  # the Chinese subject, encoded
    assert PHONE not in text


def test_email_with_a_wrong_password_is_retried(db, ns, smtp, clock):
    box, port = smtp
    ch = add_channel(db, "email", secret="wrong", host="127.0.0.1", port=port, user="mailer",
                     sender="noreply@bihuan.test")
    row_id, stats = _send(db, ns, "email", ch, recipient="wang@example.com")
    assert stats.retried == 1 and not box.messages
    assert "SMTPAuthenticationError" in (row(db, row_id).last_error or "")


def test_in_app_writes_the_bell_entry_once(db, ns, f, clock):
    user = f.user("engineer")
    row_id, stats = _send(db, ns, "inapp", user.id, link="/m/orders/7")
    assert stats.sent == 1
    with session_scope(db, write=False) as s:
        [n] = s.scalars(select(Notification))
        s.expunge(n)
    assert (n.user_id, n.outbox_id, n.link) == (user.id, row_id, "/m/orders/7")
    assert n.title.startswith("【新派工】") and PHONE not in n.body and n.read_at is None


def test_private_addresses_are_refused_unless_allowed(db, receiver, clock):
    """SSRF: an admin-set URL pointing into the server's network is not called."""
    ch = robot(db, receiver, "webhook")
    row_id, stats = _send(db, NotifySettings(), "webhook", ch)
    assert stats.dead == 1 and receiver.requests == []
    assert "non-public address" in (row(db, row_id).last_error or "")


def test_a_disabled_or_deleted_channel_kills_the_message(db, ns, receiver, clock):
    ch = robot(db, receiver, "webhook")
    with session_scope(db) as s:
        s.get(NotificationChannel, ch).enabled = False
    row_id, _stats = _send(db, ns, "webhook", ch)
    missing, _ = _send(db, ns, "webhook", 999)
    assert row(db, row_id).status == "dead" and row(db, row_id).last_error == "channel disabled"
    assert row(db, missing).last_error == "channel not found"
    assert receiver.requests == []
