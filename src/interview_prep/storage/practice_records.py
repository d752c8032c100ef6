"""From practice rows to practice records: attempts and review-log entries.

Both readers of the practice tables build their records here: the ORM store
(:mod:`.practice`) and the CLI's plain ``sqlite3`` path (:mod:`.readers`, for ``export-history``),
whose rows are named tuples with the same fields as the ORM rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from ..practice.attempts import AnswerSource, Attempt, QuestionRef
from ..practice.scheduling import CardPhase, Rating, ReviewLogEntry


class AttemptFields(Protocol):
    """What an attempt's row gives (``AttemptRow``, or a tuple of the same names)."""

    @property
    def id(self) -> str: ...
    @property
    def user_id(self) -> str: ...
    @property
    def bank_id(self) -> str: ...
    @property
    def question_id(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def answer(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def started_at(self) -> datetime | None: ...
    @property
    def submitted_at(self) -> datetime: ...
    @property
    def timed_out(self) -> bool: ...
    @property
    def session_id(self) -> str | None: ...
    @property
    def session_item(self) -> int | None: ...
    @property
    def cram(self) -> bool: ...
    @property
    def follow_up(self) -> str | None: ...
    @property
    def grade(self) -> dict[str, Any] | None: ...


class ReviewFields(Protocol):
    """What a review log row gives (``ReviewLogRow``, or a tuple of the same names)."""

    @property
    def id(self) -> str: ...
    @property
    def bank_id(self) -> str: ...
    @property
    def question_id(self) -> str: ...
    @property
    def card_id(self) -> int: ...
    @property
    def rating(self) -> str: ...
    @property
    def reviewed_at(self) -> datetime: ...
    @property
    def phase_before(self) -> str | None: ...
    @property
    def due_before(self) -> datetime | None: ...
    @property
    def due_after(self) -> datetime: ...
    @property
    def suggested(self) -> str | None: ...
    @property
    def attempt_id(self) -> str | None: ...
    @property
    def duration_ms(self) -> int | None: ...


def attempt_record(row: AttemptFields) -> Attempt:
    """The attempt of an attempt's row."""
    return Attempt(
        id=row.id,
        user_id=row.user_id,
        question=QuestionRef(row.bank_id, row.question_id),
        category=row.category,
        answer=row.answer,
        submitted_at=row.submitted_at,
        started_at=row.started_at,
        source=AnswerSource(row.source),
        timed_out=row.timed_out,
        session_id=row.session_id,
        grade=row.grade,
        session_item=row.session_item,
        cram=row.cram,
        follow_up=row.follow_up,
    )


def review_entry(row: ReviewFields) -> ReviewLogEntry:
    """The review-log entry of a review log row."""
    return ReviewLogEntry(
        id=row.id,
        question=QuestionRef(row.bank_id, row.question_id),
        card_id=row.card_id,
        rating=Rating(row.rating),
        reviewed_at=row.reviewed_at,
        phase_before=CardPhase(row.phase_before) if row.phase_before else None,
        due_before=row.due_before,
        due_after=row.due_after,
        suggested=Rating(row.suggested) if row.suggested else None,
        attempt_id=row.attempt_id,
        duration_ms=row.duration_ms,
    )
