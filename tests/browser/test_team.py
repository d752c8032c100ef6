"""Team mode in Chromium: logging in through the form, and payloads in user-written fields
(a display name, an answer) that never execute, checked with a page-level flag."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Dialog, Page, expect

from interview_prep.accounts import service
from interview_prep.accounts.users import Role
from interview_prep.formats.validation import validate_bank_data
from interview_prep.practice.clock import utc_now
from interview_prep.settings import load_config
from interview_prep.storage import open_database, repository
from interview_prep.storage.accounts import DatabaseAccountStore
from interview_prep.web.app import create_app

from .conftest import XSS_PAYLOAD, screenshot, serve, xss_bank_data

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def team_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A team-mode app under uvicorn, with a candidate whose name is a payload."""
    folder: Path = tmp_path_factory.mktemp("team")
    db = open_database(f"sqlite:///{folder / 'team.db'}", sync_bundled=False)
    repository.import_bank(db, validate_bank_data(xss_bank_data(), source="xss probe"))
    accounts = DatabaseAccountStore(db)
    service.add_user(
        accounts, "mallory", PASSWORD, utc_now(), role=Role.COACH, display_name=XSS_PAYLOAD
    )
    config = load_config({"team": True, "grader": "lexical"}, environ={})
    try:
        with serve(create_app(db, config=config)) as url:
            yield url
    finally:
        db.close()


def test_log_in_practise_and_nothing_written_by_users_runs(
    page: Page, team_server: str, no_browser_errors: list[str]
) -> None:
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(f"{team_server}/practice")
    expect(page).to_have_url(f"{team_server}/login?next=/practice")
    page.get_by_label("Username").fill("mallory")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("Wrong username or password")
    # The refused login is answered 401, which Chromium reports on the console.
    assert no_browser_errors == [
        "console: Failed to load resource: the server responded with a status of 401 (Unauthorized)"
    ]
    no_browser_errors.clear()
    screenshot(page, "team-login")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{team_server}/practice")

    page.get_by_label("Number of questions").fill("1")
    page.get_by_role("button", name="Start").click()
    page.locator("textarea[name=answer]").fill(f"My answer {XSS_PAYLOAD}")
    page.get_by_role("button", name="Submit").first.click()
    expect(page.locator("main")).to_contain_text("My answer <script>")

    for path in ("/account", "/history", "/questions/xss-probe/payload", "/progress"):
        page.goto(f"{team_server}{path}")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("typeof window.__xss") == "undefined", path
    page.goto(f"{team_server}/account")
    expect(page.locator(".account-facts")).to_contain_text("<script>window.__xss")
    screenshot(page, "team-account")
    assert dialogs == []

    # A cohort named with a payload: its dashboard shows the name as text.
    page.get_by_role("link", name="Your cohorts").click()
    page.get_by_label("Name").fill(f"Cohort {XSS_PAYLOAD}")
    page.get_by_role("button", name="Make the cohort").click()
    expect(page.locator("h1")).to_contain_text("Cohort <script>")
    page.get_by_role("button", name="Make an invitation link").click()
    expect(page.locator(".token-value")).to_contain_text("/join/")
    assert page.evaluate("typeof window.__xss") == "undefined"
    screenshot(page, "team-cohort", full_page=True)
    page.goto(f"{team_server}/account")

    page.get_by_role("button", name="Log out everywhere").click()
    expect(page).to_have_url(f"{team_server}/login")
    page.goto(f"{team_server}/history")
    expect(page).to_have_url(f"{team_server}/login?next=/history")
