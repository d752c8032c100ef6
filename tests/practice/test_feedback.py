"""Reading the grader's result dict: key points, highlights, misconceptions, the suggestion."""

from __future__ import annotations

import pytest

from interview_prep.practice.feedback import KeyPointStatus, Segment, highlight, read_feedback
from interview_prep.practice.scheduling import Rating

ANSWER = "Overfitting memorises noise. Use dropout and more data."


def point(index, text, weight, status, start=None, end=None, contradicted=False):
    evidence = None if start is None else {"text": ANSWER[start:end], "start": start, "end": end}
    return {
        "index": index,
        "text": text,
        "weight": weight,
        "status": status,
        "similarity": 0.8,
        "evidence": evidence,
        "contradicted": contradicted,
    }


GRADE = {
    "score": 3.2,
    "label": "acceptable",
    "rating": "Good",
    "feedback": "Mostly there.",
    "messages": ["Graded with the lexical grader."],
    "key_points": [
        point(0, "fits noise", 2.0, "covered", 0, 27),
        point(1, "regularise", 1.0, "partly", 29, 40),
        point(2, "validation gap", 3.0, "missed", 0, 10),
        point(3, "more data", 1.0, "covered", 45, 54, contradicted=True),
    ],
    "misconceptions": [
        {
            "kind": "stated",
            "claim": "More data always hurts",
            "correction": "More data usually helps",
            "sentence": {"text": "more data", "start": 45, "end": 54, "similarity": 1.0},
        }
    ],
    "quickfire": None,
}


def test_read_feedback():
    feedback = read_feedback(GRADE)
    assert (feedback.score, feedback.label, feedback.suggested) == (3.2, "acceptable", Rating.GOOD)
    assert [p.status for p in feedback.key_points] == [
        KeyPointStatus.COVERED,
        KeyPointStatus.PARTIAL,
        KeyPointStatus.MISSED,
        KeyPointStatus.COVERED,
    ]
    assert feedback.key_points[2].spans == ()  # a missed point's nearest passage is not shown
    assert [p.text for p in feedback.weakest(3)] == ["validation gap", "more data", "regularise"]
    (wrong,) = feedback.misconceptions
    assert wrong.evidence == "more data" and wrong.span == (45, 54)
    assert feedback.text == "Mostly there." and feedback.messages == (
        "Graded with the lexical grader.",
    )


def test_highlight_marks_covered_passages_in_the_candidates_text():
    segments = highlight(ANSWER, read_feedback(GRADE).key_points)
    assert "".join(s.text for s in segments) == ANSWER
    assert segments == [
        Segment("Overfitting memorises noise", (0,)),
        Segment(". ", ()),
        Segment("Use dropout", (1,)),
        Segment(" and ", ()),
        Segment("more data", (3,)),
        Segment(".", ()),
    ]
    assert highlight("", ()) == []


def test_an_ungraded_or_odd_grade_reads_as_empty():
    empty = read_feedback(None)
    assert empty.score is None and empty.key_points == () and empty.suggested is None
    odd = read_feedback(
        {"score": "high", "key_points": ["a bare string", 7, {"text": "x", "covered": True}]}
    )
    assert odd.score is None
    assert [(p.text, p.status) for p in odd.key_points] == [
        ("a bare string", KeyPointStatus.MISSED),
        ("x", KeyPointStatus.COVERED),
    ]


def test_the_real_grade_result_reads_back():
    result = pytest.importorskip("interview_prep.grading.result")
    grade = result.GradeResult(
        question_id="q",
        score=4.6,
        label=result.Label.STRONG,
        rating=result.Rating.EASY,
        feedback="Good.",
        key_points=(
            result.KeyPointResult(
                index=0,
                text="fits noise",
                weight=1.0,
                status=result.Coverage.COVERED,
                similarity=0.9,
                evidence=result.Evidence("memorises noise", 12, 27, 0.9),
            ),
            result.KeyPointResult(
                index=1,
                text="regularise",
                weight=2.0,
                status=result.Coverage.PARTLY,
                similarity=0.5,
            ),
        ),
    ).to_dict()
    feedback = read_feedback(grade)
    assert feedback.suggested is Rating.EASY and feedback.score == 4.6
    assert feedback.key_points[0].spans == ((12, 27),)
    assert feedback.key_points[1].status is KeyPointStatus.PARTIAL
