"""Delivery trends: points read from stored reports, and their charts with the coaching band."""

from __future__ import annotations

from datetime import UTC, datetime

from bs4 import BeautifulSoup

from interview_prep.speech.trends import (
    DeliveryPoint,
    delivery_points,
    fillers_chart,
    pace_chart,
)

EARLY = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
LATE = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def report(pace: float, fillers: float, pauses: int = 0) -> dict[str, object]:
    return {
        "metrics": [
            {"name": "pace", "value": pace},
            {"name": "fillers", "value": fillers},
            {"name": "long pauses", "value": float(pauses)},
        ]
    }


def test_points_come_oldest_first_and_skip_reports_without_a_pace() -> None:
    points = delivery_points(
        [(LATE, report(150, 1.0)), (EARLY, report(190, 4.5, 2)), (LATE, {"metrics": []})]
    )
    assert points == [DeliveryPoint(EARLY, 190, 4.5, 2), DeliveryPoint(LATE, 150, 1.0, 0)]


def test_the_charts_show_each_answer_and_the_recommended_band() -> None:
    points = delivery_points([(EARLY, report(190, 4.5)), (LATE, report(150, 1.0))])
    pace = BeautifulSoup(pace_chart(points), "html.parser")
    assert pace.svg["role"] == "img"
    assert [c.title.get_text() for c in pace.select("circle")] == [
        "2026-12-01 09:00: 190.0 words per minute",
        "2026-12-02 09:00: 150.0 words per minute",
    ]
    assert pace.select_one("rect title").get_text() == "Recommended: 110 to 180 words per minute"
    assert "latest 150.0" in pace.desc.get_text()
    fillers = BeautifulSoup(fillers_chart(points), "html.parser")
    assert fillers.select_one("rect title").get_text().endswith("0 to 3 fillers per minute")
    assert fillers.select_one("polyline") is not None
