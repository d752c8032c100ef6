from interview_prep.domain import Question
from interview_prep.grading.evidence.references import derive_key_points, reference_texts


def test_key_points_are_derived_from_clauses():
    points = derive_key_points(
        "The water evaporates; the salt stays behind because it does not evaporate."
    )
    assert [p.text for p in points] == [
        "The water evaporates",
        "the salt stays behind",
        "because it does not evaporate.",
    ]
    assert all(p.weight == 1.0 for p in points)


def test_reference_texts_join_answer_and_references_without_repeats():
    question = Question(
        id="q", category="c", question="Why?", answer="Because.", references=("Because.", "So.")
    )
    assert reference_texts(question) == ["Because.", "So."]
