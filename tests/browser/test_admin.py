"""The users page in Chromium: an admin adds a coach, resets a password, disables and enables an
account and changes a role, through the page's own forms (each with its CSRF token)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from interview_prep.accounts import service
from interview_prep.accounts.users import Role
from interview_prep.practice.clock import utc_now
from interview_prep.settings import load_config
from interview_prep.storage import open_database
from interview_prep.storage.accounts import DatabaseAccountStore
from interview_prep.web.app import create_app

from .conftest import XSS_PAYLOAD, screenshot, serve

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A team-mode server with an admin and a candidate whose name is a payload."""
    folder: Path = tmp_path_factory.mktemp("admin")
    db = open_database(f"sqlite:///{folder / 'admin.db'}", sync_bundled=False)
    accounts = DatabaseAccountStore(db)
    service.add_user(accounts, "root", PASSWORD, utc_now(), role=Role.ADMIN, display_name="Ada")
    service.add_user(accounts, "mallory", PASSWORD, utc_now(), display_name=XSS_PAYLOAD)
    config = load_config({"team": True, "grader": "lexical"}, environ={})
    try:
        with serve(create_app(db, config=config)) as url:
            yield url
    finally:
        db.close()


def _log_in(page: Page, base: str, username: str, password: str, lands_on: str = "/") -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base}{lands_on}")


def _row(page: Page, username: str):
    return page.locator(f"tr[data-username='{username}']")


def test_an_admin_manages_users_through_the_page(
    page: Page, admin_server: str, no_browser_errors: list[str]
) -> None:
    _log_in(page, admin_server, "root", PASSWORD)
    page.get_by_role("link", name="Users").click()
    expect(page.locator("h1")).to_have_text("Users")
    expect(_row(page, "mallory")).to_contain_text("<script>window.__xss")

    page.get_by_label("Username").fill("coach1")
    page.get_by_label("Name (optional)").fill("Chloe Coach")
    page.get_by_label("Role", exact=True).select_option("coach")
    page.get_by_role("button", name="Add the user").click()
    expect(page.get_by_role("status")).to_contain_text("Added Chloe Coach (coach)")
    password = page.locator(".callout .token-value").inner_text()
    expect(_row(page, "coach1").locator(".user-status")).to_have_text("Active")
    screenshot(page, "admin-users", full_page=True)
    assert page.evaluate("typeof window.__xss") == "undefined"

    page.get_by_role("button", name="Disable mallory").click()
    expect(_row(page, "mallory").locator(".user-status")).to_have_text("Disabled")
    page.get_by_role("button", name="Enable mallory").click()
    expect(_row(page, "mallory").locator(".user-status")).to_have_text("Active")
    _row(page, "mallory").get_by_label("Role of mallory", exact=True).select_option("coach")
    page.get_by_role("button", name="Change the role of mallory").click()
    expect(_row(page, "mallory").locator("option[selected]")).to_have_attribute("value", "coach")
    page.get_by_role("button", name="Reset the password of mallory").click()
    expect(page.get_by_role("status")).to_contain_text("New password for")
    assert page.evaluate("typeof window.__xss") == "undefined"

    # The new coach logs in with the one-time password, must choose their own before anything
    # else, and then finds no users page.
    page.context.clear_cookies()
    _log_in(page, admin_server, "coach1", password, lands_on="/account/password")
    expect(page.locator("h1")).to_have_text("Choose your password")
    page.goto(f"{admin_server}/practice")
    expect(page).to_have_url(f"{admin_server}/account/password?next=/practice")
    page.get_by_label("New password").fill("chloe's own password")
    page.get_by_label("The same again").fill("chloe's own passwordd")
    page.get_by_role("button", name="Save my password").click()
    expect(page.get_by_role("alert")).to_contain_text("The two passwords differ")
    screenshot(page, "choose-password", full_page=True)
    page.get_by_label("New password").fill("chloe's own password")
    page.get_by_label("The same again").fill("chloe's own password")
    page.get_by_role("button", name="Save my password").click()
    expect(page).to_have_url(f"{admin_server}/practice")
    page.context.clear_cookies()
    _log_in(page, admin_server, "coach1", "chloe's own password")
    expect(page.get_by_role("link", name="Users")).to_have_count(0)
    response = page.goto(f"{admin_server}/admin/users")
    assert response is not None and response.status == 404
    # Chromium reports the refused password (422) and the 404 on the console; nothing else.
    assert no_browser_errors == [
        "console: Failed to load resource: the server responded with a status of 422 "
        "(Unprocessable Entity)",
        "console: Failed to load resource: the server responded with a status of 404 (Not Found)",
    ]
    no_browser_errors.clear()
