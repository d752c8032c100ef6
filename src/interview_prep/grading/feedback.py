"""Coaching feedback written only from the findings.

Every sentence here is a template filled with the rubric's own text (key points, corrections, the
expected quick-fire answer) or with the candidate's own words: nothing is added that the question's
author or the candidate did not write.
"""

from __future__ import annotations

from .result import (
    Coverage,
    KeyPointResult,
    Label,
    MisconceptionFinding,
    MisconceptionKind,
    QuickfireResult,
    StructureResult,
)

_OPENINGS = {
    Label.STRONG: "Strong answer.",
    Label.ACCEPTABLE: "A solid answer with room to sharpen it.",
    Label.WEAK: "Part of the answer is there, but important pieces are missing.",
    Label.INCORRECT: "This answer misses the core of the question.",
}
MAX_QUOTE = 160


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 1].rstrip() + "…"


def _listing(points: list[KeyPointResult]) -> str:
    return "; ".join(_quote(point.text).rstrip(".") for point in points)


def _misconception_line(item: MisconceptionFinding) -> str:
    said = _quote(item.sentence.text)
    if item.kind is MisconceptionKind.STATED:
        return f"Check this: you wrote “{said}”. {item.correction}"
    return f"Check this: “{said}” {item.detail}. The point is: {item.correction}"


def write_feedback(
    label: Label,
    *,
    key_points: list[KeyPointResult],
    misconceptions: list[MisconceptionFinding],
    quickfire: QuickfireResult | None,
    structure: StructureResult | None,
    reference_only: bool,
    messages: list[str],
) -> str:
    """A short paragraph per finding, strongest signal first."""
    lines = [_OPENINGS[label]]
    lines.extend(messages)
    if quickfire is not None:
        lines.append(quickfire.message)
    for item in misconceptions:
        lines.append(_misconception_line(item))
    covered = [p for p in key_points if p.status is Coverage.COVERED and not p.contradicted]
    partly = [p for p in key_points if p.status is Coverage.PARTLY and not p.contradicted]
    missed = [p for p in key_points if p.status is Coverage.MISSED and not p.contradicted]
    source = "the reference answer" if reference_only else "the key points"
    if covered:
        lines.append(f"You covered: {_listing(covered)}.")
    if partly:
        lines.append(f"Go further on: {_listing(partly)}.")
    if missed:
        verb = "Compared with " + source + ", you did not mention"
        lines.append(f"{verb}: {_listing(missed)}.")
    if structure is not None:
        lines.extend(structure.remarks)
    return "\n".join(lines)
