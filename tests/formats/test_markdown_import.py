"""Markdown banks in: the export reads back as the same bank, a hand-written sheet in the same
shape reads as a bank, and malformed Markdown is refused with the line it is on."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from interview_prep.domain import Bank, KeyPoint, Question
from interview_prep.domain.questions import Difficulty, ExpectedKind
from interview_prep.errors import BankFormatError
from interview_prep.formats import (
    BankFormat,
    dump_bank,
    export_bank_file,
    limits,
    load_bank_file,
    read_bank_bytes,
)


def _read(text: str, name: str = "bank.md", **kwargs: int) -> Bank:
    return read_bank_bytes(text.encode("utf-8"), name, **kwargs)  # type: ignore[arg-type]


def _refused(text: str, name: str = "bank.md") -> str:
    with pytest.raises(BankFormatError) as caught:
        _read(text, name)
    return caught.value.message


@pytest.fixture
def tiny() -> Bank:
    return Bank(
        id="tiny",
        title="Tiny bank",
        questions=(
            Question(
                id="what-is-x",
                category="Basics",
                question="What is X?",
                answer="X is a thing.",
                key_points=(KeyPoint("X is a thing", 2.0, ("thing",)),),
            ),
            Question(id="what-is-y", category="Basics", question="What is Y?", answer="Y."),
        ),
    )


@pytest.fixture(scope="module")
def bundled() -> Bank:
    path = resources.files("interview_prep.data.banks").joinpath("ml-engineer.yaml")
    return load_bank_file(str(path))


def test_the_bundled_bank_round_trips(bundled: Bank) -> None:
    again = _read(dump_bank(bundled, BankFormat.MARKDOWN), "ml-engineer.md")
    assert again == bundled
    # Every detail the grader uses came back, not only the visible text.
    assert again.questions[0].key_points[0].examples == bundled.questions[0].key_points[0].examples


def test_a_small_bank_round_trips_through_a_file(bank: Bank, tmp_path: Path) -> None:
    path = export_bank_file(bank, BankFormat.MARKDOWN, tmp_path / "bank.md")
    assert load_bank_file(path).to_dict() == bank.to_dict()


def test_questions_out_of_category_order_keep_their_order(bank: Bank) -> None:
    shuffled = Bank(id=bank.id, title=bank.title, questions=tuple(reversed(bank.questions)))
    again = _read(dump_bank(shuffled, BankFormat.MARKDOWN))
    assert [q.id for q in again.questions] == [q.id for q in shuffled.questions]


HAND_WRITTEN = """\
# My ML notes

Things I keep forgetting.

## Basics

### What is overfitting?
*hard* · `generalisation`, `variance`

The model fits noise in the training data
and does worse on new data.

**Key points**

- It fits noise, not signal
- Training error is low while validation error is high,
  which shows as a gap between the curves

**Common misconceptions**

- ✗ More data always causes overfitting
  ✓ More data usually reduces it

**Errata**

- The model answer says "fits noise"; correct is: it fits noise as if it were signal

**Follow-ups**

- How do you detect it?

### How many layers does ResNet-50 have?

Fifty.

**Expected answer:** 50
"""


def test_a_hand_written_sheet_reads_as_a_bank() -> None:
    bank = _read(HAND_WRITTEN, "notes.md")
    assert (bank.id, bank.title, bank.description) == (
        "my-ml-notes",
        "My ML notes",
        "Things I keep forgetting.",
    )
    first, second = bank.questions
    assert first.id == "what-is-overfitting"
    assert first.category == "Basics"
    assert first.difficulty is Difficulty.HARD
    assert first.tags == ("generalisation", "variance")
    assert first.answer == "The model fits noise in the training data\nand does worse on new data."
    assert [p.text for p in first.key_points] == [
        "It fits noise, not signal",
        "Training error is low while validation error is high, which shows as a gap between "
        "the curves",
    ]
    assert first.misconceptions[0].claim == "More data always causes overfitting"
    assert first.misconceptions[0].correction == "More data usually reduces it"
    assert first.errata[0].quote == "fits noise"
    assert first.follow_ups == ("How do you detect it?",)
    assert second.difficulty is Difficulty.MEDIUM
    assert second.expected is not None and second.expected.kind is ExpectedKind.NUMBER
    assert second.expected.value == 50


def test_an_edit_of_the_sheet_is_an_edit_of_the_bank(tiny: Bank) -> None:
    text = dump_bank(tiny, BankFormat.MARKDOWN)
    edited = text.replace("- X is a thing", "- X is a thing, edited").replace(
        "What is Y?", "What is Y, really?"
    )
    again = _read(edited)
    point = again.questions[0].key_points[0]
    # The visible text wins; details written for the old text are not carried to the new one.
    assert (point.text, point.weight, point.terms) == ("X is a thing, edited", 1.0, ())
    assert _read(text).questions[0].key_points[0].weight == 2.0
    assert again.questions[1].question == "What is Y, really?"
    assert again.questions[1].id == "what-is-y"


def test_text_that_looks_like_structure_survives() -> None:
    tricky = "## Not a heading\n**Key points**\n\\(x\\) & &#x41; \\\n  "
    odd = Bank(
        id="odd",
        title="Odd # title #",
        questions=(
            Question(
                id="odd-one",
                category=" Spaced (2)",
                question="3. <b>Bold</b>?\nTwo lines",
                answer=tricky,
            ),
        ),
    )
    again = _read(dump_bank(odd, BankFormat.MARKDOWN))
    assert again.to_dict() == odd.to_dict()


def test_a_copy_cut_short_is_refused(tiny: Bank) -> None:
    text = dump_bank(tiny, BankFormat.MARKDOWN)
    cut = text[: text.index("### 2.")]
    assert "says it holds 2 question(s) but 1 were read" in _refused(cut)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Just some notes\n", "line 1: a Markdown bank starts with its title"),
        ("# T\n\n## \n", "line 3: a category heading ('## ...') needs a name"),
        ("# T\n\n## C\nstray text\n### Q?\nA.\n", "line 4: text under a category heading"),
        ("# T\n\n**Key points**\n- x\n", "line 3: '**Key points**' must belong to a question"),
        ("# T\n### Q?\n\n**Key points**\n- x\n", "line 2: the question has no model answer"),
        ("# T\n### Q?\nA.\n**Key points**\nnot a bullet\n", "line 5: unexpected text after"),
        ("# T\n### Q?\nA.\n**Key points** one\n", "line 4: write the items of 'Key points'"),
        ("# T\n### Q?\nA.\n**Common misconceptions**\n- ✗ wrong\n", "line 5: a misconception"),
        ("# T\n### Q?\nA.\n**Errata**\n- A is wrong\n", "line 5: an erratum is written"),
        ('# T\n<!-- interview-prep: {"id": "t"}\n### Q?\nA.\n', "line 2: the details"),
        ('# T\n<!-- interview-prep: {"colour": 1} -->\n### Q?\nA.\n', "unknown detail(s)"),
        ("# T\n<!-- interview-prep: [1] -->\n### Q?\nA.\n", "line 2: the details comment"),
        ("# T\n<!-- interview-prep: {x} -->\n### Q?\nA.\n", "line 2: details: line 1"),
        ("# T\n\n### Q?\n*easy* · `Not A Slug`\nA.\n", "line 3: question 'q'"),
    ],
)
def test_malformed_markdown_names_the_line(text: str, expected: str) -> None:
    message = _refused(text)
    assert message.startswith("bank.md: ")
    assert expected in message, message


def test_questions_with_the_same_text_get_distinct_ids() -> None:
    assert [q.id for q in _read("# T\n\n### Q?\nA.\n### Q?\nB.\n").questions] == ["q", "q-2"]


def test_a_huge_line_is_quoted_briefly() -> None:
    message = _refused("x" * 5_000_000 + "\n")
    assert "line 1" in message and len(message) < 400


def test_the_limits_of_other_formats_apply(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(BankFormatError, match="over the 1 MB limit"):
        _read("# T\n### Q?\n" + "a" * (2 << 20), max_bytes=1 << 20)
    monkeypatch.setattr(limits, "MAX_QUESTIONS", 3)
    many = "# T\n" + "".join(f"### Q{n}?\nA.\n" for n in range(5))
    assert "more than 3 questions" in _refused(many)
