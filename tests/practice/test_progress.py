"""Dashboard numbers: mastery, trend, activity calendar, streaks and the due forecast."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from interview_prep.practice.attempts import Attempt, QuestionRef
from interview_prep.practice.mastery import retrievability
from interview_prep.practice.progress import (
    DayCount,
    activity,
    calendar_start,
    category_mastery,
    compute_progress,
    due_forecast,
    score_trend,
    streaks,
)
from interview_prep.practice.scheduling import make_scheduler, schedule

NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)  # a Wednesday


def attempt(name, category, score, at, n=[0]):  # noqa: B006 - a counter for unique ids
    n[0] += 1
    return Attempt(
        id=f"a{n[0]}",
        user_id="local",
        question=QuestionRef("ml", name),
        category=category,
        answer="...",
        submitted_at=at,
        grade=None if score is None else {"score": score},
    )


def test_mastery_weighs_the_whole_history_of_each_question():
    attempts = [
        attempt("q1", "Fundamentals", 1.0, NOW - timedelta(days=3)),
        attempt("q1", "Fundamentals", 5.0, NOW - timedelta(days=1)),
        attempt("q2", "Fundamentals", 2.5, NOW - timedelta(days=2)),
        attempt("q3", "Debugging", None, NOW),
        attempt("old", "Retired", 4.0, NOW),
    ]
    result = category_mastery(attempts, {"Fundamentals": 10, "Debugging": 4})
    # q1: 1.0 then 5.0, weighted 0.6 and 1, is 3.5 of 5; q2 is 2.5 of 5: the mean is 0.6
    # (the latest score alone would have said 0.75).
    assert [(m.category, pytest.approx(m.mastery), m.seen, m.total) for m in result] == [
        ("Fundamentals", 0.6, 2, 10),
        ("Debugging", 0.0, 0, 4),
        ("Retired", 0.8, 1, 1),
    ]
    assert result[0].coverage == 0.2


def test_score_trend_is_the_daily_mean_in_local_days():
    attempts = [
        attempt("q1", "F", 2.0, datetime(2026, 3, 1, 23, 30, tzinfo=UTC)),
        attempt("q2", "F", 4.0, datetime(2026, 3, 2, 8, 0, tzinfo=UTC)),
        attempt("q3", "F", None, datetime(2026, 3, 2, 9, 0, tzinfo=UTC)),
    ]
    assert [(d.day.isoformat(), d.mean_score, d.attempts) for d in score_trend(attempts)] == [
        ("2026-03-01", 2.0, 1),
        ("2026-03-02", 4.0, 1),
    ]
    plus_one = timezone(timedelta(hours=1))  # 23:30 UTC is 00:30 the next day
    assert [(d.day.isoformat(), d.mean_score) for d in score_trend(attempts, plus_one)] == [
        ("2026-03-02", 3.0)
    ]


def test_activity_covers_whole_weeks_up_to_today():
    today = NOW.date()
    days = activity([attempt("q", "F", 3, NOW), attempt("r", "F", None, NOW)], [], today, weeks=2)
    assert calendar_start(today, 2) == date(2026, 2, 23)  # the Monday a week before
    assert days[0].day == date(2026, 2, 23) and days[-1] == DayCount(today, 2)
    assert len(days) == 7 + 3
    assert sum(d.count for d in days) == 2


def test_streaks():
    today = date(2026, 3, 4)
    days = [date(2026, 2, 20), date(2026, 2, 21), date(2026, 2, 22), date(2026, 3, 3)]
    assert streaks(days, today).to_dict() == {"current": 1, "longest": 3}  # today still open
    assert streaks([*days, today], today).current == 2
    assert streaks(days[:3], today).current == 0
    assert streaks([], today).to_dict() == {"current": 0, "longest": 0}


def test_due_forecast_counts_overdue_today():
    scheduler = make_scheduler(fuzz=False)
    states = []
    for n, start in enumerate([NOW - timedelta(days=20), NOW - timedelta(days=6), NOW]):
        state, _ = schedule(
            None, "easy", start, question=QuestionRef("ml", f"q{n}"), scheduler=scheduler
        )
        states.append(state)  # due 8 days after start
    forecast = due_forecast(states, NOW)
    assert len(forecast) == 14 and forecast[0].day == NOW.date()
    assert {d.day.isoformat(): d.count for d in forecast if d.count} == {
        "2026-03-04": 1,
        "2026-03-06": 1,
        "2026-03-12": 1,
    }


def test_compute_progress_gathers_everything():
    scheduler = make_scheduler(fuzz=False)
    a = attempt("q1", "Fundamentals", 4.0, NOW - timedelta(days=1))
    state, entry = schedule(
        None, "good", a.created_at, question=a.question, scheduler=scheduler, attempt_id=a.id
    )
    progress = compute_progress([a], [entry], {a.question: state}, {"Fundamentals": 2}, NOW)
    data = progress.to_dict()
    # The score, 4 of 5, times the chance of recalling it a day after the review.
    recall = retrievability(state, NOW)
    assert recall is not None and 0.9 < recall < 1.0
    assert data["mastery"] == [
        {"category": "Fundamentals", "mastery": pytest.approx(0.8 * recall), "seen": 1, "total": 2}
    ]
    assert data["streak"] == {"current": 1, "longest": 1}
    assert sum(day["count"] for day in data["activity"]) == 1  # the answer, not also its rating
    assert data["due"][0]["count"] == 1 and data["attempts"] == 1 and data["reviews"] == 1
    assert len(data["activity"]) == 25 * 7 + 3
