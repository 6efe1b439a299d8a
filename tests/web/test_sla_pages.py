"""SLA and notifications in the browser: an order past its deadlines is red in the list (also
through "overdue only" and a saved view) and on its page; once the sweeper escalates it to
level 3 it is on the director's board; an in-app notification rings the bell on the desk and
on the engineer's phone until it is read; the admin's SLA settings warn about missing holidays.

Orders are made overdue by moving the clock back while they are created: the live server runs
in this process, so the order really was reported six hours ago, and the browser's clock and
the server's agree from then on."""

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from playwright.sync_api import Page, expect
from sqlalchemy import update

from bihuan.kit.clock import set_clock
from bihuan.notifications import relay
from bihuan.notifications.service import notify_user
from bihuan.sla import service as sla
from bihuan.sla.models import SlaPolicy
from bihuan.sla.sweeper import sweep_once
from bihuan.users.models import User
from bihuan.workorders.models import WorkOrder
from tests.factories import Factory
from tests.web.test_loop import desk_login, phone_login

RED = "rgb(217, 48, 38)"  # the palette's red (web/src/shared/colors.ts)


def _reported_hours_ago(f: Factory, hours: float, state: str = "new", **kw: Any) -> int:
    """An urgent order (7×24: respond in 30 min, resolve in 4 h) reported `hours` ago."""
    for role in ("admin", "engineer", "supervisor"):  # their tokens are issued at today's time
        f.user(role)
    then = datetime.now(UTC) - timedelta(hours=hours)
    set_clock(lambda: then)
    try:
        return f.order(state, priority="urgent", **kw)
    finally:
        set_clock(None)


def _number(f: Factory, order_id: int) -> str:
    with f.session() as s:
        return str(s.get(WorkOrder, order_id).number)


def _row(page: Page, number: str) -> Any:
    return page.locator(f'[data-testid="wo-row"][data-number="{number}"]')


def _deliver(f: Factory, db: Any, settings: Any, user_id: int, order_id: int) -> None:
    """One in-app notification for the user, delivered to the bell by the relay."""
    number = _number(f, order_id)  # before: one write session at a time on SQLite
    with f.session() as s:
        notify_user(s, user_id, "order.assigned", {
            "number": number, "title": "主轴异响", "customer": "苏州精工科技有限公司",
            "address": "苏州工业园区星湖街 328 号", "phone": "13812345678"},
            link=f"/desk/work-orders/{order_id}")
    assert relay.run_once(db, settings).sent >= 1


def _still(page: Page) -> None:
    """Wait for popovers and popups to finish sliding in (endless blinks aside) before a shot."""
    page.wait_for_function("""() => document.getAnimations().every(a =>
        a.playState !== 'running' || a.effect.getComputedTiming().iterations === Infinity)""")


def _focus(page: Page) -> None:
    """What coming back to the window does: the bell asks again at once."""
    page.evaluate("window.dispatchEvent(new Event('focus'))")


def test_an_overdue_order_is_red_everywhere_and_reaches_the_board_at_level_3(
        f, db, settings, desk, shot):
    director = f.user("director")
    late = _reported_hours_ago(f, 6, "assigned", title="注塑机料筒温度异常")
    stuck = _reported_hours_ago(f, 6, "new", title="主轴异响,无人派工")
    fresh = f.order("new", priority="urgent", title="刚报修的工单")
    late_no, stuck_no, fresh_no = (_number(f, o) for o in (late, stuck, fresh))

    desk_login(desk, director.username)
    desk.goto("/desk/work-orders")
    expect(_row(desk, fresh_no)).to_be_visible()
    on_time = _row(desk, fresh_no).get_by_test_id("sla-countdown")
    expect(on_time).to_have_attribute("data-status", "on_track")
    expect(on_time).to_contain_text("剩 ")
    countdown = _row(desk, late_no).get_by_test_id("sla-countdown")
    expect(countdown).to_have_attribute("data-status", "breached")
    expect(countdown).to_contain_text(re.compile(r"已超时 5 小时"))
    assert countdown.evaluate("e => getComputedStyle(e).color") == RED
    shot(desk, "list-countdowns")

    # only overdue ones, in the URL and kept in a saved view
    desk.get_by_test_id("filter-overdue").click()
    expect(desk).to_have_url(re.compile(r"overdue=true"))
    expect(desk.get_by_test_id("wo-row")).to_have_count(2)
    expect(_row(desk, fresh_no)).to_have_count(0)
    shot(desk, "list-overdue-only")
    desk.get_by_test_id("save-view").click()
    desk.get_by_test_id("view-name").fill("超时工单")
    desk.get_by_test_id("view-save-confirm").click()
    desk.get_by_test_id("filter-reset").click()
    expect(_row(desk, fresh_no)).to_be_visible()
    desk.get_by_test_id("saved-views").click()
    desk.get_by_test_id("saved-view-option").filter(has_text="超时工单").click()
    expect(desk.get_by_test_id("wo-row")).to_have_count(2)
    expect(desk).to_have_url(re.compile(r"overdue=true"))

    # the order's page: both deadlines red, not escalated yet
    desk.goto(f"/desk/work-orders/{late}")
    response = desk.get_by_test_id("sla-response").get_by_test_id("sla-countdown")
    expect(response).to_have_attribute("data-status", "breached")
    expect(response).to_contain_text("已超时 5 小时")
    expect(desk.get_by_test_id("sla-resolution").get_by_test_id("sla-countdown")).to_contain_text(
        "已超时 2 小时")
    assert response.evaluate("e => getComputedStyle(e).color") == RED
    expect(desk.get_by_test_id("sla-level")).to_have_attribute("data-level", "0")
    shot(desk, "detail-overdue")

    stats = sweep_once(db, settings)
    assert stats.levels.get(3) == 2, stats
    desk.reload()
    expect(desk.get_by_test_id("sla-level")).to_have_attribute("data-level", "3")
    expect(desk.get_by_test_id("sla-level")).to_contain_text("L3")
    expect(desk.get_by_test_id("sla-on-board")).to_be_visible()
    _still(desk)
    shot(desk, "detail-level-3")

    # the board: both, in red, with their reasons; the overdue count on top
    desk.get_by_test_id("nav-board").click()
    expect(desk.get_by_test_id("board")).to_be_visible()
    expect(desk.get_by_test_id("board-overdue")).to_have_text("2")
    expect(desk.get_by_test_id("board-row")).to_have_count(2)
    row = desk.locator(f'[data-testid="board-row"][data-number="{late_no}"]')
    expect(row).to_have_attribute("data-reason", "escalated")
    expect(row.get_by_test_id("board-reason")).to_have_text("超时升级")
    expect(row).to_contain_text("注塑机料筒温度异常")
    expect(row.get_by_test_id("board-since")).to_contain_text("上榜")
    stuck_row = desk.locator(f'[data-testid="board-row"][data-number="{stuck_no}"]')
    expect(stuck_row.get_by_test_id("board-reason")).to_have_text("超时未派工")
    expect(stuck_row).to_contain_text("未派工")
    expect(desk.get_by_test_id("board-refreshed")).to_contain_text(re.compile(r"\d\d:\d\d:\d\d"))
    _still(desk)
    shot(desk, "board")

    desk.get_by_test_id("lang-en").click()
    expect(row.get_by_test_id("board-reason")).to_have_text("Escalated")
    expect(stuck_row.get_by_test_id("board-reason")).to_have_text("Not dispatched in time")
    shot(desk, "board-english")

    row.click()
    expect(desk).to_have_url(re.compile(f"/desk/work-orders/{late}$"))
    expect(desk.get_by_test_id("sla-panel")).to_contain_text("overdue")


def test_a_resolved_order_counts_down_to_the_customers_confirmation(f, db, desk, shot):
    """Urgent policy with a 2-hour confirmation target; resolved 2.5 hours ago and still not
    confirmed: the confirmation deadline is red on the order's page and in the list."""
    with f.session() as s:
        s.execute(update(SlaPolicy).where(SlaPolicy.id == 5).values(confirmation_minutes=120))
    sla.invalidate()
    late = _reported_hours_ago(f, 2.5, "awaiting_confirmation", title="伺服报警已处理,待客户确认")
    number = _number(f, late)
    desk_login(desk, f.user("agent").username)
    desk.goto(f"/desk/work-orders/{late}")
    confirmation = desk.get_by_test_id("sla-confirmation").get_by_test_id("sla-countdown")
    expect(confirmation).to_have_attribute("data-status", "breached")
    expect(confirmation).to_contain_text("已超时 30 分")
    expect(desk.get_by_test_id("sla-resolution").get_by_test_id("sla-countdown")).to_have_attribute(
        "data-status", "met")
    _still(desk)
    shot(desk, "detail-confirmation-overdue")
    desk.goto("/desk/work-orders?overdue=true")
    listed = _row(desk, number).get_by_test_id("sla-countdown")
    expect(listed).to_have_attribute("data-kind", "confirmation")
    expect(listed).to_have_attribute("data-status", "breached")
    expect(listed).to_contain_text("确认")
    desk.get_by_test_id("lang-en").click()
    desk.goto(f"/desk/work-orders/{late}")
    expect(desk.get_by_test_id("sla-panel")).to_contain_text("Confirmation due")


def test_the_board_is_for_directors_and_leads_not_for_agents(f, desk):
    desk_login(desk, f.user("agent").username)
    expect(desk.get_by_test_id("nav-work-orders")).to_be_visible()
    expect(desk.get_by_test_id("nav-board")).to_have_count(0)
    desk.goto("/desk/board")
    expect(desk).to_have_url(re.compile(r"/desk/work-orders"))


def test_a_notification_rings_the_desk_bell_until_it_is_read(f, db, settings, desk, shot):
    dispatcher = f.user("dispatcher")
    order = f.order("new", title="主轴异响")
    desk_login(desk, dispatcher.username)
    bell = desk.get_by_test_id("bell")
    expect(bell).to_have_attribute("data-unread", "0")
    expect(bell.locator(".el-badge__content")).to_be_hidden()

    _deliver(f, db, settings, dispatcher.id, order)
    _focus(desk)
    expect(bell).to_have_attribute("data-unread", "1")
    expect(bell.locator(".el-badge__content")).to_have_text("1")
    shot(desk, "bell-unread")

    bell.click()
    item = desk.get_by_test_id("bell-item").first
    expect(item).to_contain_text("【新派工】")
    expect(item).to_have_attribute("data-read", "false")
    expect(item).not_to_contain_text("13812345678")  # phones are masked in messages
    _still(desk)
    shot(desk, "bell-open")
    item.click()
    expect(desk).to_have_url(re.compile(f"/desk/work-orders/{order}$"))
    expect(bell).to_have_attribute("data-unread", "0")
    expect(bell.locator(".el-badge__content")).to_be_hidden()
    shot(desk, "bell-read")

    # two more, and "mark all read"
    _deliver(f, db, settings, dispatcher.id, order)
    _deliver(f, db, settings, dispatcher.id, order)
    _focus(desk)
    expect(bell).to_have_attribute("data-unread", "2")
    bell.click()
    desk.get_by_test_id("bell-read-all").click()
    expect(bell).to_have_attribute("data-unread", "0")
    expect(desk.locator('[data-testid="bell-item"][data-read="false"]')).to_have_count(0)


def test_a_supervisor_finishes_an_escalation_to_do_from_the_bell(f, db, settings, desk, shot):
    supervisor = f.user("supervisor")
    engineer = f.user("engineer")
    with f.session() as s:  # the engineer reports to this supervisor: level 2 lands on him
        s.get(User, engineer.id).supervisor_id = supervisor.id
    late = _reported_hours_ago(f, 6, "assigned", assignee=engineer)
    sla.invalidate()
    sweep_once(db, settings)

    desk_login(desk, supervisor.username)
    desk.get_by_test_id("bell").click()
    desk.get_by_test_id("bell-tab-todos").click()
    todo = desk.get_by_test_id("todo-row")
    expect(todo).to_have_count(1)
    expect(todo).to_contain_text(_number(f, late))
    _still(desk)
    shot(desk, "todos")
    todo.get_by_test_id("todo-done").click()
    expect(todo).to_have_count(0)


def test_the_engineer_phone_has_the_same_bell(f, db, settings, phone, shot):
    engineer = f.user("engineer")
    order = f.order("assigned", assignee=engineer, title="合模报警,锁模力达不到设定")
    _deliver(f, db, settings, engineer.id, order)
    phone_login(phone, engineer.username)
    bell = phone.get_by_test_id("m-bell")
    expect(bell).to_have_attribute("data-unread", "1")
    expect(bell.locator(".van-badge")).to_have_text("1")
    shot(phone, "phone-bell")
    bell.click()
    item = phone.get_by_test_id("m-bell-item").first
    expect(item).to_contain_text("【新派工】")
    _still(phone)
    shot(phone, "phone-bell-open")
    item.click()
    expect(phone).to_have_url(re.compile(f"/m/orders/{order}$"))
    expect(phone.get_by_test_id("m-state")).to_be_visible()
    phone.go_back()
    expect(phone.get_by_test_id("m-bell")).to_have_attribute("data-unread", "0")


def test_the_sla_settings_show_the_tables_and_warn_about_missing_holidays(
        f, desk, shot, monkeypatch):
    # whatever year it is: pretend next year's holidays are not published yet
    monkeypatch.setattr(sla, "missing_holiday_years", lambda years: [max(years)])
    desk_login(desk, f.user("admin").username)
    desk.get_by_test_id("nav-sla").click()
    warning = desk.get_by_test_id("holiday-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("法定节假日")
    expect(desk.get_by_test_id("sla-policies")).to_contain_text("30 分")
    expect(desk.get_by_test_id("sla-rules")).to_contain_text("紧急")
    expect(desk.get_by_test_id("sla-calendars")).to_contain_text("周一至周五")
    shot(desk, "sla-settings")
