"""Measure the grader: accuracy against human grades, baselines on the same folds, speed, memory.

    .venv/bin/python benchmarks/grading_benchmark.py                 # everything
    .venv/bin/python benchmarks/grading_benchmark.py --skip-accuracy # speed and memory only
    .venv/bin/python benchmarks/grading_benchmark.py --json out.json --embedding-cache /tmp/e.npz
    .venv/bin/python benchmarks/grading_benchmark.py --skip-speed --evidence judge,both,coverage
    .venv/bin/python benchmarks/grading_benchmark.py --skip-accuracy --grader judge-coverage

Accuracy: K-fold cross-validation by question (default 10) on each development file in
``../shared/benchmarks/asag`` (or ``$INTERVIEW_PREP_BENCHMARK_DIR``, or ``--data-dir``), the
calibration refitted on the training folds only, one per dataset family. On the same folds it fits
two baselines, each a least-squares line on one number: TF-IDF cosine to the best reference, and
MiniLM cosine to the best reference. Metrics are on each file's own scale (SAF's points go up to
a per-question maximum), with Pearson on the 0-5 scale too.

Speed: grading 150-word answers to a bank question after warm-up, every answer different (so no
cache hides the model), cold load of the model in a fresh process, and resident memory after it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from interview_prep.grading.evaluation.benchmark_data import (
    DEV_FILES,
    BenchmarkItem,
    default_benchmark_dir,
    load_benchmark,
)
from interview_prep.grading.evaluation.measure import (
    cross_validate,
    fit_label_scale,
    mean_error_by_dataset,
    order_labels,
    pearson,
    percentile,
    quadratic_weighted_kappa,
    question_folds,
    rmse,
    spearman,
)
from interview_prep.grading.graders import EmbeddingGrader, EngineGrader
from interview_prep.grading.lexical import LexicalGrader
from interview_prep.grading.models.embedders import CachedEmbedder, Embedder, get_embedder
from interview_prep.grading.scoring.calibration import CalibrationModel
from interview_prep.grading.scoring.features import feature_names
from interview_prep.grading.scoring.metrics import macro_f1

REPO = Path(__file__).resolve().parents[1]
TARGETS = {
    "mohler-dev.jsonl": "Pearson >= 0.60 and RMSE <= 0.85",
    "saf-dev.jsonl": "Pearson >= 0.65",
    "semeval2013-2way-dev.jsonl": "macro-F1 >= 0.75",
}


def _neutral(names: tuple[str, ...]) -> CalibrationModel:
    size = len(names)
    return CalibrationModel(names, (0.0,) * size, (1.0,) * size, (0.0,) * size, 0.0)


# --- baselines ------------------------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9]+")


def _tfidf_cosines(items: list[BenchmarkItem]) -> np.ndarray:
    """Cosine of each answer's TF-IDF vector to its best reference (IDF over the file's texts)."""
    documents: list[list[str]] = []
    for item in items:
        documents.append(_WORD.findall(item.answer.lower()))
    references = {ref for item in items for ref in item.references}
    documents += [_WORD.findall(ref.lower()) for ref in references]
    frequency = Counter(word for doc in documents for word in set(doc))
    total = len(documents)

    def vector(words: list[str]) -> dict[str, float]:
        counts = Counter(words)
        weights = {
            w: c * math.log((1 + total) / (1 + frequency[w])) + 1e-9 for w, c in counts.items()
        }
        norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
        return {w: v / norm for w, v in weights.items()}

    cosines = []
    for item in items:
        answer = vector(_WORD.findall(item.answer.lower()))
        best = 0.0
        for ref in item.references:
            other = vector(_WORD.findall(ref.lower()))
            best = max(best, sum(v * other.get(w, 0.0) for w, v in answer.items()))
        cosines.append(best)
    return np.array(cosines)


def _minilm_cosines(items: list[BenchmarkItem], embedder: Embedder) -> np.ndarray:
    texts = list({text for item in items for text in (item.answer, *item.references)})
    vectors = dict(zip(texts, embedder.embed(texts), strict=True))
    return np.array(
        [
            max((float(vectors[item.answer] @ vectors[ref]) for ref in item.references), default=0)
            for item in items
        ]
    )


def _linear_cv(items: list[BenchmarkItem], x: np.ndarray, folds: int, seed: int) -> dict[str, Any]:
    """Least-squares line of the 0-5 score on one number, fitted per fold and dataset family."""
    target = np.array([item.score5 for item in items])
    datasets = np.array([item.dataset for item in items])
    order = order_labels(items)
    has_labels = len(order) >= 2 and all(item.label is not None for item in items)
    predicted = np.zeros(len(items))
    labels = [""] * len(items)
    for test in question_folds([item.group for item in items], folds, seed):
        for family in sorted(set(datasets)):
            train = ~test & (datasets == family)
            slope, intercept = np.polyfit(x[train], target[train], 1)
            held = test & (datasets == family)
            predicted[held] = np.clip(slope * x[held] + intercept, 0, 5)
            if has_labels:
                fitted = np.clip(slope * x[train] + intercept, 0, 5)
                train_labels = [items[int(i)].label or "" for i in np.flatnonzero(train)]
                scale = fit_label_scale(fitted, train_labels, order)
                for i in np.flatnonzero(held):
                    labels[int(i)] = scale.label(predicted[int(i)])
    return _figures(items, predicted, labels if has_labels else None)


def _figures(
    items: list[BenchmarkItem], predicted05: np.ndarray, labels: list[str] | None
) -> dict[str, Any]:
    scale = np.array([item.max_score / 5 for item in items])
    human = np.array([item.score for item in items])
    human05 = np.array([item.score5 for item in items])
    return {
        "pearson": pearson(predicted05 * scale, human),
        "pearson_05": pearson(predicted05, human05),
        "spearman": spearman(predicted05 * scale, human),
        "rmse": rmse(predicted05 * scale, human),
        "qwk": quadratic_weighted_kappa(
            np.rint(predicted05).astype(int), np.rint(human05).astype(int)
        ),
        "macro_f1": macro_f1([i.label for i in items], labels) if labels else None,
        "mean_error": mean_error_by_dataset(items, predicted05),
    }


# --- accuracy -------------------------------------------------------------------------------


def accuracy(
    data_dir: Path, folds: int, seed: int, cache: Path | None, evidence: tuple[str, ...] = ()
) -> dict[str, Any]:
    embedder: Embedder = get_embedder()
    if cache is not None:
        embedder = CachedEmbedder(embedder, cache)
    neutral = _neutral(feature_names("embedding"))
    graders: dict[str, EngineGrader] = {
        "engine (embedding)": EmbeddingGrader(embedder, calibration=neutral),
        "engine (lexical fallback)": LexicalGrader(calibration=_neutral(feature_names("lexical"))),
    }
    # The learned judge on the derived key points of each reference (reference-only mode).
    for mode in evidence:
        graders[f"engine (embedding, {mode})"] = EmbeddingGrader(
            embedder,
            calibration=neutral,
            evidence=mode,  # type: ignore[arg-type]
        )
    report: dict[str, Any] = {}
    for name in DEV_FILES:
        items = load_benchmark(data_dir / name)
        rows: dict[str, Any] = {}
        for label, grader in graders.items():
            started = time.perf_counter()
            analyses = [grader.analyse(item.as_question(), item.answer) for item in items]
            seconds = time.perf_counter() - started
            if isinstance(embedder, CachedEmbedder):
                embedder.save()
            cv = cross_validate(items, grader, folds, seed=seed, analysed=(analyses, [0.0]))
            rows[label] = {
                "pearson": cv.pearson,
                "pearson_05": cv.pearson_05,
                "spearman": cv.spearman,
                "rmse": cv.rmse,
                "qwk": cv.qwk,
                "macro_f1": cv.macro_f1,
                "mean_error": cv.mean_error,
                "analyse_seconds": seconds,
            }
        rows["baseline: TF-IDF cosine + line"] = _linear_cv(
            items, _tfidf_cosines(items), folds, seed
        )
        rows["baseline: MiniLM cosine + line"] = _linear_cv(
            items, _minilm_cosines(items, embedder), folds, seed
        )
        report[name] = {"n": len(items), "questions": len({i.group for i in items}), "rows": rows}
        _print_accuracy(name, report[name], folds)
    return report


def _print_accuracy(name: str, block: dict[str, Any], folds: int) -> None:
    print(
        f"\n{name}: {block['n']} answers, {block['questions']} questions, "
        f"{folds}-fold CV by question"
    )
    print(f"  target: {TARGETS.get(name, '-')}")
    print(
        f"  {'':34} {'Pearson':>8} {'P(0-5)':>8} {'Spearman':>8} {'RMSE':>7} {'QWK':>6} {'mF1':>6}"
        "  mean error (predicted - human, 0-5) per dataset"
    )
    for label, row in block["rows"].items():
        f1 = "-" if row["macro_f1"] is None else f"{row['macro_f1']:.3f}"
        errors = ", ".join(f"{name} {value:+.3f}" for name, value in row["mean_error"].items())
        print(
            f"  {label:34} {row['pearson']:8.3f} {row['pearson_05']:8.3f} {row['spearman']:8.3f} "
            f"{row['rmse']:7.3f} {row['qwk']:6.3f} {f1:>6}  {errors}"
        )


# --- speed and memory -----------------------------------------------------------------------

_COLD = """
import json, time, resource
started = time.perf_counter()
from interview_prep.grading.service import get_grader
grader = get_grader({grader!r})
loaded = time.perf_counter() - started
from interview_prep.formats import load_bank_file
bank = load_bank_file({bank!r})
question = bank.question("overfitting")
started = time.perf_counter()
grader.grade(question, "Overfitting is when the model memorises noise in the training data.")
first = time.perf_counter() - started
status = open("/proc/self/status").read()
rss = int([l for l in status.splitlines() if l.startswith("VmRSS")][0].split()[1]) / 1024
peak = int([l for l in status.splitlines() if l.startswith("VmHWM")][0].split()[1]) / 1024
figures = {{"cold_load_s": loaded, "first_grade_s": first, "rss_mb": rss, "peak_rss_mb": peak}}
print(json.dumps(figures))
"""


def _answers_of_150_words(count: int, seed: int = 0) -> list[str]:
    """Distinct 150-word answers built from a pool of on-topic and filler sentences."""
    pool = [
        "Overfitting happens when a model learns the noise in the training data, not the signal.",
        "Training error keeps falling while validation error starts to rise.",
        "The gap between training and validation performance is the tell-tale sign.",
        "I would first check the learning curves and compare the metrics on held-out data.",
        "Regularisation such as L2 weight decay or dropout limits the effective capacity.",
        "Early stopping on a validation metric is cheap and usually effective.",
        "More data or data augmentation also helps the model generalise.",
        "Cross-validation gives a more reliable estimate of generalisation error.",
        "A smaller model or fewer features reduces variance.",
        "Ensembles such as bagging average out the variance of individual models.",
        "In one project our gradient boosted trees overfit a small tabular dataset.",
        "We tuned the depth and the learning rate and the validation loss improved.",
        "Keeping the test set untouched until the end avoids fooling ourselves.",
        "Noisy labels make overfitting worse because the model memorises the mistakes.",
    ]
    rng = random.Random(seed)
    answers = []
    for _ in range(count):
        sentences: list[str] = []
        while sum(len(sentence.split()) for sentence in sentences) < 150:
            # A number in every sentence makes each one new to the model's cache, as a real
            # answer's sentences are; the words themselves repeat, as a real vocabulary does.
            words = rng.choice(pool).rstrip(".").split()
            words.insert(rng.randrange(1, len(words)), f"({rng.randrange(10**6)})")
            sentences.append(" ".join(words) + ".")
        text = " ".join(sentences).split()[:150]
        answers.append(" ".join(text))
    return answers


def _time_encoder(grader: Any) -> list[float]:
    """Seconds spent inside the encoder's ONNX runs, appended to the returned list as they end.

    The encoder's share is what moves with the CPU (its matrix products); the rest of a grade is
    Python that moves less, so a reader on another machine can scale the two apart.
    """
    spent: list[float] = []
    embedder = grader.embedder()
    inner = getattr(embedder, "_run", None)
    if inner is None:
        return spent

    def timed(texts: list[str]) -> Any:
        started = time.perf_counter()
        try:
            return inner(texts)
        finally:
            spent.append(time.perf_counter() - started)

    embedder._run = timed
    return spent


def speed(rounds: int, grader_name: str = "embedding") -> dict[str, Any]:
    from interview_prep.formats import load_bank_file
    from interview_prep.grading.service import get_grader

    bank_file = REPO / "src" / "interview_prep" / "data" / "banks" / "ml-engineer.yaml"
    cold = json.loads(
        subprocess.run(
            [sys.executable, "-c", _COLD.format(bank=str(bank_file), grader=grader_name)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    grader = get_grader(grader_name)
    question = load_bank_file(bank_file).question("overfitting")
    assert question is not None
    encoder = _time_encoder(grader)
    answers = _answers_of_150_words(rounds + 10)
    for answer in answers[:10]:
        grader.grade(question, answer)  # warm-up
    wall, cpu, encoding = [], [], []
    for answer in answers[10:]:
        encoder.clear()
        started, started_cpu = time.perf_counter(), time.process_time()
        grader.grade(question, answer)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        encoding.append(sum(encoder) * 1000)
    result = {
        **cold,
        "grader": grader_name,
        "answers": rounds,
        "words_per_answer": 150,
        "p50_ms": percentile(wall, 50),
        "p95_ms": percentile(wall, 95),
        "cpu_p50_ms": percentile(cpu, 50),
        "cpu_p95_ms": percentile(cpu, 95),
        "encoder_p50_ms": percentile(encoding, 50),
        "encoder_p95_ms": percentile(encoding, 95),
        "cores": os.cpu_count(),
        "load_average": os.getloadavg()[0],
    }
    print(
        f"\nspeed ({grader_name}): 150-word answers, {rounds} after warm-up on "
        f"{result['cores']} cores "
        f"(load average {result['load_average']:.1f}): p50 {result['p50_ms']:.1f} ms, "
        f"p95 {result['p95_ms']:.1f} ms (CPU time p50 {result['cpu_p50_ms']:.1f}, "
        f"p95 {result['cpu_p95_ms']:.1f} ms)"
    )
    print(
        f"  of which the MiniLM encoder alone (ONNX runs for this answer's texts): "
        f"p50 {result['encoder_p50_ms']:.1f} ms, p95 {result['encoder_p95_ms']:.1f} ms"
    )
    print(
        f"cold load (import + checksum + model + tokenizer) {cold['cold_load_s']:.2f} s, first "
        f"grade {cold['first_grade_s']:.2f} s, resident memory {cold['rss_mb']:.0f} MB "
        f"(peak {cold['peak_rss_mb']:.0f} MB)"
    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=200, help="answers timed for speed")
    parser.add_argument("--skip-accuracy", action="store_true")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--embedding-cache", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument(
        "--evidence",
        default="",
        help="also grade with the learned judge: any of judge, both, coverage, comma-separated "
        "(default: rules only)",
    )
    parser.add_argument(
        "--grader", default="embedding", help="the grader timed for speed (default: embedding)"
    )
    args = parser.parse_args(argv)
    figures: dict[str, Any] = {}
    if not args.skip_accuracy:
        data_dir = args.data_dir or default_benchmark_dir(REPO)
        evidence = tuple(mode for mode in args.evidence.split(",") if mode)
        if set(evidence) - {"judge", "both", "claims", "coverage"}:
            parser.error("--evidence takes judge, both, claims or coverage (comma-separated)")
        figures["accuracy"] = accuracy(
            data_dir, args.folds, args.seed, args.embedding_cache, evidence
        )
    if not args.skip_speed:
        figures["speed"] = speed(args.rounds, args.grader)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
