"""How the pages look and behave beyond the happy path: dark mode, phones, contrast, print."""

from __future__ import annotations

from typing import Literal

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import BANK, screenshot

pytestmark = pytest.mark.browser

BANK_PAGE = f"/banks/{BANK}"
PAGES = [
    "/",
    BANK_PAGE,
    f"{BANK_PAGE}?q=gradient",
    "/questions/ml-engineer/overfitting",
    "/banks/xss-probe",
    "/questions/xss-probe/payload",
    "/docs",
]

# WCAG 2 contrast of every element's text colour against the background it sits on (the first
# ancestor with an opaque background), for the kinds of text the pages use.
CONTRAST_SCRIPT = """
(selectors) => {
  const parse = (c) => c.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const c = parse(getComputedStyle(node).backgroundColor);
      if (c.length < 4 || c[3] === 1) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const results = [];
  for (const selector of selectors) {
    for (const el of document.querySelectorAll(selector)) {
      if (!el.getClientRects().length) continue;
      const fg = parse(getComputedStyle(el).color).slice(0, 3);
      const [a, b] = [lum(fg), lum(background(el))].sort((x, y) => y - x);
      results.push([selector, (a + 0.05) / (b + 0.05)]);
    }
  }
  return results;
}
"""
TEXT_SELECTORS = [
    "body",
    "h1",
    ".lede",
    ".meta",
    ".breadcrumbs a",
    ".site-nav a",
    ".field label",
    "select",
    "input",
    ".status",
    ".clear-link",
    ".chip",
    ".chip-count",
    ".chip-easy",
    ".chip-medium",
    ".chip-hard",
    ".count",
    ".button-quiet",
    ".question-text",
    ".answer p",
    ".tag",
    ".question-links a",
    ".snippet",
    ".snippet mark",
    "mark.erratum",
    ".erratum-ref",
    ".erratum-note",
    ".callout-erratum h2",
    ".errata-list",
    ".misconceptions .claim",
    ".verdict-wrong",
    ".verdict-right",
    ".pager-label",
    ".pager-title",
    ".site-footer",
    "kbd",
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_contrast_is_at_least_4_5_to_1(page: Page, scheme: Literal["light", "dark"]) -> None:
    page.emulate_media(color_scheme=scheme)
    checked = set()
    for path in [
        f"{BANK_PAGE}?q=gradient",
        BANK_PAGE,
        "/questions/ml-engineer/bias-variance-tradeoff",
    ]:
        page.goto(path)
        page.locator("details.question").evaluate_all("els => els.forEach(d => d.open = true)")
        ratios = page.evaluate(CONTRAST_SCRIPT, TEXT_SELECTORS)
        low = [(selector, round(ratio, 2)) for selector, ratio in ratios if ratio < 4.5]
        assert low == [], (scheme, path)
        checked.update(selector for selector, _ in ratios)
    assert len(checked) >= len(TEXT_SELECTORS) - 2, set(TEXT_SELECTORS) - checked


def test_dark_mode_follows_the_system_setting(page: Page) -> None:
    page.emulate_media(color_scheme="light")
    page.goto(BANK_PAGE)
    background = "getComputedStyle(document.body).backgroundColor"
    assert page.evaluate(background) == "rgb(255, 255, 255)"
    page.emulate_media(color_scheme="dark")
    assert page.evaluate(background) == "rgb(15, 20, 25)"
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(230, 237, 243)"
    page.locator("details.question summary").nth(1).click()
    page.wait_for_timeout(200)
    screenshot(page, "bank-page-dark")


@pytest.mark.parametrize("path", PAGES)
def test_phone_width_has_no_horizontal_scroll(browser: Browser, base_url: str, path: str) -> None:
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": 375, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    try:
        page = context.new_page()
        page.goto(path)
        page.locator("details.question").evaluate_all("els => els.forEach(d => d.open = true)")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width}px wide"
        if path == BANK_PAGE:
            page.locator("details.question").evaluate_all(
                "els => els.forEach((d, i) => d.open = i === 1)"
            )
            screenshot(page, "bank-page-phone")
    finally:
        context.close()


def test_print_shows_every_answer_and_no_controls(page: Page) -> None:
    page.goto(BANK_PAGE)
    page.emulate_media(media="print")
    answers = page.locator("details.question .answer")
    assert answers.count() > 10
    for index in (0, answers.count() // 2, answers.count() - 1):
        expect(answers.nth(index)).to_be_visible()
    expect(page.locator("form.toolbar")).to_be_hidden()
    expect(page.locator(".bulk-actions")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    page.pdf(path=str(screenshot(page, "bank-print-preview").with_suffix(".pdf")))


def test_focus_is_visible_on_links_and_controls(page: Page) -> None:
    page.goto(BANK_PAGE)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
