"""Replaying a past session: each answer as given, its grade and feedback, and what changed
since the previous attempt at the same question.

Pure: it reads the session and the user's attempts (oldest first, as the store lists them). The
previous attempt is the user's latest graded answer to the question submitted before this one,
in any session (or outside one), so a replay shows progress across sessions too. A follow-up's
previous attempt is the latest graded answer to that same follow-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .attempts import Attempt
from .feedback import Feedback, KeyPointStatus, read_feedback
from .sessions import ItemStatus, PracticeSession, SessionItem


@dataclass(frozen=True)
class Change:
    """How an answer compares with the previous attempt at its question."""

    previous: Attempt
    score_change: float | None
    """This score minus the previous one; ``None`` if either is ungraded."""
    now_covered: tuple[str, ...]
    """Key points covered now and not then."""
    no_longer_covered: tuple[str, ...]
    """Key points covered then and not now."""


@dataclass(frozen=True)
class ReplayItem:
    number: int
    item: SessionItem
    feedback: Feedback
    change: Change | None
    """``None`` for a first attempt, or an item with no answer (skipped, never answered)."""


def _covered(feedback: Feedback) -> set[str]:
    return {p.text for p in feedback.key_points if p.status is KeyPointStatus.COVERED}


def _change(
    item: SessionItem,
    feedback: Feedback,
    history: Sequence[Attempt],
    follow_up_history: Sequence[Attempt],
) -> Change | None:
    if item.submitted_at is None:
        return None
    # A follow-up is compared with earlier answers to the same follow-up, never with its
    # parent's answers, which answer another question.
    candidates = history if item.follow_up is None else follow_up_history
    before = [
        attempt
        for attempt in candidates
        if attempt.question == item.question
        and attempt.follow_up == item.follow_up
        and attempt.id != item.attempt_id
        and attempt.is_graded
        and attempt.submitted_at <= item.submitted_at
    ]
    if not before:
        return None
    previous = before[-1]
    then = read_feedback(previous.grade)
    score_change = (
        feedback.score - then.score
        if feedback.score is not None and then.score is not None
        else None
    )
    order = [p.text for p in feedback.key_points] + [p.text for p in then.key_points]
    now_set, then_set = _covered(feedback), _covered(then)
    return Change(
        previous=previous,
        score_change=score_change,
        now_covered=tuple(dict.fromkeys(t for t in order if t in now_set - then_set)),
        no_longer_covered=tuple(dict.fromkeys(t for t in order if t in then_set - now_set)),
    )


def replay(
    session: PracticeSession,
    history: Sequence[Attempt],
    follow_up_history: Sequence[Attempt] = (),
) -> list[ReplayItem]:
    """Every item of ``session`` with its feedback and its change since the previous attempt.

    Args:
        session: the session to replay.
        history: the user's attempts, oldest submission first.
        follow_up_history: the user's answers to follow-ups, oldest submission first.
    """
    items = []
    for number, item in enumerate(session.items, start=1):
        feedback = read_feedback(item.grade)
        change = (
            None
            if item.status is ItemStatus.SKIPPED
            else _change(item, feedback, history, follow_up_history)
        )
        items.append(ReplayItem(number, item, feedback, change))
    return items


__all__ = ["Change", "ReplayItem", "replay"]
