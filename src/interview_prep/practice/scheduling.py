"""Spaced repetition: our own rating and card types over the ``fsrs`` package.

The rest of the app never imports ``fsrs``: it sees a :class:`Rating`, a :class:`CardState` (the
FSRS card as a dict, plus the due date, review count and lapse count the database indexes and
the progress page shows) and a :class:`ReviewLogEntry` per review, kept so that FSRS parameters
can later be optimised from the user's own history (:meth:`ReviewLogEntry.to_fsrs`).
"""

from __future__ import annotations

import enum
import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

import fsrs

from .attempts import QuestionRef, new_id
from .clock import format_optional, format_utc, parse_optional, parse_utc, require_utc


class Rating(enum.StrEnum):
    """How well the user recalled the answer: FSRS's four buttons."""

    AGAIN = "again"
    HARD = "hard"
    GOOD = "good"
    EASY = "easy"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    def to_fsrs(self) -> fsrs.Rating:
        return _TO_FSRS[self]

    @classmethod
    def parse(cls, value: str | int | Rating) -> Rating:
        """Read a rating from a button value, a name in any case, or FSRS's number 1-4.

        Raises:
            ValueError: not a rating.
        """
        if isinstance(value, Rating):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            if 1 <= value <= 4:
                return _FROM_NUMBER[value]
        elif isinstance(value, str):
            text = value.strip().lower()
            if text.isdigit():
                return cls.parse(int(text))
            for rating in cls:
                if text in (rating.value, rating.value[0]):
                    return rating
        raise ValueError(f"not a rating: {value!r} (use again, hard, good or easy, or 1-4)")


_TO_FSRS = {
    Rating.AGAIN: fsrs.Rating.Again,
    Rating.HARD: fsrs.Rating.Hard,
    Rating.GOOD: fsrs.Rating.Good,
    Rating.EASY: fsrs.Rating.Easy,
}
_FROM_NUMBER = {int(number): rating for rating, number in _TO_FSRS.items()}


def rating_for_score(score: float) -> Rating:
    """The rating a 0-5 score suggests when the grader gives none of its own."""
    if score < 2:
        return Rating.AGAIN
    if score < 3:
        return Rating.HARD
    if score < 4.5:
        return Rating.GOOD
    return Rating.EASY


def suggested_rating(grade: dict[str, Any] | None) -> Rating | None:
    """The rating a grade dict suggests: its ``rating`` (``suggested_rating``), else by score."""
    if not grade:
        return None
    for key in ("rating", "suggested_rating"):
        suggestion = grade.get(key)
        if suggestion is not None:
            try:
                return Rating.parse(suggestion)
            except ValueError:
                pass
    score = grade.get("score")
    if isinstance(score, int | float) and not isinstance(score, bool):
        return rating_for_score(float(score))
    return None


class CardPhase(enum.StrEnum):
    """Where a card is in FSRS: short learning steps, day-long reviews, or relearning a lapse."""

    LEARNING = "learning"
    REVIEW = "review"
    RELEARNING = "relearning"


_PHASE = {
    fsrs.State.Learning: CardPhase.LEARNING,
    fsrs.State.Review: CardPhase.REVIEW,
    fsrs.State.Relearning: CardPhase.RELEARNING,
}


def card_id_for(question: QuestionRef) -> int:
    """A stable FSRS card id for a question (48 bits of a hash of its reference).

    FSRS only needs card ids to group a card's reviews when optimising; deriving them from the
    reference keeps them stable across databases and exports.
    """
    digest = hashlib.sha256(question.key.encode()).digest()
    return int.from_bytes(digest[:6], "big")


@dataclass(frozen=True)
class CardState:
    """One user's scheduling state for one question."""

    card: dict[str, Any]
    """The FSRS card, as ``fsrs.Card.to_dict()`` wrote it."""
    due: datetime
    reps: int = 0
    lapses: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "due", require_utc(self.due, "due"))

    @classmethod
    def from_card(cls, card: fsrs.Card, *, reps: int, lapses: int) -> CardState:
        return cls(card=dict(card.to_dict()), due=card.due, reps=reps, lapses=lapses)

    def to_card(self) -> fsrs.Card:
        return fsrs.Card.from_dict(cast(fsrs.card.CardDict, self.card))

    @property
    def phase(self) -> CardPhase:
        return _PHASE[fsrs.State(int(self.card["state"]))]

    @property
    def last_review(self) -> datetime | None:
        return parse_optional(self.card.get("last_review"))

    @property
    def stability(self) -> float | None:
        value = self.card.get("stability")
        return float(value) if value is not None else None

    @property
    def difficulty(self) -> float | None:
        value = self.card.get("difficulty")
        return float(value) if value is not None else None

    def is_due(self, at: datetime) -> bool:
        return self.due <= require_utc(at, "at")

    def to_dict(self) -> dict[str, Any]:
        return {
            "card": dict(self.card),
            "due": format_utc(self.due),
            "reps": self.reps,
            "lapses": self.lapses,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CardState:
        return cls(
            card=dict(data["card"]),
            due=parse_utc(data["due"]),
            reps=int(data.get("reps", 0)),
            lapses=int(data.get("lapses", 0)),
        )


@dataclass(frozen=True)
class ReviewLogEntry:
    """One rating of one question: what FSRS needs to optimise, plus what the history shows."""

    id: str
    question: QuestionRef
    card_id: int
    rating: Rating
    reviewed_at: datetime
    phase_before: CardPhase | None
    """``None`` for the first review of a new question."""
    due_before: datetime | None
    due_after: datetime
    suggested: Rating | None = None
    attempt_id: str | None = None
    duration_ms: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "reviewed_at", require_utc(self.reviewed_at, "reviewed_at"))
        object.__setattr__(self, "due_after", require_utc(self.due_after, "due_after"))

    @property
    def overridden(self) -> bool:
        """True when the user chose another rating than the grader suggested."""
        return self.suggested is not None and self.rating is not self.suggested

    @property
    def is_lapse(self) -> bool:
        """True when a question in review was forgotten."""
        return self.phase_before is CardPhase.REVIEW and self.rating is Rating.AGAIN

    def to_fsrs(self) -> fsrs.ReviewLog:
        """The entry as FSRS's own review log, for ``fsrs.Optimizer``."""
        return fsrs.ReviewLog(
            card_id=self.card_id,
            rating=self.rating.to_fsrs(),
            review_datetime=self.reviewed_at,
            review_duration=self.duration_ms,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "question": self.question.key,
            "card_id": self.card_id,
            "rating": self.rating.value,
            "reviewed_at": format_utc(self.reviewed_at),
            "phase_before": self.phase_before.value if self.phase_before else None,
            "due_before": format_optional(self.due_before),
            "due_after": format_utc(self.due_after),
            "suggested": self.suggested.value if self.suggested else None,
            "attempt_id": self.attempt_id,
            "duration_ms": self.duration_ms,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReviewLogEntry:
        phase = data.get("phase_before")
        suggested = data.get("suggested")
        return cls(
            id=data["id"],
            question=QuestionRef.parse(data["question"]),
            card_id=int(data["card_id"]),
            rating=Rating(data["rating"]),
            reviewed_at=parse_utc(data["reviewed_at"]),
            phase_before=CardPhase(phase) if phase else None,
            due_before=parse_optional(data.get("due_before")),
            due_after=parse_utc(data["due_after"]),
            suggested=Rating(suggested) if suggested else None,
            attempt_id=data.get("attempt_id"),
            duration_ms=data.get("duration_ms"),
        )


@functools.lru_cache(maxsize=16)
def _cached_scheduler(
    desired_retention: float, fuzz: bool, parameters: tuple[float, ...] | None
) -> fsrs.Scheduler:
    if parameters is None:
        return fsrs.Scheduler(desired_retention=desired_retention, enable_fuzzing=fuzz)
    return fsrs.Scheduler(
        parameters=parameters, desired_retention=desired_retention, enable_fuzzing=fuzz
    )


def make_scheduler(
    desired_retention: float = 0.9,
    *,
    fuzz: bool = True,
    parameters: Sequence[float] | None = None,
) -> fsrs.Scheduler:
    """An FSRS scheduler aiming at ``desired_retention``.

    Args:
        desired_retention: the recall probability to schedule for, strictly between 0 and 1.
        fuzz: spread intervals of 3 days or more by a little randomness, so questions learnt
            together do not stay due together (turn it off for exact, repeatable schedules).
        parameters: optimised FSRS weights; the FSRS defaults if ``None``.

    Raises:
        ValueError: ``desired_retention`` out of range, or parameters FSRS rejects.
    """
    if not 0 < desired_retention < 1:
        raise ValueError(f"desired_retention must be between 0 and 1, got {desired_retention}")
    weights = tuple(float(value) for value in parameters) if parameters is not None else None
    return _cached_scheduler(float(desired_retention), fuzz, weights)


def schedule(
    state: CardState | None,
    rating: Rating | str,
    now: datetime,
    *,
    question: QuestionRef,
    scheduler: fsrs.Scheduler | None = None,
    suggested: Rating | None = None,
    attempt_id: str | None = None,
    duration_ms: int | None = None,
    review_id: str | None = None,
) -> tuple[CardState, ReviewLogEntry]:
    """Apply one rating to a question's card.

    Args:
        state: the card's state, or ``None`` for a question never rated before.
        rating: the rating the user chose (the suggested one unless they overrode it).
        now: the review time, timezone-aware.
        question: the question being rated.
        scheduler: from :func:`make_scheduler`; the defaults (retention 0.9, fuzzing) if ``None``.
        suggested: the grader's suggestion, logged so overrides can be studied.
        attempt_id: the attempt this rating is for.
        duration_ms: how long the answer took.
        review_id: the new log entry's id (a fresh one if ``None``).

    Returns:
        The new state and the log entry of this review.

    Raises:
        ValueError: a naive ``now`` or an unknown rating.
    """
    now = require_utc(now, "now")
    chosen = Rating.parse(rating)
    scheduler = scheduler or make_scheduler()
    if state is None:
        card = fsrs.Card(card_id=card_id_for(question), due=now)
        phase_before, due_before, reps, lapses = None, None, 0, 0
    else:
        card = state.to_card()
        phase_before, due_before = state.phase, state.due
        reps, lapses = state.reps, state.lapses
    card, _ = scheduler.review_card(
        card, chosen.to_fsrs(), review_datetime=now, review_duration=duration_ms
    )
    if phase_before is CardPhase.REVIEW and chosen is Rating.AGAIN:
        lapses += 1
    new_state = CardState.from_card(card, reps=reps + 1, lapses=lapses)
    entry = ReviewLogEntry(
        id=review_id or new_id(),
        question=question,
        card_id=int(card.card_id),
        rating=chosen,
        reviewed_at=now,
        phase_before=phase_before,
        due_before=due_before,
        due_after=new_state.due,
        suggested=suggested,
        attempt_id=attempt_id,
        duration_ms=duration_ms,
    )
    return new_state, entry
