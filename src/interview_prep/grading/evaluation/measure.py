"""Measuring the grader against human grades: metrics, and cross-validation split by question.

Cross-validation refits the calibration on the training folds only and scores held-out questions,
so no question's own answers ever shape the model that grades it.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from ...domain import Question
from ..graders import EngineGrader
from ..pipeline import Analysis
from ..result import GradeResult
from ..scoring.calibration import CalibrationModel, fit
from ..scoring.features import feature_names
from ..scoring.metrics import macro_f1
from .benchmark_data import BenchmarkItem

Array = npt.NDArray[np.float64]


def pearson(x: Sequence[float] | Array, y: Sequence[float] | Array) -> float:
    a = np.asarray(x, dtype=np.float64)
    b = np.asarray(y, dtype=np.float64)
    if len(a) < 2 or a.std() == 0 or b.std() == 0:
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])


def _ranks(values: Array) -> Array:
    """Ranks from 1, ties given their average rank."""
    order = np.argsort(values, kind="mergesort")
    ranks = np.empty(len(values), dtype=np.float64)
    sorted_values = values[order]
    start = 0
    while start < len(values):
        stop = start
        while stop + 1 < len(values) and sorted_values[stop + 1] == sorted_values[start]:
            stop += 1
        ranks[order[start : stop + 1]] = (start + stop) / 2.0 + 1.0
        start = stop + 1
    return ranks


def spearman(x: Sequence[float] | Array, y: Sequence[float] | Array) -> float:
    return pearson(_ranks(np.asarray(x, dtype=np.float64)), _ranks(np.asarray(y, dtype=np.float64)))


def rmse(predicted: Sequence[float] | Array, actual: Sequence[float] | Array) -> float:
    a = np.asarray(predicted, dtype=np.float64)
    b = np.asarray(actual, dtype=np.float64)
    return float(np.sqrt(np.mean((a - b) ** 2))) if len(a) else 0.0


def quadratic_weighted_kappa(
    rater_a: Sequence[int] | npt.NDArray[np.int_], rater_b: Sequence[int] | npt.NDArray[np.int_]
) -> float:
    """Cohen's kappa with quadratic weights on integer ratings."""
    a = np.asarray(rater_a, dtype=int)
    b = np.asarray(rater_b, dtype=int)
    if len(a) == 0:
        return 0.0
    low = int(min(a.min(), b.min()))
    high = int(max(a.max(), b.max()))
    size = high - low + 1
    if size == 1:
        return 1.0
    observed = np.zeros((size, size))
    for i, j in zip(a - low, b - low, strict=True):
        observed[i, j] += 1
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / len(a)
    grid = np.arange(size)
    weights = (grid[:, None] - grid[None, :]) ** 2 / (size - 1) ** 2
    denominator = float((weights * expected).sum())
    return 1.0 - float((weights * observed).sum()) / denominator if denominator else 1.0


def percentile(values: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(values, dtype=np.float64), q)) if values else 0.0


def question_folds(groups: Sequence[str], k: int, seed: int = 0) -> list[npt.NDArray[np.bool_]]:
    """``k`` test masks that split whole questions (``groups``) between folds, shuffled by seed."""
    unique = sorted(set(groups))
    if k < 2 or k > len(unique):
        raise ValueError(f"cannot make {k} folds from {len(unique)} questions")
    order = np.random.default_rng(seed).permutation(len(unique))
    fold_of = {unique[index]: position % k for position, index in enumerate(order)}
    assignment = np.array([fold_of[group] for group in groups])
    return [assignment == fold for fold in range(k)]


# --- labels ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelScale:
    """Ordered labels (worst first) with the 0-5 score cuts between them."""

    labels: tuple[str, ...]
    cuts: tuple[float, ...]

    def label(self, score: float) -> str:
        for cut, label in zip(self.cuts, self.labels, strict=False):
            if score <= cut:
                return label
        return self.labels[-1]


def order_labels(items: Sequence[BenchmarkItem]) -> tuple[str, ...]:
    """The file's labels from worst to best, by the mean human score of each."""
    sums: dict[str, list[float]] = {}
    for item in items:
        if item.label is not None:
            sums.setdefault(item.label, []).append(item.score5)
    return tuple(sorted(sums, key=lambda label: float(np.mean(sums[label]))))


def midpoint_scale(items: Sequence[BenchmarkItem]) -> LabelScale | None:
    """Cuts halfway between the mean human scores of neighbouring labels."""
    labels = order_labels(items)
    if len(labels) < 2:
        return None
    means = [float(np.mean([i.score5 for i in items if i.label == label])) for label in labels]
    cuts = tuple((low + high) / 2 for low, high in itertools.pairwise(means))
    return LabelScale(labels, cuts)


def fit_label_scale(
    scores: Sequence[float] | Array, labels: Sequence[str], order: tuple[str, ...]
) -> LabelScale:
    """Cuts that maximise macro-F1 of ``labels`` from ``scores`` (grid search over 0-5)."""
    values = np.asarray(scores, dtype=np.float64)
    truth = np.array([order.index(label) for label in labels])
    classes = len(order)
    grid = np.linspace(0.1, 4.9, 49 if classes == 2 else 25)
    best: tuple[float, tuple[float, ...]] = (-1.0, tuple(grid[: classes - 1]))
    for cuts in itertools.combinations(grid, classes - 1):
        guess = np.searchsorted(np.asarray(cuts), values, side="left")
        quality = _macro_f1_indices(truth, guess, classes)
        if quality > best[0]:
            best = (quality, tuple(float(c) for c in cuts))
    return LabelScale(order, best[1])


def _macro_f1_indices(
    truth: npt.NDArray[np.int_], guess: npt.NDArray[np.int_], classes: int
) -> float:
    confusion = np.bincount(truth * classes + guess, minlength=classes * classes).reshape(
        classes, classes
    )
    tp = np.diag(confusion).astype(np.float64)
    denominator = confusion.sum(axis=0) + confusion.sum(axis=1)
    present = confusion.sum(axis=1) > 0
    f1 = np.where(denominator > 0, 2 * tp / np.maximum(denominator, 1), 0.0)
    return float(f1[present].mean()) if present.any() else 0.0


# --- evaluation -----------------------------------------------------------------------------


@dataclass
class EvalReport:
    n: int
    pearson: float
    spearman: float
    rmse: float
    qwk: float
    macro_f1: float | None
    latency_ms_p50: float
    latency_ms_p95: float
    pearson_05: float = 0.0
    """Pearson on the 0-5 scale (each answer's score divided by its question's maximum)."""
    rmse_05: float = 0.0
    cv_folds: int | None = None
    datasets: tuple[str, ...] = ()
    mean_error: dict[str, float] = field(default_factory=dict)
    """Mean predicted minus human score (0-5) per dataset: a grader too harsh or too lenient
    on a whole dataset shows here, where a correlation cannot see it."""
    results: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The summary keys the CLI prints with ``--json``."""
        return {
            "n": self.n,
            "pearson": round(self.pearson, 4),
            "spearman": round(self.spearman, 4),
            "rmse": round(self.rmse, 4),
            "qwk": round(self.qwk, 4),
            "macro_f1": None if self.macro_f1 is None else round(self.macro_f1, 4),
            "latency_ms_p50": round(self.latency_ms_p50, 2),
            "latency_ms_p95": round(self.latency_ms_p95, 2),
            "mean_error": {name: round(value, 4) for name, value in self.mean_error.items()},
        }


def metrics(
    items: Sequence[BenchmarkItem],
    predicted05: Sequence[float],
    predicted_labels: Sequence[str] | None,
    latencies: Sequence[float],
) -> EvalReport:
    """Metrics of 0-5 predictions against the items' human scores (on the file's scale)."""
    predicted = np.asarray(predicted05, dtype=np.float64)
    human05 = np.array([item.score5 for item in items])
    scale = np.array([item.max_score / 5.0 for item in items])
    human = np.array([item.score for item in items])
    labelled = [item.label for item in items]
    f1 = None
    if predicted_labels is not None and all(label is not None for label in labelled):
        f1 = macro_f1(labelled, predicted_labels)
    return EvalReport(
        n=len(items),
        pearson=pearson(predicted * scale, human),
        spearman=spearman(predicted * scale, human),
        rmse=rmse(predicted * scale, human),
        qwk=quadratic_weighted_kappa(np.rint(predicted).astype(int), np.rint(human05).astype(int)),
        macro_f1=f1,
        latency_ms_p50=percentile(latencies, 50),
        latency_ms_p95=percentile(latencies, 95),
        pearson_05=pearson(predicted, human05),
        rmse_05=rmse(predicted, human05),
        datasets=tuple(sorted({item.dataset for item in items})),
        mean_error=mean_error_by_dataset(items, predicted),
    )


def mean_error_by_dataset(items: Sequence[BenchmarkItem], predicted05: Any) -> dict[str, float]:
    """Mean of predicted minus human score on the 0-5 scale, for each dataset of ``items``."""
    predicted = np.asarray(predicted05, dtype=np.float64)
    human05 = np.array([item.score5 for item in items])
    datasets = np.array([item.dataset for item in items])
    return {
        name: float(np.mean(predicted[datasets == name] - human05[datasets == name]))
        for name in sorted(set(datasets.tolist()))
    }


QuestionFor = Callable[[BenchmarkItem], Question]


Progress = Callable[[int], None]
"""Told after each answer graded (how many so far), e.g. to move a progress bar."""


def analyse_items(
    items: Sequence[BenchmarkItem],
    grader: EngineGrader,
    question_for: QuestionFor,
    progress: Progress | None = None,
) -> tuple[list[Analysis], list[GradeResult], list[float]]:
    """Grade every item with the grader's own calibration, timing each answer."""
    analyses, results, latencies = [], [], []
    for done, item in enumerate(items, 1):
        if progress is not None:
            progress(done)
        started = time.perf_counter()
        analysis = grader.analyse(question_for(item), item.answer)
        result = grader.conclude(analysis)
        latencies.append((time.perf_counter() - started) * 1000)
        analyses.append(analysis)
        results.append(result)
    return analyses, results, latencies


def _result_row(item: BenchmarkItem, result: GradeResult, label: str | None) -> dict[str, Any]:
    return {
        "line": item.line,
        "dataset": item.dataset,
        "question_id": item.question_id,
        "human_score": item.score,
        "max_score": item.max_score,
        "human_label": item.label,
        "predicted_score": round(result.score * item.max_score / 5.0, 4),
        "predicted_label": label,
        "result": result.to_dict(include_features=True),
    }


def evaluate(
    items: Sequence[BenchmarkItem],
    grader: EngineGrader,
    question_for: QuestionFor | None = None,
    *,
    keep_results: bool = False,
    progress: Progress | None = None,
) -> EvalReport:
    """Grade ``items`` with the shipped calibration and measure against the human scores."""
    lookup = question_for or BenchmarkItem.as_question
    _, results, latencies = analyse_items(items, grader, lookup, progress)
    predicted = [result.score for result in results]
    scale = midpoint_scale(items)
    labels = [scale.label(score) for score in predicted] if scale else None
    report = metrics(items, predicted, labels, latencies)
    if keep_results:
        report.results = [
            _result_row(item, result, labels[i] if labels else None)
            for i, (item, result) in enumerate(zip(items, results, strict=True))
        ]
    return report


def cross_validate(
    items: Sequence[BenchmarkItem],
    grader: EngineGrader,
    folds: int,
    question_for: QuestionFor | None = None,
    *,
    seed: int = 0,
    l2: float = 3.0,
    keep_results: bool = False,
    analysed: tuple[list[Analysis], list[float]] | None = None,
    by_dataset: bool = True,
    progress: Progress | None = None,
) -> EvalReport:
    """K-fold cross-validation by question, calibration refitted on the training folds only.

    Args:
        items: a development file's items.
        grader: the engine grader whose features are calibrated.
        folds: number of folds (questions are split, never answers).
        question_for: how to get the question of an item (default: reference-only).
        seed: shuffles questions between folds.
        l2: ridge penalty of the calibration.
        keep_results: keep each answer's held-out result in the report.
        analysed: analyses and latencies computed before, to reuse.
        by_dataset: fit one calibration per ``dataset`` of the file (when it has several).
        progress: told after each answer analysed.
    """
    lookup = question_for or BenchmarkItem.as_question
    if analysed is None:
        analyses, _, latencies = analyse_items(items, grader, lookup, progress)
    else:
        analyses, latencies = analysed
    names = feature_names(grader.feature_set)
    usable = [a.features is not None for a in analyses]
    matrix = np.vstack(
        [a.features if a.features is not None else np.zeros(len(names)) for a in analyses]
    )
    target = np.array([item.score5 for item in items])
    groups = [item.group for item in items]
    order = order_labels(items)
    has_labels = len(order) >= 2 and all(item.label is not None for item in items)
    predicted = np.zeros(len(items))
    labels: list[str] = [""] * len(items)
    held_out: list[GradeResult | None] = [None] * len(items)
    datasets = np.array([item.dataset for item in items])
    # A file that mixes datasets (SemEval: Beetle and SciEntsBank) gets one calibration per
    # dataset family, each fitted on that family's training questions only.
    families = sorted(set(datasets)) if by_dataset else [None]
    for test in question_folds(groups, folds, seed):
        for family in families:
            in_family = np.ones(len(items), bool) if family is None else datasets == family
            train = ~test & np.array(usable) & in_family
            if train.sum() < 2:
                train = ~test & np.array(usable)
            model: CalibrationModel = fit(matrix[train], target[train], names, l2=l2)
            scale = None
            if has_labels:
                train_labels = [items[int(i)].label or "" for i in np.flatnonzero(train)]
                scale = fit_label_scale(model.predict(matrix[train]), train_labels, order)
            for position in np.flatnonzero(test & in_family):
                index = int(position)
                result = grader.conclude(analyses[index], model)
                held_out[index] = result
                predicted[index] = result.score
                if scale is not None:
                    labels[index] = scale.label(result.score)
    report = metrics(items, list(predicted), labels if has_labels else None, latencies)
    report.cv_folds = folds
    if keep_results:
        report.results = [
            _result_row(item, result, labels[i] if has_labels else None)
            for i, (item, result) in enumerate(zip(items, held_out, strict=True))
            if result is not None
        ]
    return report


def fit_calibration(
    items: Sequence[BenchmarkItem],
    analyses: Sequence[Analysis],
    feature_set_names: tuple[str, ...],
    *,
    l2: float = 3.0,
    sample_weight: Array | None = None,
    trained_on: str = "",
) -> CalibrationModel:
    """Fit a calibration on every analysed item (used to make the shipped model)."""
    rows = [(a.features, item.score5) for item, a in zip(items, analyses, strict=True)]
    keep = [i for i, (features, _) in enumerate(rows) if features is not None]
    matrix = np.vstack([rows[i][0] for i in keep])  # type: ignore[misc]
    target = np.array([rows[i][1] for i in keep])
    weight = None if sample_weight is None else np.asarray(sample_weight)[keep]
    return fit(
        matrix, target, feature_set_names, l2=l2, sample_weight=weight, trained_on=trained_on
    )
