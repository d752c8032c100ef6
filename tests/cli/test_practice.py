"""The terminal practice loop, driven headless through the real entry point.

Questions come from the bundled bank in a real SQLite database; the practice store is the
in-memory one, the grader a fake with the real grader's dict shape, and the clock a fixed one
that moves on as each line of input is "typed".
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import threading
import time
from datetime import UTC, datetime

import pytest

from interview_prep.cli import main
from interview_prep.cli import practice as practice_cli
from interview_prep.domain.questions import Question
from interview_prep.errors import ConfigurationError
from interview_prep.practice.attempts import LOCAL_USER_ID, QuestionRef
from interview_prep.practice.clock import FixedClock, utc_now
from interview_prep.practice.scheduling import CardPhase, Rating
from interview_prep.practice.store import InMemoryPracticeStore

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
FIRST = QuestionRef("ml-engineer", "supervised-vs-unsupervised")
SECOND = QuestionRef("ml-engineer", "overfitting")


class TypedInput(io.StringIO):
    """Standard input whose every line takes ``seconds`` of the fixed clock to type."""

    def __init__(self, text: str, clock: FixedClock, seconds: float) -> None:
        super().__init__(text)
        self.clock, self.seconds = clock, seconds

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        line = super().readline(-1 if size is None else size)
        if line:
            self.clock.advance(seconds=self.seconds)
        return line


def fake_grade(question, answer):
    """The real grader's dict shape: score 4 if the answer says "labels", else 1."""
    good = "labels" in answer
    start = answer.find("labels")
    return {
        "question_id": question.id,
        "score": 4.0 if good else 1.0,
        "label": "acceptable" if good else "incorrect",
        "rating": "Good" if good else "Again",
        "feedback": "Fake feedback.",
        "key_points": [
            {
                "index": 0,
                "text": question.key_points[0].text,
                "weight": 2.0,
                "status": "covered" if good else "missed",
                "evidence": {"text": "labels", "start": start, "end": start + 6} if good else None,
            },
            {"index": 1, "text": question.key_points[1].text, "weight": 1.0, "status": "missed"},
        ],
        "misconceptions": [],
        "messages": [],
    }


@pytest.fixture
def practice(tmp_path, monkeypatch, capsys):
    """Run ``interview-prep ARGS`` with typed ``lines``: (status, out, err); has .store, .clock."""
    monkeypatch.setenv("INTERVIEW_PREP_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("COLUMNS", "160")
    store = InMemoryPracticeStore()
    clock = FixedClock(START)
    monkeypatch.setattr(practice_cli, "open_store", lambda: store)
    monkeypatch.setattr(practice_cli, "open_history", lambda: store)
    monkeypatch.setattr(practice_cli, "load_grader", lambda: fake_grade)
    monkeypatch.setattr(practice_cli, "clock", clock)
    monkeypatch.setattr(practice_cli, "_local_tz", lambda: UTC)

    def run(*args: str, lines: list[str] = (), seconds: float = 10):
        monkeypatch.setattr("sys.stdin", TypedInput("".join(lines), clock, seconds))
        status = main(list(args))
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    run.store, run.clock = store, clock
    return run


def test_drill_grades_each_answer_and_records_the_ratings(practice):
    status, out, err = practice(
        "practice",
        "--category",
        "Fundamentals",
        "--count",
        "2",
        lines=[
            "It learns from labels\n",
            "that someone provided.\n",
            "\n",
            "\n",  # Enter: accept the suggested Good
            "No idea.\n",
            "\n",
            "4\n",  # override the suggested Again with Easy
        ],
    )
    assert status == 0, err
    assert "Question 1 of 2" in out and "Question 2 of 2" in out
    assert "Score 4.0/5" in out and "Score 1.0/5" in out
    assert "Suggested rating: Good" in out and "Suggested rating: Again" in out
    assert "Model answer" in out and "Session summary" in out

    store = practice.store
    attempts = store.attempts(LOCAL_USER_ID)
    assert [a.question for a in attempts] == [FIRST, SECOND]
    assert attempts[0].answer == "It learns from labels\nthat someone provided."
    assert all(a.is_graded and not a.timed_out for a in attempts)
    reviews = store.review_logs(LOCAL_USER_ID)
    assert [(r.rating, r.suggested, r.overridden) for r in reviews] == [
        (Rating.GOOD, Rating.GOOD, False),
        (Rating.EASY, Rating.AGAIN, True),
    ]
    assert store.card_state(LOCAL_USER_ID, SECOND).phase is CardPhase.REVIEW
    assert reviews[0].duration_ms == 30_000  # three lines typed at 10 s each


def test_the_countdown_submits_the_answer_as_it_stood_at_zero(practice):
    # The first line is finished at 0:45, the empty one that would end the answer at 1:30: at
    # 1:00 the answer is the first line, and the late Enter goes to the rating prompt.
    status, out, _ = practice(
        "practice",
        "--count",
        "1",
        "--time-limit",
        "60",
        lines=["Slowly: labels.\n", "\n", "4\n"],
        seconds=45,
    )
    assert status == 0
    assert "1:00 to answer: until 09:01:00" in out
    assert "Time's up: your answer was submitted at the 1:00 limit, as it stood." in out
    (attempt,) = practice.store.attempts(LOCAL_USER_ID)
    assert attempt.timed_out and attempt.answer == "Slowly: labels."
    assert attempt.time_taken_s == 60
    (review,) = practice.store.review_logs(LOCAL_USER_ID)
    assert review.rating is Rating.GOOD  # Enter: the suggestion, not the "4" typed after it


def test_the_countdown_submits_while_the_user_is_still_typing(practice, monkeypatch):
    """On the real clock, through a pipe: the answer is submitted at zero without an Enter."""
    monkeypatch.setattr(practice_cli, "clock", utc_now)
    read_end, write_end = os.pipe()
    typed = os.fdopen(write_end, "w")

    def type_slowly() -> None:
        typed.write("Half an answer about labels\n")
        typed.flush()
        time.sleep(3)  # time is up after 1 s, and the answer was never ended
        typed.write("3\n")  # the rating
        typed.close()

    typist = threading.Thread(target=type_slowly)
    typist.start()
    with os.fdopen(read_end) as stdin:
        monkeypatch.setattr("sys.stdin", stdin)
        status = main(["practice", "--count", "1", "--time-limit", "1"])
    typist.join()
    assert status == 0
    (attempt,) = practice.store.attempts(LOCAL_USER_ID)
    assert attempt.timed_out and attempt.answer == "Half an answer about labels"
    assert attempt.time_taken_s == 1
    (review,) = practice.store.review_logs(LOCAL_USER_ID)
    assert review.rating is Rating.GOOD


def test_interview_mode_gives_feedback_only_at_the_end(practice):
    status, out, _ = practice(
        "practice",
        "--mode",
        "interview",
        "--count",
        "2",
        lines=[
            *("labels\n", "\n", "the follow-up, with labels\n", "\n"),
            *("clusters\n", "\n", "the second follow-up\n", "\n"),
            *("\n", "again\n"),
        ],
    )
    assert status == 0
    assert out.index("Question 2 of 2") < out.index("All answered") < out.index("Score")
    # The interviewer follows each answer up, and its feedback comes with its question's.
    assert out.index("Follow-up to question 1") < out.index("Question 2 of 2")
    assert out.index("Question 2 of 2") < out.index("Follow-up to question 2")
    assert out.count("The interviewer's follow-up:") == 2
    ratings = [r.rating for r in practice.store.review_logs(LOCAL_USER_ID)]
    assert ratings == [Rating.GOOD, Rating.AGAIN]
    answered = practice.store.follow_up_attempts(LOCAL_USER_ID, FIRST)
    assert [a.answer for a in answered] == ["the follow-up, with labels"]
    assert answered[0].follow_up.startswith("supervised-vs-unsupervised-fu")
    assert answered[0].score == 4.0
    # The summary names the questions and follow-ups by their text, not their ids.
    summary = out[out.index("Session summary") :]
    assert "What is the difference between supervised and unsupervised" in summary
    assert "↳ follow-up: " in summary and "supervised-vs-unsupervised-fu" not in summary
    assert "ml-engineer/" not in summary


def test_the_answer_is_saved_before_grading(practice, monkeypatch):
    def crash(question, answer):
        raise RuntimeError("grader crashed")

    monkeypatch.setattr(practice_cli, "load_grader", lambda: crash)
    with pytest.raises(RuntimeError, match="grader crashed"):
        practice("practice", "--count", "1", lines=["My answer\n", "\n"])
    (attempt,) = practice.store.attempts(LOCAL_USER_ID)
    assert attempt.answer == "My answer" and not attempt.is_graded
    (session,) = practice.store.unfinished_sessions(LOCAL_USER_ID)
    assert session.items[0].attempt_id == attempt.id


def test_end_of_input_leaves_the_session_saved_unfinished(practice):
    status, out, _ = practice("practice", "--count", "2", lines=["labels\n", "\n", "\n"])
    assert status == 0
    assert "saved unfinished" in out
    (session,) = practice.store.unfinished_sessions(LOCAL_USER_ID)
    assert session.items[0].rating is Rating.GOOD and session.items[1].submitted_at is None


def test_a_forgotten_question_comes_back_first(practice):
    practice("practice", "--count", "1", lines=["nothing\n", "\n", "1\n"])
    practice.clock.advance(minutes=5)
    status, _, _ = practice("practice", "--count", "2", lines=["labels\n", "\n", "\n"] * 2)
    assert status == 0
    reviews = practice.store.review_logs(LOCAL_USER_ID)
    assert [r.question for r in reviews] == [FIRST, FIRST, SECOND]
    assert [r.phase_before for r in reviews] == [None, CardPhase.LEARNING, None]


def test_export_history_json_and_csv(practice, tmp_path):
    practice("practice", "--count", "1", lines=["labels\n", "\n", "\n"])
    status, out, _ = practice("export-history", "--format", "json")
    assert status == 0
    document = json.loads(out)
    assert document["format"] == "interview-prep/history"
    assert [a["question"] for a in document["attempts"]] == [FIRST.key]
    assert [r["rating"] for r in document["reviews"]] == ["good"]

    target = tmp_path / "history.csv"
    status, out, _ = practice("export-history", "--format", "csv", "-o", str(target))
    assert status == 0 and "Wrote" in out
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [row["record"] for row in rows] == ["attempt", "review"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["practice", "--difficulty", "brutal"], "unknown difficulty"),
        (["practice", "--mode", "exam"], "unknown mode"),
        (["practice", "--count", "0"], "number of questions"),
        (["practice", "--bank", "nope"], "no questions match"),
        (["export-history", "--format", "xml"], "unknown format"),
    ],
)
def test_bad_options_are_readable_errors(practice, args, message):
    status, _, err = practice(*args)
    assert status == 1
    assert message in err


def test_a_missing_grader_is_named(monkeypatch):
    monkeypatch.setitem(sys.modules, "interview_prep.grading.service", None)
    with pytest.raises(ConfigurationError, match=r"grading\.service is missing"):
        practice_cli.load_grader()


@pytest.fixture
def real_grader(practice, monkeypatch):
    """The practice runner with the real grading service, on its lexical grader (no model)."""
    from interview_prep.grading import service

    probe = Question(id="probe", category="c", question="What?", answer="An answer.")
    service.grade(probe, "An answer.", grader_name="lexical")  # fails loudly if it cannot load
    monkeypatch.setattr(practice_cli, "load_grader", LOAD_GRADER)
    monkeypatch.setenv("INTERVIEW_PREP_GRADER", "lexical")
    return practice


LOAD_GRADER = practice_cli.load_grader


def test_the_real_grader_feeds_feedback_and_rating(real_grader):
    answer = (
        "Supervised learning fits a mapping from inputs to outputs using labelled examples, "
        "minimising a loss against known targets, for classification or regression. "
        "Unsupervised learning has no labels and finds structure such as clusters.\n"
    )
    status, out, err = real_grader("practice", "-n", "1", lines=[answer, "\n", "\n"])
    assert status == 0, err
    assert "Key points" in out and "Suggested rating:" in out and "Rated " in out
    (attempt,) = real_grader.store.attempts(LOCAL_USER_ID)
    assert attempt.grade["grader"] and attempt.score is not None and attempt.score > 0
    (review,) = real_grader.store.review_logs(LOCAL_USER_ID)
    assert review.suggested is not None and review.rating is review.suggested


def test_an_unknown_grader_fails_before_any_question(practice, monkeypatch):
    pytest.importorskip("interview_prep.grading.service")
    monkeypatch.setattr(practice_cli, "load_grader", LOAD_GRADER)
    monkeypatch.setenv("INTERVIEW_PREP_GRADER", "no-such-grader")
    status, out, err = practice("practice", "-n", "1", lines=["x\n", "\n"])
    assert status == 1 and "no-such-grader" in err
    assert "Question 1" not in out and practice.store.attempts(LOCAL_USER_ID) == []


# Choosing what to practise: a question list, a search, a tag, my weakest
def _asked(store) -> list[str]:
    (session,) = store.unfinished_sessions(LOCAL_USER_ID) or [None]
    assert session is not None
    return [item.question.question_id for item in session.items]


def test_a_question_list_and_a_search(practice) -> None:
    status, _, err = practice("practice", "-q", "overfitting,bias-variance-tradeoff", lines=[])
    assert status == 0, err
    assert _asked(practice.store) == ["overfitting", "bias-variance-tradeoff"]


def test_my_weakest_first(practice) -> None:
    practice("practice", "--count", "2", lines=["labels\n", "\n", "\n", "nothing\n", "\n", "\n"])
    status, _, err = practice("practice", "--weakest", "--count", "5", lines=[])
    assert status == 0, err
    # Only the two answered questions rank; the wrong one (SECOND) comes first.
    assert _asked(practice.store) == [SECOND.question_id, FIRST.question_id]


def test_bad_choices_are_readable_errors(practice) -> None:
    status, _, err = practice("practice", "--weakest")
    assert status == 1 and "has a graded answer yet" in err
    status, _, err = practice("practice", "-q", "no-such-question")
    assert status == 1 and "no question 'no-such-question'" in err
    status, _, err = practice("practice", "--search", "zebra giraffe")
    assert status == 1 and "finds no question" in err
    status, _, err = practice("practice", "--tag", "no-such-tag")
    assert status == 1 and "no questions match" in err


def test_cram_in_the_terminal_logs_no_review(practice):
    status, out, err = practice("practice", "--cram", "--count", "1", lines=["labels\n", "\n"])
    assert status == 0, err
    assert "no review logged" in out
    (attempt,) = practice.store.attempts(LOCAL_USER_ID)
    assert attempt.cram and practice.store.review_logs(LOCAL_USER_ID) == []
