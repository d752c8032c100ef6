"""The numbers the score is computed from: how an answer compares with the reference answers.

Two families: lexical features (content-word overlap, with the question's own words demoted so that
restating the question earns nothing) and embedding features (whole-answer and clause-level cosine,
soft word alignment). Each is taken as the best over the question's references, and each also
appears as its difference from a baseline: the same feature computed for the question text itself
graded as an answer. That difference removes much of what differs between questions (a reference
that repeats the question makes every answer look similar to it), which the calibration cannot see.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import numpy.typing as npt

from ..evidence.answers import AnswerView, view_answer
from ..evidence.rubric import ReferenceView, Rubric
from ..models.embedders import Embedder, Vectors
from ..text.tokens import has_negation

FeatureSet = Literal["embedding", "lexical"]
Array = npt.NDArray[np.float64]

LEXICAL_FEATURES: tuple[str, ...] = (
    "lex_recall_demoted",
    "lex_precision_demoted",
    "lex_f1_demoted",
    "lex_recall",
    "lex_precision",
    "lex_f1",
    "log_words",
    "log_length_ratio",
    "negation_mismatch",
    "bigram_recall",
)
EMBEDDING_ONLY_FEATURES: tuple[str, ...] = (
    "cos_answer_reference",
    "cos_answer_question",
    "align_recall",
    "align_precision",
    "units_over_55",
    "units_over_65",
    "units_over_75",
    "align_min",
    "cos_demoted",
    "soft_recall",
    "soft_precision",
    "soft_recall_all_words",
)


def base_names(feature_set: FeatureSet) -> tuple[str, ...]:
    if feature_set == "lexical":
        return LEXICAL_FEATURES
    return EMBEDDING_ONLY_FEATURES + LEXICAL_FEATURES


def feature_names(feature_set: FeatureSet) -> tuple[str, ...]:
    """Names of the model inputs: each base feature as a difference from its baseline."""
    return tuple(f"{name}_vs_question" for name in base_names(feature_set))


def _overlap(answer: set[str], reference: set[str]) -> tuple[float, float, float]:
    shared = len(answer & reference)
    precision = shared / len(answer) if answer else 0.0
    recall = shared / len(reference) if reference else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return recall, precision, f1


def _lexical(rubric: Rubric, answer: AnswerView, reference: ReferenceView) -> list[float]:
    answer_keys = set(answer.keys)
    reference_keys = set(reference.keys)
    demoted_reference = reference_keys - rubric.keys
    if demoted_reference:
        demoted = _overlap(answer_keys - rubric.keys, demoted_reference)
    else:
        demoted = _overlap(answer_keys, reference_keys)
    plain = _overlap(answer_keys, reference_keys)
    reference_bigrams = set(zip(reference.keys, reference.keys[1:], strict=False))
    answer_bigrams = set(zip(answer.keys, answer.keys[1:], strict=False))
    bigram_recall = (
        len(answer_bigrams & reference_bigrams) / len(reference_bigrams)
        if reference_bigrams
        else 0.0
    )
    words_answer = len(answer.keys)
    words_reference = len(reference.keys)
    return [
        *demoted,
        *plain,
        math.log1p(words_answer),
        math.log((1 + words_answer) / (1 + words_reference)),
        float(has_negation(answer.tokens) != has_negation(reference.tokens)),
        bigram_recall,
    ]


def _soft(left: Vectors | None, right: Vectors | None) -> tuple[float, float]:
    """Mean best match of each row of ``left`` in ``right`` and the other way round."""
    if left is None or right is None or len(left) == 0 or len(right) == 0:
        return 0.0, 0.0
    similarity = left @ right.T
    return float(similarity.max(axis=1).mean()), float(similarity.max(axis=0).mean())


def _embedding(rubric: Rubric, answer: AnswerView, reference: ReferenceView) -> list[float]:
    assert answer.vector is not None and answer.sentence_vectors is not None
    assert reference.vector is not None and reference.unit_vectors is not None
    assert rubric.question_vector is not None and answer.demoted_vector is not None
    assert reference.demoted_vector is not None
    candidates = np.vstack([answer.sentence_vectors, answer.vector[None, :]])
    units = reference.unit_vectors
    if len(units):
        per_unit = (units @ candidates.T).max(axis=1)
        per_sentence = (
            (answer.sentence_vectors @ units.T).max(axis=1)
            if len(answer.sentence_vectors)
            else np.zeros(1)
        )
        align_recall = float(per_unit.mean())
        align_precision = float(per_sentence.mean())
        over = [float((per_unit >= threshold).mean()) for threshold in (0.55, 0.65, 0.75)]
        align_min = float(per_unit.min())
    else:
        align_recall = align_precision = align_min = 0.0
        over = [0.0, 0.0, 0.0]
    soft_recall, soft_precision = _soft(reference.word_vectors, answer.word_vectors)
    soft_all, _ = _soft(reference.all_word_vectors, answer.all_word_vectors)
    return [
        float(answer.vector @ reference.vector),
        float(answer.vector @ rubric.question_vector),
        align_recall,
        align_precision,
        *over,
        align_min,
        float(answer.demoted_vector @ reference.demoted_vector),
        soft_recall,
        soft_precision,
        soft_all,
    ]


def per_reference(
    rubric: Rubric, answer: AnswerView, feature_set: FeatureSet
) -> list[tuple[ReferenceView, Array]]:
    """The base features of ``answer`` against each reference of ``rubric``."""
    rows = []
    for reference in rubric.references:
        values = _lexical(rubric, answer, reference)
        if feature_set == "embedding":
            values = _embedding(rubric, answer, reference) + values
        rows.append((reference, np.asarray(values, dtype=np.float64)))
    return rows


def base_features(rubric: Rubric, answer: AnswerView, feature_set: FeatureSet) -> Array:
    """Each base feature at its best over the references (zeros if there is no reference)."""
    rows = per_reference(rubric, answer, feature_set)
    if not rows:
        return np.zeros(len(base_names(feature_set)))
    result: Array = np.max(np.vstack([values for _, values in rows]), axis=0)
    return result


def baseline(rubric: Rubric, feature_set: FeatureSet, embedder: Embedder | None) -> Array:
    """Base features of the question text graded as an answer to itself (cached on the rubric)."""
    cached = rubric.baseline.get(feature_set)
    if cached is None:
        view = view_answer(
            rubric.question.question, rubric.keys, embedder if feature_set == "embedding" else None
        )
        cached = base_features(rubric, view, feature_set)
        rubric.baseline[feature_set] = cached
    return cached


def feature_vector(
    rubric: Rubric, answer: AnswerView, feature_set: FeatureSet, embedder: Embedder | None
) -> Array:
    """The calibration model's input: each base feature minus its baseline.

    Differences alone cross-validate better by question than raw values, or raw values and
    differences together (see benchmarks/README.md): the baseline absorbs what is peculiar to a
    question.
    """
    result: Array = base_features(rubric, answer, feature_set) - baseline(
        rubric, feature_set, embedder
    )
    return result


def best_reference(rubric: Rubric, answer: AnswerView, feature_set: FeatureSet) -> int:
    """Index of the reference the answer is closest to (by clause alignment, else word recall)."""
    rows = per_reference(rubric, answer, feature_set)
    if not rows:
        return 0
    column = 2 if feature_set == "embedding" else 0
    return int(np.argmax([values[column] for _, values in rows]))
