"""What the practice views read from a grade: the one place that knows the grader's dict.

Attempts keep the grader's result as a plain dict (``GradeResult.to_dict()``), so that old
attempts stay readable whatever a later grader writes. This module turns such a dict into the
few things the feedback view, the terminal and the session summary need, tolerating missing keys.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .attempts import grade_score
from .scheduling import Rating, suggested_rating


class KeyPointStatus(enum.StrEnum):
    COVERED = "covered"
    PARTIAL = "partial"
    MISSED = "missed"


@dataclass(frozen=True)
class KeyPointResult:
    """How one key point fared, and where the candidate's answer touched it."""

    text: str
    weight: float
    status: KeyPointStatus
    spans: tuple[tuple[int, int], ...] = ()
    """Character ranges ``[start, end)`` of the candidate's answer that cover this point."""
    contradicted: bool = False
    """The answer also states a misconception about this point."""

    @property
    def is_weak(self) -> bool:
        return self.status is not KeyPointStatus.COVERED or self.contradicted


@dataclass(frozen=True)
class MisconceptionResult:
    claim: str
    correction: str
    evidence: str = ""
    """The candidate's words that made the claim."""
    span: tuple[int, int] | None = None


@dataclass(frozen=True)
class Feedback:
    score: float | None
    label: str
    suggested: Rating | None
    key_points: tuple[KeyPointResult, ...]
    misconceptions: tuple[MisconceptionResult, ...]
    text: str = ""
    """The grader's own feedback in words."""
    messages: tuple[str, ...] = ()
    """Notices: an empty answer, a truncated one, a fallback grader."""
    expected: str = ""
    """For a quick-fire question: the expected answer."""

    @property
    def covered(self) -> list[KeyPointResult]:
        return [p for p in self.key_points if p.status is KeyPointStatus.COVERED]

    @property
    def partial(self) -> list[KeyPointResult]:
        return [p for p in self.key_points if p.status is KeyPointStatus.PARTIAL]

    @property
    def missed(self) -> list[KeyPointResult]:
        return [p for p in self.key_points if p.status is KeyPointStatus.MISSED]

    def weakest(self, limit: int = 3) -> list[KeyPointResult]:
        """Missed, contradicted and partial key points, heaviest first (missed first on a tie)."""
        weak = [p for p in self.key_points if p.is_weak]
        return sorted(weak, key=lambda p: (-p.weight, p.status is KeyPointStatus.PARTIAL))[:limit]


_STATUS_WORDS = {
    "covered": KeyPointStatus.COVERED,
    "hit": KeyPointStatus.COVERED,
    "full": KeyPointStatus.COVERED,
    "partial": KeyPointStatus.PARTIAL,
    "partly": KeyPointStatus.PARTIAL,
    "partially": KeyPointStatus.PARTIAL,
    "missed": KeyPointStatus.MISSED,
    "missing": KeyPointStatus.MISSED,
    "miss": KeyPointStatus.MISSED,
}


def _status(item: dict[str, Any]) -> KeyPointStatus:
    raw = item.get("status")
    if isinstance(raw, str) and raw.lower() in _STATUS_WORDS:
        return _STATUS_WORDS[raw.lower()]
    covered = item.get("covered")
    if isinstance(covered, bool):
        return KeyPointStatus.COVERED if covered else KeyPointStatus.MISSED
    return KeyPointStatus.MISSED


def _span(raw: Any) -> tuple[int, int] | None:
    if isinstance(raw, dict):
        start, end = raw.get("start"), raw.get("end")
    elif isinstance(raw, list | tuple) and len(raw) == 2:
        start, end = raw
    else:
        return None
    if isinstance(start, int) and isinstance(end, int) and 0 <= start < end:
        return (start, end)
    return None


def _spans(item: dict[str, Any]) -> tuple[tuple[int, int], ...]:
    # A missed point's evidence is only its nearest passage, not something to highlight. The
    # grader gives one ``evidence`` passage per key point; ``spans`` allows several.
    if _status(item) is KeyPointStatus.MISSED:
        return ()
    raw = [*(item.get("spans") or ()), item.get("evidence")]
    spans = [span for span in map(_span, raw) if span is not None]
    return tuple(dict.fromkeys(spans))


def _key_point(item: Any) -> KeyPointResult | None:
    if isinstance(item, str):
        return KeyPointResult(text=item, weight=1.0, status=KeyPointStatus.MISSED)
    if not isinstance(item, dict):
        return None
    text = item.get("text") or item.get("key_point") or ""
    weight = item.get("weight", 1.0)
    return KeyPointResult(
        text=str(text),
        weight=float(weight) if isinstance(weight, int | float) else 1.0,
        status=_status(item),
        spans=_spans(item),
        contradicted=bool(item.get("contradicted", False)),
    )


def read_feedback(grade: dict[str, Any] | None) -> Feedback:
    """Read a grade dict; an empty feedback for ``None`` (an attempt not graded yet)."""
    grade = grade or {}
    points = [_key_point(item) for item in grade.get("key_points") or ()]
    misconceptions = []
    for item in grade.get("misconceptions") or ():
        if isinstance(item, dict):
            sentence = item.get("sentence") or item.get("evidence")
            if isinstance(sentence, dict):
                evidence, span = str(sentence.get("text", "")), _span(sentence)
            else:
                evidence, span = str(sentence or ""), None
            misconceptions.append(
                MisconceptionResult(
                    claim=str(item.get("claim", "")),
                    correction=str(item.get("correction", "")),
                    evidence=evidence,
                    span=span,
                )
            )
    quickfire = grade.get("quickfire")
    expected = quickfire.get("expected", "") if isinstance(quickfire, dict) else ""
    return Feedback(
        score=grade_score(grade),
        label=str(grade.get("label") or ""),
        suggested=suggested_rating(grade),
        key_points=tuple(p for p in points if p is not None),
        misconceptions=tuple(misconceptions),
        text=str(grade.get("feedback") or ""),
        messages=tuple(str(m) for m in grade.get("messages") or ()),
        expected=str(expected or ""),
    )


@dataclass(frozen=True)
class Segment:
    """A run of the candidate's answer, marked with the key points it covers (if any)."""

    text: str
    key_points: tuple[int, ...] = ()


def highlight(answer: str, key_points: Sequence[KeyPointResult]) -> list[Segment]:
    """Cut ``answer`` into runs, each marked with the indexes of the key points covering it.

    The view highlights marked runs in the candidate's own text; overlapping spans of several
    key points give runs marked with all of them.
    """
    bounds = {0, len(answer)}
    for point in key_points:
        for start, end in point.spans:
            bounds.update((min(start, len(answer)), min(end, len(answer))))
    cuts = sorted(bounds)
    segments: list[Segment] = []
    for start, end in itertools.pairwise(cuts):
        if start == end:
            continue
        marks = tuple(
            index
            for index, point in enumerate(key_points)
            if any(s <= start and end <= e for s, e in point.spans)
        )
        if segments and segments[-1].key_points == marks:
            segments[-1] = Segment(segments[-1].text + answer[start:end], marks)
        else:
            segments.append(Segment(answer[start:end], marks))
    return segments
