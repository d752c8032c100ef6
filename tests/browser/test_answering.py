"""Answering in Chromium: the time shown never passes the limit, and an empty answer is
confirmed first and then explained once."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Dialog, Page, expect

from .conftest import screenshot
from .test_practice import practice_server  # noqa: F401  # the fixture: its own server

pytestmark = pytest.mark.browser


def drill(page: Page, server: str, time_limit: str = "") -> None:
    page.goto(f"{server}/questions/ml-engineer/overfitting")
    page.get_by_role("link", name="Practise this").click()
    page.get_by_label("Time, in seconds").fill(time_limit)
    page.get_by_role("button", name="Start the drill").click()
    expect(page).to_have_url(re.compile(r"/practice/sessions/[0-9a-f]{32}$"))


def test_the_timer_submits_at_the_limit_and_says_so(
    page: Page,
    practice_server: str,  # noqa: F811
) -> None:
    drill(page, practice_server, "2")
    page.get_by_label("Your answer").press_sequentially("Overfitting is memorising noise")
    expect(page.locator(".eyebrow")).to_have_text("Feedback", timeout=8000)
    expect(page.locator(".feedback-head .meta")).to_contain_text("Answered in 0:02 of 0:02")
    expect(page.locator(".badge-late")).to_have_text("Time ran out")


def test_an_empty_answer_is_confirmed_then_explained_once(
    page: Page,
    practice_server: str,  # noqa: F811
) -> None:
    asked: list[str] = []
    decisions = iter([False, True])

    def on_dialog(dialog: Dialog) -> None:
        asked.append(dialog.message)
        if next(decisions):
            dialog.accept()
        else:
            dialog.dismiss()

    page.on("dialog", on_dialog)
    drill(page, practice_server)
    page.get_by_label("Your answer").fill("   ")
    # Declined: nothing is sent, the page stays as it was.
    page.get_by_role("button", name="Submit answer").click()
    assert asked == ["Submit an empty answer?"]
    expect(page.get_by_label("Your answer")).to_be_visible()
    expect(page.locator(".eyebrow")).to_have_count(0)
    # Accepted: graded as empty, and told so once.
    page.get_by_role("button", name="Submit answer").click()
    expect(page.locator(".eyebrow")).to_have_text("Feedback")
    assert asked == ["Submit an empty answer?"] * 2
    expect(page.locator("[data-score]")).to_have_text("0.0")
    messages = page.locator(".notices .notice, .feedback-summary, .empty-answer")
    screenshot(page, "practice-empty-answer", full_page=True)
    expect(messages).to_have_count(1)


def test_skipping_an_empty_answer_asks_nothing(
    page: Page,
    practice_server: str,  # noqa: F811
) -> None:
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    drill(page, practice_server)
    page.get_by_role("button", name="Skip this question").click()
    expect(page).to_have_url(re.compile(r"/summary$"))
    assert asked == []
