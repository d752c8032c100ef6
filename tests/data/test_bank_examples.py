"""The bundled bank carries the judge's training examples, as many as the judge needs.

Every key point: at least 4 ways of saying it, at least 2 of them in plain words (none of its
terms), and at least 2 near misses; every misconception and erratum: at least 3 rewordings.
"""

from __future__ import annotations

import pytest

from interview_prep.formats.files import load_bank_file
from interview_prep.storage.bundled import bundled_bank_files

QUESTIONS = [q for path in bundled_bank_files() for q in load_bank_file(path).questions]


def _plain(example: str, terms: tuple[str, ...]) -> bool:
    lowered = example.lower()
    return not any(term.lower() in lowered for term in terms)


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_every_key_point_has_examples_plain_examples_and_near_misses(question):
    for index, point in enumerate(question.key_points):
        where = f"{question.id} key point {index}"
        assert len(point.examples) >= 4, where
        assert sum(_plain(e, point.terms) for e in point.examples) >= 2, where
        assert len(point.near_misses) >= 2, where
        assert not set(point.examples) & set(point.near_misses), where


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_every_wrong_claim_has_rewordings(question):
    for index, item in enumerate(question.misconceptions):
        assert len(item.examples) >= 3, f"{question.id} misconception {index}"
    for index, erratum in enumerate(question.errata):
        assert len(erratum.examples) >= 3, f"{question.id} erratum {index}"
