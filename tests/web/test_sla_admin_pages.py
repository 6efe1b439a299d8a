"""The admin's SLA settings in the browser: a policy target edited and saved (and a duplicate
name refused next to the field), a rule added to the matrix, a calendar override added and
removed, a Saturday opened on a calendar, a province given its own calendar, and an engineer
put in a service team that then gets its own calendar. Each change is read back through the
API."""

import re
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from bihuan.engineers import service as engineers
from bihuan.engineers.schemas import EngineerCreate
from bihuan.kit.context import SYSTEM, RequestContext
from tests import factories
from tests.audit.helpers import fast_argon2
from tests.factories import Factory
from tests.web.test_loop import desk_login
from tests.web.test_sla_pages import _still

_ = fast_argon2  # the fixture, imported
EXTENDED = "5×12 延长服务"  # seeded calendar 2
ALWAYS = "7×24 全天候"  # seeded calendar 3
STANDARD = "5×8 标准工作时间"  # seeded calendar 1, the default


def _api(server: str, user: factories.TestUser, path: str) -> Any:
    r = httpx.get(f"{server}/api/v1{path}", headers=user.headers, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def _pick(page: Page, select: Any, option: str) -> None:
    """Choose an option of an Element Plus select (its list is teleported to the body)."""
    select.click()
    page.locator(".el-select-dropdown__item:visible", has_text=option).first.click()


def _open_sla(page: Page, f: Factory) -> factories.TestUser:
    admin = f.user("admin")
    desk_login(page, admin.username)
    page.get_by_test_id("nav-sla").click()
    expect(page.get_by_test_id("sla-policies")).to_contain_text("标准客户")
    return admin


def test_an_admin_edits_an_sla_policy_target_and_the_matrix(f, server, desk, shot):
    admin = _open_sla(desk, f)
    row = desk.get_by_test_id("sla-policies").locator("tr", has_text="标准客户")
    expect(row.get_by_test_id("policy-row-response")).to_have_text("8 小时")
    row.get_by_test_id("policy-edit").click()
    form = desk.get_by_test_id("policy-form")
    expect(form.get_by_test_id("policy-name")).to_have_value(
        "标准客户 5×8:8 小时响应,48 小时修复")
    hours = form.get_by_test_id("policy-response-hours").locator("input")
    hours.fill("6")
    hours.press("Tab")
    form.get_by_test_id("policy-response-minutes").locator("input").fill("30")
    form.get_by_test_id("policy-response-minutes").locator("input").press("Tab")
    _still(desk)
    shot(desk, "policy-dialog")
    desk.get_by_test_id("policy-save").click()
    expect(form).to_be_hidden()
    expect(row.get_by_test_id("policy-row-response")).to_have_text("6 小时 30 分")
    saved = next(p for p in _api(server, admin, "/sla/policies") if p["name"].startswith("标准客户"))
    assert saved["response_minutes"] == 390
    assert saved["resolution_minutes"] == 2880 and saved["is_default"] is True

    # a name another policy has: the server's 409 shows on the form and on the name field
    desk.get_by_test_id("sla-policies").locator("tr", has_text="基础客户").get_by_test_id(
        "policy-edit").click()
    form.get_by_test_id("policy-name").fill("紧急 7×24:30 分钟响应,4 小时修复")
    desk.get_by_test_id("policy-save").click()
    expect(desk.get_by_test_id("form-error")).to_contain_text("已被使用")
    expect(form.locator(".el-form-item.is-error")).to_contain_text("已被使用")
    _still(desk)
    shot(desk, "policy-name-taken")
    desk.keyboard.press("Escape")
    expect(form).to_be_hidden()

    # the matrix: a new rule wants a policy before it is saved
    desk.get_by_test_id("sla-tab-rules").click()
    rules = desk.get_by_test_id("sla-rules")
    expect(rules.locator("tbody tr")).to_have_count(5)
    desk.get_by_test_id("rule-add").click()
    new = rules.locator("tbody tr").nth(5)
    _pick(desk, new.get_by_test_id("rule-priority"), "高")
    desk.get_by_test_id("rules-save").click()
    expect(new.get_by_test_id("rule-error")).to_have_text("必填")
    _pick(desk, new.get_by_test_id("rule-policy"), "重点客户")
    _still(desk)
    shot(desk, "matrix-edited")
    desk.get_by_test_id("rules-save").click()
    expect(desk.get_by_test_id("rules-save")).to_be_disabled()
    stored = _api(server, admin, "/sla/rules")
    assert len(stored) == 6
    assert stored[-1] | {"id": 0} == {"id": 0, "tier": None, "fault_type": None,
                                      "priority": "high", "policy_id": 2, "position": 5}


def test_an_admin_keeps_sla_calendars_overrides_and_assignments(f, server, desk, shot):
    admin = _open_sla(desk, f)
    desk.get_by_test_id("sla-tab-calendars").click()
    calendars = desk.get_by_test_id("sla-calendars")
    expect(calendars).to_contain_text("周一至周五")

    # a plant shutdown day off and a make-up working Saturday on the standard calendar
    calendars.locator("tr", has_text=STANDARD).get_by_test_id("calendar-overrides").click()
    form = desk.get_by_test_id("override-form")
    listing = desk.get_by_test_id("override-list")
    expect(listing).to_contain_text("没有例外日期")
    for day, working, note in (("2027-01-04", False, "厂区停电检修"), ("2027-01-09", True, "补班")):
        date = form.locator(".el-date-editor input")
        date.fill(day)
        date.press("Enter")
        desk.get_by_test_id("override-on" if working else "override-off").click()
        desk.get_by_test_id("override-note").fill(note)
        desk.get_by_test_id("override-add").click()
        expect(listing.locator("tr", has_text=day)).to_contain_text("上班" if working else "休息")
    _still(desk)
    shot(desk, "overrides")
    stored = _api(server, admin, "/sla/calendars/1/overrides")
    assert {(o["day"], o["working"], o["note"]) for o in stored} == {
        ("2027-01-04", False, "厂区停电检修"), ("2027-01-09", True, "补班")}

    listing.locator("tr", has_text="2027-01-04").get_by_test_id("override-delete").click()
    desk.locator(".el-popconfirm:visible").get_by_role("button", name="删除").click()
    expect(listing.locator("tr", has_text="2027-01-04")).to_have_count(0)
    assert [o["day"] for o in _api(server, admin, "/sla/calendars/1/overrides")] == ["2027-01-09"]
    desk.keyboard.press("Escape")

    # Saturday mornings on the extended calendar
    calendars.locator("tr", has_text=EXTENDED).get_by_test_id("calendar-edit").click()
    cal = desk.get_by_test_id("calendar-form")
    saturday = cal.get_by_test_id("day-5")
    saturday.get_by_test_id("day-open").click()
    _pick(desk, saturday.get_by_test_id("span-end"), "12:00")
    _still(desk)
    shot(desk, "calendar-dialog")
    desk.get_by_test_id("calendar-save").click()
    expect(cal).to_be_hidden()
    expect(calendars.locator("tr", has_text=EXTENDED)).to_contain_text("周六")
    extended = next(c for c in _api(server, admin, "/sla/calendars")["items"]
                    if c["name"] == EXTENDED)
    assert extended["hours"]["5"] == [["08:00", "12:00"]]
    assert extended["hours"]["0"] == [["08:00", "20:00"]]

    # Guangdong's customers count on the extended calendar
    desk.get_by_test_id("sla-tab-assignments").click()
    desk.get_by_test_id("assignment-scope").get_by_text("省份").click()
    desk.get_by_test_id("assignment-province").fill("广东")
    _pick(desk, desk.get_by_test_id("assignment-calendar"), EXTENDED)
    desk.get_by_test_id("assignment-add").click()
    row = desk.get_by_test_id("sla-assignments").locator("tr", has_text="广东")
    expect(row).to_contain_text(EXTENDED)
    _still(desk)
    shot(desk, "assignments")
    assert [(a["scope"], a["key"], a["calendar_id"])
            for a in _api(server, admin, "/sla/calendar-assignments")] == [("region", "广东", 2)]


def test_sla_settings_are_for_admins_only(f, desk):
    desk_login(desk, f.user("supervisor").username)
    expect(desk.get_by_test_id("nav-work-orders")).to_be_visible()
    expect(desk.get_by_test_id("nav-sla")).to_have_count(0)
    desk.goto("/desk/sla")
    expect(desk).to_have_url(re.compile(r"/desk/work-orders$"))


def _engineer(f: Factory, username: str, name: str, team: str | None) -> int:
    with f.session() as s:
        return engineers.create_engineer(s, RequestContext(SYSTEM), EngineerCreate(
            username=username, display_name=name, password=factories.PASSWORD, skills=["HR-E"],
            cert_level=3, home_base="深圳", region="华南", team=team)).id


def test_an_admin_puts_an_engineer_in_a_team_and_gives_the_team_a_calendar(
        f, server, desk, shot, fast_argon2):
    li = _engineer(f, "li.gong", "李工", None)
    _engineer(f, "wang.gong", "王工", "华东服务组")
    admin = f.user("admin")
    desk_login(desk, admin.username)
    desk.get_by_test_id("nav-engineers").click()
    table = desk.get_by_test_id("engineer-table")
    row = table.locator("tr", has_text="李工")
    expect(row).to_contain_text("未分组")
    expect(table.locator("tr", has_text="王工").get_by_test_id("engineer-team")).to_have_text(
        "华东服务组")

    # a new team, typed in (the existing one is suggested meanwhile)
    row.get_by_test_id("engineer-team-edit").click()
    form = desk.get_by_test_id("team-form")
    field = form.get_by_test_id("team-input")
    field.click()
    expect(desk.locator(".el-autocomplete-suggestion:visible")).to_contain_text("华东服务组")
    field.fill("  华南服务组 ")
    _still(desk)
    shot(desk, "team-dialog")
    desk.get_by_test_id("team-save").click()
    expect(form).to_be_hidden()
    expect(row.get_by_test_id("engineer-team")).to_have_text("华南服务组")
    assert _api(server, admin, f"/engineers/{li}")["team"] == "华南服务组"

    # the team filter lists both teams and keeps 李工 alone in his
    _pick(desk, desk.get_by_test_id("engineer-team-filter"), "华南服务组 (1)")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody tr")).to_contain_text("李工")
    _still(desk)
    shot(desk, "engineers-by-team")

    # 华南服务组's orders count round the clock
    desk.get_by_test_id("nav-sla").click()
    desk.get_by_test_id("sla-tab-assignments").click()
    desk.get_by_test_id("assignment-scope").get_by_text("服务组").click()
    _pick(desk, desk.get_by_test_id("assignment-team"), "华南服务组")
    _pick(desk, desk.get_by_test_id("assignment-calendar"), ALWAYS)
    desk.get_by_test_id("assignment-add").click()
    listed = desk.get_by_test_id("sla-assignments").locator("tr", has_text="华南服务组")
    expect(listed).to_contain_text(ALWAYS)
    expect(listed).to_contain_text("服务组")
    _still(desk)
    shot(desk, "team-calendar")
    assert [(a["scope"], a["key"], a["calendar_id"])
            for a in _api(server, admin, "/sla/calendar-assignments")] == [("team", "华南服务组", 3)]
