"""Inline SVG charts: well-formed, accessible, escaped, and with the numbers they claim."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from interview_prep.practice.charts import (
    activity_heatmap,
    due_bars,
    heat_level,
    mastery_bars,
    score_line,
)
from interview_prep.practice.progress import CategoryMastery, DayCount, DayScore

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & co'


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # raises on anything not well-formed
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}desc").get("id") == desc_id
    assert "<script" not in svg and "http" not in svg.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    return root


def tooltips(root: ET.Element) -> list[str]:
    top = root.find(f"{SVG}title")
    return [el.text for el in root.iter(f"{SVG}title") if el is not top]


def test_mastery_bars_escape_category_names():
    items = [CategoryMastery(HOSTILE, 0.5, 2, 4), CategoryMastery("Debugging", 1.0, 1, 3)]
    svg = mastery_bars(items, chart_id='m"1')
    root = parse(svg)
    assert "&lt;script&gt;" in svg
    assert tooltips(root) == [
        f"{HOSTILE}: 50% mastery, 2 of 4 questions seen",
        "Debugging: 100% mastery, 1 of 3 questions seen",
    ]
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "chart-bar"]
    assert [float(b.get("width")) for b in bars] == [130.0, 260.0]
    assert root.get("aria-labelledby") == "m-1-title m-1-desc"


def test_score_line_has_axes_and_a_point_per_day():
    points = [
        DayScore(date(2026, 3, 1), 2.0, 1),
        DayScore(date(2026, 3, 2), 3.5, 2),
        DayScore(date(2026, 3, 5), 5.0, 1),
    ]
    root = parse(score_line(points))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts[:6] == ["0", "1", "2", "3", "4", "5"]
    assert {"2026-03-01", "2026-03-05"} <= set(texts)
    assert len(list(root.iter(f"{SVG}circle"))) == 3
    assert root.find(f"{SVG}polyline") is not None
    assert tooltips(root)[1] == "Mon 2 Mar 2026: mean score 3.5 over 2 answers"
    single = parse(score_line(points[:1]))
    assert single.find(f"{SVG}polyline") is None


def test_heatmap_is_a_week_per_column_with_a_tooltip_per_day():
    start = date(2026, 2, 2)  # a Monday
    days = [DayCount(start + timedelta(days=n), n % 5) for n in range(24)]
    root = parse(activity_heatmap(days))
    cells = list(root.iter(f"{SVG}rect"))
    assert len(cells) == 24
    xs = sorted({float(c.get("x")) for c in cells})
    assert len(xs) == 4  # four weeks (the last one partial)
    assert {c.get("class") for c in cells} == {"heat-0", "heat-1", "heat-2", "heat-3", "heat-4"}
    assert cells[1].find(f"{SVG}title").text == "1 answer on Tue 3 Feb 2026"
    assert cells[0].get("y") == "16" and cells[6].get("y") == str(16 + 6 * 13)


@pytest.mark.parametrize(
    ("count", "busiest", "level"), [(0, 5, 0), (1, 8, 1), (4, 8, 2), (7, 8, 4), (3, 0, 0)]
)
def test_heat_levels(count, busiest, level):
    assert heat_level(count, busiest) == level


def test_due_bars_label_each_day():
    days = [DayCount(date(2026, 3, 4) + timedelta(days=n), c) for n, c in enumerate([3, 0, 1])]
    root = parse(due_bars(days))
    assert tooltips(root) == [
        "3 reviews due Wed 4 Mar 2026",
        "0 reviews due Thu 5 Mar 2026",
        "1 review due Fri 6 Mar 2026",
    ]
    assert "4 reviews due" in root.find(f"{SVG}desc").text
    # Dated like the table under the chart: the weekday, then the day and month.
    labels = [text.text for text in root.iter(f"{SVG}text")]
    assert labels == ["3", "Wed", "4 Mar", "0", "Thu", "5 Mar", "1", "Fri", "6 Mar"]


def test_heatmap_leaves_room_for_a_month_that_starts_in_its_last_week():
    days = [DayCount(date(2026, 11, 30) - timedelta(days=n), 0) for n in range(20, -3, -1)]
    assert days[-1].day == date(2026, 12, 2)
    root = parse(activity_heatmap(days))
    december = next(text for text in root.iter(f"{SVG}text") if text.text == "Dec")
    cells = list(root.iter(f"{SVG}rect"))
    assert float(december.get("x")) == max(float(cell.get("x")) for cell in cells)
    assert float(root.get("width")) >= float(december.get("x")) + 26


@pytest.mark.parametrize("chart", [mastery_bars, score_line, activity_heatmap, due_bars])
def test_empty_charts_say_so(chart):
    root = parse(chart([]))
    assert root.find(f"{SVG}text").text.endswith(".")


def test_colours_follow_the_page():
    svg = mastery_bars([CategoryMastery("x", 0.3, 1, 1)])
    assert "currentColor" in svg and "#" not in svg.replace("&#", "")
