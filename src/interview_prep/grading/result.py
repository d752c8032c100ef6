"""What grading an answer gives: plain dataclasses that serialise to JSON with ``to_dict``."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Label(enum.StrEnum):
    STRONG = "strong"
    ACCEPTABLE = "acceptable"
    WEAK = "weak"
    INCORRECT = "incorrect"


class Rating(enum.StrEnum):
    """A spaced-repetition rating, named as FSRS names them."""

    AGAIN = "Again"
    HARD = "Hard"
    GOOD = "Good"
    EASY = "Easy"


class Coverage(enum.StrEnum):
    COVERED = "covered"
    PARTLY = "partly"
    MISSED = "missed"


@dataclass(frozen=True)
class Evidence:
    """Where the answer says something: ``answer[start:end] == text``."""

    text: str
    start: int
    end: int
    similarity: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "similarity": round(self.similarity, 3),
        }


@dataclass(frozen=True)
class KeyPointResult:
    index: int
    text: str
    weight: float
    status: Coverage
    similarity: float
    """The best similarity of any part of the answer to this key point (0-1)."""
    evidence: Evidence | None = None
    terms_found: tuple[str, ...] = ()
    terms_missing: tuple[str, ...] = ()
    contradicted: bool = False
    """True when a misconception found in the answer gets this key point wrong."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "text": self.text,
            "weight": self.weight,
            "status": self.status.value,
            "similarity": round(self.similarity, 3),
            "evidence": self.evidence.to_dict() if self.evidence else None,
            "terms_found": list(self.terms_found),
            "terms_missing": list(self.terms_missing),
            "contradicted": self.contradicted,
        }


class MisconceptionKind(enum.StrEnum):
    STATED = "stated"  # one of the question's own listed misconceptions
    SWAPPED_TERM = "swapped_term"  # a term exchanged for its counterpart (L1 for L2)
    NEGATION = "negation"  # a key point stated with the opposite polarity
    NUMBER = "number"  # a number that differs from the key point's
    ERRATUM = "erratum"  # an error the model answer itself makes, listed in its errata
    JUDGED = "judged"  # the judge reads the span as contradicting a key point


@dataclass(frozen=True)
class MisconceptionFinding:
    kind: MisconceptionKind
    claim: str
    correction: str
    sentence: Evidence
    key_point: int | None = None
    detail: str = ""
    clause: Evidence | None = None
    """The part of the sentence that makes the claim (the sentence minus what else it says)."""
    words: tuple[tuple[int, int], ...] = ()
    """Where the words that state the claim are in the answer (``answer[start:end]``)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "claim": self.claim,
            "correction": self.correction,
            "sentence": self.sentence.to_dict(),
            "clause": self.clause.to_dict() if self.clause else None,
            "words": [list(span) for span in self.words],
            "key_point": self.key_point,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class QuickfireResult:
    """The exact check of a quick-fire answer."""

    kind: str
    passed: bool
    expected: str
    accepted: tuple[str, ...] = ()
    """The parts of the answer that the check accepted, as written."""
    fraction: float = 0.0
    """How much of the expected answer was given (names found / required, 0-1)."""
    message: str = ""
    rejected: tuple[str, ...] = ()
    """Names the answer gives that are not among the accepted ones, as written."""
    spans: tuple[tuple[int, int], ...] = ()
    """Where each accepted part is in the answer: ``answer[start:end]``."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "passed": self.passed,
            "expected": self.expected,
            "accepted": list(self.accepted),
            "rejected": list(self.rejected),
            "spans": [list(span) for span in self.spans],
            "fraction": round(self.fraction, 3),
            "message": self.message,
        }


@dataclass(frozen=True)
class StarResult:
    """Which parts of a STAR story (behavioral questions) the answer has."""

    situation: bool
    task: bool
    action: bool
    result: bool
    quantified: bool

    @property
    def missing(self) -> list[str]:
        parts = {
            "situation": self.situation,
            "task": self.task,
            "action": self.action,
            "result": self.result,
            "quantified result": self.quantified,
        }
        return [name for name, present in parts.items() if not present]

    def to_dict(self) -> dict[str, Any]:
        return {
            "situation": self.situation,
            "task": self.task,
            "action": self.action,
            "result": self.result,
            "quantified_result": self.quantified,
        }


@dataclass(frozen=True)
class StructureResult:
    words: int
    sentences: int
    remarks: tuple[str, ...] = ()
    star: StarResult | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "words": self.words,
            "sentences": self.sentences,
            "remarks": list(self.remarks),
            "star": self.star.to_dict() if self.star else None,
        }


@dataclass(frozen=True)
class GradeResult:
    """Everything the grader found about one answer, and what it makes of it."""

    question_id: str
    score: float
    """0-5, calibrated against human grades."""
    label: Label
    rating: Rating
    feedback: str
    key_points: tuple[KeyPointResult, ...] = ()
    misconceptions: tuple[MisconceptionFinding, ...] = ()
    quickfire: QuickfireResult | None = None
    structure: StructureResult | None = None
    grader: str = ""
    reference_only: bool = False
    """True when the key points were derived from reference answers, not written by hand."""
    truncated: bool = False
    messages: tuple[str, ...] = ()
    """Notices for the user: an empty answer, truncation, a fallback grader."""
    features: dict[str, float] = field(default_factory=dict)
    raw_score: float | None = None
    """The calibrated score before rubric blending and penalties, for evaluation."""
    elapsed_ms: float = 0.0

    @property
    def covered_fraction(self) -> float:
        total = sum(point.weight for point in self.key_points) or 1.0
        gained = sum(
            point.weight * (1.0 if point.status is Coverage.COVERED else 0.5)
            for point in self.key_points
            if point.status is not Coverage.MISSED and not point.contradicted
        )
        return gained / total

    def to_dict(self, *, include_features: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "question_id": self.question_id,
            "score": round(self.score, 2),
            "label": self.label.value,
            "rating": self.rating.value,
            "feedback": self.feedback,
            "key_points": [point.to_dict() for point in self.key_points],
            "misconceptions": [item.to_dict() for item in self.misconceptions],
            "quickfire": self.quickfire.to_dict() if self.quickfire else None,
            "structure": self.structure.to_dict() if self.structure else None,
            "grader": self.grader,
            "reference_only": self.reference_only,
            "truncated": self.truncated,
            "messages": list(self.messages),
            "elapsed_ms": round(self.elapsed_ms, 2),
        }
        if include_features:
            data["raw_score"] = None if self.raw_score is None else round(self.raw_score, 4)
            data["features"] = {name: round(value, 5) for name, value in self.features.items()}
        return data
