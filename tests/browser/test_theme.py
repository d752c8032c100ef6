"""The colour theme in Chromium: the system's by default, or light or dark as chosen, remembered
by the browser, in place from the first frame."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import BANK, screenshot

pytestmark = pytest.mark.browser

PAGE = f"/questions/{BANK}/overfitting"
LIGHT, DARK = "rgb(255, 255, 255)", "rgb(15, 20, 25)"
BACKGROUND = "getComputedStyle(document.body).backgroundColor"
# The body's background in the first animation frame that has a body: before any deferred
# script has run, so a theme applied late would show here as the other colour.
FIRST_FRAME = """
window.__firstBackground = null;
requestAnimationFrame(function frame() {
  if (!document.body) return requestAnimationFrame(frame);
  window.__firstBackground = getComputedStyle(document.body).backgroundColor;
});
"""


def first_background(page: Page) -> str:
    page.wait_for_function("window.__firstBackground !== null")
    return str(page.evaluate("window.__firstBackground"))


def test_the_theme_follows_the_system_until_one_is_chosen(browser: Browser, base_url: str) -> None:
    context = browser.new_context(base_url=base_url, color_scheme="light")
    context.add_init_script(FIRST_FRAME)
    page = context.new_page()
    page.goto(PAGE)
    choice = page.get_by_label("Colour theme")
    expect(choice).to_have_value("system")
    assert page.evaluate(BACKGROUND) == LIGHT
    page.emulate_media(color_scheme="dark")
    assert page.evaluate(BACKGROUND) == DARK

    # Light on a dark system, kept across pages and reloads, from the first frame.
    choice.select_option("light")
    assert page.evaluate(BACKGROUND) == LIGHT
    page.goto(f"/banks/{BANK}")
    assert first_background(page) == LIGHT
    expect(page.get_by_label("Colour theme")).to_have_value("light")
    screenshot(page, "theme-light-on-dark-system")

    # Dark on a light system.
    page.emulate_media(color_scheme="light")
    page.get_by_label("Colour theme").select_option("dark")
    assert page.evaluate(BACKGROUND) == DARK
    page.reload()
    assert first_background(page) == DARK
    assert page.evaluate("localStorage.getItem('theme')") == "dark"
    page.goto(PAGE)
    assert first_background(page) == DARK
    screenshot(page, "theme-dark-on-light-system", full_page=True)

    # Another tab of the same browser follows a change.
    other = context.new_page()
    other.goto("/")
    assert other.evaluate(BACKGROUND) == DARK
    page.get_by_label("Colour theme").select_option("system")
    expect(other.locator("html")).to_have_attribute("data-theme", "system")
    assert other.evaluate(BACKGROUND) == LIGHT

    # Back to the system's: nothing is stored, and the system decides again.
    assert page.evaluate("localStorage.getItem('theme')") is None
    page.emulate_media(color_scheme="dark")
    assert page.evaluate(BACKGROUND) == DARK
    context.close()


def test_print_is_light_whatever_the_theme(page: Page) -> None:
    page.goto(PAGE)
    page.get_by_label("Colour theme").select_option("dark")
    assert page.evaluate(BACKGROUND) == DARK
    page.emulate_media(media="print")
    assert page.evaluate(BACKGROUND) == LIGHT
    expect(page.locator(".theme-choice")).to_be_hidden()
