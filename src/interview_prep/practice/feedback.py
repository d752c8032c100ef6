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


@dataclass(frozen=True)
class MisconceptionResult:
    claim: str
    correction: str
    evidence: str = ""
    """The candidate's words that made the claim."""


@dataclass(frozen=True)
class Feedback:
    score: float | None
    label: str
    suggested: Rating | None
    key_points: tuple[KeyPointResult, ...]
    misconceptions: tuple[MisconceptionResult, ...]

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
        """Missed and partial key points, heaviest first (missed before partial on a tie)."""
        weak = [p for p in self.key_points if p.status is not KeyPointStatus.COVERED]
        order = {KeyPointStatus.MISSED: 0, KeyPointStatus.PARTIAL: 1}
        return sorted(weak, key=lambda p: (-p.weight, order[p.status]))[:limit]


_STATUS_WORDS = {
    "covered": KeyPointStatus.COVERED,
    "hit": KeyPointStatus.COVERED,
    "full": KeyPointStatus.COVERED,
    "partial": KeyPointStatus.PARTIAL,
    "partly": KeyPointStatus.PARTIAL,
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


def _spans(item: dict[str, Any]) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    for span in item.get("spans") or ():
        if isinstance(span, dict):
            start, end = span.get("start"), span.get("end")
        elif isinstance(span, list | tuple) and len(span) == 2:
            start, end = span
        else:
            continue
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end:
            spans.append((start, end))
    return tuple(spans)


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
    )


def read_feedback(grade: dict[str, Any] | None) -> Feedback:
    """Read a grade dict; an empty feedback for ``None`` (an attempt not graded yet)."""
    grade = grade or {}
    points = [_key_point(item) for item in grade.get("key_points") or ()]
    misconceptions = []
    for item in grade.get("misconceptions") or ():
        if isinstance(item, dict):
            misconceptions.append(
                MisconceptionResult(
                    claim=str(item.get("claim", "")),
                    correction=str(item.get("correction", "")),
                    evidence=str(item.get("evidence") or item.get("sentence") or ""),
                )
            )
    return Feedback(
        score=grade_score(grade),
        label=str(grade.get("label") or ""),
        suggested=suggested_rating(grade),
        key_points=tuple(p for p in points if p is not None),
        misconceptions=tuple(misconceptions),
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
