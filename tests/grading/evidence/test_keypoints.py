from interview_prep.grading.evidence.answers import view_answer
from interview_prep.grading.evidence.keypoints import assess_key_points, coverage_score
from interview_prep.grading.evidence.rubric import build_rubric
from interview_prep.grading.models.embedders import get_embedder
from interview_prep.grading.result import Coverage

GOOD = (
    "L1 adds the absolute value of the weights to the loss. It drives many weights to exactly "
    "zero, so the model is sparse. L2 penalises squared weights and shrinks them smoothly."
)


def assess(question, answer, embedder):
    rubric = build_rubric(question, embedder)
    return assess_key_points(rubric, view_answer(answer, rubric.keys, embedder))


def test_covered_points_carry_their_evidence_span(regularization_question):
    results = assess(regularization_question, GOOD, get_embedder())
    assert [r.status for r in results[:2]] == [Coverage.COVERED, Coverage.COVERED]
    assert results[2].status is not Coverage.COVERED  # nothing about priors
    for result in results[:2]:
        assert result.evidence is not None
        assert GOOD[result.evidence.start : result.evidence.end] == result.evidence.text
        assert 0 < result.evidence.similarity <= 1
    assert "squared" in results[1].terms_found


def test_lexical_coverage_works_without_a_model(regularization_question):
    results = assess(regularization_question, GOOD, None)
    assert results[0].status is Coverage.COVERED
    assert results[2].status is Coverage.MISSED
    assert 0.5 < coverage_score(results) < 1


def test_an_off_topic_answer_covers_nothing(regularization_question):
    results = assess(regularization_question, "I enjoy hiking with my dog.", get_embedder())
    assert all(r.status is Coverage.MISSED for r in results)
    assert coverage_score(results) == 0


def test_a_span_nearer_to_a_near_miss_is_no_evidence_for_the_judge():
    import dataclasses

    import numpy as np

    from interview_prep.grading.evidence.keypoints import assess_key_points_judged

    from .test_judging import QUESTION, THRESHOLDS, judgement

    rubric = build_rubric(QUESTION, None)
    view = view_answer("Ridge makes weights zero. Lasso makes weights zero.", rubric.keys, None)
    heard = judgement([0.1, 0.1], [[0.9, 0.1], [0.1, 0.1]], [0.3, 0.3])

    def statuses(witnessed):
        j = dataclasses.replace(heard, point_witnessed=np.asarray(witnessed, dtype=bool))
        results = assess_key_points_judged(rubric, view, j, THRESHOLDS, [], with_rules=False)
        return [(r.status, r.evidence.text if r.evidence else None) for r in results]

    assert statuses([[1, 1], [1, 1]])[0] == (Coverage.COVERED, "Ridge makes weights zero.")
    # The judge hears point 0 in the first sentence, but that sentence is nearer to a near miss.
    assert statuses([[0, 1], [1, 1]])[0] == (Coverage.MISSED, None)
