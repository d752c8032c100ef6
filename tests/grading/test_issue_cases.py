"""The cases a new user tried, which the grader got wrong before the judge (written before any
training or tuning of it, never used to fit anything). Graded with the judge and the rules."""

from __future__ import annotations

import pytest

from interview_prep.formats.files import load_bank_file
from interview_prep.grading.graders import EmbeddingGrader
from interview_prep.storage.bundled import bundled_bank_files


@pytest.fixture(scope="module")
def grader():
    grader = EmbeddingGrader(evidence="both")
    grader.load()
    return grader


@pytest.fixture(scope="module")
def questions():
    return {q.id: q for path in bundled_bank_files() for q in load_bank_file(path).questions}


def flagged_sentences(result) -> list[str]:
    return [(f.clause or f.sentence).text for f in result.misconceptions]


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


def test_false_positive_called_type_two_is_caught(grader, questions):
    answer = (
        "A confusion matrix is a table of actual classes against predicted classes. The "
        "diagonal holds the right predictions. FP is a type 2 error."
    )
    result = grader.grade(questions["confusion-matrix"], answer)
    assert any("type 2" in text.lower() for text in flagged_sentences(result))


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


def test_a_correct_ridge_answer_is_not_accused(grader, questions):
    answer = (
        "Both add a penalty on the weights to the loss to reduce overfitting. Ridge keeps all "
        "features in the model and only shrinks their weights smoothly, while lasso can set some "
        "weights to exactly zero, so lasso also does feature selection."
    )
    result = grader.grade(questions["l1-vs-l2-regularization"], answer)
    assert not result.misconceptions, flagged_sentences(result)
    assert result.score >= 3.0
