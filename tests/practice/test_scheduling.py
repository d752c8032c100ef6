"""FSRS through our own types, with a fixed clock and fuzzing off so the sequences are exact."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta, timezone

import fsrs
import pytest

from interview_prep.practice.attempts import QuestionRef
from interview_prep.practice.scheduling import (
    CardPhase,
    CardState,
    Rating,
    ReviewLogEntry,
    card_id_for,
    make_scheduler,
    rating_for_score,
    schedule,
    suggested_rating,
)

QUESTION = QuestionRef("ml", "bias-variance")
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def scheduler() -> fsrs.Scheduler:
    return make_scheduler(0.9, fuzz=False)


def run(scheduler, ratings, start=START):
    """Rate the card each time it falls due; return (rated_at, rating, state, entry) per step."""
    state, now, steps = None, start, []
    for rating in ratings:
        state, entry = schedule(state, rating, now, question=QUESTION, scheduler=scheduler)
        steps.append((now, rating, state, entry))
        now = state.due
    return steps


def test_new_card_rated_good_moves_through_learning_into_review(scheduler):
    steps = run(scheduler, ["good"] * 4)
    assert [state.due for _, _, state, _ in steps] == [
        START + timedelta(minutes=10),
        datetime(2026, 1, 7, 9, 10, tzinfo=UTC),
        datetime(2026, 1, 18, 9, 10, tzinfo=UTC),
        datetime(2026, 3, 5, 9, 10, tzinfo=UTC),
    ]
    assert [state.phase for _, _, state, _ in steps] == [
        CardPhase.LEARNING,
        CardPhase.REVIEW,
        CardPhase.REVIEW,
        CardPhase.REVIEW,
    ]
    assert [state.reps for _, _, state, _ in steps] == [1, 2, 3, 4]
    assert all(state.lapses == 0 for _, _, state, _ in steps)


def test_due_dates_only_advance_while_recalled(scheduler):
    dues = [state.due for _, _, state, _ in run(scheduler, ["good"] * 6)]
    assert dues == sorted(dues)
    gaps = [later - earlier for earlier, later in itertools.pairwise(dues)]
    assert gaps == sorted(gaps)


def test_again_on_a_review_card_is_a_lapse(scheduler):
    steps = run(scheduler, ["good", "good", "good", "good", "again", "good", "good"])
    lapse_at, _, lapsed, entry = steps[4]
    assert lapse_at == datetime(2026, 3, 5, 9, 10, tzinfo=UTC)
    assert entry.is_lapse and entry.phase_before is CardPhase.REVIEW
    assert lapsed.phase is CardPhase.RELEARNING
    assert lapsed.due == lapse_at + timedelta(minutes=10)
    assert [state.lapses for _, _, state, _ in steps] == [0, 0, 0, 0, 1, 1, 1]
    assert [state.due for _, _, state, _ in steps[5:]] == [
        datetime(2026, 3, 8, 9, 20, tzinfo=UTC),
        datetime(2026, 3, 16, 9, 20, tzinfo=UTC),
    ]


def test_again_while_learning_is_not_a_lapse(scheduler):
    steps = run(scheduler, ["again", "again", "good"])
    assert [state.lapses for _, _, state, _ in steps] == [0, 0, 0]
    assert [state.phase for _, _, state, _ in steps] == [CardPhase.LEARNING] * 3
    assert steps[0][2].due == START + timedelta(minutes=1)


def test_an_override_is_what_gets_scheduled(scheduler):
    suggested = suggested_rating({"score": 4.0, "suggested_rating": "good"})
    assert suggested is Rating.GOOD
    good, _ = schedule(None, suggested, START, question=QUESTION, scheduler=scheduler)
    easy, entry = schedule(
        None, Rating.EASY, START, question=QUESTION, scheduler=scheduler, suggested=suggested
    )
    assert entry.rating is Rating.EASY and entry.suggested is Rating.GOOD and entry.overridden
    assert easy.phase is CardPhase.REVIEW and good.phase is CardPhase.LEARNING
    assert easy.due == START + timedelta(days=8)
    assert good.due == START + timedelta(minutes=10)


def test_the_log_entry_is_what_fsrs_optimises_from(scheduler):
    state, first = schedule(None, "good", START, question=QUESTION, scheduler=scheduler)
    _, second = schedule(
        state, "hard", state.due, question=QUESTION, scheduler=scheduler, duration_ms=42_000
    )
    assert first.phase_before is None and first.due_before is None
    assert second.due_before == state.due
    assert first.card_id == second.card_id == card_id_for(QUESTION)
    log = second.to_fsrs()
    assert (log.card_id, log.rating, log.review_duration) == (
        card_id_for(QUESTION),
        fsrs.Rating.Hard,
        42_000,
    )
    assert ReviewLogEntry.from_dict(second.to_dict()) == second


def test_card_state_round_trips_and_resumes_the_same_schedule(scheduler):
    state, _ = schedule(None, "good", START, question=QUESTION, scheduler=scheduler)
    restored = CardState.from_dict(state.to_dict())
    assert restored == state
    assert restored.last_review == START and restored.stability == state.card["stability"]
    again, _ = schedule(restored, "good", state.due, question=QUESTION, scheduler=scheduler)
    direct, _ = schedule(state, "good", state.due, question=QUESTION, scheduler=scheduler)
    assert again == direct


def test_other_time_zones_are_converted_and_naive_ones_refused(scheduler):
    paris = START.astimezone(timezone(timedelta(hours=1)))
    state, entry = schedule(None, "good", paris, question=QUESTION, scheduler=scheduler)
    assert entry.reviewed_at == START and entry.reviewed_at.tzinfo is UTC
    with pytest.raises(ValueError, match="timezone-aware"):
        schedule(state, "good", datetime(2026, 1, 6), question=QUESTION, scheduler=scheduler)


def test_desired_retention_shortens_intervals(scheduler):
    strict = make_scheduler(0.97, fuzz=False)
    lax_state = strict_state = None
    for _ in range(3):
        lax_state, _ = schedule(lax_state, "good", START, question=QUESTION, scheduler=scheduler)
        strict_state, _ = schedule(strict_state, "good", START, question=QUESTION, scheduler=strict)
    assert strict_state.due < lax_state.due
    with pytest.raises(ValueError, match="between 0 and 1"):
        make_scheduler(1.0)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("again", Rating.AGAIN),
        ("Good", Rating.GOOD),
        (" EASY ", Rating.EASY),
        ("h", Rating.HARD),
        (2, Rating.HARD),
        ("4", Rating.EASY),
        (Rating.GOOD, Rating.GOOD),
    ],
)
def test_rating_parse(value, expected):
    assert Rating.parse(value) is expected


@pytest.mark.parametrize("value", ["meh", 0, 5, True, ""])
def test_rating_parse_refuses(value):
    with pytest.raises(ValueError, match="not a rating"):
        Rating.parse(value)


def test_suggestion_from_grade():
    assert suggested_rating(None) is None
    assert suggested_rating({}) is None
    assert suggested_rating({"suggested_rating": "Hard", "score": 5}) is Rating.HARD
    assert suggested_rating({"suggested_rating": "unsure", "score": 1.5}) is Rating.AGAIN
    assert [rating_for_score(s) for s in (0, 1.9, 2, 3, 4.4, 4.5, 5)] == [
        Rating.AGAIN,
        Rating.AGAIN,
        Rating.HARD,
        Rating.GOOD,
        Rating.GOOD,
        Rating.EASY,
        Rating.EASY,
    ]


def test_fuzzing_is_on_by_default():
    assert make_scheduler().enable_fuzzing is True
    assert make_scheduler(fuzz=False).enable_fuzzing is False
