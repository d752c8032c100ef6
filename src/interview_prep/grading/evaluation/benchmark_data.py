"""Human-graded short-answer data in the shared benchmark schema, read at run time (never copied).

One JSON object per line: ``dataset, split, question_id, question, reference_answers, answer,
score, max_score, label, grader_scores, feedback``. Scores are mapped to the engine's 0-5 scale
with ``score * 5 / max_score``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ...domain import Question
from ...domain.questions import slugify
from ...errors import InvalidInputError
from ...settings import load_config

BENCHMARK_DIR_ENV = "INTERVIEW_PREP_BENCHMARK_DIR"
DEV_FILES = ("mohler-dev.jsonl", "saf-dev.jsonl", "semeval2013-2way-dev.jsonl")


@dataclass(frozen=True)
class BenchmarkItem:
    line: int
    dataset: str
    question_id: str
    question: str
    references: tuple[str, ...]
    answer: str
    score: float
    max_score: float
    label: str | None = None

    @property
    def group(self) -> str:
        """What cross-validation splits by: one question of one dataset."""
        return f"{self.dataset}/{self.question_id}"

    @property
    def score5(self) -> float:
        """The human score on the engine's 0-5 scale."""
        return self.score * 5.0 / self.max_score if self.max_score else 0.0

    def as_question(self) -> Question:
        """A bare question graded in reference-only mode: its references, no key points."""
        references = [text for text in self.references if text.strip()]
        return Question(
            id=slugify(f"{self.dataset} {self.question_id}", max_words=12),
            category="Benchmark",
            question=self.question,
            answer=references[0] if references else "",
            references=tuple(references[1:]),
        )


def default_benchmark_dir(repo_root: Path | None = None) -> Path:
    """``$INTERVIEW_PREP_BENCHMARK_DIR``, else ``<repo>/../shared/benchmarks/asag``."""
    override = load_config().benchmark_dir
    if override:
        return Path(override).expanduser()
    root = repo_root or Path(__file__).resolve().parents[4]
    return root.parent / "shared" / "benchmarks" / "asag"


def load_benchmark(path: Path) -> list[BenchmarkItem]:
    """Read a benchmark JSONL file.

    Raises:
        InvalidInputError: the file is missing, or a line is not valid JSON in the schema.
    """
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError as error:
        raise InvalidInputError(f"cannot read {path}: {error.strerror or error}") from None
    items = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            max_score = float(data.get("max_score") or 5.0)
            item = BenchmarkItem(
                line=number,
                dataset=str(data.get("dataset") or path.stem),
                question_id=str(data.get("question_id") or ""),
                question=str(data["question"]),
                references=tuple(str(text) for text in data.get("reference_answers") or ()),
                answer=str(data.get("answer") or ""),
                score=float(data["score"]),
                max_score=max_score if max_score > 0 else 5.0,
                label=data.get("label"),
            )
        except (ValueError, KeyError, TypeError) as error:
            raise InvalidInputError(
                f"{path}, line {number}: not a benchmark item ({error})"
            ) from None
        items.append(item)
    if not items:
        raise InvalidInputError(f"{path} has no items")
    return items
