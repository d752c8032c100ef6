"""Contradictions that cosine similarity cannot see, found by rules over words and numbers."""

import pytest

from interview_prep.domain import KeyPoint, Misconception, Question
from interview_prep.grading.evidence.answers import view_answer
from interview_prep.grading.evidence.misconceptions import find_misconceptions
from interview_prep.grading.evidence.rubric import build_rubric
from interview_prep.grading.result import MisconceptionKind


def findings(question, answer, embedder=None):
    rubric = build_rubric(question, embedder)
    return find_misconceptions(rubric, view_answer(answer, rubric.keys, embedder))


@pytest.mark.parametrize("with_model", [False, True])
def test_a_stated_misconception_is_found_by_its_signals(regularization_question, with_model):
    from interview_prep.grading.models.embedders import get_embedder

    embedder = get_embedder() if with_model else None
    [item] = findings(
        regularization_question, "L2 regularization pushes weights to exactly zero.", embedder
    )
    assert item.kind is MisconceptionKind.STATED
    assert item.sentence.text == "L2 regularization pushes weights to exactly zero."
    assert "L1 that gives exact zeros" in item.correction
    assert item.key_point == 1


def test_a_negated_signal_is_not_a_misconception(regularization_question):
    answer = "L2 regularization never makes weights exactly zero; it shrinks them."
    assert not [f for f in findings(regularization_question, answer) if f.kind == "stated"]


def test_swapped_terms_are_caught_clause_by_clause(regularization_question):
    [item] = findings(
        regularization_question, "L1 uses the squared weights while L2 uses absolute values."
    )
    assert item.kind is MisconceptionKind.SWAPPED_TERM
    assert "“L1” where the key point says “L2”" in item.detail


def test_without_contradictions_only_the_listed_claims_are_looked_for(regularization_question):
    rubric = build_rubric(regularization_question, None)

    def kinds(answer: str) -> list[MisconceptionKind]:
        view = view_answer(answer, rubric.keys, None)
        return [f.kind for f in find_misconceptions(rubric, view, contradictions=False)]

    assert kinds("L1 uses the squared weights while L2 uses absolute values.") == []
    assert kinds("L1 does not make weights exactly zero.") == []
    assert kinds("L2 regularization pushes weights to exactly zero.") == [MisconceptionKind.STATED]


def test_correct_contrasts_are_not_flagged(regularization_question):
    answers = [
        "L1 adds absolute weights and drives many to exactly zero, so models are sparse. "
        "L2 adds squared weights and shrinks them smoothly.",
        "Unlike L2, L1 does not shrink smoothly; it zeroes weights.",
        "L2 does not make weights exactly zero, it shrinks them.",
    ]
    for answer in answers:
        assert findings(regularization_question, answer) == [], answer


def test_negating_a_key_point_is_caught(regularization_question):
    [item] = findings(regularization_question, "L1 does not make weights exactly zero.")
    assert item.kind is MisconceptionKind.NEGATION
    assert item.key_point == 0


def test_numbers_are_compared_as_numbers():
    question = Question(
        id="adam-betas",
        category="Deep dive",
        question="What are Adam's default hyperparameters?",
        answer="Learning rate 0.001, beta1 0.9, beta2 0.999.",
        key_points=(KeyPoint("The default learning rate is 0.001 with beta1 0.9 and beta2 0.999"),),
    )
    assert findings(question, "The default learning rate is 1e-3, beta1 0.9.") == []
    [item] = findings(question, "The default learning rate is 0.01.")
    assert item.kind is MisconceptionKind.NUMBER
    assert "0.01" in item.detail and "0.001" in item.detail


def test_reference_only_questions_get_no_rule_findings():
    question = Question(
        id="ref", category="Benchmark", question="Why?", answer="L1 gives exactly zero weights."
    )
    assert findings(question, "L2 gives exactly zero weights.") == []


def test_the_rules_alone_catch_a_property_given_to_the_other_term(regularization_question):
    """Without listed misconceptions, a clause read with its subject still contradicts the key
    point: L2 said to give exact zeros denies L2's point, "ridge" for "lasso" swaps a term."""
    import dataclasses

    question = dataclasses.replace(regularization_question, misconceptions=())
    answer = "L2 adds squared weights and also drives weights to exactly zero, which is handy."
    [item] = findings(question, answer)
    # L1's point given to L2 (a swapped term), or L2's point denied: either names the error.
    assert (item.kind, item.key_point) in (
        (MisconceptionKind.SWAPPED_TERM, 0),
        (MisconceptionKind.NEGATION, 1),
    )
    assert item.clause is not None and item.clause.text.startswith("L2 adds squared weights")
    assert findings(question, "Unlike L1, which gives exactly zero weights, L2 shrinks them.") == []


CACHE_ASIDE = Question(
    id="cache-aside",
    category="Systems",
    question="What is the cache-aside pattern?",
    answer="The application reads the cache first and fills it on a miss; writes go to the "
    "database and invalidate the cached entry.",
    key_points=(
        KeyPoint("On a miss the application loads the value from the database and caches it."),
        KeyPoint("Writes update the database and invalidate the cached entry."),
    ),
    # As a user writes one in the browser: a claim and its correction, no signals, no link.
    misconceptions=(
        Misconception(
            "The cache writes to the database by itself.",
            "In cache-aside the application, not the cache, talks to the database.",
        ),
    ),
)


def test_a_claim_without_signals_is_not_heard_in_a_key_point_said_rightly():
    from interview_prep.grading.models.embedders import get_embedder

    embedder = get_embedder()
    # Says "write" of the database, the claim's one distinctive word, but says the key point.
    right = "When data changes you write to the database and delete the old cache entry."
    assert not findings(CACHE_ASIDE, right, embedder)
    wrong = "The cache itself writes every change through to the database on its own."
    [item] = findings(CACHE_ASIDE, wrong, embedder)
    assert item.claim == "The cache writes to the database by itself."
