"""A question page in Chromium: the rubric, errata marked in the answer, moving on."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from interview_prep.storage import Database, repository

from .conftest import BANK, screenshot

pytestmark = pytest.mark.browser


def question_with_errata(live_db: Database) -> str:
    records = repository.list_questions(live_db, bank=BANK)
    return next(record.question.id for record in records if len(record.question.errata) >= 2)


def test_question_page_marks_errata_and_shows_the_rubric(page: Page, live_db: Database) -> None:
    question_id = question_with_errata(live_db)
    question = repository.get_question(live_db, question_id, bank=BANK).question
    page.goto(f"/questions/{BANK}/{question_id}")
    expect(page.locator("h1")).to_have_text(question.question)
    marks = page.locator(".answer mark.erratum")
    expect(marks.first).to_be_visible()
    errata = page.locator("#errata li")
    expect(errata).to_have_count(len(question.errata))
    expect(errata.first).to_contain_text("The model answer says")
    expect(errata.first).to_contain_text("correct is:")
    expect(page.locator(".key-points li")).to_have_count(len(question.key_points))
    expect(page.locator(".misconceptions li")).to_have_count(len(question.misconceptions))
    marks.first.locator("a").click()
    expect(page).to_have_url(re.compile(r"#erratum-1$"))
    expect(page.locator("#erratum-1")).to_be_in_viewport()
    screenshot(page, "question-page", full_page=True)


def test_related_and_neighbour_links_lead_to_questions(page: Page, live_db: Database) -> None:
    page.goto(f"/questions/{BANK}/overfitting")
    related = page.locator("section[aria-labelledby=related-title] a").first
    title = related.inner_text()
    related.click()
    expect(page.locator("h1")).to_have_text(title)
    page.goto(f"/questions/{BANK}/overfitting")
    following = page.locator("a[rel=next] .pager-title").inner_text()
    page.locator("h1").click()
    page.keyboard.press("j")
    expect(page.locator("h1")).to_have_text(following)
    page.keyboard.press("k")
    expect(page).to_have_url(re.compile(r"/questions/ml-engineer/overfitting$"))


def test_quick_fire_question_shows_its_expected_answer(page: Page, live_db: Database) -> None:
    records = repository.list_questions(live_db, bank=BANK, category="Quick-fire")
    record = next(r for r in records if r.question.expected is not None)
    assert record.question.expected is not None
    page.goto(f"/questions/{BANK}/{record.question.id}")
    expect(page.locator(".expected-answer")).to_have_text(record.question.expected.display())
