"""Reading and writing bank files: formats, round trips and every kind of bad input."""

from __future__ import annotations

import json

import pytest
import yaml

from interview_prep.domain import Bank, KeyPoint, Question
from interview_prep.errors import BankFormatError, InvalidInputError
from interview_prep.formats import (
    BankFormat,
    dump_bank,
    export_bank_file,
    load_bank_file,
    parse_format,
    read_bank_bytes,
)
from interview_prep.storage.bundled import bundled_bank_files


@pytest.fixture
def bank() -> Bank:
    return Bank(
        id="tiny",
        title="Tiny bank",
        role="Tester",
        description="Two questions.",
        categories=("Basics",),
        questions=(
            Question(
                id="what-is-x",
                category="Basics",
                question="What is X?",
                answer="X is a thing.\nIt has two lines.",
                key_points=(KeyPoint("X is a thing", 1.0, ("thing",)),),
            ),
            Question(id="what-is-y", category="Basics", question="What is Y?", answer="Y."),
        ),
    )


@pytest.mark.parametrize("fmt", [BankFormat.YAML, BankFormat.JSON])
def test_round_trip(bank, fmt, tmp_path):
    path = export_bank_file(bank, fmt, tmp_path / f"bank.{fmt.value}")
    assert load_bank_file(path) == bank


def test_yaml_is_human_editable(bank):
    text = dump_bank(bank, BankFormat.YAML)
    assert "answer: |-\n    X is a thing.\n    It has two lines." in text
    assert yaml.safe_load(text)["questions"][0]["id"] == "what-is-x"


def test_libyaml_writes_the_same_yaml_as_the_python_emitter(bank):
    pytest.importorskip("yaml.cyaml", reason="PyYAML built without libyaml")
    shipped = load_bank_file(bundled_bank_files()[0])
    awkward = Question(
        id="awkward",
        category="Basics",
        question="Quotes ' \" and a colon: here, a # hash, ünïcödé, 😀 and a tab\tinside?",
        answer="  leading spaces\ntrailing spaces  \n\nblank line above; " + "long " * 40,
        tags=("yes", "null", "on"),
    )
    tricky = Bank(id="tricky", title="Tricky", categories=("Basics",), questions=(awkward,))
    for each in (bank, shipped):
        assert dump_bank(each, BankFormat.YAML) == dump_bank(each, BankFormat.YAML, libyaml=False)
    # Where the emitters differ (how a quoted string is folded), they still write the same data.
    fast, slow = (dump_bank(tricky, BankFormat.YAML, libyaml=flag) for flag in (True, False))
    assert yaml.safe_load(fast) == yaml.safe_load(slow)
    assert read_bank_bytes(fast.encode(), "tricky.yaml") == tricky


def test_markdown_export(bank):
    text = dump_bank(bank, BankFormat.MARKDOWN)
    assert text.startswith("# Tiny bank\n")
    assert "## Basics (2)" in text
    assert "### 1. What is X?" in text
    assert "- X is a thing" in text


def test_anki_export(bank, tmp_path):
    path = export_bank_file(bank, BankFormat.ANKI, tmp_path / "deck.apkg")
    assert path.stat().st_size > 1000
    import zipfile

    assert "collection.anki2" in zipfile.ZipFile(path).namelist()


def test_not_utf8_names_line_and_column():
    data = "id: x\ntitle: caf\xe9\n".encode("latin-1")
    with pytest.raises(BankFormatError, match=r"b.yaml: line 2, column 11: not UTF-8"):
        read_bank_bytes(data, "b.yaml")


def test_empty_file():
    with pytest.raises(BankFormatError, match="b.yaml: the file is empty"):
        read_bank_bytes(b"  \n\n", "b.yaml")


def test_file_over_the_size_limit(tmp_path):
    path = tmp_path / "big.yaml"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024 + 1)
    with pytest.raises(BankFormatError, match=r"big.yaml: the file is 50.0 MB, over the 50 MB"):
        load_bank_file(path)


def test_yaml_that_is_not_a_bank():
    with pytest.raises(BankFormatError, match="b.yaml: not a question bank"):
        read_bank_bytes(b"- just\n- a list\n", "b.yaml")
    with pytest.raises(BankFormatError, match="b.yaml: not a question bank"):
        read_bank_bytes(b"name: my shopping list\nitems: [milk]\n", "b.yaml")


def test_invalid_yaml_names_the_line():
    with pytest.raises(BankFormatError, match=r"b.yaml: line \d+, column \d+: invalid YAML"):
        read_bank_bytes(b"id: x\ntitle: [unclosed\n", "b.yaml")


def test_invalid_json_names_the_line():
    with pytest.raises(BankFormatError, match=r"b.json: line 1, column \d+: invalid JSON"):
        read_bank_bytes(b'{"id": ', "b.json")


def test_duplicate_ids(bank):
    data = bank.to_dict()
    data["questions"][1]["id"] = "what-is-x"
    with pytest.raises(BankFormatError, match="duplicate question id.*what-is-x"):
        read_bank_bytes(json.dumps(data).encode(), "b.json")


def test_field_errors_name_the_question_and_field(bank):
    data = bank.to_dict()
    data["questions"][1]["difficulty"] = "brutal"
    with pytest.raises(
        BankFormatError, match=r"b.json: question 'what-is-y': field difficulty: 'brutal'"
    ):
        read_bank_bytes(json.dumps(data).encode(), "b.json")


def test_question_with_no_answer_in_yaml(bank):
    data = bank.to_dict()
    del data["questions"][0]["answer"]
    with pytest.raises(BankFormatError, match="question 'what-is-x'.*'answer' is a required"):
        read_bank_bytes(json.dumps(data).encode(), "b.json")


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InvalidInputError, match="no such file"):
        load_bank_file(tmp_path / "nope.yaml")
    with pytest.raises(InvalidInputError, match="is a folder"):
        load_bank_file(tmp_path)


def test_parse_format_lists_the_choices():
    with pytest.raises(InvalidInputError, match="choose one of yaml, json, markdown, anki"):
        parse_format(
            "pdf", (BankFormat.YAML, BankFormat.JSON, BankFormat.MARKDOWN, BankFormat.ANKI)
        )
    assert parse_format("YAML", (BankFormat.YAML,)) is BankFormat.YAML


@pytest.mark.parametrize("fmt", [BankFormat.YAML, BankFormat.JSON])
def test_an_exported_file_cut_short_is_refused(bank, fmt):
    # Finding 7: a truncated file that still parsed imported quietly as a smaller bank.
    text = dump_bank(bank, fmt)
    if fmt is BankFormat.YAML:
        cut = text[: text.index("- id: what-is-y")]
    else:
        data = json.loads(text)
        data["questions"] = data["questions"][:1]
        cut = json.dumps(data)
    with pytest.raises(BankFormatError, match=r"holds 2 question\(s\) but 1 were read"):
        read_bank_bytes(cut.encode(), f"bank.{fmt.value}")
    assert read_bank_bytes(text.encode(), f"bank.{fmt.value}") == bank


def test_only_files_from_outside_are_measured_for_alias_bombs(monkeypatch):
    from interview_prep.formats import files, limits
    from interview_prep.storage.bundled import bundled_bank_files

    measured: list[str] = []
    real = limits.check_yaml

    def check(text, source, *rest):
        measured.append(source)
        real(text, source, *rest)

    monkeypatch.setattr(limits, "check_yaml", check)
    data = bundled_bank_files()[0].read_bytes()
    assert files.read_bank_bytes(data, "shipped.yaml", shipped=True) == files.read_bank_bytes(
        data, "uploaded.yaml"
    )
    assert measured == ["uploaded.yaml"]
