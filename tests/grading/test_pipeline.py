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


EMPTY_TALK = (
    "Gradient descent is really the workhorse of modern deep learning. It's all about navigating "
    "the loss landscape intelligently, and getting the learning rate right is absolutely key. In "
    "practice you have to be thoughtful about the optimizer, momentum and batch size, and iterate "
    "until convergence looks healthy."
)


def _gradient_descent():
    from interview_prep.formats.files import load_bank_file
    from interview_prep.storage.bundled import bundled_bank_files

    return load_bank_file(bundled_bank_files()[0]).question("gradient-descent")


def test_empty_talk_earns_no_key_point_when_the_judge_reads_them(graders):
    from interview_prep.grading.scoring.scoring import NO_EVIDENCE_CAP, NO_EVIDENCE_MESSAGE

    result = graders["coverage"].grade(_gradient_descent(), EMPTY_TALK)
    assert all(point.evidence is None for point in result.key_points)
    assert result.score <= NO_EVIDENCE_CAP
    assert NO_EVIDENCE_MESSAGE in result.feedback


def test_without_its_probe_the_judge_still_grades_and_says_so(monkeypatch):
    from interview_prep.grading import graders as graders_module
    from interview_prep.grading.models.substance import SubstanceUnavailableError

    def broken():
        raise SubstanceUnavailableError("substance.npz has sha256 0, expected 1: not loading it")

    monkeypatch.setattr(graders_module, "load_probe", broken)
    grader = EmbeddingGrader(evidence="coverage")
    result = grader.grade(_gradient_descent(), EMPTY_TALK)
    assert grader.substance() is None and grader.evidence == "coverage"
    assert any("Empty talk is not screened" in message for message in result.messages)
