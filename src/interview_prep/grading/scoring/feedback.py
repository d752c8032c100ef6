"""Coaching feedback written only from the findings.

Every sentence here is a template filled with the rubric's own text (key points, corrections, the
expected quick-fire answer) or with the candidate's own words: nothing is added that the question's
author or the candidate did not write. The most important thing comes first: a wrong claim, then
the exact check of a quick-fire answer, then the heaviest key points still to add.
"""

from __future__ import annotations

import re

from ..result import (
    Coverage,
    KeyPointResult,
    Label,
    MisconceptionFinding,
    MisconceptionKind,
    QuickfireResult,
    StructureResult,
)
from .scoring import EMPTY_MESSAGE, NO_EVIDENCE_MESSAGE

_OPENINGS = {
    Label.STRONG: "Strong answer.",
    Label.ACCEPTABLE: "A solid answer with room to sharpen it.",
    Label.WEAK: "Part of the answer is there, but important pieces are missing.",
    Label.INCORRECT: "This answer misses the core of the question.",
}
MAX_QUOTE = 160
MAX_LISTED = 3
"""Key points named per line; the rest are counted."""


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 1].rstrip() + "…"


def _listing(points: list[KeyPointResult]) -> str:
    shown = "; ".join(_quote(point.text).rstrip(".") for point in points[:MAX_LISTED])
    more = len(points) - MAX_LISTED
    return shown + (f" (and {more} more)" if more > 0 else "")


_LEADING = re.compile(r"^(?:(?:and|but|so|or|also|then|while|whereas)\s+)+", re.IGNORECASE)


def _misconception_line(item: MisconceptionFinding) -> str:
    said = _quote((item.clause or item.sentence).text).rstrip(".")
    said = _LEADING.sub("", said)  # "and L2 is more robust" reads as "L2 is more robust"
    if item.kind is MisconceptionKind.STATED:
        return f"Fix this first: you said “{said}”. {item.correction}"
    if item.kind is MisconceptionKind.ERRATUM:
        return (
            f"Fix this first: you said “{said}”. The model answer says so too, and it is wrong: "
            f"{item.correction}"
        )
    if item.kind is MisconceptionKind.JUDGED:
        return f"Fix this first: “{said}” does not hold. {item.correction.rstrip('.')}."
    point = item.correction.rstrip(".")
    return f"Fix this first: “{said}” {item.detail}. The key point is: {point}."


def _heaviest(points: list[KeyPointResult]) -> list[KeyPointResult]:
    return sorted(points, key=lambda point: (-point.weight, point.index))


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
    """A short paragraph per finding, the most important first.

    A missed key point that the answer still touches (some of its terms are there) is something
    to go further on, never something "you did not mention".
    """
    lines = []
    if misconceptions:
        count = len(misconceptions)
        lines.append(
            "One claim here is wrong." if count == 1 else f"{count} claims here are wrong."
        )
        lines.extend(_misconception_line(item) for item in misconceptions)
    elif lead := next((m for m in (EMPTY_MESSAGE, NO_EVIDENCE_MESSAGE) if m in messages), None):
        # An empty answer, or fluent talk that states no key point: say so first, and once,
        # rather than open with a verdict ("misses the core") that repeats it in vaguer words.
        lines.append(lead)
        messages = [message for message in messages if message != lead]
    else:
        lines.append(_OPENINGS[label])
    if quickfire is not None:
        lines.append(quickfire.message)
    open_points = [p for p in key_points if not p.contradicted]
    covered = [p for p in open_points if p.status is Coverage.COVERED]
    touched = [
        p
        for p in open_points
        if p.status is Coverage.PARTLY or (p.status is Coverage.MISSED and p.terms_found)
    ]
    missed = [p for p in open_points if p.status is Coverage.MISSED and not p.terms_found]
    source = "the reference answer" if reference_only else "the key points"
    if missed:
        if quickfire is not None and quickfire.passed:
            lines.append(f"If asked to say more: {_listing(_heaviest(missed))}.")
        else:
            lines.append(f"Most important to add, from {source}: {_listing(_heaviest(missed))}.")
    if touched:
        lines.append(f"Go further on: {_listing(_heaviest(touched))}.")
    if covered:
        lines.append(f"You covered: {_listing(covered)}.")
    if structure is not None:
        lines.extend(structure.remarks)
    lines.extend(messages)
    return "\n".join(lines)
