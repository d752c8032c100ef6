"""Which follow-up the interviewer asks after an answer: the one that probes what it missed.

An interviewer follows up on the gap: a candidate who left out how dropout works is asked about
dropout, one who claimed that more data always cures overfitting is asked about what else can be
wrong. Here that is a word overlap, weighted the way a search engine weighs a query:

* the *gap* is the words of what the answer said wrong, or else of what it missed: each
  misconception the answer stated (claim and correction) or, when no follow-up is about those,
  each weak key point (missed, partial or contradicted) with the question's terms for it,
  weighted by the point's weight. Wrong claims come first because they are what an interviewer
  probes first, and mixing the two would let a long list of missed points outvote the one claim;
* each follow-up is the words of its question, its key points and their terms;
* a follow-up scores the gap weight of every word it shares with the gap, times how rare that
  word is among the question's follow-ups (``log(n / df)``). A word every follow-up has, such as
  the topic itself ("overfitting"), tells them apart in nothing, and scores nothing.

The best score above zero wins. Without a fit (a full answer, or a gap no follow-up is about),
the interviewer asks the follow-up the user has gone longest without, so repeats vary. A simple
lexical mechanism on purpose: it runs with no model, explains itself (the words it matched), and
the follow-up items are written with the same terms as their parents' key points.

Pure: it reads the grade dict and the questions, and does no I/O.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..domain.questions import Question
from .feedback import read_feedback

_WORD = re.compile(r"[a-z0-9]+")
# Words that say nothing about a topic; anything shorter than three letters goes too.
_STOP_TEXT = """
    about above after again against also among and any are because been before being below
    between both but can cannot could does doing down during each either else every few for from
    further had has have having her here hers how however into its itself just like more most much
    must not now off once only other our out over own same should some such than that the their
    them then there these they this those through too under until upon very was were what when
    where whether which while who whom why will with within without would you your yours use used
    uses using one two way ways thing things make makes made well many get gets"""
_STOP_WORDS = frozenset(_STOP_TEXT.split())
# British and American spellings and the forms of a word meet at one stem ("regularise",
# "regularization", "regularised" → "regular"); longest suffix first.
_SUFFIXES = (
    "izations",
    "isations",
    "ization",
    "isation",
    "izing",
    "ising",
    "ized",
    "ised",
    "izes",
    "ises",
    "ize",
    "ise",
    "ies",
    "ing",
    "ed",
    "es",
    "s",
)


def stem(word: str) -> str:
    """A crude stem: the word without its usual English endings (keeping at least 4 letters)."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            if suffix == "s" and word.endswith("ss"):
                return word
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def content_stems(text: str) -> set[str]:
    """The stems of the words of ``text`` that carry meaning."""
    words = _WORD.findall(text.lower())
    return {stem(word) for word in words if len(word) >= 3 and word not in _STOP_WORDS}


@dataclass(frozen=True)
class FollowUpChoice:
    """The follow-up to ask, and why."""

    follow_up_id: str
    because: str = ""
    """The weak key point or the wrong claim it probes most; empty when nothing fitted."""
    matched: tuple[str, ...] = ()
    """The stems it shares with the gap, most telling first."""

    @property
    def fitted(self) -> bool:
        """Chosen for what the answer missed or said wrong (not by rotation)."""
        return bool(self.because)


Gap = list[tuple[str, set[str], float]]
"""What an answer missed or said wrong: ``(description, stems, weight)`` each."""


def _gaps(parent: Question, grade: dict[str, Any] | None) -> tuple[Gap, Gap]:
    """The answer's wrong claims, then its weak key points."""
    feedback = read_feedback(grade)
    terms = {point.text: point.terms for point in parent.key_points}
    wrong = [
        (claim.claim, content_stems(f"{claim.claim} {claim.correction}"), 1.0)
        for claim in feedback.misconceptions
    ]
    missed = [
        (
            point.text,
            content_stems(" ".join((point.text, *terms.get(point.text, ())))),
            point.weight,
        )
        for point in feedback.key_points
        if point.is_weak
    ]
    return wrong, missed


def _words_of(follow_up: Question) -> set[str]:
    parts = [follow_up.question]
    for point in follow_up.key_points:
        parts += [point.text, *point.terms]
    return content_stems(" ".join(parts))


def choose_follow_up(
    parent: Question,
    follow_ups: Sequence[Question],
    grade: dict[str, Any] | None,
    asked_before: Sequence[str] = (),
) -> FollowUpChoice | None:
    """The follow-up to ask after an answer to ``parent``.

    Args:
        parent: the question answered (its key points' terms widen the gap's words).
        follow_ups: the question's follow-up items, in the bank's order.
        grade: the answer's grade (``GradeResult.to_dict()``); ``None`` (not graded) has no
            gap, so the rotation chooses.
        asked_before: ids of this question's follow-ups the user answered before, oldest first.

    Returns:
        The choice, or ``None`` when the question has no follow-up items.
    """
    if not follow_ups:
        return None
    words = [_words_of(item) for item in follow_ups]
    count = len(follow_ups)
    rarity: dict[str, float] = {}
    for stems in words:
        for word in stems:
            rarity[word] = rarity.get(word, 0) + 1
    rarity = {word: math.log(count / df) for word, df in rarity.items()}

    def last_asked(position: int) -> int:
        # Never asked sorts first, then the one asked longest ago.
        item_id = follow_ups[position].id
        return max((i for i, asked in enumerate(asked_before) if asked == item_id), default=-1)

    for gap in _gaps(parent, grade):
        choice = _best_fit(follow_ups, words, rarity, gap, last_asked)
        if choice is not None:
            return choice
    position = min(range(count), key=lambda p: (last_asked(p), p))
    return FollowUpChoice(follow_ups[position].id)


def _best_fit(
    follow_ups: Sequence[Question],
    words: Sequence[set[str]],
    rarity: dict[str, float],
    gap: Gap,
    last_asked: Callable[[int], int],
) -> FollowUpChoice | None:
    best: tuple[float, int, int] | None = None
    best_because = ""
    best_matched: tuple[str, ...] = ()
    for position, stems in enumerate(words):
        score, top, because = 0.0, 0.0, ""
        matched: dict[str, float] = {}
        for description, gap_words, weight in gap:
            part = 0.0
            for word in gap_words & stems:
                matched[word] = matched.get(word, 0.0) + weight * rarity[word]
                part += weight * rarity[word]
            score += part
            if part > top:
                top, because = part, description
        if score <= 0:
            continue
        key = (score, -last_asked(position), -position)
        if best is None or key > best:
            best, best_because = key, because
            best_matched = tuple(
                w for w in sorted(matched, key=lambda w: -matched[w]) if matched[w]
            )
    if best is None:
        return None
    return FollowUpChoice(follow_ups[-best[2]].id, best_because, best_matched)


__all__ = ["FollowUpChoice", "choose_follow_up", "content_stems", "stem"]
