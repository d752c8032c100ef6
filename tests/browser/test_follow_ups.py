"""Follow-ups in Chromium: one question followed from its page through a drill with a follow-up,
and a mock interview whose interviewer follows up each answer, through to the summary."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import screenshot
from .test_practice import practice_server, start_session  # noqa: F401  # the fixture: its own server

pytestmark = pytest.mark.browser

# What overfitting is, how to see it, why it happens; nothing on preventing it.
PARTIAL = (
    "Overfitting is when the model fits the noise in the training set, so training error is low "
    "while validation error is much higher. You see it on learning curves when the gap between "
    "training and validation loss widens. It happens when model capacity is too high for the "
    "amount of data."
)
DROPOUT = (
    "During training dropout zeroes each unit at random with probability p, so the network "
    "cannot rely on any one unit and learns redundant features, like an ensemble of thinned "
    "networks. At inference dropout is off and every unit is used, with activations scaled so "
    "the expected values match. <b>bold?</b>"
)


def test_one_question_from_its_page_through_a_drill_with_a_follow_up(
    page: Page,
    practice_server: str,  # noqa: F811
) -> None:
    page.set_viewport_size({"width": 1200, "height": 900})
    page.goto(f"{practice_server}/questions/ml-engineer/overfitting")
    page.get_by_role("link", name="Practise this").click()
    page.get_by_role("button", name="Start the drill").click()
    expect(page).to_have_url(re.compile(r"/practice/sessions/[0-9a-f]{32}$"))
    page.get_by_label("Your answer").fill(PARTIAL)
    page.get_by_role("button", name="Submit answer").click()
    expect(page.locator(".eyebrow").first).to_have_text("Feedback")

    page.get_by_role("button", name="Answer a follow-up").click()
    expect(page.locator("[data-follow-up-label]")).to_have_text("The interviewer follows up")
    # What the answer left out (preventing overfitting) chose the dropout follow-up.
    expect(page.locator("h1")).to_have_text(
        "How does dropout regularise a network, and what changes at inference time?"
    )
    expect(page.locator(".follow-up-context")).to_contain_text("What is overfitting")
    expect(page.locator(".session-progress")).to_contain_text("Question 1 of 1: follow-up")
    screenshot(page, "follow-up-drill-question")
    page.get_by_label("Your answer").fill(DROPOUT)
    page.get_by_role("button", name="Submit answer").click()

    follow_up = page.locator("[data-follow-up]")
    expect(page).to_have_url(re.compile(r"#follow-up$"))
    expect(follow_up.locator("h2").first).to_have_text(
        "How does dropout regularise a network, and what changes at inference time?"
    )
    expect(follow_up.locator("[data-score]")).to_have_text(re.compile(r"^\d\.\d$"))
    expect(follow_up.locator("[data-follow-up-because]")).to_contain_text("Asked because")
    # HTML in the answer is shown as text, never made into elements.
    expect(follow_up.locator("[data-your-answer]")).to_contain_text("<b>bold?</b>")
    expect(follow_up.locator("[data-your-answer] b")).to_have_count(0)
    expect(follow_up.locator(".kp-group-covered .kp-list li").first).to_be_visible()
    expect(page.get_by_role("button", name="Answer a follow-up")).to_have_count(0)
    screenshot(page, "follow-up-drill-feedback", full_page=True)
    page.locator(".rating-button.is-suggested").click()
    expect(page.locator("h1")).to_have_text("Session summary")
    expect(page.locator("[data-follow-up-row]")).to_contain_text("How does dropout regularise")

    # Back on the question's page, the follow-up's answer is under the attempt it followed.
    page.goto(f"{practice_server}/questions/ml-engineer/overfitting#attempts")
    attempt = page.locator(".attempt-list > .attempt").first
    attempt.locator("summary").click()
    answered = attempt.locator("[data-attempt-follow-up]")
    expect(answered).to_contain_text("Follow-up: How does dropout regularise a network")
    expect(answered.locator(".attempt-answer")).to_contain_text("<b>bold?</b>")
    screenshot(page, "follow-up-on-question-page")


def test_an_interview_follows_up_each_answer_and_the_summary_lists_them(
    page: Page,
    practice_server: str,  # noqa: F811
) -> None:
    page.set_viewport_size({"width": 1200, "height": 900})
    start_session(page, practice_server, count=2, time_limit=300, mode="interview")
    first = page.locator("h1").inner_text()
    page.get_by_label("Your answer").fill("A short answer that says little: " + first)
    page.get_by_role("button", name="Submit answer").click()
    # The next screen is the interviewer's follow-up, on its own clock, no feedback yet.
    expect(page.locator("[data-follow-up-label]")).to_have_text("The interviewer follows up")
    expect(page.locator(".follow-up-context")).to_contain_text(first)
    expect(page.locator("[data-countdown]")).to_be_visible()
    expect(page.locator(".score-panel")).to_have_count(0)
    asked = page.locator("h1").inner_text()
    screenshot(page, "follow-up-interview-question")
    page.get_by_label("Your answer").fill("I would say it depends on the data.")
    page.get_by_role("button", name="Submit answer").click()
    expect(page.locator("[data-follow-up-label]")).to_have_count(0)  # the next question
    page.get_by_label("Your answer").fill("Another short answer.")
    page.get_by_role("button", name="Submit answer").click()
    expect(page.locator("[data-follow-up-label]")).to_be_visible()
    page.get_by_role("button", name="Skip this follow-up").click()

    # The end: each question's feedback with its follow-up under it, then the summary.
    expect(page.locator("[data-follow-up] h2").first).to_have_text(asked)
    page.locator(".rating-button.is-suggested").click()
    expect(page.locator("[data-follow-up]")).to_contain_text("Skipped")
    page.locator(".rating-button.is-suggested").click()
    expect(page.locator("h1")).to_have_text("Session summary")
    rows = page.locator("[data-follow-up-row]")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(asked)
    expect(rows.first.locator("td").nth(2)).to_have_text(re.compile(r"^\d\.\d$"))
    expect(rows.nth(1).locator("td").nth(2)).to_have_text("skipped")
    expect(page.locator(".lede")).to_contain_text("Interview of 2 questions")
    screenshot(page, "follow-up-interview-summary", full_page=True)
    rows.first.get_by_role("link", name="Feedback").click()
    expect(page).to_have_url(re.compile(r"/questions/1#follow-up$"))
    page.goto(page.url.split("/questions/")[0] + "/replay")
    expect(page.locator(".replay-follow-up")).to_have_count(2)
    screenshot(page, "follow-up-interview-replay", full_page=True)
