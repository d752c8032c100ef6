"""The bundled ML Engineer bank: complete, valid, faithful to the seed page, and annotated."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from interview_prep.formats import bank_schema, load_bank_file

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_0a627cbd178ed323.txt"
BANK = Path(str(resources.files("interview_prep.data.banks").joinpath("ml-engineer.yaml")))
EXPECTED_COUNTS = {
    "Fundamentals": 16,
    "Deep dive": 8,
    "Scenarios": 5,
    "System design": 4,
    "Debugging": 4,
    "Behavioral": 5,
    "Quick-fire": 12,
}


@pytest.fixture(scope="module")
def bank():
    return load_bank_file(BANK)


def test_file_validates_against_the_published_schema():
    data = yaml.safe_load(BANK.read_text(encoding="utf-8"))
    errors = list(Draft202012Validator(bank_schema()).iter_errors(data))
    assert errors == []


def test_seven_categories_in_page_order_with_their_counts(bank):
    assert bank.category_counts() == EXPECTED_COUNTS
    assert list(bank.category_counts()) == list(EXPECTED_COUNTS)


def test_questions_and_answers_are_the_seed_text_unchanged(bank):
    lines = SEED.read_text(encoding="utf-8").split("\n")
    seed = [
        (line[:-1].strip(), lines[index + 1].strip())
        for index, line in enumerate(lines)
        if line.endswith("▾")
    ]
    assert [(q.question, q.answer) for q in bank.questions] == seed


def test_every_question_has_a_full_rubric(bank):
    for question in bank.questions:
        assert 3 <= len(question.key_points) <= 8, question.id
        assert question.misconceptions, question.id
        assert question.tags, question.id
        assert question.related, question.id
        for misconception in question.misconceptions:
            assert misconception.correction.strip(), question.id


def test_every_quick_fire_question_has_an_expected_answer(bank):
    quick = [q for q in bank.questions if q.category == "Quick-fire"]
    assert len(quick) == 12
    assert all(q.expected is not None for q in quick)
    adam = bank.question("adam-default-learning-rate")
    assert adam is not None and adam.expected is not None
    assert adam.expected.value == pytest.approx(0.001)


@pytest.mark.parametrize(
    ("question_id", "quoted", "corrected"),
    [
        ("llm-on-edge-device", "TensorRT-MAC", "TensorRT"),
        ("gpu-out-of-memory", "FP16 instead of FP32", "FP32 master weights"),
    ],
)
def test_known_errata_are_present(bank, question_id, quoted, corrected):
    question = bank.question(question_id)
    assert question is not None
    assert any(quoted in e.quote and corrected in e.correction for e in question.errata)


def test_errata_quote_the_answer_verbatim(bank):
    errata = [(q, e) for q in bank.questions for e in q.errata]
    assert len(errata) >= 20
    for question, erratum in errata:
        assert erratum.quote in question.answer, question.id
