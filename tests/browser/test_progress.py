"""The progress page in Chromium: every chart label inside its chart, dates on the due chart."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from interview_prep.practice.clock import FixedClock
from interview_prep.storage import open_database
from interview_prep.web.app import create_app

from .conftest import screenshot, serve

pytestmark = pytest.mark.browser

# December starts in the calendar's last week: its "Dec" label sits at the right edge.
TODAY = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)

# Each chart label's box, and how far it sticks out of its chart's box (0 when it fits).
OVERFLOW_SCRIPT = """
() => Array.from(document.querySelectorAll("svg.chart")).flatMap((svg) => {
  const frame = svg.getBoundingClientRect();
  return Array.from(svg.querySelectorAll("text")).map((text) => {
    const box = text.getBoundingClientRect();
    const out = Math.max(frame.left - box.left, box.right - frame.right,
                         frame.top - box.top, box.bottom - frame.bottom, 0);
    return [svg.closest("section").id, text.textContent, out];
  });
})
"""


@pytest.fixture
def progress_server(tmp_path: Path) -> Iterator[str]:
    """The app over a fresh database with the bundled banks, its clock pinned to TODAY."""
    database = open_database(f"sqlite:///{tmp_path / 'progress.db'}")
    try:
        with serve(create_app(database, clock=FixedClock(TODAY))) as url:
            yield url
    finally:
        database.close()


def test_charts_keep_their_labels_and_the_due_chart_shows_dates(
    page: Page, progress_server: str
) -> None:
    page.set_viewport_size({"width": 1200, "height": 900})
    # One rated answer, so that a review falls due.
    page.goto(f"{progress_server}/questions/ml-engineer/overfitting")
    page.get_by_role("link", name="Practise this").click()
    page.get_by_label("Time, in seconds").fill("")
    page.get_by_role("button", name="Start the drill").click()
    expect(page).to_have_url(re.compile(r"/practice/sessions/[0-9a-f]{32}$"))
    page.get_by_label("Your answer").fill(
        "Overfitting is learning the noise of the training data: regularise, stop early."
    )
    page.get_by_role("button", name="Submit answer").click()
    page.get_by_role("button", name=re.compile("^Good")).click()

    page.goto(f"{progress_server}/progress")
    labels = page.evaluate(OVERFLOW_SCRIPT)
    assert ["activity", "Dec", 0] in labels
    assert [label for label in labels if label[2] > 0] == []

    due = page.locator("#due svg.chart")
    chart_dates = [
        " ".join(day.locator("text").all_text_contents()[1:])
        for day in due.locator(".chart-day").all()
    ]
    table_dates = page.locator(".due-table tr").first.locator("td").all_inner_texts()
    assert chart_dates[0] == "Wed 2 Dec" and chart_dates[-1] == "Tue 15 Dec"
    assert chart_dates == table_dates
    assert sum(int(n) for n in page.locator(".due-table tr").nth(1).locator("td").all_inner_texts())
    screenshot(page, "progress-dashboard", full_page=True)
