"""The bundled follow-ups are graded items written like the bank's own questions.

Each one: a model answer of 80-200 words, 3-5 key points, each with at least 3 ways of saying it
(at least 2 in plain words, none of its terms) and at least 2 near misses, and at least one
misconception with at least 3 rewordings.
"""

from __future__ import annotations

import pytest

from interview_prep.formats.files import load_bank_file
from interview_prep.formats.follow_ups import bundled_follow_ups_file, load_follow_ups_file
from interview_prep.storage.bundled import bundled_bank_files

BANKS = [load_bank_file(path) for path in bundled_bank_files()]
ITEMS = [
    item
    for bank in BANKS
    if (path := bundled_follow_ups_file(bank.id)) is not None
    for item in load_follow_ups_file(path, bank)
]


def _plain(example: str, terms: tuple[str, ...]) -> bool:
    lowered = example.lower()
    return not any(term.lower() in lowered for term in terms)


def test_the_ml_bank_has_follow_up_items_in_its_own_order():
    bank = next(bank for bank in BANKS if bank.id == "ml-engineer")
    order = [(q.id, index) for q in bank.questions for index in range(len(q.follow_ups))]
    ours = [(item.parent, item.index) for item in ITEMS]
    assert len(ours) >= 25
    # Written question by question: a prefix of the bank's follow-ups, with none skipped.
    assert ours == order[: len(ours)]


@pytest.mark.parametrize("item", ITEMS, ids=lambda item: item.question.id)
def test_every_item_has_an_answer_key_points_and_examples(item):
    question = item.question
    assert 80 <= len(question.answer.split()) <= 200, question.id
    assert 3 <= len(question.key_points) <= 5, question.id
    for index, point in enumerate(question.key_points):
        where = f"{question.id} key point {index}"
        assert point.terms, where
        assert len(point.examples) >= 3, where
        assert sum(_plain(e, point.terms) for e in point.examples) >= 2, where
        assert len(point.near_misses) >= 2, where
        assert not set(point.examples) & set(point.near_misses), where


@pytest.mark.parametrize("item", ITEMS, ids=lambda item: item.question.id)
def test_every_item_has_misconceptions_with_rewordings(item):
    assert item.question.misconceptions, item.question.id
    for index, misconception in enumerate(item.question.misconceptions):
        assert len(misconception.examples) >= 3, f"{item.question.id} misconception {index}"
