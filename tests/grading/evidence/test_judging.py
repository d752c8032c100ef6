"""How the judge's probabilities become findings: a wrong claim must be on topic and must beat
the right point it is about, before a candidate is told they said it."""

from __future__ import annotations

import numpy as np

from interview_prep.domain import KeyPoint, Misconception, Question
from interview_prep.grading.evidence.judging import TOPIC_MIN, Judgement, judged_misconceptions
from interview_prep.grading.evidence.rubric import build_rubric
from interview_prep.grading.text.tokens import Span

QUESTION = Question(
    id="l1-l2",
    category="Fundamentals",
    question="L1 or L2?",
    answer="L1 gives zeros. L2 shrinks.",
    key_points=(KeyPoint("L1 gives exact zeros"), KeyPoint("L2 shrinks smoothly")),
    misconceptions=(Misconception("L2 gives exact zeros", "L2 only shrinks.", key_point=1),),
)
SPANS = (Span("Ridge makes weights zero.", 0, 25), Span("Lasso makes weights zero.", 26, 51))
THRESHOLDS = {"covers": 0.5, "contradicts": 0.9, "states_claim": 0.6}


def judgement(claim_states, point_covers, similarity, right=(0.3, 0.3)) -> Judgement:
    points = np.asarray(point_covers, dtype=np.float32)
    return Judgement(
        spans=SPANS,
        sentence_of=(0, 1),
        point_covers=points,
        point_contradicts=np.zeros_like(points),
        claim_states=np.asarray([claim_states], dtype=np.float32),
        erratum_states=np.zeros((0, 2), dtype=np.float32),
        claim_similarity=np.asarray([similarity], dtype=np.float32),
        erratum_similarity=np.zeros((0, 2), dtype=np.float32),
        right_similarity=np.asarray(right, dtype=np.float32),
    )


def findings(j: Judgement) -> list[str]:
    rubric = build_rubric(QUESTION, None)
    return [f.sentence.text for f in judged_misconceptions(rubric, j, THRESHOLDS)]


def test_a_claim_heard_on_topic_and_louder_than_its_point_is_reported():
    j = judgement([0.9, 0.2], [[0.1, 0.9], [0.3, 0.1]], [0.8, 0.8])
    assert findings(j) == ["Ridge makes weights zero."]


def test_a_span_that_says_the_right_point_more_clearly_is_not_accused():
    j = judgement([0.9, 0.2], [[0.1, 0.9], [0.95, 0.1]], [0.8, 0.8])
    assert findings(j) == []


def test_a_claim_the_judge_hears_off_topic_is_not_reported():
    j = judgement([0.99, 0.2], [[0.1, 0.9], [0.1, 0.1]], [TOPIC_MIN - 0.1, 0.8])
    assert findings(j) == []


def test_the_best_eligible_span_is_the_one_shown():
    # The surest span loses to its point; the next one, still above the threshold, is shown.
    j = judgement([0.99, 0.7], [[0.1, 0.1], [0.995, 0.2]], [0.8, 0.8])
    assert findings(j) == ["Lasso makes weights zero."]


def test_a_span_nearer_to_a_right_text_than_to_the_claim_is_not_accused():
    # The judge hears the claim, but the span's nearest authored neighbour is a right text.
    j = judgement([0.9, 0.2], [[0.1, 0.9], [0.3, 0.1]], [0.8, 0.8], right=(0.85, 0.3))
    assert findings(j) == []
    j = judgement([0.9, 0.2], [[0.1, 0.9], [0.3, 0.1]], [0.8, 0.8], right=(0.79, 0.3))
    assert findings(j) == ["Ridge makes weights zero."]


# The judge run over a real answer: the substance probe and the coverage-only run.


class _Probe:
    """A probe that calls the given spans (by position) empty and every other one substantive."""

    def __init__(self, empty: set[int]) -> None:
        self.empty = empty

    def substantive(self, vectors):
        return np.array([i not in self.empty for i in range(len(vectors))], dtype=bool)


def _question():
    from interview_prep.formats.files import load_bank_file
    from interview_prep.storage.bundled import bundled_bank_files

    return load_bank_file(bundled_bank_files()[0]).question("overfitting")


def _judged(answer: str, **options):
    from interview_prep.grading.evidence.answers import view_answer
    from interview_prep.grading.evidence.judging import judge_answer
    from interview_prep.grading.models.embedders import get_embedder
    from interview_prep.grading.models.judge import load_judge

    question = _question()
    embedder = get_embedder()
    rubric = build_rubric(question, embedder)
    view = view_answer(answer, rubric.keys, embedder)
    return judge_answer(rubric, view, embedder, load_judge(), **options)


ANSWER = (
    "It is when the model learns the noise of its training examples, and then it does badly on "
    "new data. You see it when the held-out error is far above the training error."
)


def test_a_clause_is_as_empty_as_its_sentence():
    plain = _judged(ANSWER)
    # Spans: sentence 0, its two clauses, sentence 1. The probe calls sentence 0 empty only.
    assert plain.sentence_of == (0, 0, 0, 3)
    screened = _judged(ANSWER, substance=_Probe({0}))
    assert plain.point_witnessed is not None and screened.point_witnessed is not None
    assert not screened.point_witnessed[:, :3].any()
    assert (screened.point_witnessed[:, 3] == plain.point_witnessed[:, 3]).all()


def test_coverage_alone_gives_the_same_coverage_for_less_work():
    full = _judged(ANSWER, substance=_Probe({0}))
    coverage = _judged(ANSWER, substance=_Probe({0}), claims=False)
    assert full.point_witnessed is not None
    eligible = full.point_witnessed
    assert np.allclose(coverage.point_covers[eligible], full.point_covers[eligible], atol=1e-6)
    # A point is judged only against the spans that may be evidence for it.
    assert not eligible[:, :3].any() and not coverage.point_covers[~eligible].any()
    assert not coverage.claim_states.any() and not coverage.claim_similarity.any()


def test_a_sentence_off_the_points_topic_covers_nothing():
    judged = _judged("I went hiking in the mountains last summer and the views were amazing.")
    assert judged.point_witnessed is not None and not judged.point_witnessed.any()


def test_a_wrong_claim_is_heard_through_its_own_text_not_its_rewordings():
    from interview_prep.grading.evidence.judging import token_states
    from interview_prep.grading.models.embedders import get_embedder
    from interview_prep.grading.models.judge import Verdict, load_judge

    answer = "Cross-validation stops overfitting on its own. I always use five folds for that."
    judged = _judged(answer)
    embedder, judge = get_embedder(), load_judge()
    question = _question()
    assert any(item.examples for item in question.misconceptions)
    spans = judge.prepare(token_states(embedder, [span.text for span in judged.spans]))
    for number, item in enumerate(question.misconceptions):
        own = judge.prepare(token_states(embedder, [item.claim]))
        heard = judge.probabilities(own, spans)[0, :, Verdict.COVERS]
        assert np.allclose(judged.claim_states[number], heard, atol=1e-5)
