import re

from hypothesis import given
from hypothesis import strategies as st

from interview_prep.domain import Question
from interview_prep.grading.evidence.references import (
    derive_key_points,
    reference_statements,
    reference_texts,
)


def test_key_points_are_the_reference_statements():
    points = derive_key_points(
        "The water evaporates; the salt stays behind because it does not evaporate."
    )
    assert [p.text for p in points] == [
        "The water evaporates",
        "The salt stays behind because it does not evaporate.",
    ]
    assert all(p.weight == 1.0 for p in points)


def test_a_list_stays_one_statement_and_is_never_cut_into_fragments():
    # The walkthrough saw "and deduplication with unique event ids." offered as a key point.
    points = derive_key_points(
        "Make the consumer idempotent, retry with backoff, and deduplicate with unique event ids. "
        "Exactly-once needs both sides; and a transactional outbox on the producer."
    )
    assert [p.text for p in points] == [
        "Make the consumer idempotent, retry with backoff, and deduplicate with unique event ids.",
        "Exactly-once needs both sides; and a transactional outbox on the producer.",
    ]


def test_a_reference_without_sentence_ends_is_one_point():
    assert [p.text for p in derive_key_points("gradient descent")] == ["Gradient descent"]
    assert derive_key_points("   ") == ()


_LINKING = re.compile(r"(?:and|or|but|so|which|because|while|since|then|with|by|to)\b", re.I)
_WORDS = st.sampled_from(
    ["the", "model", "learns", "noise", "and", "because", "data", "so", "weights", "shrink", "L2"]
)
_SENTENCE = st.lists(_WORDS, min_size=1, max_size=12).map(" ".join)
_REFERENCE = st.lists(
    st.tuples(_SENTENCE, st.sampled_from([". ", "; ", ", ", "? "])), min_size=1, max_size=6
).map(lambda parts: "".join(text + end for text, end in parts).strip())


@given(_REFERENCE)
def test_statements_lose_no_word_and_none_leans_on_the_one_before(reference):
    statements = reference_statements(reference)
    for span in statements:
        assert reference[span.start : span.end] == span.text
    later = statements[1:]
    for span in later:
        # A statement that opens with a linking word must have started a sentence of its own.
        if _LINKING.match(span.text):
            before = reference[: span.start].rstrip()
            assert before == "" or before[-1] in ".?!"
    kept = " ".join(span.text for span in statements)
    assert re.findall(r"\w+", kept) == re.findall(r"\w+", reference)


def test_reference_texts_join_answer_and_references_without_repeats():
    question = Question(
        id="q", category="c", question="Why?", answer="Because.", references=("Because.", "So.")
    )
    assert reference_texts(question) == ["Because.", "So."]
