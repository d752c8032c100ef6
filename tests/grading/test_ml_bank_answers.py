"""A graded test set on the bundled ML-engineer bank: each answer's score range and misconceptions.

The answers in ``ml_bank_answers.yaml`` were written for these tests (good, partial, wrong, with a
misconception, off-topic) for every category of the bank; the grader must place each in the range
a fair interviewer would and find exactly the wrong claims listed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from interview_prep.domain import Bank
from interview_prep.formats import load_bank_file
from interview_prep.grading import service

from .evidence.test_misconception_signals import ERRATA_FINDINGS

HERE = Path(__file__).parent
BANK = HERE.parents[1] / "src" / "interview_prep" / "data" / "banks" / "ml-engineer.yaml"
CASES: list[dict[str, Any]] = yaml.safe_load((HERE / "ml_bank_answers.yaml").read_text("utf-8"))


def _written_with_the_grader(answers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The answers these tests were written for; the held-out ones are measured apart, so that
    they never become a target the grader is tuned to pass."""
    return [answer for answer in answers if not answer.get("held_out")]


def _cases() -> list[Any]:
    params = []
    for block in CASES:
        for answer in _written_with_the_grader(block["answers"]):
            params.append(
                pytest.param(block["question"], answer, id=f"{block['question']}-{answer['kind']}")
            )
    return params


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank_file(BANK)


def test_the_set_covers_every_category_five_ways(bank):
    kinds = {"good", "partial", "wrong", "misconception", "off-topic"}
    by_category: dict[str, set[str]] = {}
    for block in CASES:
        question = bank.question(block["question"])
        assert question is not None, block["question"]
        assert question.category == block["category"]
        answers = _written_with_the_grader(block["answers"])
        by_category.setdefault(question.category, set()).update(a["kind"] for a in answers)
    assert set(by_category) == set(bank.ordered_categories())
    assert all(found == kinds for found in by_category.values())


@pytest.mark.parametrize(("question_id", "case"), _cases())
def test_answer_is_graded_as_expected(bank, question_id, case):
    question = bank.question(question_id)
    result = service.grade(question, case["text"], grader_name="embedding")
    low, high = case["score"]
    found = [f"{m.kind.value}: {m.claim}" for m in result.misconceptions]
    assert low <= result.score <= high, f"score {result.score:.2f} not in {case['score']}; {found}"
    expected = case["misconceptions"]
    assert len(result.misconceptions) == len(expected), found
    for needle in expected:
        assert any(needle in text for text in found), (needle, found)


def test_the_banks_own_texts_raise_no_misconception(bank):
    """Neither a question's key points read back nor its model answer is called wrong, except
    where an erratum says the model answer is wrong (see test_misconception_signals.py)."""
    for question in bank.questions:
        read_back = " ".join(point.text.rstrip(".") + "." for point in question.key_points)
        result = service.grade(question, read_back, grader_name="embedding")
        assert result.misconceptions == (), (question.id, result.misconceptions)
        assert result.score >= 3.0, question.id
        model = service.grade(question, question.answer, grader_name="embedding")
        found = {(question.id, item.claim) for item in model.misconceptions}
        assert found <= ERRATA_FINDINGS, found


def test_the_judges_coverage_places_the_development_answers_too(bank):
    """The judge's coverage with the rules' claims (``judge-coverage``) on the same answers.

    The rules were written against these answers, the judge never saw them: it places 42 of the
    45 in their range (a wrong fraud-system plan heard as covering its design points, 2.78 for
    [0, 2.5], and two partial answers, on overfitting and on GPU memory, just under their 1.5)
    and finds the same wrong claims, since the rules find them.
    """
    grader = service.get_grader("judge-coverage")
    cases = [(b["question"], a) for b in CASES for a in _written_with_the_grader(b["answers"])]
    outside = []
    for question_id, case in cases:
        result = grader.grade(bank.question(question_id), case["text"])
        low, high = case["score"]
        if not low <= result.score <= high:
            outside.append((question_id, case["kind"], round(result.score, 2)))
        assert len(result.misconceptions) == len(case["misconceptions"]), question_id
    assert len(outside) <= 3, outside
