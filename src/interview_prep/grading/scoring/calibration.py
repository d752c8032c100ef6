"""The small model that maps features to a 0-5 score, and the text file its parameters live in.

A regularised fractional-logit regression: ``score = 5 * sigmoid(w · standardise(x) + b)``, fitted
by Newton's method on targets scaled to 0-1. Its sigmoid saturates towards 0 and 5 as human grades
do, which a straight line cannot. Parameters are kept in ``grading/data/calibration.json``,
written by ``scripts/train_calibration.py``; nothing here reads benchmark data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ...errors import ConfigurationError
from .metrics import macro_f1

Array = npt.NDArray[np.float64]
FORMAT = "interview-prep/calibration"
FILE = "data/calibration.json"
MAX_SCORE = 5.0


@dataclass(frozen=True)
class CalibrationModel:
    """Standardise, weigh, squash: one fitted model over named features."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float = 2.5
    """Score above which a two-way label reads "correct" (fitted on training data)."""
    trained_on: str = ""
    metrics: dict[str, float] = field(default_factory=dict)

    def predict(self, features: Array) -> Array:
        """Scores 0-5 for a matrix of feature rows (or one row)."""
        matrix = np.atleast_2d(np.asarray(features, dtype=np.float64))
        standard = (matrix - np.asarray(self.mean)) / np.asarray(self.scale)
        logits = standard @ np.asarray(self.weights) + self.bias
        result: Array = MAX_SCORE / (1.0 + np.exp(-np.clip(logits, -30, 30)))
        return result

    def predict_one(self, features: Array) -> float:
        return float(self.predict(features)[0])

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "mean": [round(value, 8) for value in self.mean],
            "scale": [round(value, 8) for value in self.scale],
            "weights": [round(value, 8) for value in self.weights],
            "bias": round(self.bias, 8),
            "threshold": round(self.threshold, 4),
            "trained_on": self.trained_on,
            "metrics": {key: round(value, 4) for key, value in self.metrics.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CalibrationModel:
        features = tuple(data["features"])
        sizes = {len(data["mean"]), len(data["scale"]), len(data["weights"])}
        if sizes != {len(features)}:
            raise ConfigurationError("calibration model: features, mean, scale, weights differ")
        return cls(
            features=features,
            mean=tuple(float(v) for v in data["mean"]),
            scale=tuple(float(v) for v in data["scale"]),
            weights=tuple(float(v) for v in data["weights"]),
            bias=float(data["bias"]),
            threshold=float(data.get("threshold", 2.5)),
            trained_on=str(data.get("trained_on", "")),
            metrics={k: float(v) for k, v in (data.get("metrics") or {}).items()},
        )


def fit(
    features: Array,
    scores: Array,
    names: tuple[str, ...],
    *,
    l2: float = 3.0,
    sample_weight: Array | None = None,
    trained_on: str = "",
) -> CalibrationModel:
    """Fit a fractional-logit model of ``scores`` (0-5) on ``features``.

    Args:
        features: one row per answer, columns named by ``names``.
        scores: human scores on the 0-5 scale.
        names: the feature names, stored with the model so that a mismatch is caught at load.
        l2: ridge penalty on the standardised weights (not on the bias).
        sample_weight: optional weight per row (e.g. to balance datasets of different sizes).
        trained_on: a note kept in the file.

    Raises:
        ValueError: shapes that do not agree, or fewer than two rows.
    """
    matrix = np.asarray(features, dtype=np.float64)
    target = np.clip(np.asarray(scores, dtype=np.float64) / MAX_SCORE, 0.0, 1.0)
    if matrix.ndim != 2 or matrix.shape[0] != target.shape[0] or matrix.shape[1] != len(names):
        raise ValueError(f"features {matrix.shape} do not match {len(target)} scores and names")
    if matrix.shape[0] < 2:
        raise ValueError("need at least two rows to fit a calibration")
    weight = np.ones(len(target)) if sample_weight is None else np.asarray(sample_weight, float)
    mean = matrix.mean(axis=0)
    scale = matrix.std(axis=0)
    scale[scale < 1e-9] = 1.0
    design = np.hstack([(matrix - mean) / scale, np.ones((len(matrix), 1))])
    penalty = np.eye(design.shape[1]) * l2
    penalty[-1, -1] = 0.0
    coef = np.zeros(design.shape[1])
    for _ in range(100):
        predicted = 1.0 / (1.0 + np.exp(-np.clip(design @ coef, -30, 30)))
        gradient = design.T @ (weight * (predicted - target)) + penalty @ coef
        curvature = weight * predicted * (1.0 - predicted) + 1e-9
        hessian = (design * curvature[:, None]).T @ design + penalty
        step = np.linalg.solve(hessian, gradient)
        coef -= step
        if float(np.abs(step).max()) < 1e-9:
            break
    return CalibrationModel(
        features=tuple(names),
        mean=tuple(float(v) for v in mean),
        scale=tuple(float(v) for v in scale),
        weights=tuple(float(v) for v in coef[:-1]),
        bias=float(coef[-1]),
        trained_on=trained_on,
    )


def best_threshold(scores: Array, labels: npt.NDArray[np.int_]) -> float:
    """The score cut (0-5) that maximises two-class macro-F1 on ``labels`` (1 = correct)."""
    candidates = np.linspace(0.25, 4.75, 91)
    results = [macro_f1(labels, (scores > cut).astype(int)) for cut in candidates]
    return float(candidates[int(np.argmax(results))])


def calibration_path() -> Path:
    return Path(str(resources.files("interview_prep.grading").joinpath(FILE)))


@cache
def load_calibration(path: str | None = None) -> dict[str, CalibrationModel]:
    """The shipped models by name ("embedding", "lexical", ...).

    Raises:
        ConfigurationError: the file is missing or does not parse.
    """
    file = Path(path) if path else calibration_path()
    try:
        data = json.loads(file.read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise ConfigurationError(f"cannot read the calibration file {file}: {error}") from None
    if data.get("format") != FORMAT:
        raise ConfigurationError(f"{file} is not a calibration file (format {FORMAT!r})")
    return {name: CalibrationModel.from_dict(item) for name, item in data["models"].items()}


def save_calibration(
    models: dict[str, CalibrationModel], path: Path, *, command: str, notes: str = ""
) -> None:
    """Write ``models`` as the calibration text file, with the command that made it."""
    data = {
        "format": FORMAT,
        "version": 1,
        "command": command,
        "notes": notes,
        "models": {name: model.to_dict() for name, model in sorted(models.items())},
    }
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", "utf-8")
