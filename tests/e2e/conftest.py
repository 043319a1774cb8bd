"""Browser tests: the app served on 127.0.0.1 by a live server thread, driven by Playwright
through Debian's Chromium (/usr/bin/chromium; Playwright's own browser download does not work
offline). Without Chromium these tests skip locally and fail in CI (CI=true).
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app import create_app

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]


@pytest.fixture(scope="session")
def live_server(app):
    """The same database as the tests, CSRF on, served from a background thread."""
    config = {
        "SECRET_KEY": "e2e-secret",
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "RATELIMIT_STORAGE_URI": "memory://",
        "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
    }
    live_app = create_app(config)
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        message = (f"Chromium not found at {CHROMIUM}: install Debian's package "
                   "(apt-get install chromium fonts-wqy-microhei) to run the browser tests")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def open_tab(browser, live_server, viewport: dict, *, mobile: bool = False, timeout: int = 10_000):
    """A tab of a new browser context in Chinese at `viewport` ({"width": .., "height": ..}; `mobile`: a
    phone's touch and viewport handling), waiting at most `timeout` ms per step, its console errors
    collected in `tab.console_errors`. The caller closes `tab.context`."""
    context = browser.new_context(base_url=live_server, locale="zh-CN", viewport=viewport, is_mobile=mobile)
    context.set_default_timeout(timeout)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    tab.console_errors = errors
    return tab


@pytest.fixture
def page(browser, live_server):
    tab = open_tab(browser, live_server, {"width": 1280, "height": 900})
    yield tab
    tab.context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login_through_form(page, identifier: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("用户名或手机号").fill(identifier)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录").click()


def logout(page) -> None:
    """Log out through the account menu (a <details> on the right of the navigation)."""
    page.get_by_test_id("account-menu").locator("summary").click()
    page.get_by_role("button", name="退出登录").click()
