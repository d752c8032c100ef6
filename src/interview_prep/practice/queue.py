"""Today's questions: due reviews first, then a few new ones a day, then extra practice.

A pure function over what the store knows about each question. Reviews are "due today" when FSRS
puts their due date before the end of the user's local day; the most overdue come first. New
questions are limited per day across *all* banks (``new_per_day``), counting those already
introduced today, so changing the filter cannot be used to learn more than the daily allowance.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from .attempts import QuestionRef
from .clock import local_date, require_utc, start_of_next_day
from .scheduling import CardState


class QueueReason(enum.StrEnum):
    """Why a question is in today's queue."""

    REVIEW = "review"  # FSRS says it is due today
    NEW = "new"  # never rated, within today's allowance of new questions
    EXTRA = "extra"  # neither (ahead of schedule, or past the new allowance): fills a session
    WEAK = "weak"  # chosen as one of the user's weakest (lowest mastery), due or not
    PLAN = "plan"  # the interview date asks for it today: still to cover, or weak


@dataclass(frozen=True)
class Candidate:
    """A question that could be practised, with what is known of the user's history on it."""

    question: QuestionRef
    category: str
    difficulty: str = "medium"
    state: CardState | None = None
    first_seen: datetime | None = None
    """When the user first answered it; ``None`` if never."""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class QueueFilter:
    """Which questions a session draws from; empty means any.

    Categories and tags each match any of those given; ``questions`` (a list the user gave, or
    the hits of a search) limits the pool to those questions.
    """

    bank: str | None = None
    categories: tuple[str, ...] = ()
    difficulty: str | None = None
    tags: tuple[str, ...] = ()
    questions: frozenset[QuestionRef] | None = None

    def matches(self, candidate: Candidate) -> bool:
        if self.bank is not None and candidate.question.bank_id != self.bank:
            return False
        if self.categories and candidate.category not in self.categories:
            return False
        if self.tags and not set(self.tags) & set(candidate.tags):
            return False
        if self.questions is not None and candidate.question not in self.questions:
            return False
        return self.difficulty is None or candidate.difficulty == self.difficulty


@dataclass(frozen=True)
class QueueItem:
    candidate: Candidate
    reason: QueueReason

    @property
    def question(self) -> QuestionRef:
        return self.candidate.question


@dataclass(frozen=True)
class DailyQueue:
    """Today's queue, in the order to practise it."""

    items: tuple[QueueItem, ...]
    due_count: int
    """Reviews due today that match the filter (some may be cut by a ``limit``)."""
    new_allowance: int
    """New questions still allowed today, before this queue."""
    introduced_today: int

    @property
    def questions(self) -> list[QuestionRef]:
        return [item.question for item in self.items]

    def count(self, reason: QueueReason) -> int:
        return sum(1 for item in self.items if item.reason is reason)


def build_queue(
    candidates: Iterable[Candidate],
    now: datetime,
    *,
    new_per_day: int,
    tz: tzinfo = UTC,
    where: QueueFilter | None = None,
    limit: int | None = None,
    fill: bool = False,
    planned: Sequence[QueueItem] = (),
) -> DailyQueue:
    """Pick today's questions.

    Args:
        candidates: every question the user could practise, in the order new ones should be
            introduced (bank order), each with its card state and first-seen time.
        now: the current time, timezone-aware.
        new_per_day: how many new questions a day (setting ``new_per_day``).
        tz: the user's time zone, which decides where "today" ends.
        where: only questions matching this filter (the daily new limit stays global).
        limit: at most this many questions in all.
        fill: when reviews and new questions come to fewer than ``limit``, top up with other
            questions: seen ones soonest due first, then new ones beyond today's allowance (a
            mock interview of N questions always gets N if the bank has them).
        planned: what an interview date asks of today (:mod:`.plan`), taken after the due
            reviews and before new questions (those matching ``where``).

    Returns:
        The queue: reviews (most overdue first), the plan's questions, new questions, then any
        extra ones.

    Raises:
        ValueError: a negative ``new_per_day`` or ``limit``, or a naive ``now``.
    """
    now = require_utc(now, "now")
    if new_per_day < 0:
        raise ValueError(f"new_per_day must be 0 or more, got {new_per_day}")
    if limit is not None and limit < 0:
        raise ValueError(f"limit must be 0 or more, got {limit}")
    where = where or QueueFilter()
    everything = list(candidates)
    today = local_date(now, tz)
    end_of_today = start_of_next_day(now, tz)

    introduced_today = sum(
        1 for c in everything if c.first_seen is not None and local_date(c.first_seen, tz) == today
    )
    allowance = max(0, new_per_day - introduced_today)
    matching = [c for c in everything if where.matches(c)]

    due = sorted(
        (c for c in matching if c.state is not None and c.state.due < end_of_today),
        key=lambda c: (_due(c), c.question),
    )
    # A question answered today but never rated (the rating was skipped, or the app stopped) has
    # already used its place in today's allowance, so it comes back without using another; one
    # answered on an earlier day but never rated is new again, ahead of the never-seen ones.
    unrated = [c for c in matching if c.state is None]
    resumed = [c for c in unrated if _seen_on(c, today, tz)]
    earlier = [c for c in unrated if c.first_seen is not None and not _seen_on(c, today, tz)]
    fresh = (earlier + [c for c in unrated if c.first_seen is None])[:allowance]

    items = [QueueItem(c, QueueReason.REVIEW) for c in due]
    taken = {item.question for item in items}
    items += [
        item for item in planned if item.question not in taken and where.matches(item.candidate)
    ]
    taken = {item.question for item in items}
    items += [QueueItem(c, QueueReason.NEW) for c in resumed + fresh if c.question not in taken]
    if fill and limit is not None and len(items) < limit:
        chosen = {item.question for item in items}
        ahead = sorted(
            (c for c in matching if c.state is not None and c.question not in chosen),
            key=lambda c: (_due(c), c.question),
        )
        ahead += [c for c in unrated if c.question not in chosen]
        items += [QueueItem(c, QueueReason.EXTRA) for c in ahead[: limit - len(items)]]
    if limit is not None:
        items = items[:limit]
    return DailyQueue(
        items=tuple(items),
        due_count=len(due),
        new_allowance=allowance,
        introduced_today=introduced_today,
    )


def _due(candidate: Candidate) -> datetime:
    assert candidate.state is not None
    return candidate.state.due


def _seen_on(candidate: Candidate, day: date, tz: tzinfo) -> bool:
    return candidate.first_seen is not None and local_date(candidate.first_seen, tz) == day


def candidates_from(
    questions: Sequence[tuple[QuestionRef, str, str]],
    states: dict[QuestionRef, CardState],
    first_seen: dict[QuestionRef, datetime],
    tags: Mapping[QuestionRef, tuple[str, ...]] | None = None,
) -> list[Candidate]:
    """Join ``(ref, category, difficulty)`` triples with the user's states and first-seen times
    (and each question's tags, if given)."""
    return [
        Candidate(
            question=ref,
            category=category,
            difficulty=difficulty,
            state=states.get(ref),
            first_seen=first_seen.get(ref),
            tags=(tags or {}).get(ref, ()),
        )
        for ref, category, difficulty in questions
    ]
