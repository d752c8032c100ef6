"""The end-of-session table: each question's score, time taken and weakest key points."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .attempts import QuestionRef
from .feedback import read_feedback
from .scheduling import Rating

if TYPE_CHECKING:
    from .sessions import SessionItem


@dataclass(frozen=True)
class SummaryItem:
    question: QuestionRef
    category: str
    score: float | None
    label: str
    time_taken_s: float | None
    timed_out: bool
    rating: Rating | None
    suggested: Rating | None
    weakest_key_points: tuple[str, ...]
    skipped: bool = False
    """Passed over without an answer: no score (a skip is not a zero)."""
    retried: bool = False
    """Answered again at once in the next row; its score is left out of the mean."""
    follow_up: str | None = None
    """The follow-up item this row answers (under its parent's row); left out of the mean."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question.key,
            "skipped": self.skipped,
            "retried": self.retried,
            "follow_up": self.follow_up,
            "category": self.category,
            "score": self.score,
            "label": self.label,
            "time_taken_s": self.time_taken_s,
            "timed_out": self.timed_out,
            "rating": self.rating.value if self.rating else None,
            "suggested": self.suggested.value if self.suggested else None,
            "weakest_key_points": list(self.weakest_key_points),
        }


@dataclass(frozen=True)
class SessionSummary:
    """The end-of-session table: each question's score, time and weakest key points."""

    items: tuple[SummaryItem, ...]
    mean_score: float | None
    total_time_s: float
    timed_out_count: int
    weakest_key_points: tuple[str, ...]
    """Across the session: missed or partial key points, heaviest first."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "items": [item.to_dict() for item in self.items],
            "mean_score": self.mean_score,
            "total_time_s": self.total_time_s,
            "timed_out_count": self.timed_out_count,
            "weakest_key_points": list(self.weakest_key_points),
        }


def summarise(items: Sequence[SessionItem], weakest: int = 3) -> SessionSummary:
    """Summarise a session's items, with up to ``weakest`` weak key points per question."""
    rows = []
    pooled: dict[str, float] = {}
    for item in items:
        feedback = read_feedback(item.grade)
        for point in feedback.weakest(len(feedback.key_points)):
            pooled[point.text] = max(pooled.get(point.text, 0.0), point.weight)
        rows.append(
            SummaryItem(
                question=item.question,
                category=item.category,
                score=item.score,
                label=feedback.label,
                time_taken_s=item.time_taken_s,
                timed_out=item.timed_out,
                rating=item.rating,
                suggested=item.suggested,
                weakest_key_points=tuple(point.text for point in feedback.weakest(weakest)),
                skipped=item.skipped_at is not None,
                retried=item.retried,
                follow_up=item.follow_up,
            )
        )
    # A skip has no score, and a retried answer gave way to its retry: neither counts. Nor does
    # a follow-up, so that the mean of a session compares with one that asked none.
    scores = [
        row.score
        for row in rows
        if row.score is not None and not row.retried and row.follow_up is None
    ]
    ranked = sorted(pooled, key=lambda text: -pooled[text])
    return SessionSummary(
        items=tuple(rows),
        mean_score=sum(scores) / len(scores) if scores else None,
        total_time_s=sum(row.time_taken_s or 0.0 for row in rows),
        timed_out_count=sum(1 for row in rows if row.timed_out),
        weakest_key_points=tuple(ranked[:weakest]),
    )
