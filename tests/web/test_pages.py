"""Every page opens without a script error and shows its data, in both languages where it
matters; a screenshot of each is kept in test-artifacts/screens/ for people to look at."""

from typing import Any

from playwright.sync_api import Page, expect

from tests.factories import Factory
from tests.web.test_loop import desk_login, phone_login

# desk path → an element that proves the page rendered its data
DESK_PAGES = {
    "work-orders": "wo-row",
    "work-orders/new": "create-form",
    "customers": "customer-row",
    "devices": "device-table",
    "engineers": "engineer-table",
    "suspected-fake-completions": None,
}


def _watch_errors(page: Page) -> list[str]:
    """Collect uncaught script errors and console errors (a failed request is not one)."""
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    page.on("console", lambda m: errors.append(f"console: {m.text}")
            if m.type == "error" and "Failed to load resource" not in m.text else None)
    return errors


def _world(f: Factory) -> dict[str, Any]:
    customer = f.customer(name="苏州精工科技有限公司")
    device = f.device(customer)
    engineer = f.user("engineer")
    orders = {s: f.order(s, device_id=device, assignee=engineer)
              for s in ("new", "assigned", "in_progress", "awaiting_confirmation", "closed")}
    return {"customer": customer, "device": device, "engineer": engineer, "orders": orders}


def test_every_desk_page_renders(f, desk, shot):
    world = _world(f)
    errors = _watch_errors(desk)
    desk_login(desk, f.user("admin").username)
    for path, testid in DESK_PAGES.items():
        desk.goto(f"/desk/{path}")
        if testid:
            expect(desk.get_by_test_id(testid).first).to_be_visible()
        else:
            desk.wait_for_load_state("networkidle")
        shot(desk, path.replace("/", "-"))
    desk.goto(f"/desk/customers/{world['customer']}")
    expect(desk.locator("body")).to_contain_text("苏州精工科技有限公司")
    shot(desk, "customer-detail")
    for state, order in world["orders"].items():
        desk.goto(f"/desk/work-orders/{order}")
        expect(desk.get_by_test_id("timeline-item").first).to_be_visible()
        shot(desk, f"order-{state}")
    assert not errors, errors


def test_device_labels_open_as_a_pdf(f, desk):
    f.device(f.customer())
    desk_login(desk, f.user("agent").username)
    desk.goto("/desk/devices")
    table = desk.get_by_test_id("device-table")
    expect(table).to_be_visible()
    table.locator(".el-checkbox").first.click()  # the header box: every device on the page
    with desk.expect_response(lambda r: "/devices/labels.pdf" in r.url) as answer, \
            desk.expect_popup():
        desk.get_by_test_id("print-labels").click()
    r = answer.value
    assert r.status == 200 and r.headers["content-type"] == "application/pdf"
    assert int(r.headers["content-length"]) > 5_000  # a sheet with a QR and embedded fonts


def test_every_engineer_page_renders(f, phone, shot):
    world = _world(f)
    errors = _watch_errors(phone)
    phone_login(phone, world["engineer"].username)
    expect(phone.get_by_test_id("m-order-card").first).to_be_visible()
    shot(phone, "orders")
    for state in ("assigned", "in_progress", "awaiting_confirmation"):
        phone.goto(f"/m/orders/{world['orders'][state]}")
        expect(phone.get_by_test_id("m-state")).to_be_visible()
        shot(phone, f"order-{state}")
    assert not errors, errors


def test_customer_pages_render_and_unknown_codes_say_so(f, phone, shot):
    world = _world(f)
    errors = _watch_errors(phone)
    code = f.tracking_code(world["orders"]["awaiting_confirmation"])
    phone.goto(f"/t/{code}/confirm")
    expect(phone.get_by_test_id("sign-pad")).to_be_visible()
    shot(phone, "confirm")
    phone.goto("/t/NOSUCHCODE")
    expect(phone.locator("body")).to_contain_text("未找到此报修")
    shot(phone, "unknown-code")
    phone.goto("/r/not-a-real-token")
    expect(phone.locator("body")).to_contain_text("二维码无效")
    shot(phone, "unknown-device")
    assert not errors, errors
