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
