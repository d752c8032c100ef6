"""Math in Chromium: KaTeX, served by the app, typesets the delimiters in questions, answers,
key points and feedback, and leaves text without math (prices included) as it was."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, Request, expect

from interview_prep.formats.validation import validate_bank_data
from interview_prep.storage import import_bank, open_database
from interview_prep.web.app import create_app

from .conftest import screenshot, serve

pytestmark = pytest.mark.browser

BANK = "maths"
PRICES = "A GPU hour costs $5 and a TPU hour $10; spot prices run $2-$3."


def maths_bank() -> dict[str, Any]:
    return {
        "id": BANK,
        "title": "Attention, with formulas",
        "questions": [
            {
                "id": "scaled-attention",
                "category": "Transformers",
                "question": r"Why divide the scores by \(\sqrt{d_k}\) in attention?",
                "answer": (
                    r"Attention is $$\mathrm{Attention}(Q, K, V) = "
                    r"\mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right) V.$$"
                    "\n\n"
                    r"With unit-variance components, $q \cdot k$ has variance $d_k$: dividing "
                    r"by \[\sqrt{d_k}\] keeps the logits of order one, so the softmax does not "
                    "saturate."
                ),
                "key_points": [
                    {"text": r"$q \cdot k$ has variance $d_k$ for unit-variance components"},
                    {"text": "Unscaled logits saturate the softmax and its gradients vanish"},
                ],
            },
            {
                "id": "gpu-budget",
                "category": "Infrastructure",
                "question": "How would you budget compute for a training run?",
                "answer": f"Count the GPU hours and price them. {PRICES}",
            },
        ],
    }


@pytest.fixture
def maths_server(tmp_path: Path) -> Iterator[str]:
    """The app over a fresh database that holds the maths bank (and the bundled banks)."""
    database = open_database(f"sqlite:///{tmp_path / 'maths.db'}")
    import_bank(database, validate_bank_data(maths_bank(), source="maths bank"))
    try:
        with serve(create_app(database)) as url:
            yield url
    finally:
        database.close()


def requests_of(page: Page) -> list[str]:
    seen: list[str] = []

    def on_request(request: Request) -> None:
        seen.append(request.url)

    page.on("request", on_request)
    return seen


def test_question_page_typesets_every_delimiter_from_the_app_itself(
    page: Page, maths_server: str
) -> None:
    seen = requests_of(page)
    page.set_viewport_size({"width": 1000, "height": 900})
    page.goto(f"{maths_server}/questions/{BANK}/scaled-attention")
    # \(...\) in the question, $$...$$ and \[...\] (display) and $...$ in the answer and key points.
    expect(page.locator("h1 .katex")).to_have_count(1)
    expect(page.locator(".answer .katex-display")).to_have_count(2)
    expect(page.locator(".answer .katex")).to_have_count(4)
    expect(page.locator(".key-points .katex").first).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("$")
    # The TeX is kept for screen readers and copying, in KaTeX's MathML.
    assert "\\sqrt{d_k}" in (page.locator("h1 annotation").text_content() or "")
    fonts_loaded = page.evaluate(
        "document.fonts.ready.then(() => document.fonts.check('16px KaTeX_Main'))"
    )
    assert fonts_loaded
    assert all(url.startswith(maths_server) for url in seen), seen
    assert any("/static/katex/fonts/" in url for url in seen)
    screenshot(page, "math-question", full_page=True)


def test_text_without_math_is_unchanged_and_loads_no_katex(page: Page, maths_server: str) -> None:
    page.goto(f"{maths_server}/questions/{BANK}/gpu-budget")
    expect(page.locator(".answer")).to_have_text(f"Count the GPU hours and price them. {PRICES}")
    # The pager's link to the other question has math: KaTeX is loaded, and still no price is.
    expect(page.locator(".pager .katex")).to_have_count(1)
    expect(page.locator(".answer .katex")).to_have_count(0)
    seen = requests_of(page)
    page.goto(f"{maths_server}/")
    expect(page.locator("h1")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert not any("katex" in url for url in seen), seen


def test_practice_feedback_and_search_results_typeset_math(page: Page, maths_server: str) -> None:
    page.set_viewport_size({"width": 1200, "height": 900})
    page.goto(f"{maths_server}/questions/{BANK}/scaled-attention")
    page.get_by_role("link", name="Practise this").click()
    expect(page.locator("h1 .katex")).to_have_count(1)
    page.get_by_label("Time, in seconds").fill("")
    page.get_by_role("button", name="Start the drill").click()
    expect(page).to_have_url(re.compile(r"/practice/sessions/[0-9a-f]{32}$"))
    expect(page.locator("h1 .katex")).to_have_count(1)
    page.get_by_label("Your answer").fill(
        r"The dot product $q \cdot k$ has variance $d_k$, so dividing keeps the softmax from "
        "saturating; a run costs $5 and $10."
    )
    page.get_by_role("button", name="Submit answer").click()
    expect(page.locator(".eyebrow")).to_have_text("Feedback")
    expect(page.locator(".model-panel .katex-display")).to_have_count(2)
    expect(page.locator(".kp-list .katex").first).to_be_visible()
    answer = page.locator("[data-your-answer]")
    expect(answer.locator(".katex")).to_have_count(2)
    expect(answer).to_contain_text("a run costs $5 and $10.")
    screenshot(page, "math-feedback", full_page=True)

    # Search results arrive by htmx: they are typeset after the swap.
    page.goto(f"{maths_server}/banks/{BANK}")
    page.locator("#search").fill("variance")
    expect(page.locator("#results .katex").first).to_be_attached()
