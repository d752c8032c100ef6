"""The interview date: everything in scope covered before it, the weakest more often."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from interview_prep.errors import InvalidInputError
from interview_prep.practice.attempts import LOCAL_USER_ID, QuestionRef
from interview_prep.practice.clock import FixedClock
from interview_prep.practice.mastery import Mastery
from interview_prep.practice.plan import (
    InterviewPlan,
    check_interview_date,
    plan_day,
    weak_spacing,
)
from interview_prep.practice.queue import Candidate, QueueReason
from interview_prep.practice.service import (
    plan_today,
    set_interview_date,
    start_drill,
    todays_queue,
)
from interview_prep.practice.store import InMemoryPracticeStore

from .test_choosing import _answer
from .test_service import RECORDS, SETTINGS

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TODAY = NOW.date()
REFS = [QuestionRef("ml", f"q{n}") for n in range(1, 11)]
CANDIDATES = [Candidate(question=ref, category="F") for ref in REFS]


def weak(value: float) -> Mastery:
    return Mastery(value=value, quality=value, retrievability=None, graded=1)


def test_the_uncovered_are_spread_over_the_days_left() -> None:
    plan = InterviewPlan(TODAY + timedelta(days=4))
    day = plan_day(plan, CANDIDATES, {}, {}, NOW, UTC)
    assert (day.days_left, day.in_scope, day.covered, day.per_day) == (4, 10, 0, 3)
    assert [item.question for item in day.to_cover_today] == REFS[:3]
    assert {item.reason for item in day.items} == {QueueReason.PLAN}

    # Covering three a day, the tenth is met on the eve of the interview.
    last: dict[QuestionRef, datetime] = {}
    for n in range(4):
        now = NOW + timedelta(days=n)
        today = plan_day(plan, CANDIDATES, {}, last, now, UTC)
        last |= {item.question: now for item in today.to_cover_today}
    assert set(last) == set(REFS)
    on_the_day = plan_day(plan, CANDIDATES, {}, last, NOW + timedelta(days=4), UTC)
    assert on_the_day.days_left == 0 and on_the_day.items == ()


def test_the_weakest_come_back_more_often_than_fsrs_would() -> None:
    plan = InterviewPlan(TODAY + timedelta(days=20))
    yesterday, two_days_ago = NOW - timedelta(days=1), NOW - timedelta(days=2)
    last = dict.fromkeys(REFS, two_days_ago) | {REFS[1]: yesterday}
    mastery = {ref: weak(0.9) for ref in REFS} | {
        REFS[0]: weak(0.5),
        REFS[1]: weak(0.1),
        REFS[2]: weak(0.2),
    }
    day = plan_day(plan, CANDIDATES, mastery, last, NOW, UTC)
    # REFS[1] was practised yesterday: with 20 days left, a weak question waits two days.
    assert [item.question for item in day.weak_today] == [REFS[2], REFS[0]]
    assert day.to_cover_today == () and day.left_to_cover == ()
    assert weak_spacing(20) == 2 and weak_spacing(7) == 1
    last_week = plan_day(
        InterviewPlan(TODAY + timedelta(days=5)), CANDIDATES, mastery, last, NOW, UTC
    )
    assert [item.question for item in last_week.weak_today] == [REFS[1], REFS[2], REFS[0]]


def test_the_scope_and_the_date_checks() -> None:
    plan = InterviewPlan(TODAY + timedelta(days=2), bank="other")
    assert plan_day(plan, CANDIDATES, {}, {}, NOW, UTC).in_scope == 0
    assert InterviewPlan.from_dict(plan.to_dict()) == plan
    with pytest.raises(InvalidInputError, match="after today"):
        check_interview_date(TODAY, TODAY)
    with pytest.raises(InvalidInputError, match="within 366 days"):
        check_interview_date(date(2030, 1, 1), TODAY)


def test_the_plan_joins_todays_queue() -> None:
    store = InMemoryPracticeStore()
    clock = FixedClock(NOW)
    # No new question a day, but four to cover in two days: two a day from the plan.
    settings = replace(SETTINGS, new_per_day=0)
    assert todays_queue(store, LOCAL_USER_ID, RECORDS, clock(), settings=settings).items == ()
    with pytest.raises(InvalidInputError):
        set_interview_date(store, LOCAL_USER_ID, InterviewPlan(TODAY), clock())
    set_interview_date(store, LOCAL_USER_ID, InterviewPlan(TODAY + timedelta(days=2)), clock())
    queue = todays_queue(store, LOCAL_USER_ID, RECORDS, clock(), settings=settings)
    assert [(i.question.question_id, i.reason) for i in queue.items] == [
        ("q1", QueueReason.PLAN),
        ("q2", QueueReason.PLAN),
    ]
    _answer(store, start_drill(store, LOCAL_USER_ID, RECORDS[0], clock()), clock, "right")
    day = plan_today(store, LOCAL_USER_ID, RECORDS, clock())
    assert day is not None and (day.covered, len(day.left_to_cover)) == (1, 3)
    set_interview_date(store, LOCAL_USER_ID, None, clock())
    assert plan_today(store, LOCAL_USER_ID, RECORDS, clock()) is None
