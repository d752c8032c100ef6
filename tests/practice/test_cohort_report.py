"""The cohort dashboard's figures, from attempts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from interview_prep.practice.attempts import Attempt, QuestionRef
from interview_prep.practice.cohort_report import (
    AssignmentScope,
    Member,
    build_report,
    report_to_csv,
)

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
Q1 = QuestionRef("ml", "q1")
Q2 = QuestionRef("ml", "q2")


def attempt(user: str, ref: QuestionRef, score: float, days_ago: float, n: int) -> Attempt:
    return Attempt(
        id=f"{user}-{n}",
        user_id=user,
        question=ref,
        category="Basics" if ref == Q1 else "Depth",
        answer="…",
        submitted_at=NOW - timedelta(days=days_ago),
        grade={"score": score},
    )


def test_the_report_sums_up_the_cohort() -> None:
    members = [Member("a", "Ada"), Member("b", "=HYPERLINK()"), Member("c", "Cy")]
    attempts = {
        "a": [attempt("a", Q1, 4.0, 1, 1), attempt("a", Q2, 1.0, 10, 2)],
        "b": [attempt("b", Q2, 2.0, 2, 1), attempt("b", Q2, 3.0, 1, 2)],
    }
    scope = AssignmentScope("w1", "ML", NOW - timedelta(days=3), frozenset({Q1, Q2}))
    report = build_report(members, attempts, NOW, [scope])
    ada, bea, cy = report.members
    assert (bea.attempts, bea.mean_score) == (2, 2.5)
    assert (ada.attempts, ada.mean_score, ada.practised_this_week) == (2, 2.5, True)
    assert ada.trend[-1] == 4.0 and ada.trend[-2] == 1.0
    assert (cy.attempts, cy.mean_score, cy.last_practised) == (0, None, None)
    assert report.practised_this_week == 2
    assert [(c.category, c.mean_score, c.people) for c in report.categories] == [
        ("Depth", 2.0, 2),
        ("Basics", 4.0, 1),
    ]
    # Mastery from each person's whole history (no cards here, so scores alone): Ada's one
    # 1.0 on Q2 is 0.2; Bea's 2.0 then 3.0 is (0.6 * 2 + 3) / 1.6 = 2.625 of 5.
    depth, basics = report.categories
    assert depth.mastery == pytest.approx((0.2 + 2.625 / 5) / 2)
    assert basics.mastery == pytest.approx(0.8)
    (missed,) = report.missed
    assert (missed.question, missed.missed, missed.attempts, missed.people) == (Q2, 2, 3, 2)
    (progress,) = report.assignments
    assert progress.done == {"a": 1, "b": 0, "c": 0} and progress.total == 2
    lines = report_to_csv(report).splitlines()
    assert lines[0].startswith("user,name,attempts,mean_score")
    assert lines[2].startswith("b,'=HYPERLINK(),2,2.50")  # no formula for a spreadsheet
    assert lines[1].endswith(",1/2")
