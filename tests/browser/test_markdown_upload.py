"""Uploading a Markdown bank in Chromium: a hand-written sheet is previewed, imported and shown
as text (its HTML never runs); its export uploads again as unchanged; a malformed sheet is
refused with the line it is on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Dialog, Page, expect

from .conftest import screenshot

pytestmark = pytest.mark.browser

SHEET = """\
# Markdown upload notes

## Basics

### What does <img src=x onerror=alert(1)> dropout do?
*easy* · `regularisation`

It zeroes random activations during training, so that units cannot co-adapt.

**Key points**

- It drops activations at random during training
- At test time every unit is kept, with activations scaled to match

**Common misconceptions**

- ✗ Dropout is applied at inference too
  ✓ It is switched off at inference

**Follow-ups**

- How does it interact with batch normalisation?
"""


def test_a_markdown_sheet_uploads_previews_imports_and_round_trips(
    page: Page, tmp_path: Path
) -> None:
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    sheet = tmp_path / "notes.md"
    sheet.write_text(SHEET, encoding="utf-8")
    page.goto("/import")
    expect(page.get_by_label("Bank file")).to_have_attribute("accept", re.compile(r"\.md\b"))
    page.get_by_label("Bank file").set_input_files(str(sheet))
    page.get_by_role("button", name="Preview the import").click()
    expect(page.locator("#import-summary")).to_contain_text(
        "A new bank markdown-upload-notes with 1 question(s)"
    )
    # The question's markup is shown as the text it is.
    expect(page.get_by_role("cell", name=re.compile("<img src=x onerror=alert"))).to_be_visible()
    screenshot(page, "markdown-import-preview")
    page.get_by_role("button", name="Import").click()
    expect(page).to_have_url(re.compile("/banks/markdown-upload-notes/edit$"))

    with page.expect_download() as download:
        page.get_by_role("link", name="Markdown", exact=True).click()
    exported = tmp_path / "exported.md"
    download.value.save_as(exported)
    assert "- ✗ Dropout is applied at inference too" in exported.read_text(encoding="utf-8")
    page.goto("/import")
    page.get_by_label("Bank file").set_input_files(str(exported))
    page.get_by_role("button", name="Preview the import").click()
    expect(page.locator("#import-summary")).to_contain_text(
        "0 added, 0 changed, 1 unchanged, 0 removed"
    )
    assert dialogs == []


def test_a_malformed_markdown_sheet_is_refused_with_its_line(
    page: Page, no_browser_errors: list[str]
) -> None:
    broken = SHEET.replace("  ✓ It is switched off at inference\n", "")
    page.goto("/import")
    page.get_by_label("Bank file").set_input_files(
        files=[{"name": "broken.md", "mimeType": "text/markdown", "buffer": broken.encode()}]
    )
    page.get_by_role("button", name="Preview the import").click()
    expect(page.locator("#import-error")).to_contain_text(
        "broken.md: line 17: a misconception is written"
    )
    screenshot(page, "markdown-import-error")
    # The refusal is answered with its 4xx status, which Chromium reports on the console.
    assert no_browser_errors and all(
        re.fullmatch(r"console: Failed to load resource: .* status of 422 .*", error)
        for error in no_browser_errors
    ), no_browser_errors
    no_browser_errors.clear()
