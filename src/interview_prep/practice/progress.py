"""Progress numbers for the dashboard: mastery per category, score trend, activity, streaks, load.

Pure functions over what the store returns. Days are the user's local calendar days (pass their
time zone as ``tz``), so an answer at 00:30 local time counts for the day the user lived it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any, Protocol

from .attempts import QuestionRef
from .clock import local_date, require_utc
from .mastery import masteries
from .scheduling import CardState, ReviewLogEntry

MAX_SCORE = 5.0
# Without cards there is no retrievability to read, so any moment will do.
_LATEST = datetime.max.replace(tzinfo=UTC)


class ScoredAttempt(Protocol):
    """What progress reads from an attempt (:class:`~.attempts.Attempt` has all of it)."""

    @property
    def question(self) -> QuestionRef: ...
    @property
    def category(self) -> str: ...
    @property
    def score(self) -> float | None: ...
    @property
    def answer(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...


@dataclass(frozen=True)
class CategoryMastery:
    category: str
    mastery: float
    """Mean mastery of each question seen (:mod:`.mastery`: the whole history of scores, times
    FSRS retrievability): 0.0-1.0 (0 if none seen)."""
    seen: int
    total: int

    @property
    def coverage(self) -> float:
        return self.seen / self.total if self.total else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "mastery": self.mastery,
            "seen": self.seen,
            "total": self.total,
        }


@dataclass(frozen=True)
class DayScore:
    day: date
    mean_score: float
    attempts: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "mean_score": self.mean_score,
            "attempts": self.attempts,
        }


@dataclass(frozen=True)
class DayCount:
    day: date
    count: int

    def to_dict(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), "count": self.count}


@dataclass(frozen=True)
class Streak:
    current: int
    """Consecutive active days up to today, or up to yesterday while today is still open."""
    longest: int

    def to_dict(self) -> dict[str, Any]:
        return {"current": self.current, "longest": self.longest}


def category_mastery(
    attempts: Iterable[ScoredAttempt],
    totals: Mapping[str, int],
    states: Mapping[QuestionRef, CardState] | None = None,
    now: datetime | None = None,
) -> list[CategoryMastery]:
    """Mastery of each category: the mean of its questions' mastery (:mod:`.mastery`).

    Args:
        attempts: the user's attempts; ungraded ones are ignored.
        totals: the number of questions in each category, in display order; categories met
            only in attempts (a bank since removed) follow, with their seen count as total.
        states: the user's FSRS cards, for retrievability; without them, scores alone.
        now: when retrievability is read (required with ``states``).
    """
    graded = [attempt for attempt in attempts if attempt.score is not None]
    category_of: dict[QuestionRef, str] = {}
    for attempt in sorted(graded, key=lambda a: a.created_at):
        category_of[attempt.question] = attempt.category  # the latest attempt's category
    if states and now is None:
        raise ValueError("category_mastery needs now to read retrievability")
    found = masteries(graded, states or {}, now or _LATEST)
    scores: dict[str, list[float]] = defaultdict(list)
    for ref, known in found.items():
        scores[category_of[ref]].append(known.value * MAX_SCORE)
    order = list(totals) + sorted(name for name in scores if name not in totals)
    result = []
    for name in order:
        seen = scores.get(name, [])
        result.append(
            CategoryMastery(
                category=name,
                mastery=sum(seen) / len(seen) / MAX_SCORE if seen else 0.0,
                seen=len(seen),
                total=max(totals.get(name, 0), len(seen)),
            )
        )
    return result


def score_trend(attempts: Iterable[ScoredAttempt], tz: tzinfo = UTC) -> list[DayScore]:
    """The mean graded score of each day with graded attempts, oldest day first."""
    by_day: dict[date, list[float]] = defaultdict(list)
    for attempt in attempts:
        if attempt.score is not None:
            by_day[local_date(attempt.created_at, tz)].append(attempt.score)
    return [
        DayScore(day, sum(scores) / len(scores), len(scores))
        for day, scores in sorted(by_day.items())
    ]


def calendar_start(today: date, weeks: int) -> date:
    """The Monday that opens a calendar of ``weeks`` week-columns ending with today's week."""
    return today - timedelta(days=today.weekday() + 7 * (weeks - 1))


def activity(
    attempts: Iterable[ScoredAttempt],
    reviews: Iterable[ReviewLogEntry],
    today: date,
    tz: tzinfo = UTC,
    weeks: int = 26,
) -> list[DayCount]:
    """Answers per day, every day from :func:`calendar_start` up to ``today`` (zeros included).

    A review counts only when it has no attempt behind it, so one answer and its rating are one
    unit of activity.
    """
    counts: Counter[date] = Counter()
    for attempt in attempts:
        counts[local_date(attempt.created_at, tz)] += 1
    for entry in reviews:
        if entry.attempt_id is None:
            counts[local_date(entry.reviewed_at, tz)] += 1
    start = calendar_start(today, weeks)
    days = (today - start).days + 1
    return [
        DayCount(start + timedelta(days=n), counts[start + timedelta(days=n)]) for n in range(days)
    ]


def streaks(active_days: Iterable[date], today: date) -> Streak:
    """The current and the longest run of consecutive active days."""
    days = sorted(set(active_days))
    longest = run = 0
    previous: date | None = None
    for day in days:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    active = set(days)
    cursor = today if today in active else today - timedelta(days=1)
    current = 0
    while cursor in active:
        current += 1
        cursor -= timedelta(days=1)
    return Streak(current=current, longest=longest)


def due_forecast(
    states: Iterable[CardState], now: datetime, tz: tzinfo = UTC, days: int = 14
) -> list[DayCount]:
    """Reviews falling due on each of the next ``days`` local days; overdue ones count today."""
    today = local_date(now, tz)
    counts: Counter[date] = Counter()
    for state in states:
        counts[max(today, local_date(state.due, tz))] += 1
    return [
        DayCount(today + timedelta(days=n), counts[today + timedelta(days=n)]) for n in range(days)
    ]


@dataclass(frozen=True)
class Progress:
    """Everything the dashboard shows."""

    mastery: tuple[CategoryMastery, ...]
    trend: tuple[DayScore, ...]
    activity: tuple[DayCount, ...]
    streak: Streak
    due: tuple[DayCount, ...]
    attempts: int
    reviews: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "mastery": [item.to_dict() for item in self.mastery],
            "trend": [item.to_dict() for item in self.trend],
            "activity": [item.to_dict() for item in self.activity],
            "streak": self.streak.to_dict(),
            "due": [item.to_dict() for item in self.due],
            "attempts": self.attempts,
            "reviews": self.reviews,
        }


def compute_progress(
    attempts: Iterable[ScoredAttempt],
    reviews: Iterable[ReviewLogEntry],
    states: Mapping[QuestionRef, CardState],
    totals: Mapping[str, int],
    now: datetime,
    tz: tzinfo = UTC,
    *,
    weeks: int = 26,
    horizon_days: int = 14,
) -> Progress:
    """All dashboard numbers at once (see the functions above for each)."""
    now = require_utc(now, "now")
    attempt_list, review_list = list(attempts), list(reviews)
    today = local_date(now, tz)
    days = activity(attempt_list, review_list, today, tz, weeks)
    every_active_day = {local_date(a.created_at, tz) for a in attempt_list} | {
        local_date(r.reviewed_at, tz) for r in review_list
    }
    return Progress(
        mastery=tuple(category_mastery(attempt_list, totals, dict(states), now)),
        trend=tuple(score_trend(attempt_list, tz)),
        activity=tuple(days),
        streak=streaks(every_active_day, today),
        due=tuple(due_forecast(states.values(), now, tz, horizon_days)),
        attempts=len(attempt_list),
        reviews=len(review_list),
    )
