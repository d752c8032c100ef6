"""What a practice answer is: a question reference and an attempt at it, graded or not yet.

An attempt is saved *before* it is graded (``grade`` is ``None`` until then), so a crash while
grading loses no answer. The grade is kept as the grader's own dict (``GradeResult.to_dict()``):
the practice core reads only a few fields from it, and old attempts keep whatever a grader
version wrote.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from .clock import format_optional, format_utc, parse_optional, parse_utc, require_utc

LOCAL_USER_ID = "local"
"""The one user of a local install, which has no login."""


def new_id() -> str:
    """A fresh random id for an attempt, review or session (32 hex digits)."""
    return uuid.uuid4().hex


@dataclass(frozen=True, order=True)
class QuestionRef:
    """A question by bank and id: question ids are unique within a bank only."""

    bank_id: str
    question_id: str

    @property
    def key(self) -> str:
        """``"bank/question"``: the form used in URLs, CSV files and dict keys."""
        return f"{self.bank_id}/{self.question_id}"

    @classmethod
    def parse(cls, key: str) -> QuestionRef:
        """Read ``"bank/question"``.

        Raises:
            ValueError: ``key`` has no ``/`` or an empty part.
        """
        bank_id, slash, question_id = key.partition("/")
        if not slash or not bank_id or not question_id:
            raise ValueError(f"question reference must be 'bank/question', got {key!r}")
        return cls(bank_id, question_id)

    def __str__(self) -> str:
        return self.key


class AnswerSource(enum.StrEnum):
    """How an answer was given; spoken answers are transcribed before grading."""

    TYPED = "typed"
    SPOKEN = "spoken"


def grade_score(grade: dict[str, Any] | None) -> float | None:
    """The 0-5 score in a grade dict, or ``None`` if there is no grade (yet)."""
    if not grade:
        return None
    score = grade.get("score")
    return float(score) if isinstance(score, int | float) else None


@dataclass(frozen=True)
class Attempt:
    """One answer to one question by one user, with its grade once graded."""

    id: str
    user_id: str
    question: QuestionRef
    category: str
    answer: str
    submitted_at: datetime
    started_at: datetime | None = None
    source: AnswerSource = AnswerSource.TYPED
    timed_out: bool = False
    session_id: str | None = None
    grade: dict[str, Any] | None = None
    session_item: int | None = None
    """Its place in the session: one question may be answered twice in a session."""
    cram: bool = False
    """Practised in a cram session: graded and kept, but never a review for FSRS."""
    follow_up: str | None = None
    """The follow-up item answered (``overfitting-fu2``), when this answers a follow-up of
    ``question`` rather than the question itself."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "submitted_at", require_utc(self.submitted_at, "submitted_at"))
        if self.started_at is not None:
            object.__setattr__(self, "started_at", require_utc(self.started_at, "started_at"))

    @property
    def created_at(self) -> datetime:
        """When the attempt was made: its submission time."""
        return self.submitted_at

    @property
    def score(self) -> float | None:
        return grade_score(self.grade)

    @property
    def is_graded(self) -> bool:
        return self.grade is not None

    @property
    def time_taken_s(self) -> float | None:
        if self.started_at is None:
            return None
        return (self.submitted_at - self.started_at).total_seconds()

    def with_grade(self, grade: dict[str, Any]) -> Attempt:
        """A copy of this attempt with ``grade`` attached."""
        return replace(self, grade=dict(grade))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "user_id": self.user_id,
            "question": self.question.key,
            "category": self.category,
            "answer": self.answer,
            "source": self.source.value,
            "started_at": format_optional(self.started_at),
            "submitted_at": format_utc(self.submitted_at),
            "timed_out": self.timed_out,
            "session_id": self.session_id,
            "session_item": self.session_item,
            "cram": self.cram,
            "follow_up": self.follow_up,
            "grade": self.grade,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Attempt:
        return cls(
            id=data["id"],
            user_id=data["user_id"],
            question=QuestionRef.parse(data["question"]),
            category=data["category"],
            answer=data["answer"],
            source=AnswerSource(data.get("source", AnswerSource.TYPED.value)),
            started_at=parse_optional(data.get("started_at")),
            submitted_at=parse_utc(data["submitted_at"]),
            timed_out=bool(data.get("timed_out", False)),
            session_id=data.get("session_id"),
            grade=data.get("grade"),
            session_item=data.get("session_item"),
            cram=bool(data.get("cram", False)),
            follow_up=data.get("follow_up"),
        )
