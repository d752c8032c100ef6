"""A bank full of script and image-error payloads: everything shows as text, nothing runs."""

from __future__ import annotations

import pytest
from playwright.sync_api import Dialog, Page, expect

from .conftest import XSS_PAYLOAD, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/banks/xss-probe",
        "/banks/xss-probe?q=question",
        "/questions/xss-probe/payload",
        "/api/questions/xss-probe/payload",
    ],
)
def test_payloads_never_execute(page: Page, path: str) -> None:
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(path)
    page.wait_for_load_state("networkidle")
    page.locator("details.question").evaluate_all("els => els.forEach(d => d.open = true)")
    page.wait_for_timeout(200)
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert dialogs == []
    assert page.locator("img").count() == 0
    if not path.startswith("/api/"):
        expect(page.locator("main")).to_contain_text("<script>window.__xss")


def test_live_search_over_payloads_stays_inert(page: Page) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto("/banks/xss-probe")
    page.get_by_label("Search", exact=True).fill("script")
    expect(page.locator("#results details.question")).to_have_count(1)
    page.get_by_role("button", name="Expand all").click()
    expect(page.locator("#results .answer").first).to_contain_text(XSS_PAYLOAD.split(" <img")[0])
    page.wait_for_timeout(200)
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert dialogs == []
    screenshot(page, "xss-probe")
