"""Studying a bank in Chromium: questions opening, bulk controls, live search, filters, keys."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from interview_prep.storage import Database, repository

from .conftest import BANK, screenshot

pytestmark = pytest.mark.browser

BANK_PAGE = f"/banks/{BANK}"


def summaries(page: Page) -> list[str]:
    return page.locator("#results details.question > summary").all_inner_texts()


def test_a_question_opens_and_closes(page: Page, live_db: Database) -> None:
    page.goto(BANK_PAGE)
    expect(page.locator("h1")).to_have_text("Machine Learning Engineer Interview Questions")
    expect(page.locator(".brand")).to_contain_text("Interview Prep")
    details = page.locator("details.question").first
    summary = details.locator("summary")
    answer = details.locator(".answer")
    expect(answer).to_be_hidden()
    expect(summary).to_have_attribute("aria-expanded", "false")
    summary.click()
    expect(details).to_have_attribute("open", "")
    expect(answer).to_be_visible()
    expect(summary).to_have_attribute("aria-expanded", "true")
    first = repository.list_questions(live_db, bank=BANK, limit=1)[0].question
    expect(answer).to_contain_text(first.answer.split(".")[0])
    page.wait_for_timeout(200)  # let the marker finish turning
    screenshot(page, "bank-question-open")
    summary.click()
    expect(answer).to_be_hidden()
    expect(summary).to_have_attribute("aria-expanded", "false")


def test_expand_all_and_collapse_all(page: Page, live_db: Database) -> None:
    total = repository.count_questions(live_db, bank=BANK)
    page.goto(BANK_PAGE)
    page.get_by_role("button", name="Expand all").click()
    expect(page.locator("details.question[open]")).to_have_count(total)
    expect(page.locator("summary[aria-expanded=true]")).to_have_count(total)
    expect(page.locator("details.question .answer").last).to_be_visible()
    page.get_by_role("button", name="Collapse all").click()
    expect(page.locator("details.question[open]")).to_have_count(0)


def test_questions_are_grouped_by_category_with_counts(page: Page, live_db: Database) -> None:
    summary = next(bank for bank in repository.list_banks(live_db) if bank.id == BANK)
    page.goto(BANK_PAGE)
    headings = page.locator("#results h2.group-title").all_inner_texts()
    assert [" ".join(h.split()) for h in headings] == [
        f"{name} {count}" for name, count in summary.categories.items()
    ]
    # The README's picture: the top of the page with the second question (it has errata) open.
    page.set_viewport_size({"width": 1280, "height": 1500})
    page.locator("#results details.question > summary").nth(1).click()
    page.wait_for_timeout(250)
    screenshot(page, "bank-page")


def test_live_search_highlights_matches_and_updates_the_url(page: Page, live_db: Database) -> None:
    page.goto(BANK_PAGE)
    search = page.get_by_label("Search", exact=True)
    search.press_sequentially("vanishing grad", delay=30)
    expect(page).to_have_url(re.compile(r"\?q=vanishing\+grad$"))
    expected = repository.search(live_db, "vanishing grad", bank=BANK, limit=100)
    assert expected
    hits = page.locator("#results ol.hits details.question")
    expect(hits).to_have_count(len(expected))
    expect(hits.first.locator(".snippet mark").first).to_be_visible()
    assert hits.first.get_attribute("data-question") == expected[0].record.question.id
    expect(page.locator("#status")).to_contain_text("“vanishing grad”")
    screenshot(page, "bank-search")


def test_search_without_results_says_so(page: Page) -> None:
    page.goto(BANK_PAGE)
    page.get_by_label("Search", exact=True).fill("xylophone")
    expect(page.locator("#status")).to_have_text(re.compile(r"No questions match “xylophone”\."))
    expect(page.locator("#results .empty")).to_be_visible()
    expect(page.locator("#results details.question")).to_have_count(0)
    screenshot(page, "bank-search-empty")
    page.get_by_label("Search", exact=True).fill("")
    expect(page.locator("#results details.question").first).to_be_visible()
    expect(page).to_have_url(re.compile(rf"{BANK_PAGE}$"))


def test_filters_that_match_nothing_say_so_and_clear_in_one_click(
    page: Page, live_db: Database
) -> None:
    records = repository.list_questions(live_db, bank=BANK)
    category = next(
        c
        for c in sorted({r.question.category for r in records})
        if not any(
            r.question.category == c and r.question.difficulty.value == "hard" for r in records
        )
    )
    page.goto(BANK_PAGE)
    # One filter at a time, each swap finished before the next: a request cut short by the
    # next one (or by leaving the page) is logged by htmx as an error.
    page.get_by_label("Category").select_option(category)
    expect(page).to_have_url(re.compile(r"\?category=[^&]+$"))
    page.wait_for_load_state("networkidle")
    page.get_by_label("Difficulty").select_option("hard")
    empty = page.locator("#results .empty")
    expect(page).to_have_url(re.compile(r"&difficulty=hard$"))
    page.wait_for_load_state("networkidle")
    expect(empty).to_have_text(
        re.compile(
            r"Nothing found\.\s+No question matches all of these filters\.\s+Clear the filters"
        )
    )
    screenshot(page, "bank-filters-empty")
    empty.get_by_role("link", name="Clear the filters").click()
    expect(page).to_have_url(re.compile(rf"{BANK_PAGE}$"))
    expect(page.locator("#results details.question")).to_have_count(len(records))


def test_filters_combine_stay_in_the_url_and_survive_a_reload(
    page: Page, live_db: Database
) -> None:
    page.goto(BANK_PAGE)
    page.get_by_label("Category").select_option("Quick-fire")
    expect(page).to_have_url(re.compile(r"\?category=Quick-fire$"))
    page.get_by_label("Difficulty").select_option("easy")
    expect(page).to_have_url(re.compile(r"\?category=Quick-fire&difficulty=easy$"))
    expected = [
        record.question.id
        for record in repository.list_questions(
            live_db, bank=BANK, category="Quick-fire", difficulty="easy"
        )
    ]
    assert expected
    questions = page.locator("#results details.question")
    expect(questions).to_have_count(len(expected))
    assert [q.get_attribute("data-question") for q in questions.all()] == expected

    page.reload()
    expect(questions).to_have_count(len(expected))
    expect(page.get_by_label("Category")).to_have_value("Quick-fire")
    expect(page.get_by_label("Difficulty")).to_have_value("easy")
    expect(page.locator("#status")).to_contain_text(f"Showing {len(expected)} of")
    screenshot(page, "bank-filtered")


def test_filters_and_search_together(page: Page, live_db: Database) -> None:
    page.goto(f"{BANK_PAGE}?difficulty=hard")
    page.get_by_label("Search", exact=True).fill("gradient")
    expect(page).to_have_url(re.compile(r"\?q=gradient&difficulty=hard$"))
    expected = repository.search(live_db, "gradient", bank=BANK, difficulty="hard", limit=100)
    expect(page.locator("#results details.question")).to_have_count(len(expected))


def test_keyboard_navigation(page: Page) -> None:
    page.goto(BANK_PAGE)
    page.locator("h1").click()
    page.keyboard.press("/")
    expect(page.get_by_label("Search", exact=True)).to_be_focused()
    page.keyboard.press("Escape")
    first = page.locator("#results details.question").nth(0)
    second = page.locator("#results details.question").nth(1)
    expect(first.locator("summary")).to_be_focused()
    page.keyboard.press("j")
    expect(second.locator("summary")).to_be_focused()
    page.keyboard.press("o")
    expect(second).to_have_attribute("open", "")
    page.keyboard.press("Enter")
    expect(second).not_to_have_attribute("open", "")
    page.keyboard.press("k")
    expect(first.locator("summary")).to_be_focused()
    page.keyboard.press("Enter")
    expect(first).to_have_attribute("open", "")
    page.wait_for_timeout(200)
    outline = first.locator("summary").evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline == "solid"
    screenshot(page, "bank-keyboard")


def test_keys_while_typing_go_to_the_search_box(page: Page) -> None:
    page.goto(BANK_PAGE)
    page.keyboard.press("/")
    page.keyboard.type("jok")
    expect(page.get_by_label("Search", exact=True)).to_have_value("jok")
    expect(page.locator("details.question[open]")).to_have_count(0)


def test_anchor_link_opens_its_question(page: Page) -> None:
    page.goto(f"{BANK_PAGE}#q-overfitting")
    target = page.locator("#q-overfitting")
    expect(target).to_have_attribute("open", "")
    expect(target.locator(".answer")).to_be_in_viewport()
    permalink = target.locator("a.permalink")
    expect(permalink).to_have_attribute("href", "#q-overfitting")


def test_page_works_without_javascript(browser: object, base_url: str) -> None:
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    context = browser.new_context(java_script_enabled=False, base_url=base_url)
    try:
        page = context.new_page()
        page.goto(BANK_PAGE)
        details = page.locator("details.question").first
        details.locator("summary").click()
        expect(details.locator(".answer")).to_be_visible()
        page.get_by_label("Difficulty").select_option("hard")
        page.get_by_role("button", name="Apply").click()
        expect(page).to_have_url(re.compile(r"\?difficulty=hard$"))
        expect(page.get_by_label("Difficulty")).to_have_value("hard")
    finally:
        context.close()


def test_back_from_a_question_returns_to_the_filtered_view(page: Page) -> None:
    page.goto(BANK_PAGE)
    page.get_by_label("Difficulty").select_option("hard")
    expect(page).to_have_url(re.compile(r"\?difficulty=hard$"))
    first = page.locator("#results details.question").first
    first.locator("summary").click()
    first.get_by_role("link", name=re.compile("Key points")).click()
    expect(page).to_have_url(re.compile(r"/questions/ml-engineer/"))
    page.go_back()
    expect(page).to_have_url(re.compile(r"\?difficulty=hard$"))
    expect(page.get_by_label("Difficulty")).to_have_value("hard")
    for question in page.locator("#results details.question").all():
        expect(question.locator(".chip-hard")).to_have_count(1)
