"""DNS rebinding in a real Chromium (finding 1): the browser resolves a foreign name to the
app's loopback address, as a rebinding attack makes it do, and the app refuses that Host."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserType

pytestmark = pytest.mark.browser


@pytest.fixture
def rebinding_browser(
    browser_type: BrowserType, browser_type_launch_args: dict[str, Any]
) -> Iterator[Browser]:
    """A Chromium in which evil.example resolves to 127.0.0.1."""
    args = [*browser_type_launch_args["args"], "--host-resolver-rules=MAP evil.example 127.0.0.1"]
    browser = browser_type.launch(**{**browser_type_launch_args, "args": args})
    try:
        yield browser
    finally:
        browser.close()


def test_a_rebound_name_gets_nothing_from_the_app(
    rebinding_browser: Browser, live_server: str
) -> None:
    port = urlsplit(live_server).port
    page = rebinding_browser.new_page()
    response = page.goto(f"http://evil.example:{port}/history/export?format=json")
    assert response is not None and response.status == 400
    assert "does not answer to that host name" in page.content()
    # A script on the rebound page, same-origin to the browser, cannot start a session either.
    status = page.evaluate(
        """async () => {
            const body = new URLSearchParams({bank: "ml-basics", count: "1", mode: "drill"});
            const response = await fetch("/practice/sessions", {method: "POST", body});
            return response.status;
        }"""
    )
    assert status == 400
    # The same browser on a loopback name is served as usual.
    assert page.goto(f"http://localhost:{port}/").status == 200  # type: ignore[union-attr]
