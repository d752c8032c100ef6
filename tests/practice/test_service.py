"""The shared practice loop over a store: queue, submit-before-grade, rate into FSRS, progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from interview_prep.domain.questions import Difficulty, KeyPoint, Question
from interview_prep.errors import InvalidInputError
from interview_prep.practice.attempts import LOCAL_USER_ID, QuestionRef
from interview_prep.practice.clock import FixedClock
from interview_prep.practice.queue import QueueReason
from interview_prep.practice.scheduling import CardPhase, Rating
from interview_prep.practice.service import (
    PracticeSettings,
    ask_follow_up,
    category_totals,
    expire_overdue,
    grade_answer,
    load_progress,
    rate_answer,
    start_session,
    submit_answer,
    todays_queue,
)
from interview_prep.practice.sessions import SessionConfig, SessionMode, SessionStateError
from interview_prep.practice.store import InMemoryPracticeStore

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SETTINGS = PracticeSettings(new_per_day=2, desired_retention=0.9, fuzz=False)


@dataclass(frozen=True)
class Record:
    bank_id: str
    question: Question


def question(id, category="Fundamentals", difficulty=Difficulty.EASY):
    return Question(
        id=id,
        category=category,
        question=f"What is {id}?",
        answer=f"{id} is ...",
        difficulty=difficulty,
        key_points=(KeyPoint("first point", 2.0), KeyPoint("second point")),
    )


RECORDS = [
    Record("ml", question("q1")),
    Record("ml", question("q2")),
    Record("ml", question("q3", "Debugging", Difficulty.HARD)),
    Record("ml", question("q4")),
]
BY_REF = {QuestionRef(r.bank_id, r.question.id): r.question for r in RECORDS}


def grader(q, answer):
    good = "right" in answer
    return {
        "score": 4.0 if good else 1.0,
        "label": "acceptable" if good else "incorrect",
        "rating": "Good" if good else "Again",
        "key_points": [
            {"text": p.text, "weight": p.weight, "status": "covered" if good else "missed"}
            for p in q.key_points
        ],
    }


@pytest.fixture
def store():
    return InMemoryPracticeStore()


def answer_all(store, session, clock, answers, ratings):
    for text, rating in zip(answers, ratings, strict=True):
        session.start(clock())
        index = submit_answer(store, session, text, clock.advance(seconds=30))
        grade_answer(store, session, index, BY_REF[session.items[index].question], grader)
        rate_answer(store, session, index, rating, clock(), settings=SETTINGS)


def test_a_drill_session_from_queue_to_fsrs(store):
    clock = FixedClock(START)
    config = SessionConfig(count=3, mode=SessionMode.DRILL)
    session = start_session(store, LOCAL_USER_ID, config, RECORDS, clock(), settings=SETTINGS)
    # Two new questions a day, then one extra to make up the three asked for.
    assert [i.question.question_id for i in session.items] == ["q1", "q2", "q3"]
    assert store.load_session(LOCAL_USER_ID, session.id) == session

    answer_all(store, session, clock, ["right", "wrong", "right"], [None, None, "hard"])
    assert session.is_finished
    reviews = store.review_logs(LOCAL_USER_ID)
    assert [(r.rating, r.suggested) for r in reviews] == [
        (Rating.GOOD, Rating.GOOD),
        (Rating.AGAIN, Rating.AGAIN),
        (Rating.HARD, Rating.GOOD),
    ]
    assert all(r.duration_ms == 30_000 for r in reviews)
    assert [a.score for a in store.attempts(LOCAL_USER_ID)] == [4.0, 1.0, 4.0]
    assert store.load_session(LOCAL_USER_ID, session.id).is_finished


def test_the_queue_follows_fsrs_over_days(store):
    clock = FixedClock(START)
    config = SessionConfig(count=2)
    session = start_session(store, LOCAL_USER_ID, config, RECORDS, clock(), settings=SETTINGS)
    answer_all(store, session, clock, ["right", "wrong"], ["good", "again"])
    states = store.card_states(LOCAL_USER_ID)
    q1, q2 = QuestionRef("ml", "q1"), QuestionRef("ml", "q2")
    assert (states[q1].due, states[q2].due) == (
        START + timedelta(seconds=30 + 10 * 60),
        START + timedelta(seconds=60 + 60),
    )

    # Same day: both learning cards are due today; the day's two new questions are used up.
    queue = todays_queue(store, LOCAL_USER_ID, RECORDS, clock(), settings=SETTINGS)
    assert [(i.question.question_id, i.reason) for i in queue.items] == [
        ("q2", QueueReason.REVIEW),
        ("q1", QueueReason.REVIEW),
    ]
    # Next day: the learning steps are overdue, and two new questions are allowed again.
    clock.advance(days=1)
    queue = todays_queue(store, LOCAL_USER_ID, RECORDS, clock(), settings=SETTINGS)
    assert [(i.question.question_id, i.reason.value) for i in queue.items] == [
        ("q2", "review"),
        ("q1", "review"),
        ("q3", "new"),
        ("q4", "new"),
    ]
    session = start_session(store, LOCAL_USER_ID, SessionConfig(count=1), RECORDS, clock(),
                            settings=SETTINGS)  # fmt: skip
    answer_all(store, session, clock, ["right"], ["good"])
    relearnt = store.card_state(LOCAL_USER_ID, q2)  # Again, then Good: the second learning step
    assert (relearnt.phase, relearnt.reps, relearnt.lapses) == (CardPhase.LEARNING, 2, 0)
    assert relearnt.due == clock() + timedelta(minutes=10)


def test_a_crash_while_grading_keeps_the_answer(store):
    clock = FixedClock(START)
    session = start_session(store, LOCAL_USER_ID, SessionConfig(count=1), RECORDS, clock())
    session.start(clock())
    index = submit_answer(store, session, "my answer", clock.advance(seconds=5))

    def broken(q, a):
        raise RuntimeError("model failed to load")

    with pytest.raises(RuntimeError):
        grade_answer(store, session, index, BY_REF[session.items[index].question], broken)
    (attempt,) = store.attempts(LOCAL_USER_ID)
    assert attempt.answer == "my answer" and not attempt.is_graded
    resumed = store.load_session(LOCAL_USER_ID, session.id)
    grade_answer(store, resumed, index, BY_REF[resumed.items[index].question], grader)
    assert store.attempts(LOCAL_USER_ID)[0].score == 1.0


def test_an_abandoned_timed_answer_is_submitted_on_resume(store):
    clock = FixedClock(START)
    config = SessionConfig(count=1, time_limit_s=60)
    session = start_session(store, LOCAL_USER_ID, config, RECORDS, clock())
    session.start(clock())
    session.save_draft("half", clock.advance(seconds=20))
    store.save_session(session)
    resumed = store.load_session(LOCAL_USER_ID, session.id)
    assert expire_overdue(store, resumed, clock.advance(minutes=10)) == 0
    (attempt,) = store.attempts(LOCAL_USER_ID)
    assert attempt.timed_out and attempt.answer == "half" and attempt.time_taken_s == 60
    assert expire_overdue(store, resumed, clock()) is None


def test_interview_ratings_wait_for_the_end(store):
    clock = FixedClock(START)
    config = SessionConfig(count=2, mode=SessionMode.INTERVIEW)
    session = start_session(store, LOCAL_USER_ID, config, RECORDS, clock(), settings=SETTINGS)
    session.start(clock())
    index = submit_answer(store, session, "right", clock.advance(seconds=10))
    grade_answer(store, session, index, BY_REF[session.items[0].question], grader)
    with pytest.raises(SessionStateError):
        rate_answer(store, session, 0, None, clock(), settings=SETTINGS)
    assert store.review_logs(LOCAL_USER_ID) == []


def test_filters_that_match_nothing(store):
    config = SessionConfig(categories=("Nope",))
    with pytest.raises(InvalidInputError, match="no questions match"):
        start_session(store, LOCAL_USER_ID, config, RECORDS, START)


def test_progress_from_the_store(store):
    clock = FixedClock(START)
    session = start_session(store, LOCAL_USER_ID, SessionConfig(count=2), RECORDS, clock(),
                            settings=SETTINGS)  # fmt: skip
    answer_all(store, session, clock, ["right", "wrong"], [None, None])
    totals = category_totals(RECORDS)
    assert totals == {"Fundamentals": 3, "Debugging": 1}
    progress = load_progress(store, LOCAL_USER_ID, totals, clock())
    fundamentals = progress.mastery[0]
    assert (fundamentals.seen, fundamentals.total, fundamentals.mastery) == (2, 3, 0.5)
    assert progress.streak.current == 1 and progress.due[0].count == 2


def test_settings_from_config():
    from interview_prep.settings import load_config

    config = load_config(environ={"INTERVIEW_PREP_NEW_PER_DAY": "7"})
    assert PracticeSettings.from_config(config) == PracticeSettings(7, 0.9)


FOLLOW_UPS = tuple(
    Question(
        id=f"q1-fu{n}",
        category="Fundamentals",
        question=text,
        answer="...",
        key_points=(KeyPoint(point),),
    )
    for n, text, point in (
        (1, "Which other thing?", "something else"),
        (2, "And the second, in depth?", "the depth of the second"),
    )
)


def test_an_interview_follow_up_is_its_own_attempt_with_no_review(store):
    clock = FixedClock(START)
    config = SessionConfig(count=1, mode=SessionMode.INTERVIEW)
    session = start_session(store, LOCAL_USER_ID, config, RECORDS, clock(), settings=SETTINGS)
    session.start(clock())
    index = submit_answer(store, session, "wrong", clock.advance(seconds=10))
    parent = BY_REF[session.items[0].question]
    grade_answer(store, session, index, parent, grader)
    assert session.interviewer_follows_up(0)
    asked = ask_follow_up(store, session, 0, parent, FOLLOW_UPS)
    # Everything missed, and only fu2 shares a word with it ("second").
    assert asked is not None and asked.follow_up == "q1-fu2"
    assert asked.asked_because == "second point"
    assert store.load_session(LOCAL_USER_ID, session.id).items[1].follow_up == "q1-fu2"
    session.start(clock())
    index = submit_answer(store, session, "right", clock.advance(seconds=20))
    grade_answer(store, session, index, FOLLOW_UPS[1], grader)
    assert session.is_answered
    rate_answer(store, session, 0, None, clock(), settings=SETTINGS)
    assert session.is_finished
    (saved,) = store.follow_up_attempts(LOCAL_USER_ID, session.items[0].question)
    assert (saved.follow_up, saved.score, saved.session_item) == ("q1-fu2", 4.0, 1)
    assert [a.id for a in store.attempts(LOCAL_USER_ID)] == [session.items[0].attempt_id]
    # One review, the question's: a follow-up is no card of its own.
    assert [r.question for r in store.review_logs(LOCAL_USER_ID)] == [session.items[0].question]


def test_a_question_without_follow_up_items_goes_on_as_before(store):
    clock = FixedClock(START)
    config = SessionConfig(count=2, mode=SessionMode.INTERVIEW)
    session = start_session(store, LOCAL_USER_ID, config, RECORDS, clock(), settings=SETTINGS)
    session.start(clock())
    index = submit_answer(store, session, "right", clock.advance(seconds=10))
    grade_answer(store, session, index, BY_REF[session.items[0].question], grader)
    assert ask_follow_up(store, session, 0, BY_REF[session.items[0].question], ()) is None
    assert len(session.items) == 2 and session.current_index == 1


def test_a_full_answer_rotates_the_follow_ups_across_sessions(store):
    clock = FixedClock(START)
    asked = []
    for _ in range(3):
        config = SessionConfig(count=1, mode=SessionMode.INTERVIEW, questions=("ml/q1",))
        session = start_session(store, LOCAL_USER_ID, config, RECORDS, clock(), settings=SETTINGS)
        session.start(clock())
        index = submit_answer(store, session, "right", clock.advance(seconds=10))
        parent = BY_REF[session.items[0].question]
        grade_answer(store, session, index, parent, grader)
        item = ask_follow_up(store, session, 0, parent, FOLLOW_UPS)
        assert item is not None and not item.asked_because
        asked.append(item.follow_up)
        session.start(clock())
        index = submit_answer(store, session, "right", clock.advance(seconds=10))
        grade_answer(store, session, index, FOLLOW_UPS[0], grader)
        clock.advance(days=1)
    assert asked == ["q1-fu1", "q1-fu2", "q1-fu1"]


@pytest.mark.parametrize("mode", [SessionMode.INTERVIEW, SessionMode.DRILL])
def test_the_interviewer_asks_as_the_grade_is_kept_in_interview_mode_only(store, mode):
    clock = FixedClock(START)
    config = SessionConfig(count=1, mode=mode)
    session = start_session(store, LOCAL_USER_ID, config, RECORDS, clock(), settings=SETTINGS)
    session.start(clock())
    index = submit_answer(store, session, "wrong", clock.advance(seconds=10))
    parent = BY_REF[session.items[0].question]
    grade_answer(store, session, index, parent, grader, follow_ups=FOLLOW_UPS)
    stored = store.load_session(LOCAL_USER_ID, session.id)
    # One write holds the grade and, in interview mode, the follow-up it chose.
    assert stored == session and stored.items[0].grade is not None
    expected = ["q1-fu2"] if mode is SessionMode.INTERVIEW else []
    assert [item.follow_up for item in stored.items[1:]] == expected
