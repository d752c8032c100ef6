"""Choosing the follow-up: pinned on the bundled bank's real items and their parent's key points."""

from __future__ import annotations

from typing import Any

import pytest

from interview_prep.domain import Bank, Question
from interview_prep.formats import load_bank_file
from interview_prep.formats.follow_ups import bundled_follow_ups_file, load_follow_ups_file
from interview_prep.practice.follow_ups import choose_follow_up, content_stems, stem
from interview_prep.storage.bundled import BUNDLED_FOLDER


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank_file(BUNDLED_FOLDER / "ml-engineer.yaml")


@pytest.fixture(scope="module")
def overfitting(bank: Bank) -> tuple[Question, list[Question]]:
    path = bundled_follow_ups_file("ml-engineer")
    assert path is not None
    items = [f.question for f in load_follow_ups_file(path, bank) if f.parent == "overfitting"]
    parent = bank.question("overfitting")
    assert parent is not None
    return parent, items


def graded(
    question: Question, missed: tuple[int, ...] = (), wrong: tuple[int, ...] = ()
) -> dict[str, Any]:
    """A grade as the grader writes it: every key point covered but ``missed``."""
    return {
        "score": 2.5,
        "key_points": [
            {"text": p.text, "weight": p.weight, "status": "missed" if i in missed else "covered"}
            for i, p in enumerate(question.key_points)
        ],
        "misconceptions": [
            {
                "claim": question.misconceptions[i].claim,
                "correction": question.misconceptions[i].correction,
            }
            for i in wrong
        ],
    }


def test_the_bank_gives_overfitting_three_follow_ups(
    overfitting: tuple[Question, list[Question]],
) -> None:
    _, items = overfitting
    assert [item.id for item in items] == ["overfitting-fu1", "overfitting-fu2", "overfitting-fu3"]


@pytest.mark.parametrize(
    ("missed", "chosen", "probing"),
    [
        # Left out how to regularise (dropout among it): the dropout follow-up.
        (3, "overfitting-fu2", "Regularise"),
        # Left out how to detect it (validation curves): telling it from leakage and mismatch.
        (1, "overfitting-fu1", "Detect it"),
        # Left out the cause (capacity against data): double descent, about model size.
        (2, "overfitting-fu3", "Cause"),
    ],
)
def test_a_missed_key_point_chooses_the_follow_up_about_it(
    overfitting: tuple[Question, list[Question]], missed: int, chosen: str, probing: str
) -> None:
    parent, items = overfitting
    choice = choose_follow_up(parent, items, graded(parent, missed=(missed,)))
    assert choice is not None
    assert choice.follow_up_id == chosen
    assert choice.fitted and choice.because.startswith(probing)
    assert choice.matched


def test_a_wrong_claim_outweighs_a_missed_point(
    overfitting: tuple[Question, list[Question]],
) -> None:
    parent, items = overfitting
    # Missed regularisation, but also claimed that cross-validation prevents overfitting: the
    # interviewer probes the wrong claim (validation against leakage), not dropout.
    choice = choose_follow_up(parent, items, graded(parent, missed=(3,), wrong=(0,)))
    assert choice is not None
    assert choice.follow_up_id == "overfitting-fu1"
    assert choice.because == "Cross-validation prevents overfitting"
    assert "validation" in choice.matched


def test_a_word_every_follow_up_has_decides_nothing(
    overfitting: tuple[Question, list[Question]],
) -> None:
    parent, items = overfitting
    choice = choose_follow_up(parent, items, graded(parent, missed=(3,)))
    assert choice is not None
    # "overfitting" is in every follow-up's question: it says nothing about which to ask.
    assert stem("overfitting") not in choice.matched


def test_a_full_answer_rotates_through_the_follow_ups_least_recently_asked_first(
    overfitting: tuple[Question, list[Question]],
) -> None:
    parent, items = overfitting
    full = graded(parent)
    sequence = []
    asked: list[str] = []
    for _ in range(4):
        choice = choose_follow_up(parent, items, full, asked)
        assert choice is not None and not choice.fitted
        sequence.append(choice.follow_up_id)
        asked.append(choice.follow_up_id)
    assert sequence == ["overfitting-fu1", "overfitting-fu2", "overfitting-fu3", "overfitting-fu1"]
    # An ungraded answer has no gap either.
    choice = choose_follow_up(parent, items, None, ["overfitting-fu2", "overfitting-fu1"])
    assert choice is not None and choice.follow_up_id == "overfitting-fu3"


def test_of_two_that_fit_equally_the_one_not_asked_lately_wins() -> None:
    parent = Question.from_dict(
        {
            "id": "p",
            "category": "C",
            "question": "What is a cache?",
            "answer": "A store.",
            "key_points": [{"text": "Eviction policy decides what goes", "weight": 1.0}],
        }
    )
    items = [
        Question.from_dict(
            {
                "id": f"p-fu{n}",
                "category": "C",
                "question": f"Which eviction policy, {word}?",
                "answer": "LRU.",
            }
        )
        for n, word in ((1, "first"), (2, "second"))
    ]
    grade = {"key_points": [{"text": "Eviction policy decides what goes", "status": "missed"}]}
    first = choose_follow_up(parent, items, grade)
    assert first is not None and first.follow_up_id == "p-fu1" and not first.fitted
    # Both share the gap's words, so no word tells them apart: rotation, fu2 next.
    again = choose_follow_up(parent, items, grade, ["p-fu1"])
    assert again is not None and again.follow_up_id == "p-fu2"


def test_no_follow_up_items_no_choice(overfitting: tuple[Question, list[Question]]) -> None:
    parent, _ = overfitting
    assert choose_follow_up(parent, [], graded(parent, missed=(0,))) is None


def test_stems_meet_across_spellings_and_forms() -> None:
    assert stem("regularise") == stem("regularization") == stem("regularised") == "regular"
    assert stem("policies") == "policy" and stem("loss") == "loss"
    assert content_stems("How does the dropout work?") == {"dropout", "work"}
