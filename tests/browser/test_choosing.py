"""Practice on one's own terms, in Chromium: "Practise this" from a question and from the bank
page, into a drill or into the session under way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import screenshot
from .test_practice import practice_server, start_session  # noqa: F401  # the fixture: its own server

pytestmark = pytest.mark.browser

ANSWER = (
    "Overfitting is when a model learns the noise of its training data, so it scores well on "
    "training data and badly on new data. Prevent it with more data, regularisation such as L1, "
    "L2 or dropout, early stopping, and cross-validation to see it happen."
)


def test_practise_this_from_a_question_then_from_a_bank_row(
    page: Page,
    practice_server: str,  # noqa: F811
) -> None:
    page.set_viewport_size({"width": 1100, "height": 850})
    page.goto(f"{practice_server}/questions/ml-engineer/overfitting")
    page.get_by_role("link", name="Practise this").click()
    expect(page.locator("h1")).to_have_text("What is overfitting, and how can you prevent it?")
    expect(page.locator("main")).to_contain_text("You have no unfinished session")
    screenshot(page, "practise-this", full_page=True)
    page.get_by_label("Time, in seconds").fill("")
    page.get_by_role("button", name="Start the drill").click()
    expect(page).to_have_url(re.compile(r"/practice/sessions/[0-9a-f]{32}$"))
    session_url = page.url
    expect(page.locator(".session-progress")).to_contain_text("Question 1 of 1")

    # From the bank page, another question joins the drill under way.
    page.goto(f"{practice_server}/banks/ml-engineer")
    row = page.locator("details.question", has_text="Explain the bias-variance tradeoff.")
    row.locator("summary").click()
    row.get_by_role("link", name="Practise this").click()
    expect(page.locator("main")).to_contain_text("0 of 1 question answered")
    page.get_by_role("button", name="Add to the session").click()
    expect(page).to_have_url(session_url)
    expect(page.locator(".session-progress")).to_contain_text("Question 1 of 2")

    page.get_by_label("Your answer").fill(ANSWER)
    page.get_by_role("button", name="Submit answer").click()
    expect(page.locator(".eyebrow")).to_have_text("Feedback")
    expect(page.locator("[data-score]")).to_have_text(re.compile(r"^\d\.\d$"))
    page.locator(".rating-button.is-suggested").click()
    expect(page.locator("h1")).to_have_text("Explain the bias-variance tradeoff.")


def test_skip_one_question_and_retry_another_at_once(
    page: Page,
    practice_server: str,  # noqa: F811
) -> None:
    page.set_viewport_size({"width": 1100, "height": 850})
    start_session(page, practice_server, count=2, time_limit=None, mode="drill")
    page.get_by_role("button", name="Skip this question").click()
    expect(page.locator(".session-progress")).to_contain_text("Question 2 of 2")
    page.get_by_label("Your answer").fill("It is when a model does something.")
    page.get_by_role("button", name="Submit answer").click()
    expect(page.locator(".eyebrow")).to_have_text("Feedback")
    first_score = page.locator("[data-score]").inner_text()
    screenshot(page, "practice-retry", full_page=True)
    page.get_by_role("button", name="Retry now").click()
    expect(page.locator(".session-progress")).to_contain_text("Question 3 of 3")
    page.get_by_label("Your answer").fill(ANSWER)
    page.get_by_role("button", name="Submit answer").click()
    page.locator(".rating-button.is-suggested").click()

    rows = page.locator(".summary-table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0).locator("td").nth(2)).to_have_text("skipped")
    expect(rows.nth(1).locator("td").nth(2)).to_have_text(first_score)
    expect(rows.nth(1)).to_contain_text("retried")
    expect(rows.nth(2).locator("td").nth(2)).to_have_text(re.compile(r"^\d\.\d$"))
    screenshot(page, "practice-summary-skip-retry", full_page=True)


def test_replay_a_session_after_answering_a_question_twice(
    page: Page,
    practice_server: str,  # noqa: F811
) -> None:
    page.set_viewport_size({"width": 1100, "height": 850})
    for answer in ('<img src=x onerror="window.__xss = 1"> Overfitting is bad.', ANSWER):
        page.goto(f"{practice_server}/practice/questions/ml-engineer/overfitting")
        page.get_by_label("Time, in seconds").fill("")
        page.get_by_role("button", name="Start the drill").click()
        page.get_by_label("Your answer").fill(answer)
        page.get_by_role("button", name="Submit answer").click()
        page.locator(".rating-button.is-suggested").click()
    page.get_by_role("link", name="Replay this session").click()
    expect(page.locator("h1")).to_have_text("Replay")
    change = page.locator("[data-replay-change]")
    expect(change).to_contain_text("Since your previous attempt")
    expect(change.locator("[data-score-change]")).to_have_text(re.compile(r"^[+-]\d\.\d$"))
    screenshot(page, "practice-replay", full_page=True)
    page.go_back()
    page.goto(f"{practice_server}/history")
    assert page.evaluate("typeof window.__xss") == "undefined"
