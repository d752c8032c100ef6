"""The judge's thresholds, chosen on out-of-fold predictions by rules fixed before they are seen."""

from __future__ import annotations

import numpy as np

from interview_prep.grading.evaluation.judge_thresholds import (
    A_PRIORI,
    balanced_threshold,
    oof_thresholds,
    precise_threshold,
)
from interview_prep.grading.evaluation.judge_training import Pair
from interview_prep.grading.models.judge import Verdict


def test_an_accusation_needs_the_lowest_threshold_that_reaches_its_precision():
    scores = np.array([0.95, 0.9, 0.8, 0.7, 0.6, 0.5])
    positive = np.array([True, True, True, False, True, False])
    # Above 0.5 four of five flagged are right (0.8); at 0.5 four of six (0.67).
    assert precise_threshold(scores, positive, 0.8, 0.75) == 0.51
    # Only above 0.7 is every flag right.
    assert precise_threshold(scores, positive, 1.0, 0.75) == 0.71


def test_an_unreachable_precision_keeps_the_a_priori_threshold_not_the_ceiling():
    scores = np.array([0.99, 0.98, 0.97])
    positive = np.array([True, False, False])
    assert precise_threshold(scores, positive, 0.9, 0.75) == 0.75


def test_credit_takes_the_threshold_of_the_best_f1():
    scores = np.array([0.9, 0.8, 0.45, 0.4, 0.3, 0.25])
    positive = np.array([True, True, True, False, False, False])
    # Everything at or above 0.41-0.45 is right and nothing right lies below.
    assert 0.41 <= balanced_threshold(scores, positive) <= 0.45


def _pair(verdict: Verdict, source: str) -> Pair:
    return Pair("q", f"item {source}", f"span {verdict}", verdict, source)


def test_claims_and_points_are_thresholded_on_their_own_rows():
    pairs = [
        _pair(Verdict.COVERS, "example"),
        _pair(Verdict.NEITHER, "other-point"),
        _pair(Verdict.COVERS, "claim-example"),
        _pair(Verdict.NEITHER, "claim-other"),
        _pair(Verdict.CONTRADICTS, "claim-point"),
    ]
    out_of_fold = np.array(
        [
            [0.1, 0.6, 0.3],  # a key point's example, heard at 0.6
            [0.0, 0.2, 0.8],  # another point, heard at 0.2, read as contradicting at 0.8
            [0.0, 0.97, 0.03],  # a rewording of a wrong claim, heard at 0.97
            [0.1, 0.9, 0.0],  # on topic, not the claim, heard at 0.9
            [0.2, 0.1, 0.7],  # never more sure of a contradiction than of the false one
        ]
    )
    thresholds = oof_thresholds(out_of_fold, pairs)
    assert 0.21 <= thresholds["covers"] <= 0.6
    assert thresholds["partly"] <= thresholds["covers"]
    assert 0.91 <= thresholds["states_claim"] <= 0.97
    assert thresholds["contradicts"] == A_PRIORI["contradicts"]
