"""Training pairs from authored examples, and the one-edit opposites that teach contradiction."""

from __future__ import annotations

import random

from interview_prep.domain import Erratum, KeyPoint, Misconception, Question
from interview_prep.grading.evaluation.judge_training import bank_pairs, opposites, question_pairs
from interview_prep.grading.models.judge import Verdict

QUESTION = Question(
    id="l1-vs-l2",
    category="Fundamentals",
    question="What is the difference between L1 and L2 regularization?",
    answer="L1 gives sparse weights. L2 shrinks all weights. L3 is best.",
    key_points=(
        KeyPoint(
            "L1 drives some weights to exactly zero",
            examples=("The absolute-value penalty pushes some weights all the way to nothing.",),
            near_misses=("Both penalties change the weights.",),
        ),
        KeyPoint(
            "L2 shrinks weights smoothly", examples=("Squared penalties make weights small.",)
        ),
    ),
    misconceptions=(
        Misconception(
            "L2 gives sparse weights",
            "L2 rarely makes weights exactly zero.",
            key_point=1,
            examples=("Ridge zeroes out weights.",),
        ),
    ),
    errata=(Erratum("L3 is best", "There is no L3.", claim="L3 is the best norm", key_point=0),),
)


def test_opposites_swap_the_questions_own_pair_first():
    edits = opposites("L1 drives some weights to exactly zero", QUESTION, random.Random(0))
    assert edits[0] == "L2 drives some weights to exactly zero"


def test_opposites_add_or_take_away_a_negation():
    assert "Dropout does not help" in opposites("Dropout does help", QUESTION, random.Random(0))
    assert "Dropout does help" in opposites("Dropout does not help", QUESTION, random.Random(0))


def test_pairs_of_a_question_have_every_verdict_and_source():
    pairs = list(question_pairs(QUESTION, ["Batch norm normalises activations."], random.Random(0)))
    by = {(p.item, p.span): p.verdict for p in pairs}
    point = "L1 drives some weights to exactly zero"
    assert by[(point, QUESTION.key_points[0].examples[0])] is Verdict.COVERS
    assert by[(point, "Both penalties change the weights.")] is Verdict.NEITHER
    assert by[(point, "L3 is the best norm")] is Verdict.CONTRADICTS
    assert by[("L2 shrinks weights smoothly", "Ridge zeroes out weights.")] is Verdict.CONTRADICTS
    assert by[("L2 gives sparse weights", "Ridge zeroes out weights.")] is Verdict.COVERS
    assert by[("L2 gives sparse weights", "L2 rarely makes weights exactly zero.")] is (
        Verdict.CONTRADICTS
    )
    assert {p.source for p in pairs} >= {"example", "near-miss", "edit", "correction"}


def test_pairs_are_the_same_for_the_same_seed():
    class FakeBank:
        questions = (QUESTION,)

    first = bank_pairs([FakeBank()], seed=3)  # type: ignore[list-item]
    assert first == bank_pairs([FakeBank()], seed=3)  # type: ignore[list-item]


def test_a_wrong_claim_is_taught_that_its_right_point_is_not_it():
    pairs = list(question_pairs(QUESTION, [], random.Random(0)))
    by = {(p.item, p.span): p.verdict for p in pairs}
    # The right point a misconception gets wrong, in its text and its examples, contradicts it.
    assert by[("L2 gives sparse weights", "Squared penalties make weights small.")] is (
        Verdict.CONTRADICTS
    )
    assert by[("L2 gives sparse weights", "L2 shrinks weights smoothly")] is Verdict.CONTRADICTS
    # Examples of the question's other points are on topic but neither.
    example = QUESTION.key_points[0].examples[0]
    assert by[("L2 gives sparse weights", example)] is Verdict.NEITHER
    assert {"claim-point", "claim-other-point"} <= {p.source for p in pairs}


def test_no_pair_is_taught_two_verdicts():
    pairs = list(question_pairs(QUESTION, ["Batch norm normalises activations."], random.Random(0)))
    verdicts: dict[tuple[str, str], set[Verdict]] = {}
    for pair in pairs:
        verdicts.setdefault((pair.item, pair.span), set()).add(pair.verdict)
    assert all(len(found) == 1 for found in verdicts.values()), verdicts


def test_an_example_is_taught_what_it_does_not_say():
    # The grader hears a point through its examples too, so an example must meet the question's
    # other points as "neither", not only its own near misses: without these pairs an example
    # heard nearly every sentence on the question as saying it.
    pairs = list(question_pairs(QUESTION, [], random.Random(0)))
    example = QUESTION.key_points[0].examples[0]
    other_point = {"L2 shrinks weights smoothly", "Squared penalties make weights small."}
    taught = {p.span: p.verdict for p in pairs if p.item == example and p.source == "other-point"}
    assert taught and set(taught) <= other_point
    assert set(taught.values()) == {Verdict.NEITHER}
