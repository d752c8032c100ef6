"""The substance probe's training sentences: the empty talk file is checked, every technical
question has its empty talk, and no sentence is taught both ways."""

from __future__ import annotations

import pytest

from interview_prep.domain import Bank
from interview_prep.errors import InvalidInputError
from interview_prep.formats.files import load_bank_file
from interview_prep.grading.evaluation.substance_training import (
    read_empty_talk,
    substance_sentences,
)
from interview_prep.grading.evidence.structure import is_behavioral
from interview_prep.storage.bundled import bundled_bank_files


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank_file(bundled_bank_files()[0])


def test_every_technical_question_has_empty_talk_and_no_id_is_unknown(bank):
    empty = read_empty_talk()
    ids = {q.id for q in bank.questions}
    assert set(empty) <= ids
    for question in bank.questions:
        if not is_behavioral(question):
            assert len(empty.get(question.id, [])) >= 6, question.id


def test_no_empty_sentence_copies_a_bank_statement(bank):
    stated = {
        text
        for q in bank.questions
        for p in q.key_points
        for text in (p.text, *p.examples, *p.near_misses)
    }
    empty = {s for sentences in read_empty_talk().values() for s in sentences}
    assert not empty & stated


def test_sentences_are_labelled_once_and_skip_behavioral_questions(bank):
    rows = substance_sentences(bank, read_empty_talk())
    texts = [row.text for row in rows]
    assert len(texts) == len(set(texts))
    behavioral = {q.id for q in bank.questions if is_behavioral(q)}
    assert behavioral and not {row.question for row in rows} & behavioral
    assert {row.substantive for row in rows} == {True, False}


def test_a_text_taught_both_ways_is_dropped(bank):
    question = next(q for q in bank.questions if not is_behavioral(q))
    point = question.key_points[0].text
    rows = substance_sentences(bank, {question.id: [point, "It matters a lot."]})
    assert point not in {row.text for row in rows}
    assert any(row.text == "It matters a lot." and not row.substantive for row in rows)


@pytest.mark.parametrize(
    "content, message",
    [
        ("- just a list", "must map question ids"),
        ("overfitting: a sentence", "must map to a list"),
        ("overfitting: ['', 'x']", "empty or non-text"),
        ("overfitting: [3]", "empty or non-text"),
        ("overfitting: [unclosed", "cannot read"),
    ],
)
def test_a_malformed_file_gets_a_clear_error(tmp_path, content, message):
    path = tmp_path / "empty_talk.yaml"
    path.write_text(content, "utf-8")
    with pytest.raises(InvalidInputError, match=message):
        read_empty_talk(path)
