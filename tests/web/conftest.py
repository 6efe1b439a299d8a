"""Browser tests: Debian's Chromium driven by Playwright against a live server.

Each test gets a fresh database (SQLite and PostgreSQL, as everywhere), a real uvicorn
server serving the built pages in web/dist, and pages sized as a desk screen or a phone.
Screenshots land in test-artifacts/screens/<test>/ for people to look at."""

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bihuan.main import create_app
from tests import live

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update"]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screens"


def _required() -> bool:
    return bool(os.environ.get("CI") or os.environ.get("BIHUAN_REQUIRE_BROWSER"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        msg = "Chromium is missing: `make browser` installs it (apt-get install chromium)"
        pytest.fail(msg) if _required() else pytest.skip(msg)
    if not (ROOT / "web" / "dist" / "desk.html").exists():
        pytest.fail("the web app is not built: `make web` (make test builds it)")
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
    yield b
    b.close()
    pw.stop()


@pytest.fixture
def server(settings: Any, db: Any) -> Iterator[str]:
    """The app on a loopback port, over this test's database."""
    with live.live_server(create_app(settings, db)) as url:
        yield url


class Shots:
    """Numbered screenshots for one test: test-artifacts/screens/<test>/<n>-<name>.png."""

    def __init__(self, test_name: str) -> None:
        self.dir = ARTIFACTS / re.sub(r"[^\w.-]+", "_", test_name)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.n = 0

    def __call__(self, page: Any, name: str) -> Path:
        self.n += 1
        path = self.dir / f"{self.n:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Shots:
    return Shots(request.node.name)


def _context(browser: Any, server: str, **kw: Any) -> Any:
    ctx = browser.new_context(base_url=server, locale="zh-CN", timezone_id="Asia/Shanghai", **kw)
    ctx.set_default_timeout(15_000)
    return ctx


@pytest.fixture
def desk(browser: Any, server: str) -> Iterator[Any]:
    """A desk browser window (1440×900)."""
    ctx = _context(browser, server, viewport={"width": 1440, "height": 900})
    yield ctx.new_page()
    ctx.close()


@pytest.fixture
def phone_context(browser: Any, server: str) -> Iterator[Any]:
    """A phone-sized browser (390×844, touch), for the customer and the engineer."""
    ctx = _context(browser, server, viewport={"width": 390, "height": 844},
                   device_scale_factor=2, is_mobile=True, has_touch=True)
    yield ctx
    ctx.close()


@pytest.fixture
def phone(phone_context: Any) -> Any:
    return phone_context.new_page()
