"""Server-rendered inline SVG charts for the progress page: no JavaScript, no CDN.

Each chart is one ``<svg role="img">`` named by its ``<title>`` and described by its ``<desc>``
(``aria-labelledby`` points at both), with a ``<title>`` tooltip on every bar, point and cell.
Colours come from ``currentColor`` and CSS classes (``chart-bar``, ``heat-0`` … ``heat-4``), so
the page's stylesheet, dark mode included, decides them; opacity attributes keep the charts
readable without any stylesheet. Every piece of text is HTML-escaped: category names are user
data. The page shows the same numbers in a table next to each chart.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date, timedelta
from html import escape

from .progress import MAX_SCORE, CategoryMastery, DayCount, DayScore

_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
FONT = 'font-family="system-ui, sans-serif" font-size="11"'


def _number(value: float) -> str:
    """Coordinates with at most one decimal: short, stable output."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _frame(
    kind: str, chart_id: str, width: float, height: float, title: str, desc: str, body: str
) -> str:
    safe_id = _ID_UNSAFE.sub("-", chart_id) or "chart"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" '
        f'viewBox="0 0 {_number(width)} {_number(height)}" '
        f'width="{_number(width)}" height="{_number(height)}" role="img" '
        f'aria-labelledby="{safe_id}-title {safe_id}-desc">'
        f'<title id="{safe_id}-title">{escape(title)}</title>'
        f'<desc id="{safe_id}-desc">{escape(desc)}</desc>'
        f"{body}</svg>"
    )


def _empty(kind: str, chart_id: str, title: str, message: str) -> str:
    body = (
        f'<text class="chart-empty" x="8" y="24" {FONT} fill="currentColor">'
        f"{escape(message)}</text>"
    )
    return _frame(kind, chart_id, 320, 40, title, message, body)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def short_date(day: date) -> str:
    """A date within the coming weeks, as the due chart and its table label it: "2 Dec"."""
    return f"{day.day} {day:%b}"


def mastery_bars(
    items: Sequence[CategoryMastery],
    *,
    chart_id: str = "mastery",
    title: str = "Mastery by category",
) -> str:
    """Horizontal bars: each category's mastery (0-100 %), with how many questions were seen."""
    if not items:
        return _empty("bars", chart_id, title, "No categories yet.")
    label_w, bar_w, value_w, row_h = 170, 260, 110, 26
    width, height = label_w + bar_w + value_w, row_h * len(items) + 8
    rows = []
    for n, item in enumerate(items):
        y = 4 + n * row_h
        percent = round(item.mastery * 100)
        tip = f"{item.category}: {percent}% mastery, {item.seen} of {item.total} questions seen"
        rows.append(
            f'<g class="chart-row"><title>{escape(tip)}</title>'
            f'<text x="0" y="{y + 17}" {FONT} fill="currentColor">'
            f"{escape(_clip(item.category, 26))}</text>"
            f'<rect class="chart-track" x="{label_w}" y="{y + 5}" width="{bar_w}" height="14" '
            f'rx="2" fill="currentColor" fill-opacity="0.1"/>'
            f'<rect class="chart-bar" x="{label_w}" y="{y + 5}" '
            f'width="{_number(bar_w * item.mastery)}" height="14" rx="2" '
            f'fill="currentColor" fill-opacity="0.75"/>'
            f'<text x="{label_w + bar_w + 8}" y="{y + 17}" {FONT} fill="currentColor">'
            f"{percent}% · {item.seen}/{item.total}</text></g>"
        )
    desc = "; ".join(
        f"{item.category} {round(item.mastery * 100)}% ({item.seen} of {item.total} seen)"
        for item in items
    )
    return _frame("bars", chart_id, width, height, title, desc, "".join(rows))


def score_line(
    points: Sequence[DayScore],
    *,
    chart_id: str = "trend",
    title: str = "Score trend",
) -> str:
    """A line of daily mean scores (0-5) with a y axis of scores and dated x labels."""
    if not points:
        return _empty("line", chart_id, title, "No graded answers yet.")
    left, right, top, bottom = 32, 16, 12, 28
    plot_w, plot_h = 480, 160
    width, height = left + plot_w + right, top + plot_h + bottom
    first, last = points[0].day, points[-1].day
    span = max((last - first).days, 1)

    def x(day: date) -> float:
        if first == last:
            return left + plot_w / 2
        return left + plot_w * (day - first).days / span

    def y(score: float) -> float:
        return top + plot_h * (1 - score / MAX_SCORE)

    parts = ['<g class="chart-axis">']
    for tick in range(int(MAX_SCORE) + 1):
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{_number(y(tick))}" '
            f'y2="{_number(y(tick))}" stroke="currentColor" stroke-opacity="0.15"/>'
            f'<text x="{left - 6}" y="{_number(y(tick) + 4)}" text-anchor="end" {FONT} '
            f'fill="currentColor">{tick}</text>'
        )
    labelled = [first] if first == last else [first, first + (last - first) / 2, last]
    for day in labelled:
        parts.append(
            f'<text x="{_number(x(day))}" y="{top + plot_h + 18}" text-anchor="middle" {FONT} '
            f'fill="currentColor">{day.isoformat()}</text>'
        )
    parts.append("</g>")
    coordinates = " ".join(f"{_number(x(p.day))},{_number(y(p.mean_score))}" for p in points)
    if len(points) > 1:
        parts.append(
            f'<polyline class="chart-line" points="{coordinates}" fill="none" '
            f'stroke="currentColor" stroke-width="2"/>'
        )
    for point in points:
        tip = f"{_day(point.day)}: mean score {point.mean_score:.1f} over {point.attempts} answer"
        tip += "" if point.attempts == 1 else "s"
        parts.append(
            f'<circle class="chart-point" cx="{_number(x(point.day))}" '
            f'cy="{_number(y(point.mean_score))}" r="3.5" fill="currentColor">'
            f"<title>{escape(tip)}</title></circle>"
        )
    desc = (
        f"Daily mean score out of 5 from {first.isoformat()} to {last.isoformat()}: "
        f"latest {points[-1].mean_score:.1f}."
    )
    return _frame("line", chart_id, width, height, title, desc, "".join(parts))


def heat_level(count: int, busiest: int) -> int:
    """0 for no activity, else 1-4 by share of the busiest day."""
    if count <= 0 or busiest <= 0:
        return 0
    return max(1, min(4, math.ceil(4 * count / busiest)))


MONTH_LABEL_WIDTH = 26
"""Room for a month's name ("May", "Dec") at font-size 11, a little wider than it is."""

_OPACITY = {0: "0.08", 1: "0.3", 2: "0.5", 3: "0.7", 4: "0.9"}


def activity_heatmap(
    days: Sequence[DayCount],
    *,
    chart_id: str = "activity",
    title: str = "Activity",
) -> str:
    """A GitHub-style calendar: one column per week (Monday at the top), one cell per day."""
    if not days:
        return _empty("heatmap", chart_id, title, "No activity yet.")
    cell, gap, left, top = 11, 2, 28, 16
    step = cell + gap
    start = days[0].day - timedelta(days=days[0].day.weekday())
    weeks = (days[-1].day - start).days // 7 + 1
    height = top + 7 * step
    width = left + weeks * step
    busiest = max(day.count for day in days)
    parts = []
    for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri")):
        parts.append(
            f'<text class="chart-label" x="0" y="{top + row * step + cell - 1}" {FONT} '
            f'fill="currentColor">{name}</text>'
        )
    month_seen: set[tuple[int, int]] = set()
    for day in days:
        column = (day.day - start).days // 7
        key = (day.day.year, day.day.month)
        if key not in month_seen and day.day.day <= 7:
            month_seen.add(key)
            # A month that starts in the last week would have its name cut off at the edge.
            width = max(width, left + column * step + MONTH_LABEL_WIDTH)
            parts.append(
                f'<text class="chart-label" x="{left + column * step}" y="11" {FONT} '
                f'fill="currentColor">{day.day:%b}</text>'
            )
        level = heat_level(day.count, busiest)
        noun = "answer" if day.count == 1 else "answers"
        parts.append(
            f'<rect class="heat-{level}" x="{left + column * step}" '
            f'y="{top + day.day.weekday() * step}" width="{cell}" height="{cell}" rx="2" '
            f'fill="currentColor" fill-opacity="{_OPACITY[level]}">'
            f"<title>{day.count} {noun} on {_day(day.day)}</title></rect>"
        )
    active = sum(1 for day in days if day.count)
    total = sum(day.count for day in days)
    desc = (
        f"{total} answers on {active} of {len(days)} days from {days[0].day.isoformat()} "
        f"to {days[-1].day.isoformat()}."
    )
    return _frame("heatmap", chart_id, width, height, title, desc, "".join(parts))


def due_bars(
    days: Sequence[DayCount],
    *,
    chart_id: str = "due",
    title: str = "Reviews due, next 14 days",
) -> str:
    """Small vertical bars: how many reviews fall due each day (overdue ones count today)."""
    if not days:
        return _empty("due", chart_id, title, "Nothing scheduled.")
    # The margins leave room for the first and last dates, a little wider than their bars.
    bar, gap, margin, top, bottom, plot_h = 34, 10, 6, 16, 32, 60
    width, height = len(days) * (bar + gap) - gap + 2 * margin, top + plot_h + bottom
    busiest = max(max(day.count for day in days), 1)
    parts = []
    for n, day in enumerate(days):
        x = margin + n * (bar + gap)
        h = plot_h * day.count / busiest
        middle = _number(x + bar / 2)
        noun = "review" if day.count == 1 else "reviews"
        parts.append(
            f'<g class="chart-day"><title>{day.count} {noun} due {_day(day.day)}</title>'
            f'<rect class="chart-bar" x="{x}" y="{_number(top + plot_h - h)}" width="{bar}" '
            f'height="{_number(h)}" fill="currentColor" fill-opacity="0.75"/>'
            f'<text x="{middle}" y="{_number(top + plot_h - h - 3)}" text-anchor="middle" {FONT} '
            f'fill="currentColor">{day.count}</text>'
            f'<text x="{middle}" y="{top + plot_h + 13}" text-anchor="middle" {FONT} '
            f'fill="currentColor">{day.day:%a}</text>'
            f'<text x="{middle}" y="{top + plot_h + 27}" text-anchor="middle" {FONT} '
            f'fill="currentColor">{short_date(day.day)}</text></g>'
        )
    total = sum(day.count for day in days)
    desc = f"{total} reviews due from {days[0].day.isoformat()} to {days[-1].day.isoformat()}: " + (
        ", ".join(f"{day.day.isoformat()} {day.count}" for day in days if day.count) or "none"
    )
    return _frame("due", chart_id, width, height, title, desc, "".join(parts))
