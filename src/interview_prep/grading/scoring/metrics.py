"""Macro-F1: the one agreement measure that scoring needs itself, to place the calibration's cut.

The other measures (Pearson, Spearman, RMSE, kappa) only judge the grader, so they stay in
:mod:`..evaluation.measure`, which imports this one from here: scoring never reaches up into
evaluation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt


def macro_f1(
    actual: Sequence[Any] | npt.NDArray[Any], predicted: Sequence[Any] | npt.NDArray[Any]
) -> float:
    """Mean F1 over the classes present in ``actual``."""
    truth = list(actual)
    guess = list(predicted)
    scores = []
    for label in sorted(set(truth), key=str):
        tp = sum(1 for t, p in zip(truth, guess, strict=True) if t == label and p == label)
        fp = sum(1 for t, p in zip(truth, guess, strict=True) if t != label and p == label)
        fn = sum(1 for t, p in zip(truth, guess, strict=True) if t == label and p != label)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(scores)) if scores else 0.0
