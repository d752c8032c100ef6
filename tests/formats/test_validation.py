"""The published JSON Schema and the cross-field rules."""

from __future__ import annotations

import copy
import json

import pytest
from jsonschema import Draft202012Validator

from interview_prep.errors import BankFormatError
from interview_prep.formats import bank_schema, validate_bank_data

VALID = {
    "id": "b",
    "title": "B",
    "questions": [
        {
            "id": "q1",
            "category": "C",
            "question": "Q?",
            "answer": "The answer says L3 is best.",
            "key_points": [{"text": "k1"}, {"text": "k2"}, {"text": "k3"}],
            "misconceptions": [{"claim": "c", "correction": "d", "key_point": 2}],
            "errata": [{"quote": "L3 is best", "correction": "There is no L3."}],
            "related": ["q2"],
        },
        {
            "id": "q2",
            "category": "Quick-fire",
            "question": "Name two.",
            "answer": "A and B.",
            "expected": {
                "kind": "names",
                "names": ["A", {"name": "B", "aliases": ["b"]}],
                "required": 2,
            },
        },
    ],
}


def test_schema_is_itself_valid():
    Draft202012Validator.check_schema(bank_schema())


def test_valid_bank_builds():
    bank = validate_bank_data(copy.deepcopy(VALID), "b.yaml")
    assert [q.id for q in bank.questions] == ["q1", "q2"]
    assert bank.questions[1].expected is not None
    assert bank.questions[1].expected.names[1].aliases == ("b",)


def broken(path: list, value) -> dict:
    data = copy.deepcopy(VALID)
    target = data
    for step in path[:-1]:
        target = target[step]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (
            ["questions", 0, "id"],
            "Not A Slug",
            r"question 'Not A Slug': field id: 'Not A Slug' must be",
        ),
        (["questions", 0, "key_points"], [{"text": "k"}] * 9, r"question 'q1': field key_points"),
        (["questions", 0, "related"], ["nowhere"], r"field related: no question 'nowhere'"),
        (["questions", 0, "related"], ["q1"], r"cannot relate to itself"),
        (["questions", 0, "misconceptions", 0, "key_point"], 3, r"past the last key point"),
        (["questions", 0, "errata", 0, "quote"], "L4", r"not in the model answer word for word"),
        (["questions", 1, "expected", "required"], 3, r"more names than are accepted"),
        (["questions", 1, "expected"], {"kind": "number"}, r"field expected"),
        (["questions", 0, "surprise"], 1, r"unknown field"),
        (["title"], KeyError, r"'title' is a required property"),
    ],
)
def test_errors_name_question_and_field(path, value, message):
    with pytest.raises(BankFormatError, match=message):
        validate_bank_data(broken(path, value), "b.yaml")


def test_authored_examples_round_trip():
    data = copy.deepcopy(VALID)
    question = data["questions"][0]
    question["key_points"][0].update(
        examples=["one way to say k1", "another"], near_misses=["on topic, not k1"]
    )
    question["misconceptions"][0]["examples"] = ["c, said otherwise"]
    question["errata"][0].update(claim="L3 is the best norm", key_point=1, examples=["L3 wins"])
    bank = validate_bank_data(data)
    first = bank.questions[0]
    assert first.key_points[0].examples == ("one way to say k1", "another")
    assert first.key_points[0].near_misses == ("on topic, not k1",)
    assert first.misconceptions[0].examples == ("c, said otherwise",)
    assert first.errata[0].wrong_claim == "L3 is the best norm"
    assert validate_bank_data(bank.to_dict()).questions == bank.questions


def test_erratum_key_point_out_of_range():
    data = copy.deepcopy(VALID)
    data["questions"][0]["errata"][0]["key_point"] = 3
    with pytest.raises(BankFormatError, match=r"errata\[0\]\.key_point: 3 is past the last"):
        validate_bank_data(data)


def test_a_shipped_bank_skips_the_schema_but_not_the_rules():
    data = {
        "id": "b",
        "title": "B",
        "questions": [
            {"id": "q", "category": "C", "question": "Q?", "answer": "A.", "related": ["x"]}
        ],
    }
    with pytest.raises(BankFormatError, match="no question 'x'"):
        validate_bank_data(data, "shipped.yaml", check_schema=False)
    del data["questions"][0]["answer"], data["questions"][0]["related"]
    with pytest.raises(BankFormatError, match="shipped.yaml: does not follow the bank format"):
        validate_bank_data(data, "shipped.yaml", check_schema=False)


def test_the_schema_checked_with_its_definitions_written_out_finds_the_same_errors(bank_data):
    from interview_prep.formats.validation import _inlined, _validator

    schema = bank_schema()
    assert "$ref" not in json.dumps(_inlined(schema, schema["$defs"]))
    broken = copy.deepcopy(bank_data)
    broken["id"] = "Not A Slug"
    broken["questions"][0]["key_points"][0]["text"] = 5
    broken["questions"][1]["tags"] = ["fine", "Not fine"]
    broken["questions"][2]["misconceptions"] = [{"claim": "x"}]
    broken["questions"][3]["surprise"] = True
    del broken["questions"][4]["answer"]

    def errors(validator: Draft202012Validator) -> list[tuple[str, str]]:
        found = validator.iter_errors(broken)
        return sorted((str(list(error.path)), error.message) for error in found)

    original = errors(Draft202012Validator(schema))
    assert len(original) >= 6
    assert errors(_validator()) == original
