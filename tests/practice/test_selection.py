"""Choosing a session's questions: filters by tag and list, a typed question list, my weakest."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from interview_prep.errors import InvalidInputError
from interview_prep.practice.attempts import QuestionRef
from interview_prep.practice.mastery import Mastery
from interview_prep.practice.queue import Candidate, QueueFilter, QueueReason
from interview_prep.practice.selection import parse_question_list, weakest

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
A, B, C = QuestionRef("ml", "a"), QuestionRef("ml", "b"), QuestionRef("ml", "c")
SHARED = QuestionRef("other", "a")


def candidate(ref: QuestionRef, *tags: str, category: str = "Fundamentals") -> Candidate:
    return Candidate(question=ref, category=category, tags=tags)


def test_filters_by_tag_and_by_list() -> None:
    pool = [candidate(A, "metrics"), candidate(B, "gradients", "rnn"), candidate(C)]
    by_tag = QueueFilter(tags=("rnn", "metrics"))
    assert [c.question for c in pool if by_tag.matches(c)] == [A, B]
    listed = QueueFilter(questions=frozenset({C, A}))
    assert [c.question for c in pool if listed.matches(c)] == [A, C]
    both = QueueFilter(tags=("metrics",), questions=frozenset({B}))
    assert [c.question for c in pool if both.matches(c)] == []


def test_a_typed_question_list() -> None:
    known = [A, B, C, SHARED]
    assert parse_question_list("b, c\nml/a  b", known) == (B, C, A)
    with pytest.raises(InvalidInputError, match="several banks: write ml/a, other/a"):
        parse_question_list("a", known)
    with pytest.raises(InvalidInputError, match="no question 'nope', 'ml/zzz'"):
        parse_question_list("b nope ml/zzz /", known)
    with pytest.raises(InvalidInputError, match="at most 100"):
        parse_question_list(" ".join(["b"] * 101), known)


def mastery(value: float) -> Mastery:
    return Mastery(value=value, quality=value, retrievability=None, graded=1)


def test_my_weakest_is_the_lowest_mastery_due_or_not() -> None:
    pool = [candidate(A), candidate(B, category="Debugging"), candidate(C)]
    known = {A: mastery(0.9), B: mastery(0.2), C: mastery(0.5)}
    items = weakest(pool, known)
    assert [item.question for item in items] == [B, C, A]
    assert {item.reason for item in items} == {QueueReason.WEAK}
    assert [i.question for i in weakest(pool, known, limit=1)] == [B]
    only = weakest(pool, known, where=QueueFilter(categories=("Fundamentals",)))
    assert [item.question for item in only] == [C, A]
    # Never answered: no mastery, so not among the weakest.
    assert [i.question for i in weakest(pool, {A: mastery(0.1)})] == [A]
