"""A mock interview session: transitions, time limits, feedback gating, summary, resuming."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from interview_prep.errors import InvalidInputError
from interview_prep.practice.attempts import AnswerSource, QuestionRef
from interview_prep.practice.clock import FixedClock
from interview_prep.practice.scheduling import Rating
from interview_prep.practice.sessions import (
    SUBMIT_GRACE_S,
    ItemStatus,
    PracticeSession,
    SessionConfig,
    SessionMode,
    SessionStateError,
)

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
QUESTIONS = [
    (QuestionRef("ml", "overfitting"), "Fundamentals"),
    (QuestionRef("ml", "dropout"), "Deep dive"),
    (QuestionRef("ml", "drift"), "Debugging"),
]


def grade(score, *points):
    """A grade dict in the grader's shape; points are (text, weight, status)."""
    return {
        "score": score,
        "label": "weak" if score < 3 else "strong",
        "rating": "Hard" if score < 3 else "Good",
        "key_points": [
            {"index": n, "text": text, "weight": weight, "status": status}
            for n, (text, weight, status) in enumerate(points)
        ],
    }


def session(mode=SessionMode.DRILL, count=2, time_limit_s=60):
    config = SessionConfig(bank="ml", count=count, time_limit_s=time_limit_s, mode=mode)
    return PracticeSession.create(config, QUESTIONS, START, session_id="s1")


def test_create_takes_count_questions_in_order():
    s = session(count=2)
    assert [item.question for item in s.items] == [QUESTIONS[0][0], QUESTIONS[1][0]]
    assert s.current_index == 0 and s.items[0].status is ItemStatus.PENDING
    with pytest.raises(InvalidInputError, match="no questions match"):
        PracticeSession.create(SessionConfig(), [], START)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"count": 0}, "number of questions"),
        ({"count": 101}, "number of questions"),
        ({"time_limit_s": 0}, "time limit"),
    ],
)
def test_config_is_checked(kwargs, message):
    with pytest.raises(InvalidInputError, match=message):
        SessionConfig(**kwargs)


def test_drill_start_submit_grade_rate():
    clock = FixedClock(START)
    s = session()
    item = s.start(clock())
    assert item.status is ItemStatus.ANSWERING
    assert s.deadline(0) == START + timedelta(seconds=60)
    assert s.remaining_s(clock.advance(seconds=20)) == 40
    item = s.submit("Too complex a model.", clock(), source=AnswerSource.SPOKEN)
    assert item.status is ItemStatus.SUBMITTED and not item.timed_out
    assert item.source is AnswerSource.SPOKEN and item.attempt_id
    assert item.time_taken_s == 20 and s.current_index == 1
    assert not s.feedback_ready(0)
    with pytest.raises(SessionStateError, match="after its feedback"):
        s.rate(0, "good", clock())
    s.attach_grade(0, grade(2.5, ("memorises noise", 2.0, "missed")))
    assert s.feedback_ready(0) and s.items[0].suggested is Rating.HARD
    s.rate(0, "easy", clock())  # an override of the suggested Hard
    assert s.items[0].rating is Rating.EASY and s.items[0].status is ItemStatus.RATED
    with pytest.raises(SessionStateError, match="already been rated"):
        s.rate(0, "good", clock())
    assert not s.is_finished


def test_a_late_submission_is_kept_as_it_stands_and_marked():
    s = session()
    s.start(START)
    item = s.submit("half an answer", START + timedelta(seconds=61))
    # A second late: the countdown's own submission, so it took the limit, not 1:01 of 1:00.
    assert item.timed_out and item.answer == "half an answer" and item.time_taken_s == 60
    s.start(START + timedelta(seconds=70))
    on_time = s.submit("in time", START + timedelta(seconds=130))
    assert not on_time.timed_out  # exactly at the deadline still counts


def test_a_submission_well_past_the_grace_keeps_its_own_time():
    s = session()
    s.start(START)
    grace = timedelta(seconds=60 + SUBMIT_GRACE_S)
    assert s.submit("just in grace", START + grace).submitted_at == START + timedelta(seconds=60)
    s.start(START + timedelta(seconds=100))
    item = s.submit("much later", START + timedelta(seconds=100 + 60 + 30))
    assert item.timed_out and item.time_taken_s == 90


def test_expire_submits_an_abandoned_draft_at_its_deadline():
    s = session()
    s.start(START)
    s.save_draft("what I had typed", START + timedelta(seconds=30))
    assert s.expire(START + timedelta(seconds=59)) is None
    item = s.expire(START + timedelta(hours=2))
    assert item is not None and item.timed_out
    assert item.answer == "what I had typed" and item.submitted_at == START + timedelta(seconds=60)
    assert s.current_index == 1
    assert session(time_limit_s=None).expire(START + timedelta(days=1)) is None


def test_interview_mode_holds_feedback_until_every_answer_is_in():
    s = session(SessionMode.INTERVIEW)
    s.start(START)
    s.submit("one", START + timedelta(seconds=10))
    s.attach_grade(0, grade(4, ("a", 1.0, "covered")))
    assert not s.feedback_ready(0)
    with pytest.raises(SessionStateError):
        s.rate(0, "good", START)
    s.start(START + timedelta(seconds=10))
    s.submit("two", START + timedelta(seconds=30))
    s.attach_grade(1, grade(1, ("b", 1.0, "missed")))
    assert s.is_answered and s.feedback_ready(0) and s.feedback_ready(1)
    s.rate(0, "good", START)
    s.rate(1, "again", START)
    assert s.is_finished


def test_transitions_out_of_order_are_refused():
    s = session(count=1)
    with pytest.raises(SessionStateError, match="start one first"):
        s.submit("x", START)
    with pytest.raises(SessionStateError, match="not been submitted"):
        s.attach_grade(0, grade(3))
    with pytest.raises(SessionStateError, match="no question 5"):
        s.attach_grade(4, grade(3))
    s.start(START)
    s.submit("x", START)
    with pytest.raises(SessionStateError, match="every question"):
        s.start(START)
    with pytest.raises(ValueError, match="timezone-aware"):
        session().start(datetime(2026, 3, 2, 9))
    assert SessionStateError("x").status == 409


def test_resuming_keeps_the_start_time():
    s = session()
    s.start(START)
    resumed = PracticeSession.from_dict(json.loads(json.dumps(s.to_dict())))
    assert resumed.start(START + timedelta(minutes=5)).started_at == START
    assert resumed.remaining_s(START + timedelta(minutes=5)) == 0


def test_round_trip_through_json():
    s = session(SessionMode.INTERVIEW, count=3)
    s.start(START)
    s.submit("first", START + timedelta(seconds=5))
    s.attach_grade(0, grade(3.5, ("k", 1.0, "partly")))
    s.start(START + timedelta(seconds=6))
    s.save_draft("draft", START + timedelta(seconds=7))
    data = json.loads(json.dumps(s.to_dict()))
    again = PracticeSession.from_dict(data)
    assert again == s and again.to_dict() == data
    assert data["format_version"] == 1 and data["config"]["mode"] == "interview"
    with pytest.raises(ValueError, match="newer"):
        PracticeSession.from_dict({**data, "format_version": 99})


def test_summary_lists_scores_times_and_the_heaviest_weak_points():
    s = session(count=2)
    s.start(START)
    s.submit("a", START + timedelta(seconds=40))
    s.attach_grade(
        0,
        grade(
            2.0,
            ("defines overfitting", 1.0, "covered"),
            ("regularisation helps", 1.0, "partly"),
            ("memorises noise", 3.0, "missed"),
            ("more data helps", 1.0, "missed"),
        ),
    )
    s.rate(0, "hard", START)
    s.start(START + timedelta(seconds=40))
    s.submit("b", START + timedelta(seconds=110))
    s.attach_grade(
        1, grade(4.0, ("drops units", 2.0, "covered"), ("scales at test", 2.0, "missed"))
    )
    summary = s.summary(weakest=2)
    first, second = summary.items
    assert first.weakest_key_points == ("memorises noise", "more data helps")
    assert second.weakest_key_points == ("scales at test",)
    assert (first.score, first.time_taken_s, first.timed_out) == (2.0, 40, False)
    assert second.time_taken_s == 70 and second.timed_out
    assert summary.mean_score == 3.0 and summary.total_time_s == 110
    assert summary.timed_out_count == 1
    assert summary.weakest_key_points == ("memorises noise", "scales at test")
    assert summary.to_dict()["items"][0]["rating"] == "hard"


# Follow-ups


def answer(s, index, text, score, at):
    s.start(at)
    s.submit(text, at + timedelta(seconds=20))
    return s.attach_grade(index, grade(score, ("a point", 1.0, "missed")))


def test_an_interview_follow_up_is_the_next_question_and_takes_no_rating():
    s = session(SessionMode.INTERVIEW)
    answer(s, 0, "first", 2.0, START)
    assert s.interviewer_follows_up(0)
    asked = s.ask_follow_up(0, "overfitting-fu2", because="a point")
    assert s.items[1] is asked and s.current_index == 1 and len(s.items) == 3
    assert asked.question == QUESTIONS[0][0] and asked.follow_up == "overfitting-fu2"
    assert s.parent_of(1) is s.items[0] and s.follow_up_of(0) is asked
    assert s.awaits_follow_up(0) and not s.interviewer_follows_up(0)
    # The same timer rules: its own clock, and late means timed out.
    s.start(START + timedelta(minutes=1))
    assert s.deadline(1) == START + timedelta(minutes=2)
    s.submit("<b>late</b>", START + timedelta(minutes=3))
    assert asked.timed_out
    s.attach_grade(1, grade(1.0))
    assert asked.status is ItemStatus.ANSWERED and asked.status.closed
    assert not s.feedback_ready(1)  # interview mode: at the end, like the rest
    answer(s, 2, "second", 4.0, START + timedelta(minutes=5))
    s.ask_follow_up(2, "dropout-fu1")
    s.skip(START + timedelta(minutes=6))  # a skip is not a zero
    assert s.is_answered and s.feedback_ready(1)
    with pytest.raises(SessionStateError, match="not rated"):
        s.rate(1, "good", START + timedelta(minutes=7))
    s.rate(0, "hard", START + timedelta(minutes=7))
    s.rate(2, "good", START + timedelta(minutes=7))
    assert s.is_finished
    again = PracticeSession.from_dict(json.loads(json.dumps(s.to_dict())))
    assert again.to_dict() == s.to_dict()
    assert again.items[1].follow_up == "overfitting-fu2"
    assert again.items[1].asked_because == "a point"
    summary = s.summary()
    assert [row.follow_up for row in summary.items] == [
        None,
        "overfitting-fu2",
        None,
        "dropout-fu1",
    ]
    assert summary.items[3].skipped and summary.items[3].score is None
    # The mean is of the questions themselves, comparable with a session with no follow-ups.
    assert summary.mean_score == pytest.approx(3.0)


def test_a_drill_follow_up_comes_after_the_feedback_and_before_the_rating():
    s = session(SessionMode.DRILL)
    answer(s, 0, "first", 2.0, START)
    assert not s.interviewer_follows_up(0)  # drill mode: only when asked for
    s.ask_follow_up(0, "overfitting-fu1")
    with pytest.raises(SessionStateError, match="already"):
        s.ask_follow_up(0, "overfitting-fu2")
    with pytest.raises(SessionStateError, match="follow-up first"):
        s.retry(0)
    answer(s, 1, "follow-up", 3.0, START + timedelta(minutes=1))
    assert s.feedback_ready(1) and not s.awaits_follow_up(0)
    with pytest.raises(SessionStateError, match="no follow-up of its own"):
        s.ask_follow_up(1, "x")
    # Retried after its follow-up: the retry comes after the follow-up, which stays with it.
    s.retry(0)
    assert [item.follow_up for item in s.items] == [None, "overfitting-fu1", None, None]
    assert s.items[2].question == QUESTIONS[0][0] and s.current_index == 2
    with pytest.raises(SessionStateError, match="graded"):
        s.ask_follow_up(0, "overfitting-fu2")  # retried: no longer waiting for a rating


def test_a_follow_up_is_refused_before_grading_after_rating_or_past_a_started_question():
    s = session(SessionMode.DRILL)
    s.start(START)
    s.submit("x", START)
    with pytest.raises(SessionStateError, match="graded"):
        s.ask_follow_up(0, "fu")
    s.attach_grade(0, grade(3.0))
    s.rate(0, "good", START)
    with pytest.raises(SessionStateError, match="graded"):
        s.ask_follow_up(0, "fu")
    s2 = session(SessionMode.INTERVIEW)
    answer(s2, 0, "x", 2.0, START)
    s2.start(START)  # the next question is under way already
    with pytest.raises(SessionStateError, match="later question"):
        s2.ask_follow_up(0, "fu")
