"""The cases a new user tried (issue "Grading that understands rewording"), written before any
training or tuning of the judge and never used to fit anything, graded with the rules alone, with
the judge and the rules, with the judge's coverage and the rules' claims, and with the default
(the judge's coverage and claims, beside the listed claims' signals). The
ones that are still wrong are marked as expected failures, strictly: a fix makes them pass, and
then the mark must go."""

from __future__ import annotations

import pytest

from interview_prep.formats.files import load_bank_file
from interview_prep.grading.graders import EmbeddingGrader
from interview_prep.storage.bundled import bundled_bank_files

OPEN = {
    # (case, evidence) pairs that are still graded wrongly, measured when this file was written.
    ("vanishing", "rules"),
    ("wrong_evidence", "rules"),
    ("wrong_evidence", "both"),
    # "coverage" finds wrong claims with the rules, so their misses are its misses; and the
    # judge's coverage also takes the wrong ridge sentence as evidence.
    ("vanishing", "coverage"),
    ("wrong_evidence", "coverage"),
    # The default, since the judge hears wrong claims through their own texts: it hears the
    # wrong fixes for vanishing gradients, and takes the same ridge sentence as evidence.
    ("wrong_evidence", "claims"),
    # "FP is a type 2 error" is caught in every mode since signals read short forms ("FP" for
    # "false positive", "type 2" for "type II": text/terms.py SHORT_FORMS).
}


@pytest.fixture(scope="module", params=["rules", "both", "coverage", "claims"])
def grader(request):
    grader = EmbeddingGrader(evidence=request.param)
    grader.load()
    return grader


@pytest.fixture(autouse=True)
def open_case(request):
    case = request.node.get_closest_marker("case")
    mode = request.node.callspec.params.get("grader") if hasattr(request.node, "callspec") else None
    if case and (case.args[0], mode) in OPEN:
        request.applymarker(pytest.mark.xfail(strict=True, reason="still graded wrongly"))


@pytest.fixture(scope="module")
def questions():
    return {q.id: q for path in bundled_bank_files() for q in load_bank_file(path).questions}


def flagged_sentences(result) -> list[str]:
    return [(f.clause or f.sentence).text for f in result.misconceptions]


@pytest.mark.case("vanishing")
def test_wrong_fixes_for_vanishing_gradients_are_flagged_and_score_low(grader, questions):
    answer = (
        "Vanishing gradients are when the gradients get tiny in a deep network. The main fix is "
        "gradient clipping, which stops them from disappearing. If training is still slow, just "
        "raise the learning rate so the early layers move faster. Switching to ReLU fully solves "
        "it anyway."
    )
    result = grader.grade(questions["vanishing-gradients"], answer)
    assert len(result.misconceptions) >= 2, flagged_sentences(result)
    assert result.score <= 2.5


@pytest.mark.case("type_two")
def test_false_positive_called_type_two_is_caught(grader, questions):
    answer = (
        "A confusion matrix is a table of actual classes against predicted classes. The "
        "diagonal holds the right predictions. FP is a type 2 error."
    )
    result = grader.grade(questions["confusion-matrix"], answer)
    assert any("type 2" in text.lower() for text in flagged_sentences(result))


@pytest.mark.case("wrong_evidence")
def test_a_wrong_sentence_is_never_the_evidence_for_a_point(grader, questions):
    wrong = "With correlated features, ridge keeps only one of them and sets the others to zero."
    answer = (
        "Both add a penalty on the size of the weights to the loss so the model overfits less. "
        f"Lasso uses absolute values and can make weights exactly zero. {wrong}"
    )
    result = grader.grade(questions["l1-vs-l2-regularization"], answer)
    correlated = result.key_points[4]
    assert correlated.status.value == "missed" or (
        correlated.evidence is not None and wrong not in correlated.evidence.text
    )


@pytest.mark.case("ridge")
def test_a_correct_ridge_answer_is_not_accused(grader, questions):
    answer = (
        "Both add a penalty on the weights to the loss to reduce overfitting. Ridge keeps all "
        "features in the model and only shrinks their weights smoothly, while lasso can set some "
        "weights to exactly zero, so lasso also does feature selection."
    )
    result = grader.grade(questions["l1-vs-l2-regularization"], answer)
    assert not result.misconceptions, flagged_sentences(result)
    assert result.score >= 3.0
