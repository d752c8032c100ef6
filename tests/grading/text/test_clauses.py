"""Cutting a sentence into claims: where a clause ends, what it speaks of, what it denies."""

import pytest

from interview_prep.grading.text.clauses import PieceKind, claim_groups, claims_of, split_pieces
from interview_prep.grading.text.tokens import Span


def pieces(sentence):
    return [(sentence[p.start : p.end], p.kind, p.context) for p in split_pieces(sentence)]


def claim_texts(sentence):
    return [" ".join(t.text for t in claim.tokens) for claim in claims_of(Span(sentence, 0, 99))]


def test_relative_clauses_and_contrasts_end_a_piece():
    sentence = "Unlike L1, which drives weights to exactly zero, L2 only shrinks them."
    assert pieces(sentence) == [
        ("Unlike L1", PieceKind.ASIDE, []),
        ("which drives weights to exactly zero", PieceKind.RELATIVE, [0]),
        ("L2 only shrinks them", PieceKind.HEAD, [0]),
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "L1 gives sparse weights whereas L2 shrinks them",
            ["L1 gives sparse weights", "whereas L2 shrinks them"],
        ),
        (
            "L1 gives sparse weights while L2 shrinks them",
            ["L1 gives sparse weights", "while L2 shrinks them"],
        ),
        ("L1 zeroes weights but L2 does not", ["L1 zeroes weights", "but L2 does not"]),
        ("L1 zeroes weights; L2 shrinks them", ["L1 zeroes weights", "L2 shrinks them"]),
        (
            "L1 drives weights to exactly zero and L2 shrinks them",
            ["L1 drives weights to exactly zero", "and L2 shrinks them"],
        ),
        ("L1 and L2 both shrink weights", ["L1 and L2 both shrink weights"]),
        ("We can reduce bias and variance together", ["We can reduce bias and variance together"]),
        (
            "A false positive is a Type I error and a false negative a Type II error",
            ["A false positive is a Type I error", "and a false negative a Type II error"],
        ),
    ],
)
def test_where_pieces_end(sentence, expected):
    assert [text for text, _, _ in pieces(sentence)] == expected


def test_a_piece_without_a_subject_is_read_with_the_last_head():
    claims = claim_texts("L2, unlike L1, drives weights to exactly zero.")
    assert claims[2] == "L2 drives weights to exactly zero"
    claims = claim_texts("L2 shrinks weights but never makes them exactly zero.")
    assert claims[1] == "L2 shrinks weights but never makes them exactly zero"


def test_a_relative_clause_is_read_with_the_piece_before_it():
    claims = claim_texts("L2 adds squared weights, which is why it is smooth.")
    assert claims[1] == "L2 adds squared weights which is why it is smooth"


def test_a_leading_condition_is_read_with_the_head_after_it():
    claims = claim_texts("For imbalanced data, ROC-AUC is the best metric.")
    assert claims[1] == "For imbalanced data ROC AUC is the best metric"


def test_parentheses_glued_to_a_word_are_not_asides():
    assert [text for text, _, _ in pieces("Concept drift means P(y|x) changes (slowly).")] == [
        "Concept drift means P(y|x) changes",
        "slowly",
    ]


def test_a_denial_reaches_the_end_of_its_piece_only():
    [head, rest] = claims_of(Span("L2 never zeroes weights, it shrinks them", 0, 40))
    assert [head.tokens[i].text for i in sorted(head.denied)] == ["zeroes", "weights"]
    own = range(rest.own_from, len(rest.tokens))
    assert not any(i in rest.denied for i in own)


def test_groups_keep_what_else_a_sentence_says():
    sentence = "Overfitting is a large gap, and cross-validation prevents overfitting."
    groups = claim_groups(Span(sentence, 0, len(sentence)))
    assert [g.text for g in groups] == [
        "Overfitting is a large gap",
        "and cross-validation prevents overfitting",
    ]


def test_a_negating_determiner_denies_its_noun_only():
    text = "Unsupervised learning has no labels: it finds structure in the data"
    [claim, *_] = claims_of(Span(text, 0, len(text)))
    denied = [claim.tokens[i].text for i in sorted(claim.denied)]
    assert "labels" in denied
    assert "finds" not in denied
    assert "structure" not in denied
