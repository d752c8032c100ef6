"""An interview date: every question in scope practised at least once before it, the weakest
more often.

FSRS alone schedules for the long run and knows no deadline: a new question may wait weeks for
its turn, and a question answered badly once comes back on its own slow clock. With a date set,
each day's queue also takes

* **to cover**: the in-scope questions never answered, spread evenly over the days left (today
  up to the day before the interview), in bank order, so that the last one is met by the eve of
  the interview whatever the daily allowance of new questions;
* **weakest**: the answered ones whose mastery (:mod:`.mastery`) is under ``WEAK_BELOW``, lowest
  first, each back after ``weak_spacing`` days however far FSRS has put it off: every day in the
  last week, every other day before.

Pure functions: the store keeps the plan, the service joins it to the queue.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from ..errors import InvalidInputError
from .attempts import QuestionRef
from .clock import local_date, require_utc
from .mastery import Mastery
from .queue import Candidate, QueueFilter, QueueItem, QueueReason

WEAK_BELOW = 0.6
"""Mastery under which an answered question counts as weak and comes back more often."""
WEAK_PER_DAY = 3
"""Weak questions a day, at least (more when there is more to cover)."""
MAX_DAYS_AHEAD = 366


@dataclass(frozen=True)
class InterviewPlan:
    """The user's interview date and which questions it covers (empty: every bank)."""

    interview_on: date
    bank: str | None = None
    categories: tuple[str, ...] = ()

    @property
    def scope(self) -> QueueFilter:
        return QueueFilter(bank=self.bank, categories=self.categories)

    def to_dict(self) -> dict[str, Any]:
        return {
            "interview_on": self.interview_on.isoformat(),
            "bank": self.bank,
            "categories": list(self.categories),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> InterviewPlan:
        return cls(
            interview_on=date.fromisoformat(str(data["interview_on"])),
            bank=data.get("bank"),
            categories=tuple(data.get("categories") or ()),
        )


def check_interview_date(interview_on: date, today: date) -> date:
    """The date, if it is after today and within a year.

    Raises:
        InvalidInputError: today or earlier, or too far ahead.
    """
    if interview_on <= today:
        raise InvalidInputError(
            f"the interview date must be after today ({today.isoformat()}), not "
            f"{interview_on.isoformat()}"
        )
    if interview_on > today + timedelta(days=MAX_DAYS_AHEAD):
        raise InvalidInputError(f"the interview date must be within {MAX_DAYS_AHEAD} days")
    return interview_on


def weak_spacing(days_left: int) -> int:
    """Days between two practices of a weak question: 1 in the last week, 2 before."""
    return 1 if days_left <= 7 else 2


@dataclass(frozen=True)
class PlanDay:
    """Where the plan stands today, and what it adds to today's queue."""

    plan: InterviewPlan
    days_left: int
    """Days to practise before the interview, today included (0 once the day has come)."""
    in_scope: int
    covered: int
    left_to_cover: tuple[QuestionRef, ...]
    """Never answered yet, in bank order."""
    to_cover_today: tuple[QueueItem, ...]
    weak_today: tuple[QueueItem, ...]

    @property
    def items(self) -> tuple[QueueItem, ...]:
        return self.to_cover_today + self.weak_today

    @property
    def per_day(self) -> int:
        """Questions to cover a day from now on."""
        if self.days_left <= 0 or not self.left_to_cover:
            return 0
        return math.ceil(len(self.left_to_cover) / self.days_left)


def plan_day(
    plan: InterviewPlan,
    candidates: Sequence[Candidate],
    mastery: Mapping[QuestionRef, Mastery],
    last_practised: Mapping[QuestionRef, datetime],
    now: datetime,
    tz: tzinfo,
) -> PlanDay:
    """What the plan asks of today.

    Args:
        plan: the interview date and scope.
        candidates: every question, in bank order.
        mastery: the mastery of every answered question.
        last_practised: when each question was last answered (cram included: it is practice).
        now: the current time.
        tz: the user's time zone, which decides what "today" is.
    """
    now = require_utc(now, "now")
    today = local_date(now, tz)
    days_left = max(0, (plan.interview_on - today).days)
    scope = [c for c in candidates if plan.scope.matches(c)]
    uncovered = [c for c in scope if c.question not in last_practised]
    covered = len(scope) - len(uncovered)
    if days_left == 0:
        return PlanDay(plan, 0, len(scope), covered, _refs(uncovered), (), ())
    quota = math.ceil(len(uncovered) / days_left)
    to_cover = tuple(QueueItem(c, QueueReason.PLAN) for c in uncovered[:quota])
    spacing = timedelta(days=weak_spacing(days_left))
    weak = sorted(
        (
            c
            for c in scope
            if c.question in mastery
            and mastery[c.question].value < WEAK_BELOW
            and local_date(last_practised[c.question], tz) <= today - spacing
        ),
        key=lambda c: mastery[c.question].value,
    )
    weak_items = tuple(QueueItem(c, QueueReason.PLAN) for c in weak[: max(WEAK_PER_DAY, quota)])
    return PlanDay(plan, days_left, len(scope), covered, _refs(uncovered), to_cover, weak_items)


def _refs(candidates: Sequence[Candidate]) -> tuple[QuestionRef, ...]:
    return tuple(c.question for c in candidates)


__all__ = [
    "WEAK_BELOW",
    "InterviewPlan",
    "PlanDay",
    "check_interview_date",
    "plan_day",
    "weak_spacing",
]
