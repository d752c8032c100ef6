"""From the calibrated score and the findings to the final score, its label and an FSRS rating.

The calibrated score measures closeness to the reference answers. When a question has a rubric, the
share of its key points covered counts as much; an exact quick-fire check outweighs both; and a
behavioral answer is also judged on its STAR shape.

A wrong claim is paid for three times over, each for its own reason:

1. it earns nothing: the calibrated score and the key points are computed on the answer without
   the part that makes the claim (:func:`.answers.without`), because its words sit as close to
   the reference as the right claim's would (cosine similarity cannot see a contradiction);
2. the key point it gets wrong counts as missed, so its weight is lost from the coverage;
3. it costs :data:`MISCONCEPTION_PENALTY` more (at most :data:`MAX_PENALTY` in all), and the final
   score is capped at :data:`CAP_WITH_MISCONCEPTION`, a low "acceptable": an interviewer who hears
   a wrong claim on the question's core does not rate the answer higher, whatever else is right.

These adjustments are applied after the calibration, not learned by it: the benchmark data used to
fit it has no rubric, so no misconceptions are ever found there to learn from.
"""

from __future__ import annotations

from ..result import Label, QuickfireResult, Rating, StarResult

RUBRIC_WEIGHT = 0.5
"""Weight of key-point coverage against the calibrated score, for hand-written key points."""
JUDGED_RUBRIC_WEIGHT = 0.7
"""The same when the judge decides coverage. Its coverage needs a span that says the point, in
any words, where the calibrated score measures closeness of wording to the reference answer, which
is what penalises an answer in plain words and rewards one that recites the topic's vocabulary.
An interviewer listens for the points."""
NO_EVIDENCE_CAP = 1.5
"""The best score of an answer in which no key point is even partly said: fluent talk about the
topic, without a mechanism, a definition or an example, earns no more than "weak"."""
EMPTY_MESSAGE = "The answer is empty: there is nothing to grade. Say what you know, even briefly."

NO_EVIDENCE_MESSAGE = (
    "The answer talks about the topic without committing to anything checkable: none of the key "
    "points is stated. Say how it works, define the terms you use, or give a concrete example."
)
STAR_WEIGHT = 0.3
MISCONCEPTION_PENALTY = 0.75
"""Points off per wrong claim, on top of the credit it does not earn."""
MAX_PENALTY = 2.0
CAP_WITH_MISCONCEPTION = 3.0
"""The best final score of an answer with a wrong claim: the low end of "acceptable"."""

STRONG = 4.0
ACCEPTABLE = 2.75
WEAK = 1.25


def combine(
    calibrated: float,
    *,
    coverage: float | None,
    quickfire: QuickfireResult | None,
    star: StarResult | None,
    misconceptions: int,
    judged: bool = False,
) -> float:
    """The final 0-5 score.

    Args:
        calibrated: the calibration model's score (0-5).
        coverage: weighted share of hand-written key points covered (None in reference-only mode).
        quickfire: the exact check of a quick-fire question, if it has one.
        star: the STAR parts of a behavioral answer, if it is one.
        misconceptions: how many wrong claims were found.
        judged: whether the judge decided the coverage (see :data:`JUDGED_RUBRIC_WEIGHT`).
    """
    score = calibrated
    if coverage is not None:
        weight = JUDGED_RUBRIC_WEIGHT if judged else RUBRIC_WEIGHT
        score = (1 - weight) * calibrated + weight * 5.0 * coverage
    if star is not None:
        parts = [star.situation, star.task, star.action, star.result, star.quantified]
        score = (1 - STAR_WEIGHT) * score + STAR_WEIGHT * 5.0 * sum(parts) / len(parts)
    if quickfire is not None:
        # The exact check decides; the rest of the answer adds at most half a point.
        base = 4.5 if quickfire.passed else 3.5 * quickfire.fraction
        score = base + 0.1 * score
    if misconceptions:
        score -= min(MAX_PENALTY, MISCONCEPTION_PENALTY * misconceptions)
        score = min(score, CAP_WITH_MISCONCEPTION)
    if no_evidence(coverage, quickfire, judged=judged):
        score = min(score, NO_EVIDENCE_CAP)
    return max(0.0, min(5.0, score))


def no_evidence(coverage: float | None, quickfire: QuickfireResult | None, *, judged: bool) -> bool:
    """Whether the answer states none of the hand-written key points (as the judge reads it)."""
    if not judged or coverage is None or coverage > 0:
        return False
    return quickfire is None or not quickfire.passed


def label_for(score: float) -> Label:
    if score >= STRONG:
        return Label.STRONG
    if score >= ACCEPTABLE:
        return Label.ACCEPTABLE
    if score >= WEAK:
        return Label.WEAK
    return Label.INCORRECT


def rating_for(score: float, *, misconceptions: int, missed_points: int) -> Rating:
    """The spaced-repetition rating a learner would give themselves for this answer."""
    if score < 1.5:
        return Rating.AGAIN
    if score < 3.0 or misconceptions:
        return Rating.HARD
    if score >= 4.25 and missed_points == 0:
        return Rating.EASY
    return Rating.GOOD
