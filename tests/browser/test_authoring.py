"""The bank editor in Chromium: build a bank, write a question, undo, export to Anki and back;
and bad input (an invalid field, a duplicate id, a huge upload, a file that is not a bank, two
tabs saving the same question)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import screenshot

pytestmark = pytest.mark.browser

ANSWER = "L2 regularisation adds $\\lambda \\|w\\|^2$ to the loss, which shrinks weights."


def _new_bank(page: Page, bank_id: str, title: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="New bank").click()
    page.get_by_label("Title", exact=True).fill(title)
    page.locator("#bank-id").fill(bank_id)
    page.get_by_role("button", name="Create bank").click()
    expect(page).to_have_url(re.compile(f"/banks/{bank_id}/edit$"))


def _write_question(page: Page, bank_id: str, question_id: str) -> None:
    page.goto(f"/banks/{bank_id}/questions/new")
    page.get_by_label("Id", exact=True).fill(question_id)
    page.get_by_label("Category").fill("Fundamentals")
    page.get_by_label("Question", exact=True).fill("What does L2 regularisation do?")
    page.get_by_label("Model answer").fill(ANSWER)
    page.get_by_role("button", name="Add a key point").click()
    row = page.locator(".kp-row").last
    row.get_by_label("Key point", exact=True).fill(
        "It adds the squared size of the weights to the loss."
    )
    row.get_by_label("Weight", exact=True).fill("2")
    row.get_by_label("Terms").fill("squared, penalty")
    page.get_by_role("button", name="Add a misconception").click()
    item = page.locator(".mc-row").last
    item.get_by_label("Wrong claim", exact=True).fill("L2 sets weights to exactly zero.")
    item.get_by_label("Correction", exact=True).fill("L1 does that; L2 only shrinks them.")
    page.get_by_label("Follow-up questions").fill("How does it differ from L1?")


def test_build_a_bank_undo_an_edit_and_round_trip_through_anki(page: Page, tmp_path: Path) -> None:
    _new_bank(page, "my-notes", "My notes")
    _write_question(page, "my-notes", "l2-regularisation")
    # Checked as the user types, with the bank format's own message.
    page.get_by_label("Tags").fill("Regularisation")
    expect(page.locator(".field-problem").first).to_contain_text(
        "'Regularisation' must be lower-case words joined by hyphens"
    )
    page.get_by_label("Tags").fill("regularisation")
    expect(page.locator("#form-problems")).to_have_text("No problems found.")
    screenshot(page, "authoring-question-form", full_page=True)
    page.get_by_role("button", name="Save question").click()
    expect(page.get_by_role("status").filter(has_text="Saved")).to_contain_text("version 1")

    page.get_by_label("Model answer").fill("A wrong edit.")
    page.get_by_role("button", name="Save question").click()
    expect(page.get_by_role("status").filter(has_text="Saved")).to_contain_text("version 2")
    page.get_by_role("button", name="Undo last change").click()
    expect(page.get_by_role("status").filter(has_text="Undone")).to_be_visible()
    expect(page.get_by_label("Model answer")).to_have_value(ANSWER)
    expect(page.locator(".kp-row").get_by_label("Terms")).to_have_value("squared, penalty")
    page.get_by_role("link", name="History").click()
    expect(page.locator(".attempt-meta")).to_have_count(3)
    screenshot(page, "authoring-history")

    page.goto("/banks/my-notes/edit")
    with page.expect_download() as download:
        page.get_by_role("link", name="Anki deck").click()
    deck = tmp_path / "my-notes.apkg"
    download.value.save_as(deck)

    page.goto("/import")
    page.get_by_label("Bank file").set_input_files(str(deck))
    page.get_by_role("button", name="Preview the import").click()
    # Every field came back: the question equals the stored one.
    expect(page.locator("#import-summary")).to_contain_text(
        "0 added, 0 changed, 1 unchanged, 0 removed"
    )
    screenshot(page, "authoring-import-preview")
    page.get_by_role("button", name="Import").click()
    expect(page).to_have_url(re.compile("/banks/my-notes/edit$"))
    screenshot(page, "authoring-bank-editor", full_page=True)


def test_bad_input_is_refused_clearly_and_loses_nothing(
    page: Page, browser: Browser, base_url: str, no_browser_errors: list[str], tmp_path: Path
) -> None:
    _new_bank(page, "bad-input", "Bad input")
    _write_question(page, "bad-input", "first")
    page.get_by_role("button", name="Save question").click()
    expect(page.get_by_role("status").filter(has_text="Saved")).to_be_visible()

    # A duplicate id: refused, and the typed text is still there.
    _write_question(page, "bad-input", "first")
    page.get_by_role("button", name="Save question").click()
    expect(page.locator("#save-error")).to_contain_text("already has a question with id 'first'")
    expect(page.get_by_label("Model answer")).to_have_value(ANSWER)

    # An invalid field, saved anyway: refused with the schema's message.
    page.get_by_label("Id", exact=True).fill("second")
    page.locator(".kp-row").last.get_by_label("Weight", exact=True).fill("heavy")
    page.get_by_role("button", name="Save question").click()
    expect(page.locator("#save-error")).to_contain_text("'heavy' is not of type 'number'")
    expect(page.locator(".kp-row").last.get_by_label("Weight", exact=True)).to_have_value("heavy")
    screenshot(page, "authoring-invalid-field")

    # Two tabs save the same question: the second is told it changed underneath it.
    other = browser.new_page(base_url=base_url)
    page.goto("/banks/bad-input/questions/first/edit")
    other.goto("/banks/bad-input/questions/first/edit")
    page.get_by_label("Model answer").fill("Saved in the first tab.")
    page.get_by_role("button", name="Save question").click()
    expect(page.get_by_role("status").filter(has_text="Saved")).to_be_visible()
    other.get_by_label("Model answer").fill("Saved in the second tab.")
    other.get_by_role("button", name="Save question").click()
    expect(other.locator("#save-error")).to_contain_text("changed in another window or tab")
    expect(other.get_by_label("Model answer")).to_have_value("Saved in the second tab.")
    screenshot(other, "authoring-edit-conflict")
    other.close()

    # A file that is not a bank, and one over the size limit.
    page.goto("/import")
    page.get_by_label("Bank file").set_input_files(
        files=[{"name": "notes.json", "mimeType": "application/json", "buffer": b'["a list"]'}]
    )
    page.get_by_role("button", name="Preview the import").click()
    expect(page.locator("#import-error")).to_contain_text("not a question bank")
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as file:
        file.truncate(60 << 20)  # 60 MB
    page.get_by_label("Bank file").set_input_files(str(huge))
    page.get_by_role("button", name="Preview the import").click()
    expect(page.locator("#import-error")).to_contain_text("over the 50 MB limit")
    screenshot(page, "authoring-upload-too-large")
    # Each refusal is answered with its 4xx status, which Chromium reports on the console.
    assert no_browser_errors and all(
        re.fullmatch(r"console: Failed to load resource: .* status of 4\d\d .*", error)
        for error in no_browser_errors
    ), no_browser_errors
    no_browser_errors.clear()


def test_a_bundled_bank_is_read_only_and_copies_in_one_click(page: Page) -> None:
    page.goto("/banks/ml-engineer/edit")
    expect(page.locator("#read-only-note")).to_contain_text("read-only")
    page.get_by_role("button", name="Copy to my own bank").click()
    expect(page).to_have_url(re.compile("/banks/ml-engineer-copy(-\\d+)?/edit$"))
    expect(page.get_by_role("link", name="Add a question")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("(my copy)")
