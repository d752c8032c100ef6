"""Which evidence decides what: the rules, the judge, both, or the judge's coverage with the
rules' wrong claims."""

from __future__ import annotations

import pytest

from interview_prep.grading import pipeline
from interview_prep.grading.graders import EmbeddingGrader

ANSWER = (
    "Both put a price on big weights in the loss. The absolute-value penalty pushes some weights "
    "all the way to nothing, so it picks features; the squared one only makes them smaller."
)


@pytest.fixture(scope="module")
def graders():
    made = {mode: EmbeddingGrader(evidence=mode) for mode in ("rules", "coverage", "judge")}
    for grader in made.values():
        grader.load()
    return made


def test_coverage_mode_takes_key_points_from_the_judge_and_claims_from_the_rules(
    graders, regularization_question, monkeypatch
):
    judged_claims = []
    judged_points = []
    real_claims, real_points = pipeline.judged_misconceptions, pipeline.assess_key_points_judged

    def claims(*args, **kwargs):
        judged_claims.append(True)
        return real_claims(*args, **kwargs)

    def points(*args, **kwargs):
        judged_points.append(kwargs.get("with_rules"))
        return real_points(*args, **kwargs)

    monkeypatch.setattr(pipeline, "judged_misconceptions", claims)
    monkeypatch.setattr(pipeline, "assess_key_points_judged", points)

    graders["coverage"].grade(regularization_question, ANSWER)
    assert judged_claims == [] and judged_points == [False]
    graders["judge"].grade(regularization_question, ANSWER)
    assert judged_claims == [True] and judged_points == [False, False]
    graders["rules"].grade(regularization_question, ANSWER)
    assert judged_claims == [True] and judged_points == [False, False]


def test_every_mode_grades_the_same_answer(graders, regularization_question):
    for grader in graders.values():
        result = grader.grade(regularization_question, ANSWER)
        assert 0.0 <= result.score <= 5.0 and len(result.key_points) == len(
            regularization_question.key_points
        )
