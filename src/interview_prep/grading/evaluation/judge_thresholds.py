"""The judge's decision thresholds, chosen on its out-of-fold predictions (no PyTorch here).

``scripts/train_judge.py`` trains one head per fold of questions and predicts the pairs of the
questions each head never saw; these functions turn those predictions into the thresholds that the
grader reads from ``judge.json``. Only the authored training pairs are used: no test answer.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .judge_training import Pair

Scores = npt.NDArray[np.float64]
Flags = npt.NDArray[np.bool_]

# Thresholds are tried on this grid; 0.95 is the highest a verdict is asked to reach.
GRID = np.round(np.arange(0.2, 0.96, 0.01), 2)

# Before any measurement: more than even odds to give credit, and a wrong claim or contradiction
# only when the judge is nearly sure, since a false accusation costs a candidate more than a
# missed one. A threshold from the out-of-fold predictions replaces these when it can be reached.
A_PRIORI = {"covers": 0.5, "partly": 0.3, "contradicts": 0.9, "states_claim": 0.75}


def precise_threshold(
    scores: Scores, positive: Flags, min_precision: float, a_priori: float
) -> float:
    """The lowest threshold whose out-of-fold precision reaches ``min_precision``.

    For verdicts that accuse a candidate. When no threshold reaches it, the a-priori one stays:
    falling back to the highest threshold on the grid would silence the verdict.
    """
    for threshold in GRID:
        flagged = scores >= threshold
        if not flagged.any():
            break
        if float((flagged & positive).sum()) / float(flagged.sum()) >= min_precision:
            return float(threshold)
    return a_priori


def balanced_threshold(scores: Scores, positive: Flags) -> float:
    """The threshold with the highest out-of-fold F1.

    For credit: a point credited that the answer does not make and a point missed that it makes
    cost a candidate alike, so neither precision nor recall is favoured.
    """
    best_f1, best = -1.0, A_PRIORI["covers"]
    for threshold in GRID:
        flagged = scores >= threshold
        tp = float((flagged & positive).sum())
        if not tp:
            continue
        precision, recall = tp / float(flagged.sum()), tp / float(positive.sum())
        f1 = 2 * precision * recall / (precision + recall)
        if f1 > best_f1:
            best_f1, best = f1, float(threshold)
    return best


def oof_thresholds(out_of_fold: Scores, pairs: list[Pair]) -> dict[str, float]:
    """The grader's decision thresholds, from predictions on questions the model never saw."""
    truth = np.array([int(p.verdict) for p in pairs])
    claim_rows = np.array([p.source.startswith("claim") or p.source == "correction" for p in pairs])
    # The rows whose item is a key point or one of its examples: what "covers" decides.
    point_rows = ~claim_rows
    covers = balanced_threshold(out_of_fold[point_rows, 1], truth[point_rows] == 1)
    return {
        "covers": covers,
        "partly": min(A_PRIORI["partly"], covers),
        "contradicts": precise_threshold(
            out_of_fold[:, 2], truth == 2, 0.9, A_PRIORI["contradicts"]
        ),
        # Four in five: an accusation is wrong at most once for every four times it is right.
        "states_claim": precise_threshold(
            out_of_fold[claim_rows, 1], truth[claim_rows] == 1, 0.8, A_PRIORI["states_claim"]
        )
        if claim_rows.any()
        else A_PRIORI["states_claim"],
    }
