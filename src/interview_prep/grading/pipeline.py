"""Grading in two steps: analyse (everything but the score's calibration), then conclude.

The split lets evaluation analyse every answer once and refit the calibration per cross-validation
fold without recomputing a single embedding.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from ..domain import Question
from .evidence.answers import AnswerView, view_answer, without
from .evidence.judging import judge_answer, judged_misconceptions, supports_judge
from .evidence.keypoints import (
    assess_key_points,
    assess_key_points_judged,
    coverage_score,
    mark_contradicted,
)
from .evidence.misconceptions import find_misconceptions, wrong_parts
from .evidence.quickfire import apply_check, check_expected, points_stated
from .evidence.rubric import Rubric, RubricCache
from .evidence.structure import assess_structure
from .models.embedders import Embedder
from .models.judge import JudgeModel
from .models.substance import SubstanceProbe
from .result import (
    Coverage,
    GradeResult,
    KeyPointResult,
    Label,
    MisconceptionFinding,
    QuickfireResult,
    Rating,
    StructureResult,
)
from .scoring.calibration import CalibrationModel
from .scoring.features import Array, FeatureSet, best_reference, feature_names, feature_vector
from .scoring.feedback import write_feedback
from .scoring.scoring import (
    EMPTY_MESSAGE,
    NO_EVIDENCE_MESSAGE,
    combine,
    label_for,
    no_evidence,
    rating_for,
)


@dataclass
class Analysis:
    """Everything found about one answer, before the calibration turns features into a score."""

    question: Question
    answer: str
    feature_set: FeatureSet
    rubric: Rubric
    view: AnswerView | None
    features: Array | None
    key_points: list[KeyPointResult]
    misconceptions: list[MisconceptionFinding]
    quickfire: QuickfireResult | None
    structure: StructureResult
    truncated: bool = False
    messages: list[str] = field(default_factory=list)
    elapsed_ms: float = 0.0
    judged: bool = False
    """Whether the learned judge decided key points and wrong claims (else the rules alone)."""

    @property
    def empty(self) -> bool:
        return self.view is None


def truncate(answer: str, max_chars: int) -> tuple[str, bool, list[str]]:
    """The part of ``answer`` that is graded, whether it was cut, and the notice saying so."""
    if max_chars <= 0 or len(answer) <= max_chars:
        return answer, False, []
    cut = answer[:max_chars]
    space = cut.rfind(" ", max(0, max_chars - 200))
    if space > 0:
        cut = cut[:space]
    notice = (
        f"The answer is {len(answer):,} characters long; only the first {len(cut):,} were graded."
    )
    return cut, True, [notice]


def _rubric_for_answer(rubric: Rubric, view: AnswerView, feature_set: FeatureSet) -> Rubric:
    """In reference-only mode, key points come from the reference the answer is closest to."""
    if not rubric.reference_only or len(rubric.references) < 2:
        return rubric
    chosen = rubric.references[best_reference(rubric, view, feature_set)]
    from ..domain import KeyPoint

    return dataclasses.replace(
        rubric,
        key_points=tuple(KeyPoint(text=unit.text) for unit in chosen.units),
        key_point_vectors=chosen.unit_vectors,
    )


Evidence = Literal["both", "claims", "coverage", "judge", "rules"]
"""How key points and wrong claims are found: the learned judge, the hand-written rules
(signals, swapped terms, negations, numbers, cosine thresholds; what :func:`analyse` and a bare
grader use unless told otherwise), both, or
"coverage": the judge decides which key points are said, the rules which claims are wrong (the
judge hears more wrong claims than the rules, but accuses more correct answers too), or
"claims": as "coverage", and the judge hears wrong claims too, beside the rules' search for the
listed claims by their authors' signals (without the rules' general contradiction checks);
the app's default grader, ``judge`` (:mod:`.service`), grades with "claims"."""


def analyse(
    question: Question,
    answer: str,
    *,
    embedder: Embedder | None,
    rubrics: RubricCache,
    max_chars: int = 20000,
    judge: JudgeModel | None = None,
    evidence: Evidence = "rules",
    substance: SubstanceProbe | None = None,
) -> Analysis:
    """Analyse ``answer`` to ``question``: features, key points, misconceptions, checks, shape.

    The judge is used when one is given and the embedder provides token vectors; otherwise the
    rules decide alone, whatever ``evidence`` says. ``substance``, with the judge, keeps empty
    talk from counting as evidence for a key point.
    """
    started = time.perf_counter()
    use_judge = judge is not None and supports_judge(embedder) and evidence != "rules"
    feature_set: FeatureSet = "embedding" if embedder is not None else "lexical"
    text, truncated, messages = truncate(answer or "", max_chars)
    rubric = rubrics.get(question, embedder)
    quick = question.expected is not None
    structure = assess_structure(question, text, quickfire=quick)
    if not text.strip():
        key_points = [
            KeyPointResult(i, p.text, p.weight, Coverage.MISSED, 0.0)
            for i, p in enumerate(rubric.key_points)
        ]
        return Analysis(
            question, text, feature_set, rubric, None, None, key_points, [], None, structure,
            truncated, [EMPTY_MESSAGE, *messages], (time.perf_counter() - started) * 1000,
        )  # fmt: skip
    view = view_answer(text, rubric.keys, embedder)
    graded_rubric = _rubric_for_answer(rubric, view, feature_set)
    judgement = None
    misconceptions: list[MisconceptionFinding] = []
    if use_judge:
        assert judge is not None and embedder is not None
        judgement = judge_answer(
            graded_rubric, view, embedder, judge, substance, claims=evidence != "coverage"
        )
        if evidence != "coverage":
            misconceptions = judged_misconceptions(graded_rubric, judgement, judge.thresholds)
    if evidence != "judge" or not use_judge:
        # Beside the judge, the rules look only for the listed claims, by their authors'
        # signals: their general contradiction checks accuse right answers in the judge's place
        # ("ridge keeps every feature" heard as "says ridge where the key point says lasso").
        listed_only = use_judge and evidence == "claims"
        found = find_misconceptions(graded_rubric, view, contradictions=not listed_only)
        misconceptions = _merge(misconceptions, found)
    # What is right earns credit; a wrong claim earns none, however close its words are to the
    # reference (cosine similarity cannot see that it is wrong), and costs a penalty instead.
    removed = wrong_parts(misconceptions)
    credited = without(view, removed, rubric.keys, embedder)
    features = None
    if credited.sentences:
        features = feature_vector(graded_rubric, credited, feature_set, embedder)
    if judgement is not None and judge is not None:
        key_points = assess_key_points_judged(
            graded_rubric, credited, judgement, judge.thresholds, removed,
            with_rules=evidence == "both",
        )  # fmt: skip
    else:
        key_points = assess_key_points(graded_rubric, credited)
    quickfire = None
    if question.expected is not None:
        quickfire = check_expected(question.expected, text, question.question)
    if not graded_rubric.reference_only:
        key_points = mark_contradicted(key_points, misconceptions)
        if quickfire is not None and question.expected is not None:
            expected = question.expected
            stated = graded_rubric.memo(
                "quickfire_points", lambda: points_stated(expected, graded_rubric.key_points)
            )
            key_points = apply_check(key_points, quickfire, stated, text)
    return Analysis(
        question, text, feature_set, graded_rubric, view, features, key_points, misconceptions,
        quickfire, structure, truncated, messages, (time.perf_counter() - started) * 1000,
        judged=judgement is not None,
    )  # fmt: skip


def _merge(
    first: list[MisconceptionFinding], second: list[MisconceptionFinding]
) -> list[MisconceptionFinding]:
    """``first`` and the findings of ``second`` about sentences that ``first`` does not flag."""
    flagged = {finding.sentence.start for finding in first}
    claims = {finding.claim for finding in first}
    return first + [f for f in second if f.sentence.start not in flagged and f.claim not in claims]


def conclude(
    analysis: Analysis,
    model: CalibrationModel,
    *,
    grader: str,
    extra_messages: tuple[str, ...] = (),
) -> GradeResult:
    """Turn an analysis into the result: calibrated score, final score, label, rating, feedback."""
    started = time.perf_counter()
    messages = [*extra_messages, *analysis.messages]
    names = feature_names(analysis.feature_set)
    if analysis.empty:
        return GradeResult(
            question_id=analysis.question.id,
            score=0.0,
            label=Label.INCORRECT,
            rating=Rating.AGAIN,
            feedback=write_feedback(
                Label.INCORRECT,
                key_points=[],
                misconceptions=[],
                quickfire=None,
                structure=None,
                reference_only=analysis.rubric.reference_only,
                messages=messages,
            ),
            key_points=tuple(analysis.key_points),
            structure=analysis.structure,
            grader=grader,
            reference_only=analysis.rubric.reference_only,
            truncated=analysis.truncated,
            messages=tuple(messages),
            raw_score=0.0,
            elapsed_ms=analysis.elapsed_ms,
        )
    if tuple(model.features) != names:
        raise ValueError(f"calibration model expects {len(model.features)} other features")
    # An answer whose every sentence is a wrong claim has nothing left to earn credit.
    calibrated = model.predict_one(analysis.features) if analysis.features is not None else 0.0
    coverage = None if analysis.rubric.reference_only else coverage_score(analysis.key_points)
    judged = analysis.judged
    score = combine(
        calibrated,
        coverage=coverage,
        quickfire=analysis.quickfire,
        star=analysis.structure.star,
        misconceptions=len(analysis.misconceptions),
        judged=judged,
    )
    if no_evidence(coverage, analysis.quickfire, judged=judged) and not analysis.misconceptions:
        messages.append(NO_EVIDENCE_MESSAGE)
    label = label_for(score)
    missed = sum(1 for p in analysis.key_points if p.status is Coverage.MISSED)
    rating = rating_for(score, misconceptions=len(analysis.misconceptions), missed_points=missed)
    feedback = write_feedback(
        label,
        key_points=analysis.key_points,
        misconceptions=analysis.misconceptions,
        quickfire=analysis.quickfire,
        structure=analysis.structure,
        reference_only=analysis.rubric.reference_only,
        messages=messages,
    )
    return GradeResult(
        question_id=analysis.question.id,
        score=score,
        label=label,
        rating=rating,
        feedback=feedback,
        key_points=tuple(analysis.key_points),
        misconceptions=tuple(analysis.misconceptions),
        quickfire=analysis.quickfire,
        structure=analysis.structure,
        grader=grader,
        reference_only=analysis.rubric.reference_only,
        truncated=analysis.truncated,
        messages=tuple(messages),
        features=(
            dict(zip(names, (float(v) for v in np.asarray(analysis.features)), strict=True))
            if analysis.features is not None
            else {}
        ),
        raw_score=calibrated,
        elapsed_ms=analysis.elapsed_ms + (time.perf_counter() - started) * 1000,
    )
