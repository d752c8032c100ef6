import json
from dataclasses import replace

import numpy as np
import pytest

from interview_prep.grading.evaluation.benchmark_data import load_benchmark
from interview_prep.grading.evaluation.measure import (
    cross_validate,
    evaluate,
    fit_label_scale,
    mean_error_by_dataset,
    pearson,
    quadratic_weighted_kappa,
    question_folds,
    rmse,
    spearman,
)
from interview_prep.grading.lexical import LexicalGrader


def test_metrics_on_known_values():
    assert pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [1, 4, 9, 16]) == pytest.approx(1.0)
    assert spearman([1, 1, 2], [1, 2, 3]) == pytest.approx(0.866, abs=1e-3)
    assert rmse([0, 0], [3, 4]) == pytest.approx(np.sqrt(12.5))
    assert quadratic_weighted_kappa([0, 1, 2, 3], [0, 1, 2, 3]) == pytest.approx(1.0)
    assert quadratic_weighted_kappa([0, 0, 3, 3], [3, 3, 0, 0]) < 0


def test_folds_never_split_a_question():
    groups = [f"q{i % 7}" for i in range(70)]
    folds = question_folds(groups, 3)
    assert sum(mask.sum() for mask in folds) == 70
    for mask in folds:
        inside = {g for g, m in zip(groups, mask, strict=True) if m}
        outside = {g for g, m in zip(groups, mask, strict=True) if not m}
        assert not inside & outside


def test_label_cuts_are_fitted_for_two_and_three_labels():
    scale = fit_label_scale([0.5, 1.0, 4.0, 4.5], ["no", "no", "yes", "yes"], ("no", "yes"))
    assert 1.0 <= scale.cuts[0] < 4.0
    three = fit_label_scale([0.2, 0.4, 2.4, 2.6, 4.4, 4.8], list("aabbcc"), ("a", "b", "c"))
    assert [three.label(v) for v in (0.3, 2.5, 4.6)] == ["a", "b", "c"]


def tiny_benchmark(path, questions=6):
    lines = []
    for q in range(questions):
        reference = f"Topic {q} answer: water evaporates and the salt number {q} stays behind."
        for good, score in ((True, 5.0), (False, 0.0), (True, 4.0), (False, 1.0)):
            answer = reference if good else f"I like turtles and pizza number {q}."
            lines.append(
                {
                    "dataset": "tiny",
                    "split": "dev",
                    "question_id": str(q),
                    "question": f"What happens to salt water {q}?",
                    "reference_answers": [reference],
                    "answer": answer,
                    "score": score,
                    "max_score": 5.0,
                    "label": "correct" if good else "incorrect",
                    "grader_scores": None,
                    "feedback": None,
                }
            )
    path.write_text("\n".join(json.dumps(line) for line in lines))
    return path


def test_evaluate_and_cross_validate_on_a_tiny_file(tmp_path):
    items = load_benchmark(tiny_benchmark(tmp_path / "tiny.jsonl"))
    grader = LexicalGrader()
    report = evaluate(items, grader, keep_results=True)
    assert report.n == 24 and report.pearson > 0.8
    assert set(report.to_dict()) == {
        "n", "pearson", "spearman", "rmse", "qwk", "macro_f1", "latency_ms_p50", "latency_ms_p95",
        "mean_error",
    }  # fmt: skip
    assert len(report.results) == 24
    cv = cross_validate(items, grader, 3)
    assert cv.cv_folds == 3 and cv.pearson > 0.8 and cv.macro_f1 == pytest.approx(1.0)


def test_mean_error_is_signed_and_kept_apart_per_dataset(tmp_path):
    loaded = load_benchmark(tiny_benchmark(tmp_path / "tiny.jsonl", questions=2))
    items = [replace(item, dataset="a" if i < 4 else "b") for i, item in enumerate(loaded)]
    human = np.array([item.score5 for item in items])
    predicted = human + np.where(np.arange(len(items)) < 4, 0.5, -0.25)
    assert mean_error_by_dataset(items, predicted) == pytest.approx({"a": 0.5, "b": -0.25})
