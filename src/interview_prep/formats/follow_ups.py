"""Read a bank's follow-up file: each follow-up of a question as a graded item of its own.

A bank question lists its follow-ups as plain strings, which an interviewer can ask but the grader
cannot grade. A follow-up file (``data/follow-ups/<bank id>.yaml`` for a bundled bank) gives each
of them a model answer, key points and misconceptions::

    format: interview-prep/follow-ups
    version: 1
    bank: ml-engineer
    follow_ups:
      - parent: overfitting        # the question that asks it
        index: 1                   # its place in the parent's follow_ups (from 0)
        id: overfitting-fu2        # always <parent>-fu<index + 1>
        question: How does dropout ...   # the parent's follow-up text, word for word
        difficulty: medium
        answer: ...
        key_points: [...]
        misconceptions: [...]

Apart from ``parent``, ``index`` and ``question`` tying it to the bank, an item is a question of the
bank format, checked by the same schema and rules, so that it grades like any other question. The
text must match the parent's word for word: a follow-up reworded in the bank and not here would
otherwise be graded against an answer to a different question.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..domain import Bank, Question
from ..errors import BankFormatError, InvalidInputError
from ..input_policy import clean_text, quote
from .files import DEFAULT_MAX_BYTES, BankFormat, _parse_structured, decode_text
from .validation import validate_bank_data

FORMAT = "interview-prep/follow-ups"
VERSION = 1
FOLLOW_UPS_FOLDER = Path(__file__).resolve().parent.parent / "data" / "follow-ups"

# The fields that tie an item to its bank; every other field is a field of a bank question.
_LINK_FIELDS = ("parent", "index")


@dataclass(frozen=True)
class FollowUp:
    """One follow-up of a bank question, as a gradable question (in its parent's category)."""

    parent: str
    index: int
    question: Question


def bundled_follow_ups_file(bank_id: str, folder: Path | None = None) -> Path | None:
    """The follow-up file shipped for a bundled bank, if there is one."""
    path = (FOLLOW_UPS_FOLDER if folder is None else folder) / f"{bank_id}.yaml"
    return path if path.is_file() else None


def load_follow_ups_file(path: str | Path, bank: Bank, *, shipped: bool = False) -> list[FollowUp]:
    """Read and check a follow-up file against the bank it belongs to.

    ``shipped`` (a file shipped with the app) skips the JSON Schema, as for shipped banks: the
    test suite runs it on every shipped file, and it is most of the second that reading takes.

    Raises:
        InvalidInputError: the file cannot be read.
        BankFormatError: the file does not follow the format or does not fit the bank.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InvalidInputError(f"{path}: no such file") from None
    except (IsADirectoryError, PermissionError) as error:
        raise InvalidInputError(f"{path}: cannot be read ({error.strerror})") from None
    return read_follow_ups_bytes(data, path.name, bank, shipped=shipped)


def read_follow_ups_bytes(
    data: bytes,
    source: str,
    bank: Bank,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    shipped: bool = False,
) -> list[FollowUp]:
    """Parse and check follow-ups from a YAML file's bytes. See :func:`validate_follow_ups`."""
    if len(data) > max_bytes:
        raise BankFormatError(
            f"{source}: the file is {len(data) / 1024 / 1024:.1f} MB, over the "
            f"{max_bytes / 1024 / 1024:.0f} MB limit"
        )
    text = clean_text(decode_text(data, source))
    if not text.strip():
        raise BankFormatError(f"{source}: the file is empty")
    parsed = _parse_structured(text, source, BankFormat.YAML, max_chars=max_bytes, shipped=shipped)
    return validate_follow_ups(parsed, bank, source, check_schema=not shipped)


def validate_follow_ups(
    data: Any, bank: Bank, source: str = "follow-ups", *, check_schema: bool = True
) -> list[FollowUp]:
    """Check parsed follow-up data against the format and the bank, and build the items.

    Args:
        data: what the file parsed to.
        bank: the bank whose questions the follow-ups belong to.
        source: the file name, for error messages.
        check_schema: run the JSON Schema over the items (see :func:`load_follow_ups_file`).

    Returns:
        The follow-ups, in the file's order.

    Raises:
        BankFormatError: naming the file, the item and the field of the first problem found.
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BankFormatError(f"{source}: not a follow-up file (expected 'format: {FORMAT}')")
    if data.get("version") != VERSION:
        raise BankFormatError(
            f"{source}: field version: {quote(data.get('version'))} is not a version this app "
            f"reads (it reads {VERSION})"
        )
    unknown = sorted(
        str(key) for key in data if key not in ("format", "version", "bank", "follow_ups")
    )
    if unknown:
        raise BankFormatError(f"{source}: unknown field(s): {quote(', '.join(unknown))}")
    if data.get("bank") != bank.id:
        raise BankFormatError(
            f"{source}: field bank: {quote(data.get('bank'))} is not this bank ({quote(bank.id)})"
        )
    items = data.get("follow_ups")
    if not isinstance(items, list) or not items:
        raise BankFormatError(f"{source}: field follow_ups: expected a list of follow-ups")
    questions = [_as_question(item, number, bank, source) for number, item in enumerate(items)]
    # The same schema and rules as a bank's own questions, with ids already known to be unique
    # per (parent, index), so that an error names the follow-up's id and field.
    checked = validate_bank_data(
        {"id": bank.id, "title": bank.title, "questions": questions},
        source,
        check_schema=check_schema,
    ).questions
    return [
        FollowUp(parent=item["parent"], index=item["index"], question=question)
        for item, question in zip(items, checked, strict=True)
    ]


def _as_question(item: Any, number: int, bank: Bank, source: str) -> dict[str, Any]:
    """Check how an item ties to its parent and return the rest as a bank question."""
    where = f"{source}: follow-up #{number + 1}"
    if not isinstance(item, dict):
        raise BankFormatError(f"{where}: expected a mapping with parent, index, id and question")
    missing = [key for key in (*_LINK_FIELDS, "id", "question") if key not in item]
    if missing:
        raise BankFormatError(f"{where}: missing field(s): {', '.join(missing)}")
    parent = bank.question(str(item["parent"]))
    if parent is None:
        raise BankFormatError(
            f"{where}: field parent: no question {quote(item['parent'])} in bank {quote(bank.id)}"
        )
    index = item["index"]
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        raise BankFormatError(f"{where}: field index: {quote(index)} is not a number from 0")
    if index >= len(parent.follow_ups):
        raise BankFormatError(
            f"{where}: field index: question {quote(parent.id)} has "
            f"{len(parent.follow_ups)} follow-up(s), so there is no index {index}"
        )
    expected_id = f"{parent.id}-fu{index + 1}"
    if item["id"] != expected_id:
        raise BankFormatError(
            f"{where}: field id: {quote(item['id'])} should be {quote(expected_id)}"
        )
    if item["question"] != parent.follow_ups[index]:
        raise BankFormatError(
            f"{source}: follow-up {quote(expected_id)}: field question: not the text of "
            f"{quote(parent.id)}'s follow-up {index} ({quote(parent.follow_ups[index], 80)})"
        )
    question = {key: value for key, value in item.items() if key not in _LINK_FIELDS}
    question.setdefault("category", parent.category)
    return question
