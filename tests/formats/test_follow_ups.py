"""Follow-up files: tied to their bank word for word, checked as questions of the bank format."""

from __future__ import annotations

import copy

import pytest
import yaml

from interview_prep.errors import BankFormatError, InvalidInputError
from interview_prep.formats import validate_bank_data
from interview_prep.formats.follow_ups import (
    load_follow_ups_file,
    read_follow_ups_bytes,
    validate_follow_ups,
)

BANK = validate_bank_data(
    {
        "id": "b",
        "title": "B",
        "questions": [
            {
                "id": "q1",
                "category": "Fundamentals",
                "question": "What is dropout?",
                "answer": "Random units are zeroed in training.",
                "follow_ups": ["What changes at inference?", "Why does it regularise?"],
            },
            {"id": "q2", "category": "Other", "question": "Q?", "answer": "A."},
        ],
    }
)

ITEM = {
    "parent": "q1",
    "index": 1,
    "id": "q1-fu2",
    "question": "Why does it regularise?",
    "difficulty": "medium",
    "answer": "Units cannot co-adapt.",
    "key_points": [{"text": "It prevents co-adaptation", "terms": ["co-adapt"]}],
    "misconceptions": [{"claim": "It prunes units", "correction": "It drops them at random."}],
}
VALID = {"format": "interview-prep/follow-ups", "version": 1, "bank": "b", "follow_ups": [ITEM]}


def with_item(**changes) -> dict:
    data = copy.deepcopy(VALID)
    for key, value in changes.items():
        if value is KeyError:
            del data["follow_ups"][0][key]
        else:
            data["follow_ups"][0][key] = value
    return data


def test_valid_file_builds_items_in_their_parents_category():
    (item,) = validate_follow_ups(copy.deepcopy(VALID), BANK, "f.yaml")
    assert (item.parent, item.index) == ("q1", 1)
    assert item.question.id == "q1-fu2"
    assert item.question.category == "Fundamentals"
    assert item.question.key_points[0].terms == ("co-adapt",)
    assert item.question.misconceptions[0].claim == "It prunes units"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "not a follow-up file"),
        ({**VALID, "format": "interview-prep/bank"}, "not a follow-up file"),
        ({**VALID, "version": 2}, "field version: 2 is not a version"),
        ({**VALID, "bank": "other"}, "field bank: 'other' is not this bank ('b')"),
        ({**VALID, "extra": 1}, "unknown field(s): 'extra'"),
        ({**VALID, "follow_ups": []}, "field follow_ups: expected a list"),
        ({**VALID, "follow_ups": ["text"]}, "follow-up #1: expected a mapping"),
        (with_item(parent=KeyError), "follow-up #1: missing field(s): parent"),
        (with_item(parent="nope"), "field parent: no question 'nope' in bank 'b'"),
        (with_item(index=-1), "field index: -1 is not a number from 0"),
        (with_item(index=True), "field index: True is not a number from 0"),
        (with_item(index=2), "question 'q1' has 2 follow-up(s), so there is no index 2"),
        (with_item(id="q1-fu1"), "field id: 'q1-fu1' should be 'q1-fu2'"),
        (
            with_item(question="Why does it regularize?"),
            "follow-up 'q1-fu2': field question: not the text of 'q1''s follow-up 1",
        ),
        (with_item(answer=""), "question 'q1-fu2': field answer"),
        (with_item(difficulty="tricky"), "question 'q1-fu2': field difficulty"),
        (with_item(key_points=[{"weight": 1}]), "question 'q1-fu2': field key_points[0]"),
        (with_item(colour="red"), "question 'q1-fu2': unknown field(s): 'colour'"),
        (
            with_item(misconceptions=[{"claim": "c", "correction": "d", "key_point": 3}]),
            "misconceptions[0].key_point: 3 is past the last key point",
        ),
    ],
)
def test_problems_are_named_with_the_item_and_field(data, message):
    with pytest.raises(BankFormatError) as caught:
        validate_follow_ups(data, BANK, "f.yaml")
    assert caught.value.message.startswith("f.yaml: ")
    assert message in caught.value.message


def test_the_same_follow_up_twice_is_refused():
    data = copy.deepcopy(VALID)
    data["follow_ups"].append(copy.deepcopy(ITEM))
    with pytest.raises(BankFormatError, match="duplicate question id.*q1-fu2"):
        validate_follow_ups(data, BANK, "f.yaml")


def test_file_is_read_from_yaml(tmp_path):
    path = tmp_path / "b.yaml"
    path.write_text(yaml.safe_dump(VALID), encoding="utf-8")
    assert [item.question.id for item in load_follow_ups_file(path, BANK)] == ["q1-fu2"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "f.yaml: the file is empty"),
        (b"follow_ups: [\n", "f.yaml: line"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_unreadable_bytes_get_a_clear_error(data, message):
    with pytest.raises(BankFormatError, match=message):
        read_follow_ups_bytes(data, "f.yaml", BANK)


def test_an_oversized_file_is_refused_before_parsing():
    with pytest.raises(BankFormatError, match="over the 1 MB limit"):
        read_follow_ups_bytes(b"#" * (2 * 1024 * 1024), "f.yaml", BANK, max_bytes=1024 * 1024)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(InvalidInputError, match="no such file"):
        load_follow_ups_file(tmp_path / "none.yaml", BANK)


def test_a_shipped_file_skips_the_schema_but_not_the_rules(tmp_path):
    path = tmp_path / "b.yaml"
    path.write_text(yaml.safe_dump(VALID), encoding="utf-8")
    assert [item.question.id for item in load_follow_ups_file(path, BANK, shipped=True)] == [
        "q1-fu2"
    ]
    # The tie to the parent is checked either way, and a broken item is still an error.
    path.write_text(yaml.safe_dump(with_item(index=5)), encoding="utf-8")
    with pytest.raises(BankFormatError, match="there is no index 5"):
        load_follow_ups_file(path, BANK, shipped=True)
    broken = copy.deepcopy(VALID)
    del broken["follow_ups"][0]["answer"]
    path.write_text(yaml.safe_dump(broken), encoding="utf-8")
    with pytest.raises(BankFormatError, match="does not follow the bank format"):
        load_follow_ups_file(path, BANK, shipped=True)
