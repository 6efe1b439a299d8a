"""The closed loop, walked by people in a browser: a customer scans the device QR and reports,
the dispatcher assigns, the engineer accepts, starts, photographs, resolves and hands the
phone over, the customer signs, and the order is closed, with every step on the timeline.
Also: a guard that blocks shows its reason, a rejected confirmation reopens the order, and
the language switch."""

import re
from typing import Any

from playwright.sync_api import Page, expect

from bihuan.devices.models import Device
from bihuan.engineers import service as engineers
from bihuan.engineers.schemas import EngineerCreate
from bihuan.kit.context import SYSTEM, RequestContext
from bihuan.workorders.models import WorkOrder
from tests import media
from tests.factories import PASSWORD, Factory

PHOTO = media.jpeg((640, 480))


def _engineer(f: Factory, username: str = "wangwei", name: str = "王伟") -> str:
    with f.session() as s:
        engineers.create_engineer(s, RequestContext(SYSTEM), EngineerCreate(
            username=username, display_name=name, password=PASSWORD, skills=["HR-E"],
            cert_level=3, home_base="深圳", region="华南"))
    return username


def _qr_token(f: Factory) -> str:
    device = f.device(f.customer(name="深圳精密模具有限公司"))
    with f.session() as s:
        return str(s.get(Device, device).qr_token)


def _order_by_code(f: Factory, code: str) -> WorkOrder:
    with f.session() as s:
        order = s.query(WorkOrder).filter_by(tracking_code=code).one()
        s.expunge(order)
        return order


def desk_login(page: Page, username: str) -> None:
    page.goto("/desk/login")
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("current-user")).to_be_visible()


def phone_login(page: Page, username: str) -> None:
    page.goto("/m/")
    page.get_by_test_id("m-login-username").fill(username)
    page.get_by_test_id("m-login-password").fill(PASSWORD)
    page.get_by_test_id("m-login-submit").click()


def customer_reports(page: Page, token: str, shot: Any) -> str:
    page.goto(f"/r/{token}")
    expect(page.get_by_test_id("intake-submit")).to_be_visible()
    shot(page, "customer-intake")
    page.get_by_test_id("fault-alarm").click()
    page.get_by_test_id("intake-phone").fill("13812345678")
    page.get_by_test_id("intake-submit").click()
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    shot(page, "customer-tracking-code")
    assert len(code) == 10
    return code


def open_order(page: Page, code: str) -> None:
    page.goto("/desk/work-orders")
    page.get_by_test_id("wo-search").fill(code)
    page.get_by_test_id("wo-search").press("Enter")
    expect(page.get_by_test_id("wo-row")).to_have_count(1)
    page.get_by_test_id("wo-row").first.click()
    expect(page.get_by_test_id("timeline-item").first).to_be_visible()


def assign(page: Page, engineer_name: str) -> None:
    page.get_by_test_id("action-assign").click()
    dialog = page.get_by_test_id("action-dialog")
    expect(dialog).to_be_visible()
    page.get_by_test_id("assign-engineer").click()
    page.locator(".el-select-dropdown__item", has_text=engineer_name).first.click()
    page.get_by_test_id("action-confirm").click()
    expect(dialog).to_be_hidden()


def engineer_works(page: Page, code: str, number: str, shot: Any, tmp_path: Any) -> None:
    """Accept, start, photo + note, resolve: from the phone app."""
    expect(page.get_by_test_id("m-order-card").first).to_be_visible()
    shot(page, "engineer-orders")
    page.get_by_test_id("m-order-card").filter(has_text=number).first.click()
    for action in ("accept", "start"):  # one at a time: each waits for the server's answer
        with page.expect_response(lambda r: r.url.endswith("/transitions")
                                  and r.request.method == "POST") as answer:
            page.get_by_test_id(f"m-action-{action}").click()
        assert answer.value.status == 200, action
    expect(page.get_by_test_id("m-resolve-panel")).to_be_visible()
    # the guard speaks before anything is filled in
    expect(page.get_by_test_id("m-resolve-reasons")).to_contain_text("照片")
    shot(page, "engineer-resolve-blocked")
    page.get_by_test_id("m-note").fill("更换射出轴编码器线缆,试机 30 分钟无报警")
    photo = tmp_path / "repair.jpg"
    photo.write_bytes(PHOTO)
    page.get_by_test_id("m-photo-input").set_input_files(str(photo))
    expect(page.get_by_test_id("m-photo").first).to_be_visible()
    expect(page.get_by_test_id("m-action-resolve")).to_be_enabled()
    shot(page, "engineer-resolve-ready")
    page.get_by_test_id("m-action-resolve").click()
    expect(page.get_by_test_id("m-sign-onsite")).to_be_visible()


def sign(page: Page, shot: Any) -> None:
    pad = page.get_by_test_id("sign-pad")
    expect(pad).to_be_visible()
    box = pad.bounding_box()
    assert box
    page.mouse.move(box["x"] + 30, box["y"] + box["height"] / 2)
    page.mouse.down()
    for i in range(1, 25):
        page.mouse.move(box["x"] + 30 + i * 9, box["y"] + box["height"] / 2 + (i % 5) * 6,
                        steps=2)
    page.mouse.up()
    page.get_by_test_id("sign-name").fill("李经理")
    shot(page, "customer-signature")
    page.get_by_test_id("sign-submit").click()


def test_the_closed_loop_from_qr_scan_to_signed_close(f, desk, phone_context, shot, tmp_path):
    token, eng = _qr_token(f), _engineer(f)
    dispatcher = f.user("dispatcher").username
    customer = phone_context.new_page()

    code = customer_reports(customer, token, shot)
    order = _order_by_code(f, code)
    assert (order.state, order.reporter_phone, order.fault_type) == ("new", "13812345678",
                                                                      "alarm")

    desk_login(desk, dispatcher)
    open_order(desk, code)
    shot(desk, "desk-new-order")
    assign(desk, "王伟")
    expect(desk.get_by_test_id("timeline-item").last).to_contain_text("王伟")
    shot(desk, "desk-assigned")

    engineer = phone_context.new_page()
    phone_login(engineer, eng)
    engineer_works(engineer, code, order.number, shot, tmp_path)
    engineer.get_by_test_id("m-sign-onsite").click()
    expect(engineer).to_have_url(re.compile(f"/t/{code}/confirm"))
    sign(engineer, shot)
    expect(engineer.get_by_test_id("progress-state")).to_have_attribute("data-state", "closed")
    expect(engineer.get_by_test_id("confirmation")).to_contain_text("李经理")
    shot(engineer, "customer-closed")
    assert _order_by_code(f, code).state == "closed"

    # the customer's own page agrees, and names the engineer only as 王工
    customer.goto(f"/t/{code}")
    expect(customer.get_by_test_id("progress-state")).to_have_attribute("data-state", "closed")
    expect(customer.get_by_test_id("progress-engineer")).to_contain_text("王工")
    assert "王伟" not in customer.content()
    shot(customer, "customer-progress-closed")

    # every step is on the desk timeline
    desk.reload()
    timeline = desk.get_by_test_id("timeline-item")
    expect(timeline.last).to_be_visible()
    text = " ".join(timeline.all_inner_texts())
    for step in ("新建", "派单", "接单", "开始处理", "完工提交", "关单"):
        assert step in text, (step, text)
    shot(desk, "desk-closed-timeline")


def test_a_rejected_confirmation_reopens_the_order(f, phone, shot):
    order = f.order("awaiting_confirmation")
    code = f.tracking_code(order)
    phone.goto(f"/t/{code}")
    expect(phone.get_by_test_id("progress-state")).to_have_attribute(
        "data-state", "awaiting_confirmation")
    expect(phone.get_by_test_id("work-done")).to_be_visible()
    shot(phone, "awaiting-confirmation")
    phone.get_by_test_id("reject-go").click()
    phone.get_by_test_id("reject-reason").fill("开机十分钟后又报警")
    shot(phone, "reject-reason")
    phone.get_by_test_id("reject-submit").click()
    expect(phone.get_by_test_id("progress-state")).to_have_attribute("data-state", "in_progress")
    shot(phone, "reopened")
    with f.session() as s:
        assert s.get(WorkOrder, order).state == "in_progress"


def test_a_blocked_guard_shows_its_reason_next_to_the_button(f, desk, shot):
    supervisor = f.user("supervisor").username
    order = f.order("awaiting_confirmation")  # no customer confirmation yet
    desk_login(desk, supervisor)
    desk.goto(f"/desk/work-orders/{order}")
    expect(desk.get_by_test_id("action-close")).to_be_disabled()
    expect(desk.get_by_test_id("reasons-close")).to_contain_text("客户确认")
    shot(desk, "close-blocked")


def test_the_language_switch_changes_desk_and_portal(f, desk, phone, shot):
    desk_login(desk, f.user("agent").username)
    expect(desk.get_by_test_id("lang-switch")).to_be_visible()
    desk.get_by_test_id("lang-switch").click()
    en = desk.get_by_test_id("lang-en")
    if en.count():
        en.click()
    expect(desk.locator("body")).to_contain_text("Work orders")
    shot(desk, "desk-english")

    phone.goto(f"/r/{_qr_token(f)}")
    expect(phone.get_by_test_id("intake-submit")).to_be_visible()
    expect(phone.locator("body")).to_contain_text("报警")
    phone.get_by_test_id("lang-switch").click()
    expect(phone.locator("body")).to_contain_text("Alarm")
    shot(phone, "portal-english")
