"""Notifications administration in the browser: an admin edits an event's wording (the
placeholders are offered, unknown ones flagged), retries a dead letter from the outbox, and adds
a channel; any desk user sets their own channels and quiet hours. Each change is read back
through the API."""

import re
from typing import Any

import httpx
from playwright.sync_api import expect

from bihuan.kit.clock import utcnow
from bihuan.notifications.models import NotificationChannel, Outbox
from tests import factories
from tests.factories import Factory
from tests.web.test_loop import desk_login
from tests.web.test_sla_pages import _still


def _api(server: str, user: factories.TestUser, path: str) -> Any:
    r = httpx.get(f"{server}/api/v1{path}", headers=user.headers, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def _dead_letter(f: Factory) -> int:
    """A webhook message that used up its retries against an ERP that kept answering 500."""
    now = utcnow()
    with f.session() as s:
        c = NotificationChannel(kind="webhook", name="ERP 回调", url="https://erp.example/hook",
                                secret="s3cret", enabled=True, settings={})
        s.add(c)
        s.flush()
        row = Outbox(event="order.assigned", channel="webhook", target=str(c.id),
                     payload={"subject": "【新派工】WO-0001 主轴异响", "body": "你有新工单"},
                     status="dead", attempts=8, next_attempt_at=now, created_at=now,
                     last_error="HTTP 500: upstream unavailable")
        s.add(row)
        s.flush()
        return row.id


def test_an_admin_edits_a_notification_template_and_retries_a_dead_letter(f, server, desk, shot):
    admin = f.user("admin")
    dead = _dead_letter(f)
    desk_login(desk, admin.username)
    desk.get_by_test_id("nav-notify-admin").click()
    expect(desk.get_by_test_id("channel-list")).to_contain_text("ERP 回调")
    expect(desk.get_by_test_id("channel-list")).to_contain_text("Webhook")

    # the wording of an SLA breach in Chinese
    desk.get_by_test_id("notify-tab-templates").click()
    desk.locator('[data-testid="template-event"][data-event="sla.breach"]').click()
    editor = desk.locator('[data-testid="template-editor"][data-event="sla.breach"]')
    zh = editor.get_by_test_id("template-zh-CN")
    expect(zh.get_by_test_id("template-placeholder").filter(has_text="{number}")).to_be_visible()
    expect(zh.get_by_test_id("template-placeholder").filter(has_text="{level_label}")).to_be_visible()
    body = zh.get_by_test_id("template-body")
    body.fill("工单 {number} 超时,已升级到 {level_label}。{customer_name}")
    expect(zh.get_by_test_id("template-unknown")).to_contain_text("{customer_name}")
    body.fill("工单 {number} 超时,已升级到 {level_label}。负责人:")
    body.press("End")
    zh.get_by_test_id("template-placeholder").filter(has_text="{assignee}").click()
    expect(body).to_have_value("工单 {number} 超时,已升级到 {level_label}。负责人:{assignee}")
    expect(zh.get_by_test_id("template-unknown")).to_have_count(0)
    _still(desk)
    shot(desk, "template-edited")
    desk.get_by_test_id("template-save").click()
    expect(zh.get_by_test_id("template-overridden")).to_be_visible()
    stored = next(t for t in _api(server, admin, "/notification-templates")
                  if t["event"] == "sla.breach" and t["locale"] == "zh-CN")
    assert stored["body"] == "工单 {number} 超时,已升级到 {level_label}。负责人:{assignee}"
    assert stored["overridden"] is True
    english = next(t for t in _api(server, admin, "/notification-templates")
                   if t["event"] == "sla.breach" and t["locale"] == "en")
    assert english["overridden"] is False

    # the dead letter: its last error shown, and sent again
    desk.get_by_test_id("notify-tab-outbox").click()
    expect(desk.get_by_test_id("outbox-dead-count")).to_have_text("1")
    desk.get_by_test_id("outbox-status-dead").click()
    expect(desk).to_have_url(re.compile(r"status=dead"))
    row = desk.get_by_test_id("outbox-list").locator("tr", has_text="【新派工】WO-0001")
    expect(row.get_by_test_id("outbox-error")).to_have_text("HTTP 500: upstream unavailable")
    expect(row.get_by_test_id("outbox-row-status")).to_have_attribute("data-status", "dead")
    expect(row).to_contain_text(f"ERP 回调 (#")
    _still(desk)
    shot(desk, "outbox-dead")
    row.get_by_test_id("outbox-retry").click()
    expect(row).to_have_count(0)
    expect(desk.get_by_test_id("outbox-dead-count")).to_have_count(0)
    after = {r["id"]: r for r in _api(server, admin, "/outbox?status=pending")["items"]}
    assert after[dead]["attempts"] == 0
    desk.get_by_test_id("outbox-status-all").click()
    expect(desk.get_by_test_id("outbox-list").locator("tr", has_text="【新派工】WO-0001")
           .get_by_test_id("outbox-row-status")).to_have_attribute("data-status", "pending")
    _still(desk)
    shot(desk, "outbox-all")
    desk.get_by_test_id("lang-en").click()
    expect(desk.get_by_test_id("outbox-row-status")).to_have_text("Pending")
    expect(desk.get_by_test_id("notify-tab-outbox")).to_have_text("Outbox")
    _still(desk)
    shot(desk, "outbox-english")


def test_an_admin_adds_a_notification_channel_and_switches_it_off(f, server, desk, shot):
    admin = f.user("admin")
    desk_login(desk, admin.username)
    desk.goto("/desk/notifications/admin")
    desk.get_by_test_id("channel-new").click()
    form = desk.get_by_test_id("channel-form")
    form.get_by_test_id("channel-kind").click()
    desk.locator(".el-select-dropdown__item:visible", has_text="钉钉").click()
    form.get_by_test_id("channel-form-name").fill("售后钉钉群")
    desk.get_by_test_id("channel-save").click()
    expect(form.locator(".el-form-item.is-error")).to_contain_text("必填")  # the URL
    form.get_by_test_id("channel-url").fill(
        "https://oapi.dingtalk.com/robot/send?access_token=abc123")
    form.get_by_test_id("channel-secret").fill("SEC0001")
    _still(desk)
    shot(desk, "channel-dialog")
    desk.get_by_test_id("channel-save").click()
    expect(form).to_be_hidden()
    row = desk.get_by_test_id("channel-list").locator("tr", has_text="售后钉钉群")
    expect(row).to_contain_text("access_token=****")  # the token never comes back
    expect(row).to_contain_text("已设置")
    row.get_by_test_id("channel-enabled").click()
    expect(row.get_by_test_id("channel-enabled")).not_to_have_class(re.compile("is-checked"))
    stored = next(c for c in _api(server, admin, "/notification-channels")
                  if c["name"] == "售后钉钉群")
    assert stored["kind"] == "dingtalk" and stored["has_secret"] is True
    assert stored["enabled"] is False


def test_a_desk_user_sets_notification_preferences_and_quiet_hours(f, server, desk, shot):
    agent = f.user("agent")
    desk_login(desk, agent.username)
    expect(desk.get_by_test_id("nav-notify-admin")).to_have_count(0)
    desk.get_by_test_id("current-user").click()
    desk.get_by_test_id("menu-preferences").click()
    expect(desk).to_have_url(re.compile(r"/desk/notifications/preferences$"))
    matrix = desk.get_by_test_id("prefs-matrix")
    every = matrix.locator('[data-testid="prefs-row"][data-event="*"]')
    assigned = matrix.locator('[data-testid="prefs-row"][data-event="order.assigned"]')
    expect(every.get_by_test_id("prefs-sms")).to_have_class(re.compile("is-checked"))
    every.get_by_test_id("prefs-sms").click()
    # muted for every event: the per-event boxes follow and cannot be ticked
    expect(assigned.get_by_test_id("prefs-sms")).to_have_class(re.compile("is-disabled"))
    assigned.get_by_test_id("prefs-email").click()
    desk.get_by_test_id("prefs-quiet-on").click()
    expect(desk.get_by_test_id("prefs-quiet")).to_contain_text("至次日")
    _still(desk)
    shot(desk, "preferences")
    desk.get_by_test_id("prefs-save").click()
    expect(desk.locator(".el-message--success")).to_be_visible()
    prefs = _api(server, agent, "/notification-preferences")
    assert prefs["muted"] == {"*": ["sms"], "order.assigned": ["email"]}
    assert (prefs["quiet_start"], prefs["quiet_end"]) == ("22:00:00", "08:00:00")

    desk.goto("/desk/notifications/admin")  # admins only
    expect(desk).to_have_url(re.compile(r"/desk/work-orders$"))
