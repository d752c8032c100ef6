"""Delivery over time, for the progress page: pace and fillers a minute of each spoken answer.

Pure (standard library only). Each chart is one inline ``<svg role="img">`` with a ``<title>``
and ``<desc>``, the coaches' range shaded behind the line, and a tooltip on every point, drawn
the way :mod:`interview_prep.practice.charts` draws the score trend; the page shows the same
numbers in a table beside it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any

from .delivery import FILLERS, PACE, CoachingRange

FONT = 'font-family="system-ui, sans-serif" font-size="11"'


@dataclass(frozen=True)
class DeliveryPoint:
    """One graded spoken answer: when it was recorded, its pace and its fillers a minute."""

    when: datetime
    pace: float
    fillers_per_minute: float
    long_pauses: int


def delivery_points(deliveries: Iterable[tuple[datetime, dict[str, Any]]]) -> list[DeliveryPoint]:
    """Points from stored delivery reports (``DeliveryReport.to_dict()``), oldest first;
    reports without a pace (none measured) are left out."""
    points = []
    for when, report in deliveries:
        values = {m.get("name"): m.get("value") for m in report.get("metrics", ())}
        if not isinstance(values.get("pace"), int | float):
            continue
        points.append(
            DeliveryPoint(
                when=when,
                pace=float(values["pace"]),
                fillers_per_minute=float(values.get("fillers") or 0.0),
                long_pauses=int(values.get("long pauses") or 0),
            )
        )
    return sorted(points, key=lambda point: point.when)


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def trend_chart(
    values: Sequence[tuple[datetime, float]],
    band: CoachingRange,
    *,
    chart_id: str,
    title: str,
    unit: str,
) -> str:
    """A line of ``values`` over the answers, with ``band`` (the recommended range) shaded."""
    left, right, top, bottom = 36, 12, 10, 22
    plot_w, plot_h = 420, 120
    width, height = left + plot_w + right, top + plot_h + bottom
    top_value = max([band.high * 1.25, *(value for _when, value in values), 1.0])

    def x(index: int) -> float:
        return left + (plot_w / 2 if len(values) == 1 else plot_w * index / (len(values) - 1))

    def y(value: float) -> float:
        return top + plot_h * (1 - value / top_value)

    parts = [
        f'<rect class="trend-band" x="{left}" width="{plot_w}" y="{_n(y(band.high))}" '
        f'height="{_n(y(band.low) - y(band.high))}" fill="currentColor" fill-opacity="0.12">'
        f"<title>{escape(f'Recommended: {band.low:g} to {band.high:g} {unit}')}</title></rect>",
    ]
    for tick in sorted({0.0, band.low, band.high}):
        parts.append(
            f'<text x="{left - 6}" y="{_n(y(tick) + 4)}" text-anchor="end" {FONT} '
            f'fill="currentColor">{tick:g}</text>'
        )
    coordinates = " ".join(f"{_n(x(i))},{_n(y(value))}" for i, (_when, value) in enumerate(values))
    if len(values) > 1:
        parts.append(
            f'<polyline class="trend-line" points="{coordinates}" fill="none" '
            f'stroke="currentColor" stroke-width="2"/>'
        )
    for index, (when, value) in enumerate(values):
        tip = f"{when:%Y-%m-%d %H:%M}: {value:.1f} {unit}"
        parts.append(
            f'<circle cx="{_n(x(index))}" cy="{_n(y(value))}" r="3.5" fill="currentColor">'
            f"<title>{escape(tip)}</title></circle>"
        )
    if values:
        latest = values[-1][1]
        desc = f"{len(values)} spoken answers; latest {latest:.1f} {unit}, recommended "
        desc += f"{band.low:g} to {band.high:g}."
    else:
        desc = "No spoken answers graded yet."
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="trend-chart" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>{"".join(parts)}</svg>'
    )


def pace_chart(points: Sequence[DeliveryPoint]) -> str:
    return trend_chart(
        [(p.when, p.pace) for p in points],
        PACE,
        chart_id="pace-trend",
        title="Pace of your spoken answers",
        unit="words per minute",
    )


def fillers_chart(points: Sequence[DeliveryPoint]) -> str:
    return trend_chart(
        [(p.when, p.fillers_per_minute) for p in points],
        FILLERS,
        chart_id="fillers-trend",
        title="Filler words per minute in your spoken answers",
        unit="fillers per minute",
    )
