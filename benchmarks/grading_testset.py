"""The grader on the ML bank's held-out test answers, with the ablation: rules, judge, both.

    .venv/bin/python benchmarks/grading_testset.py                 # held-out answers only
    .venv/bin/python benchmarks/grading_testset.py --all --json
    .venv/bin/python benchmarks/grading_testset.py --dev            # the others: for development

Reads tests/grading/ml_bank_answers.yaml, a test file that no training or tuning reads. For each
way of finding evidence it reports: Spearman of the score against the middle of the human range,
the share of scores inside the range, mean scores of plain-word and buzzword answers, wrong-claim
recall (an answer with a wrong claim is caught when a finding overlaps the wrong sentence) and the
share of correct answers (good, plain) with any finding (false flags).
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from rich.progress import track

from interview_prep.formats.files import load_bank_file
from interview_prep.grading.evaluation.measure import spearman
from interview_prep.grading.graders import EmbeddingGrader
from interview_prep.storage.bundled import bundled_bank_files

REPO = Path(__file__).resolve().parents[1]
ANSWERS = REPO / "tests" / "grading" / "ml_bank_answers.yaml"


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def load_cases(include_all: bool, dev: bool = False) -> list[dict[str, Any]]:
    cases = []
    for block in yaml.safe_load(ANSWERS.read_text("utf-8")):
        for answer in block["answers"]:
            if include_all or bool(answer.get("held_out")) != dev:
                cases.append({"question": block["question"], **answer})
    return cases


def caught(result: Any, text: str, wrong: list[dict[str, Any]]) -> bool:
    """Whether some finding overlaps one of the answer's wrong sentences."""
    flat = _flat(text)
    for item in wrong:
        claim = _flat(str(item.get("wrong_claim", "")))
        start = flat.find(claim) if claim else -1
        if start < 0:
            continue
        end = start + len(claim)
        for finding in result.misconceptions:
            said = finding.clause or finding.sentence
            s = _flat(said.text)
            at = flat.find(s)
            if at >= 0 and at < end and start < at + len(s):
                return True
    return False


def measure(mode: str, cases: list[dict[str, Any]], questions: dict[str, Any]) -> dict[str, Any]:
    grader = EmbeddingGrader(evidence=mode)  # type: ignore[arg-type]
    grader.load()
    scores, mids, inside, times = [], [], [], []
    plain, buzz, recall, false_flags = [], [], [], []
    flag_kinds: dict[str, int] = {}
    for case in track(cases, description=f"{mode:>5}"):
        text = _flat(case["text"])
        started = time.perf_counter()
        result = grader.grade(questions[case["question"]], text)
        times.append((time.perf_counter() - started) * 1000)
        low, high = case["score"]
        scores.append(result.score)
        mids.append((low + high) / 2)
        inside.append(low <= result.score <= high)
        kind = case["kind"]
        if kind == "plain":
            plain.append(result.score)
        if kind == "buzzword":
            buzz.append(result.score)
        wrong = [m for m in case.get("misconceptions") or [] if isinstance(m, dict)]
        if kind in ("misconception", "erratum") and wrong:
            recall.append(caught(result, text, wrong))
        if kind in ("good", "plain"):
            false_flags.append(bool(result.misconceptions))
            for finding in result.misconceptions:
                flag_kinds[finding.kind.value] = flag_kinds.get(finding.kind.value, 0) + 1
    return {
        "mode": mode,
        "answers": len(cases),
        "spearman": round(spearman(scores, mids), 3),
        "in_range": round(float(np.mean(inside)), 3),
        "plain_mean": round(float(np.mean(plain)), 2) if plain else None,
        "plain_n": len(plain),
        "buzzword_mean": round(float(np.mean(buzz)), 2) if buzz else None,
        "buzzword_n": len(buzz),
        "wrong_claim_recall": round(float(np.mean(recall)), 3) if recall else None,
        "wrong_claim_n": len(recall),
        "false_flags": round(float(np.mean(false_flags)), 3) if false_flags else None,
        "correct_n": len(false_flags),
        "false_flags_by_kind": flag_kinds,
        "p95_ms": round(float(np.percentile(times, 95)), 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--all", action="store_true", help="also the answers written with the rules"
    )
    parser.add_argument(
        "--dev",
        action="store_true",
        help="only the answers that are not held out (the ones written with the rules)",
    )
    parser.add_argument("--modes", default="rules,judge,both")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    questions = {q.id: q for path in bundled_bank_files() for q in load_bank_file(path).questions}
    cases = load_cases(args.all, args.dev)
    rows = [measure(mode, cases, questions) for mode in args.modes.split(",")]
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    keys = [k for k in rows[0] if k != "mode"]
    print("| measure | " + " | ".join(r["mode"] for r in rows) + " |")
    print("| --- |" + " --- |" * len(rows))
    for key in keys:
        print(f"| {key} | " + " | ".join(str(r[key]) for r in rows) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
