"""How well a question is mastered, from its whole history rather than its latest score.

Mastery is the product of two things a user's history says about a question:

* **quality**: a recency-weighted mean of every graded score, each older attempt weighing
  ``RECENCY`` times the one after it, so a recent answer counts most without erasing the ones
  before it. An empty answer (nothing typed, or the clock ran out on a blank page) weighs only
  ``EMPTY_WEIGHT`` of a written one: it says the user did not answer that time, not what they
  know. One blank answer after a 4.8 leaves quality near 2.6 out of 5, not at 0.
* **retrievability**: FSRS's probability of recalling the question now, from the card's
  stability and the time since its last review. It is 1 just after a review and falls as the
  memory fades, so a question answered well long ago drifts back towards the weakest. A question
  never rated (answered in a cram session, or left unrated) has no card, and its quality
  stands alone.

The result is in 0-1, or ``None`` for a question with no graded attempt (unknown, not zero).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from .attempts import QuestionRef
from .clock import require_utc
from .scheduling import CardState, make_scheduler

MAX_SCORE = 5.0
RECENCY = 0.6
"""Each older graded attempt weighs this much of the next one."""
EMPTY_WEIGHT = 0.5
"""How much an empty answer weighs against a written one."""


class GradedAnswer(Protocol):
    """What mastery reads from an attempt (:class:`~.attempts.Attempt` has all of it)."""

    @property
    def question(self) -> QuestionRef: ...
    @property
    def score(self) -> float | None: ...
    @property
    def answer(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...


@dataclass(frozen=True)
class Mastery:
    """A question's mastery, with the two parts it comes from."""

    value: float
    """0-1: quality times retrievability."""
    quality: float
    """0-1: the recency-weighted mean score, over 5."""
    retrievability: float | None
    """FSRS's recall probability now; ``None`` for a question never rated."""
    graded: int
    """How many graded attempts it rests on."""


def score_quality(scores: Iterable[tuple[float, bool]]) -> float | None:
    """The recency-weighted mean of ``(score, empty)`` pairs, oldest first, over 5 (0-1).

    Returns:
        ``None`` if there are no scores.

    Raises:
        ValueError: a score outside 0-5.
    """
    total = weights = 0.0
    weight = 1.0
    for score, empty in reversed(list(scores)):
        if not 0.0 <= score <= MAX_SCORE:
            raise ValueError(f"a score must be between 0 and {MAX_SCORE:g}, got {score}")
        counted = weight * (EMPTY_WEIGHT if empty else 1.0)
        total += counted * score
        weights += counted
        weight *= RECENCY
    if weights == 0.0:
        return None
    return min(1.0, max(0.0, total / weights / MAX_SCORE))


def retrievability(state: CardState | None, now: datetime) -> float | None:
    """FSRS's probability of recalling the question at ``now``; ``None`` without a card."""
    if state is None:
        return None
    now = require_utc(now, "now")
    value = make_scheduler(fuzz=False).get_card_retrievability(state.to_card(), now)
    return min(1.0, max(0.0, float(value)))


def question_mastery(
    attempts: Iterable[GradedAnswer], state: CardState | None, now: datetime
) -> Mastery | None:
    """One question's mastery from its attempts (any order) and its FSRS card.

    Returns:
        ``None`` if no attempt is graded.
    """
    graded = sorted(
        (a for a in attempts if a.score is not None), key=lambda attempt: attempt.created_at
    )
    quality = score_quality((min(MAX_SCORE, max(0.0, a.score or 0.0)), _empty(a)) for a in graded)
    if quality is None:
        return None
    recall = retrievability(state, now)
    value = quality if recall is None else quality * recall
    return Mastery(value=value, quality=quality, retrievability=recall, graded=len(graded))


def masteries(
    attempts: Iterable[GradedAnswer], states: Mapping[QuestionRef, CardState], now: datetime
) -> dict[QuestionRef, Mastery]:
    """The mastery of every question with a graded attempt."""
    by_question: dict[QuestionRef, list[GradedAnswer]] = {}
    for attempt in attempts:
        by_question.setdefault(attempt.question, []).append(attempt)
    found = {}
    for ref, history in by_question.items():
        mastery = question_mastery(history, states.get(ref), now)
        if mastery is not None:
            found[ref] = mastery
    return found


def _empty(attempt: GradedAnswer) -> bool:
    return not attempt.answer.strip()


__all__ = [
    "EMPTY_WEIGHT",
    "RECENCY",
    "GradedAnswer",
    "Mastery",
    "masteries",
    "question_mastery",
    "retrievability",
    "score_quality",
]
