"""Train the grader's calibration from the development sets and write grading/data/calibration.json.

    .venv/bin/python scripts/train_calibration.py            # data from ../shared/benchmarks/asag
    .venv/bin/python scripts/train_calibration.py --data-dir DIR --check-folds 10

For each feature set (embedding, lexical) it analyses every answer of the development files, fits
one fractional-logit model on all of them (each dataset weighted equally, so the 9,889 SemEval
answers do not drown the 1,571 Mohler ones), and writes the coefficients. ``--check-folds K``
first prints K-fold question-level cross-validation figures of that same recipe per file.
Nothing from the data is written but fitted coefficients and the figures.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from interview_prep.grading.evaluation.benchmark_data import (
    DEV_FILES,
    default_benchmark_dir,
    load_benchmark,
)
from interview_prep.grading.evaluation.measure import cross_validate
from interview_prep.grading.graders import EmbeddingGrader, EngineGrader
from interview_prep.grading.lexical import LexicalGrader
from interview_prep.grading.models.embedders import CachedEmbedder, get_embedder
from interview_prep.grading.scoring.calibration import (
    CalibrationModel,
    calibration_path,
    fit,
    save_calibration,
)
from interview_prep.grading.scoring.features import feature_names

REPO = Path(__file__).resolve().parents[1]
COMMAND = "python scripts/train_calibration.py"
L2 = 3.0


def placeholder(names: tuple[str, ...]) -> CalibrationModel:
    """A neutral model, so that the engine can analyse answers before any calibration exists."""
    size = len(names)
    return CalibrationModel(names, (0.0,) * size, (1.0,) * size, (0.0,) * size, 0.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=None, help="benchmark folder")
    parser.add_argument("--out", type=Path, default=calibration_path(), help="file to write")
    parser.add_argument("--check-folds", type=int, default=0, help="report K-fold CV first")
    parser.add_argument("--l2", type=float, default=L2, help="ridge penalty")
    parser.add_argument(
        "--feature-sets", default="embedding,lexical", help="comma-separated feature sets"
    )
    parser.add_argument("--files", default=",".join(DEV_FILES), help="comma-separated files")
    parser.add_argument(
        "--embedding-cache", type=Path, default=None, help="keep embeddings in this .npz file"
    )
    args = parser.parse_args(argv)
    data_dir = args.data_dir or default_benchmark_dir(REPO)
    files = {name: load_benchmark(data_dir / name) for name in args.files.split(",")}
    models: dict[str, CalibrationModel] = {}
    for feature_set in args.feature_sets.split(","):
        names = feature_names(feature_set)  # type: ignore[arg-type]
        grader: EngineGrader
        cache = None
        if feature_set == "embedding":
            cache = CachedEmbedder(get_embedder(), args.embedding_cache)
            grader = EmbeddingGrader(cache, calibration=placeholder(names))
        else:
            grader = LexicalGrader(calibration=placeholder(names))
        rows, targets, weights = [], [], []
        for name, items in files.items():
            started = time.perf_counter()
            analyses = [grader.analyse(item.as_question(), item.answer) for item in items]
            seconds = time.perf_counter() - started
            if cache is not None:
                cache.save()
            print(f"{feature_set}: analysed {name} ({len(items)} answers) in {seconds:.1f} s")
            if args.check_folds:
                report = cross_validate(
                    items, grader, args.check_folds, l2=args.l2, analysed=(analyses, [0.0])
                )
                f1 = "-" if report.macro_f1 is None else f"{report.macro_f1:.3f}"
                print(
                    f"  {args.check_folds}-fold CV by question: pearson {report.pearson:.3f} "
                    f"(0-5 scale {report.pearson_05:.3f}), rmse {report.rmse:.3f}, "
                    f"qwk {report.qwk:.3f}, macro-F1 {f1}"
                )
            for item, analysis in zip(items, analyses, strict=True):
                if analysis.features is not None:
                    rows.append(analysis.features)
                    targets.append(item.score5)
                    weights.append(1.0 / len(items))
        weight = np.asarray(weights) * len(weights) / np.sum(weights)
        models[feature_set] = fit(
            np.vstack(rows),
            np.asarray(targets),
            names,
            l2=args.l2,
            sample_weight=weight,
            trained_on=", ".join(files) + " (each dataset weighted equally)",
        )
    if args.out.exists():
        from interview_prep.grading.scoring.calibration import load_calibration

        for name, model in load_calibration(str(args.out)).items():
            models.setdefault(name, model)
    save_calibration(
        models,
        args.out,
        command=COMMAND,
        notes="Fractional-logit calibration of the grading features; see benchmarks/README.md.",
    )
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
