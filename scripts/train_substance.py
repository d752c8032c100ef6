"""Train the grader's substance probe and write grading/data/substance.npz and substance.json.

    .venv/bin/python scripts/train_substance.py            # CV report, then the shipped probe
    .venv/bin/python scripts/train_substance.py --folds 10 --keep 0.98

No PyTorch: the probe is a logistic regression on the frozen MiniLM sentence vectors, fitted by
Newton's method in numpy (385 numbers). Data: the bundled bank's authored sentences and
grading/data/empty_talk.yaml (see grading/evaluation/substance_training.py), nothing else; no
test answer (tests/grading/*.yaml) is read.

Question-level cross-validation (every sentence of a held-out question leaves the training)
chooses the L2 strength by out-of-fold log-loss, and the decision threshold as the highest one
that still keeps ``--keep`` of the substantive sentences: turning a real statement away costs a
candidate credit they earned. Then one probe is fitted on every sentence and written with its
checksum. Deterministic: the same data, folds seed and library versions give the same file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import time
from pathlib import Path

import numpy as np
from rich.progress import Progress

from interview_prep.formats.files import load_bank_file
from interview_prep.grading.evaluation.substance_training import (
    read_empty_talk,
    substance_sentences,
)
from interview_prep.grading.models.embedders import MODEL_SHA256, OnnxMiniLMEmbedder
from interview_prep.grading.models.substance import meta_path, weights_path
from interview_prep.storage.bundled import bundled_bank_files

STRENGTHS = (0.1, 0.3, 1.0, 3.0, 10.0)


def fit(x: np.ndarray, y: np.ndarray, strength: float, steps: int = 30) -> np.ndarray:
    """Class-balanced L2 logistic regression by Newton's method; returns [weights..., bias]."""
    rows = np.hstack([x, np.ones((len(x), 1))]).astype(np.float64)
    positives = max(1.0, float(y.sum()))
    negatives = max(1.0, float(len(y) - y.sum()))
    # Each class weighs as much in all: the empty sentences are fewer, and must count as much.
    sample = np.where(y == 1, len(y) / (2 * positives), len(y) / (2 * negatives))
    penalty = np.full(rows.shape[1], strength)
    penalty[-1] = 0.0  # the bias is not shrunk
    theta = np.zeros(rows.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(rows @ theta)))
        gradient = rows.T @ (sample * (p - y)) + penalty * theta
        hessian = (rows * (sample * p * (1 - p))[:, None]).T @ rows + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return theta


def predict(theta: np.ndarray, x: np.ndarray) -> np.ndarray:
    result: np.ndarray = 1.0 / (1.0 + np.exp(-(x @ theta[:-1] + theta[-1])))
    return result


def log_loss(p: np.ndarray, y: np.ndarray) -> float:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    # Balanced, as the fit is: the mean loss of each class, averaged.
    return float((-np.log(p[y == 1]).mean() - np.log(1 - p[y == 0]).mean()) / 2)


def auc(p: np.ndarray, y: np.ndarray) -> float:
    order = np.argsort(p)
    ranks = np.empty(len(p))
    ranks[order] = np.arange(1, len(p) + 1)
    positives = float(y.sum())
    negatives = float(len(y) - positives)
    return float((ranks[y == 1].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def folds_of(questions: list[str], folds: int, seed: int) -> dict[str, int]:
    unique = sorted(set(questions))
    random.Random(seed).shuffle(unique)
    return {question: index % folds for index, question in enumerate(unique)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folds", type=int, default=5, help="question-level CV folds (>= 2)")
    parser.add_argument(
        "--keep",
        type=float,
        default=0.975,
        help="share of substantive sentences the threshold must keep (CV)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the fold assignment")
    parser.add_argument("--out", type=Path, help="also write the out-of-fold predictions (JSON)")
    parser.add_argument("--dry-run", action="store_true", help="report only; write no probe")
    args = parser.parse_args()
    if args.folds < 2:
        parser.error("--folds must be at least 2")

    started = time.perf_counter()
    empty = read_empty_talk()
    sentences = []
    for path in bundled_bank_files():
        sentences.extend(substance_sentences(load_bank_file(path), empty))
    texts = [s.text for s in sentences]
    y = np.array([1.0 if s.substantive else 0.0 for s in sentences])
    questions = [s.question for s in sentences]
    print(f"{len(texts)} sentences: {int(y.sum())} substantive, {int(len(y) - y.sum())} empty, "
          f"{len(set(questions))} questions")  # fmt: skip

    embedder = OnnxMiniLMEmbedder()
    vectors = np.zeros((len(texts), embedder.dimension), dtype=np.float32)
    with Progress() as progress:
        task = progress.add_task("encoding", total=len(texts))
        for start in range(0, len(texts), 64):
            vectors[start : start + 64] = embedder.embed(texts[start : start + 64])
            progress.advance(task, min(64, len(texts) - start))
    x = vectors.astype(np.float64)

    fold = folds_of(questions, args.folds, args.seed)
    fold_of = np.array([fold[q] for q in questions])
    out_of_fold: dict[float, np.ndarray] = {}
    for strength in STRENGTHS:
        predicted = np.zeros(len(y))
        for k in range(args.folds):
            held = fold_of == k
            theta = fit(x[~held], y[~held], strength)
            predicted[held] = predict(theta, x[held])
        out_of_fold[strength] = predicted
        print(f"L2 {strength:>5}: out-of-fold log-loss {log_loss(predicted, y):.3f}, "
              f"AUC {auc(predicted, y):.3f}")  # fmt: skip
    strength = min(STRENGTHS, key=lambda s: log_loss(out_of_fold[s], y))
    predicted = out_of_fold[strength]
    # The highest threshold that keeps args.keep of the substantive sentences.
    threshold = float(np.quantile(predicted[y == 1], 1 - args.keep))
    threshold = float(np.floor(threshold * 100) / 100)
    kept = float((predicted[y == 1] >= threshold).mean())
    caught = float((predicted[y == 0] < threshold).mean())
    print(f"chosen L2 {strength}, threshold {threshold:.2f}: keeps {kept:.1%} of substantive, "
          f"turns away {caught:.1%} of empty sentences (out of fold)")  # fmt: skip
    if args.out:
        rows = [
            {"text": t, "substantive": bool(label), "question": q, "p": round(float(p), 4)}
            for t, label, q, p in zip(texts, y, questions, predicted, strict=True)
        ]
        args.out.write_text(json.dumps(rows, indent=1), "utf-8")
    if args.dry_run:
        return

    theta = fit(x, y, strength)
    weights = weights_path()
    np.savez(weights, weight=theta[:-1].astype(np.float32), bias=np.float32(theta[-1]))
    meta = {
        "sha256": hashlib.sha256(weights.read_bytes()).hexdigest(),
        "threshold": threshold,
        "trained_with": "python scripts/train_substance.py "
        + " ".join(
            f"--{k.replace('_', '-')} {v}"
            for k, v in (("folds", args.folds), ("keep", args.keep), ("seed", args.seed))
        ),
        "encoder_sha256": MODEL_SHA256,
        "l2": strength,
        "sentences": {"substantive": int(y.sum()), "empty": int(len(y) - y.sum())},
        "cv": {
            "folds": args.folds,
            "seed": args.seed,
            "by": "question",
            "auc": round(auc(predicted, y), 4),
            "keeps_substantive": round(kept, 4),
            "turns_away_empty": round(caught, 4),
        },
    }
    meta_path().write_text(json.dumps(meta, indent=2) + "\n", "utf-8")
    print(f"wrote {weights.name} and {meta_path().name} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
