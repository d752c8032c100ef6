"""Mastery from the whole history: recency-weighted scores times FSRS retrievability."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interview_prep.practice.attempts import QuestionRef
from interview_prep.practice.mastery import (
    EMPTY_WEIGHT,
    RECENCY,
    masteries,
    question_mastery,
    retrievability,
    score_quality,
)
from interview_prep.practice.scheduling import make_scheduler, schedule

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
Q = QuestionRef("ml", "q1")


@dataclass(frozen=True)
class Answer:
    score: float | None
    answer: str = "an answer"
    created_at: datetime = NOW
    question: QuestionRef = Q


def history(*scores: float | None, empty_last: bool = False) -> list[Answer]:
    answers = [
        Answer(score, created_at=NOW - timedelta(hours=len(scores) - n))
        for n, score in enumerate(scores)
    ]
    if empty_last:
        answers[-1] = Answer(answers[-1].score, "  ", answers[-1].created_at)
    return answers


def test_one_empty_answer_does_not_wipe_out_a_4_8() -> None:
    mastery = question_mastery(history(4.8, 0.0, empty_last=True), None, NOW)
    assert mastery is not None
    expected = RECENCY * 4.8 / (RECENCY + EMPTY_WEIGHT) / 5
    assert mastery.value == pytest.approx(expected)
    assert mastery.value > 0.5  # the latest score alone would say 0
    # A written wrong answer is stronger evidence than a blank one.
    written = question_mastery(history(4.8, 0.0), None, NOW)
    assert written is not None and written.value < mastery.value


def test_exact_weights() -> None:
    # Oldest first: weights 0.36, 0.6, 1.
    assert score_quality([(5.0, False), (0.0, False), (5.0, False)]) == pytest.approx(
        (0.36 * 5 + 1.0 * 5) / (0.36 + 0.6 + 1.0) / 5
    )
    assert score_quality([]) is None
    with pytest.raises(ValueError, match="between 0 and 5"):
        score_quality([(5.5, False)])


def test_ungraded_attempts_count_for_nothing() -> None:
    assert question_mastery(history(None, None), None, NOW) is None
    only = question_mastery(history(None, 4.0), None, NOW)
    assert only is not None and only.value == pytest.approx(0.8) and only.graded == 1


def test_retrievability_fades_with_time_since_the_review() -> None:
    state, _ = schedule(None, "good", NOW, question=Q, scheduler=make_scheduler(fuzz=False))
    fresh = retrievability(state, NOW)
    later = retrievability(state, NOW + timedelta(days=30))
    assert fresh == pytest.approx(1.0)
    assert later is not None and 0.0 < later < 0.9
    recent = question_mastery(history(4.0), state, NOW)
    faded = question_mastery(history(4.0), state, NOW + timedelta(days=30))
    assert recent is not None and faded is not None
    assert faded.value == pytest.approx(0.8 * later) and faded.value < recent.value


def test_masteries_per_question() -> None:
    other = QuestionRef("ml", "q2")
    found = masteries(
        [Answer(5.0), Answer(1.0, question=other), Answer(None, question=QuestionRef("ml", "x"))],
        {},
        NOW,
    )
    assert {ref: m.value for ref, m in found.items()} == {Q: 1.0, other: pytest.approx(0.2)}


scores = st.floats(min_value=0.0, max_value=5.0, allow_nan=False)
histories = st.lists(st.tuples(scores, st.booleans()), min_size=1, max_size=30)


@given(histories)
def test_quality_stays_between_the_lowest_and_highest_score(entries) -> None:
    quality = score_quality(entries)
    assert quality is not None
    values = [score / 5 for score, _ in entries]
    assert min(values) - 1e-9 <= quality <= max(values) + 1e-9


@given(histories, st.integers(min_value=0, max_value=29), scores)
def test_a_better_score_never_lowers_quality(entries, index, better) -> None:
    index %= len(entries)
    score, empty = entries[index]
    raised = list(entries)
    raised[index] = (max(score, better), empty)
    before, after = score_quality(entries), score_quality(raised)
    assert before is not None and after is not None
    assert after >= before - 1e-9


written = st.lists(st.tuples(scores, st.just(False)), min_size=1, max_size=30)


@given(written)
def test_one_blank_answer_keeps_more_than_half_of_the_quality(entries) -> None:
    before = score_quality(entries)
    after = score_quality([*entries, (0.0, True)])
    assert before is not None and after is not None
    assert after > before / 2 or before == 0.0
