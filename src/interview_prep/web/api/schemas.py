"""The shape of ``POST /api/grade``'s answer, for the OpenAPI description and its ``/docs`` page.

The route returns the grading result's own ``to_dict`` (:mod:`interview_prep.grading.result`,
and for a recording :mod:`interview_prep.speech.service`); these models only describe it, they
do not filter it. Every model forbids fields it does not name, so a field added to a
``to_dict`` and not here fails ``tests/web/api/test_schemas.py``, which validates real
responses against this schema.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ...grading.result import Coverage, Label, MisconceptionKind, Rating

Span = tuple[int, int]


class _Described(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(_Described):
    """Where the answer says something: ``answer[start:end] == text``."""

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    similarity: float = Field(description="How close this part is to what it matched (0-1).")


class KeyPointResult(_Described):
    """One key point of the rubric, and how the answer covered it."""

    index: int = Field(ge=0, description="Its place in the question's key points, from 0.")
    text: str
    weight: float = Field(description="Its share of the score, relative to the others.")
    status: Coverage = Field(description="covered, partly (half the credit) or missed.")
    similarity: float = Field(description="The best similarity of any part of the answer (0-1).")
    evidence: Evidence | None = Field(description="The part of the answer that covers it.")
    terms_found: list[str]
    terms_missing: list[str]
    contradicted: bool = Field(description="A wrong claim in the answer gets this point wrong.")


class WrongClaim(_Described):
    """A misconception the answer states, with its correction."""

    kind: MisconceptionKind = Field(
        description="stated (one the question lists), swapped_term, negation, number, "
        "erratum (an error of the model answer) or judged."
    )
    claim: str
    correction: str
    sentence: Evidence = Field(description="The sentence of the answer that makes the claim.")
    clause: Evidence | None = Field(description="The part of the sentence that makes it.")
    words: list[Span] = Field(description="Where its words are: `answer[start:end]` each.")
    key_point: int | None = Field(description="The key point it contradicts, if any.")
    detail: str


class QuickfireResult(_Described):
    """The exact check of a quick-fire question's answer (a number, names, an expansion)."""

    kind: str
    passed: bool
    expected: str
    accepted: list[str]
    rejected: list[str]
    spans: list[Span]
    fraction: float = Field(ge=0, le=1, description="How much of the expected answer was given.")
    message: str


class StarResult(_Described):
    """Which parts of a STAR story a behavioral answer has."""

    situation: bool
    task: bool
    action: bool
    result: bool
    quantified_result: bool


class StructureResult(_Described):
    words: int
    sentences: int
    remarks: list[str]
    star: StarResult | None = Field(description="For behavioral questions.")


class TimedWord(_Described):
    text: str
    start: float
    end: float
    probability: float


class Transcript(_Described):
    """What a recording said, word by word (spoken answers only)."""

    text: str
    words: list[TimedWord]
    duration: float
    model: str
    edited: bool
    elapsed_seconds: float
    language: str
    notices: list[str]


class GradeResponse(_Described):
    """A graded answer: the score and everything it is made of."""

    bank: str
    question_id: str
    score: float = Field(ge=0, le=5, description="0-5, calibrated against human grades.")
    label: Label
    rating: Rating = Field(description="The spaced-repetition rating the score suggests.")
    feedback: str = Field(description="What to add or correct, in a few sentences.")
    key_points: list[KeyPointResult] = Field(
        description="Each key point of the rubric: covered, partly covered or missed."
    )
    misconceptions: list[WrongClaim] = Field(description="The wrong claims the answer makes.")
    quickfire: QuickfireResult | None = Field(description="For quick-fire questions.")
    structure: StructureResult | None
    grader: str = Field(description="The grader that scored it.")
    reference_only: bool = Field(
        description="The key points were derived from reference answers, not written by hand."
    )
    truncated: bool = Field(description="Only the start of a long answer was graded.")
    messages: list[str] = Field(description="Notices: an empty answer, truncation, a fallback.")
    elapsed_ms: float
    transcript: Transcript | None = Field(
        default=None, description="A recording's transcript (an `audio` upload only)."
    )
    delivery: dict[str, Any] | None = Field(
        default=None,
        description="A recording's pace, fillers, pauses and hedges, with coaching; never part "
        "of the score (an `audio` upload only).",
    )
