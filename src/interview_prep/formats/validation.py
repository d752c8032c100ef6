"""Check bank data against the published JSON Schema and the rules a schema cannot state.

Every error names where it is: the source file, the question id and the field, so that a person
editing a bank by hand can go straight to the line.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from ..domain.banks import Bank
from ..errors import BankFormatError, InvalidInputError
from ..input_policy import clean_tree, quote, shorten
from .limits import check_question_count

# Schema errors past this many are counted, not described: a bank with a problem in each of its
# thousands of questions should not cost thousands of messages.
MAX_ERRORS = 1000

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

SCHEMA_FILE = "bank.schema.json"


@cache
def bank_schema() -> dict[str, Any]:
    """The JSON Schema of the bank format, as published in the package."""
    text = resources.files("interview_prep.formats").joinpath(SCHEMA_FILE).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _validator() -> Draft202012Validator:
    # jsonschema takes about a quarter of a second to import: only commands that read a bank
    # file pay for it, not every start of the CLI.
    from jsonschema import Draft202012Validator

    schema = bank_schema()
    return Draft202012Validator(_inlined(schema, schema.get("$defs", {})))


def _inlined(node: Any, definitions: dict[str, Any], within: tuple[str, ...] = ()) -> Any:
    """The schema with each local ``$ref`` replaced by the definition it names.

    jsonschema resolves a ``$ref`` on every use: some 8,000 lookups for the bundled bank, which
    made checking it 0.19 s instead of 0.07 s. A ``$ref`` beside other keywords becomes an
    ``allOf``, which applies both as the ``$ref`` did, with the same error messages; one that
    refers back into the definition it is in (``within``) stays a ``$ref``.
    """
    if isinstance(node, list):
        return [_inlined(item, definitions, within) for item in node]
    if not isinstance(node, dict):
        return node
    reference = node.get("$ref")
    name = reference.removeprefix("#/$defs/") if isinstance(reference, str) else None
    if name is None or name == reference or name not in definitions or name in within:
        return {key: _inlined(value, definitions, within) for key, value in node.items()}
    target = _inlined(definitions[name], definitions, (*within, name))
    rest = {key: _inlined(value, definitions, within) for key, value in node.items()}
    del rest["$ref"]
    return {"allOf": [target], **rest} if rest else target


def _where(data: Any, path: list[str | int], source: str) -> str:
    """Say where a schema error is: ``file: question 'x', field key_points[2].text``."""
    parts = [source] if source else []
    if len(path) >= 2 and path[0] == "questions" and isinstance(path[1], int):
        index = path[1]
        question_id = None
        questions = data.get("questions") if isinstance(data, dict) else None
        if isinstance(questions, list) and index < len(questions):
            item = questions[index]
            if isinstance(item, dict):
                question_id = item.get("id")
        label = f"question {quote(question_id)}" if question_id else f"question #{index + 1}"
        parts.append(label)
        path = path[2:]
    field = ""
    for step in path:
        field += f"[{step}]" if isinstance(step, int) else (f".{step}" if field else str(step))
    if field:
        parts.append(f"field {field}")
    return ": ".join(parts) if parts else "bank"


def _describe(error: ValidationError) -> str:
    """One readable sentence; a value is quoted to at most about 200 characters."""
    instance: Any = error.instance
    if error.validator == "additionalProperties":
        schema: Any = error.schema
        known = schema.get("properties", {})
        unknown = sorted(str(key) for key in instance if key not in known)
        return f"unknown field(s): {quote(', '.join(unknown))}"
    if error.validator == "pattern":
        return f"{quote(instance)} must be lower-case words joined by hyphens (like 'my-id')"
    if error.validator == "maxLength":
        return (
            f"{quote(instance, 60)} is {len(instance):,} characters long; "
            f"at most {error.validator_value:,} are allowed"
        )
    if error.validator == "maxItems":
        return f"{len(instance):,} items; at most {error.validator_value:,} are allowed"
    if error.validator in ("oneOf", "anyOf") and isinstance(instance, dict):
        best = min(error.context or [], key=lambda e: len(e.path), default=None)
        if best is not None:
            return _bounded(best.message)
    return _bounded(error.message)


def _bounded(message: str) -> str:
    # jsonschema's messages hold the whole value they are about.
    return shorten(message, 300)


def validate_bank_data(data: Any, source: str = "", *, check_schema: bool = True) -> Bank:
    """Validate parsed bank data and build the bank.

    Args:
        data: what a YAML or JSON bank file parsed to.
        source: the file name, for error messages.
        check_schema: run the JSON Schema. Only the banks shipped with the app skip it: the test
            suite checks them against the schema, and the schema pass is most of a fresh start
            (about 1.5 s of CPU for the bundled bank on this project's 2-core machine).

    Returns:
        The bank.

    Raises:
        BankFormatError: naming the file, question id and field of the first problem found.
    """
    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "nothing"
        raise BankFormatError(
            f"{source or 'bank'}: not a question bank (expected a mapping with id, title and "
            f"questions; found {kind})"
        )
    if "questions" not in data and "id" not in data:
        raise BankFormatError(
            f"{source or 'bank'}: not a question bank (no 'id' or 'questions'; "
            "see the bank format in the README)"
        )
    # The input policy: every string cleaned, every number range-checked, before the schema.
    try:
        data = clean_tree(data)
    except InvalidInputError as error:
        raise BankFormatError(f"{source or 'bank'}: {error.message}") from None
    check_question_count(data, source or "bank")
    if check_schema:
        found = itertools.islice(_validator().iter_errors(data), MAX_ERRORS)
        errors = sorted(found, key=lambda e: list(map(str, e.path)))
        if errors:
            first = errors[0]
            more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
            raise BankFormatError(
                f"{_where(data, list(first.path), source)}: {_describe(first)}{more}"
            )
    try:
        _check_rules(data, source)
        return Bank.from_dict(
            {key: value for key, value in data.items() if key != "question_count"}
        )
    except (KeyError, TypeError, ValueError) as error:
        if check_schema:
            raise
        # Unchecked data that does not fit: the shipped file is broken, so say which.
        raise BankFormatError(
            f"{source or 'bank'}: does not follow the bank format ({quote(error)}); "
            "check it against the schema"
        ) from error


def _check_rules(data: dict[str, Any], source: str) -> None:
    """The rules that need more than one field at a time."""
    questions: list[dict[str, Any]] = data["questions"]
    ids = Counter(item["id"] for item in questions)
    duplicates = sorted(qid for qid, count in ids.items() if count > 1)
    if duplicates:
        raise BankFormatError(
            f"{source or 'bank'}: duplicate question id(s): {quote(', '.join(duplicates))[1:-1]}"
        )
    for item in questions:
        where = f"{source or 'bank'}: question {quote(item['id'])}"
        for related in item.get("related") or ():
            if related not in ids:
                raise BankFormatError(
                    f"{where}: field related: no question {quote(related)} in this bank"
                )
            if related == item["id"]:
                raise BankFormatError(f"{where}: field related: a question cannot relate to itself")
        points = len(item.get("key_points") or ())
        for index, misconception in enumerate(item.get("misconceptions") or ()):
            key_point = misconception.get("key_point")
            if key_point is not None and key_point >= points:
                raise BankFormatError(
                    f"{where}: field misconceptions[{index}].key_point: {key_point} is past the "
                    f"last key point (there are {points})"
                )
        for index, erratum in enumerate(item.get("errata") or ()):
            key_point = erratum.get("key_point")
            if key_point is not None and key_point >= points:
                raise BankFormatError(
                    f"{where}: field errata[{index}].key_point: {key_point} is past the "
                    f"last key point (there are {points})"
                )
            if erratum["quote"] not in item["answer"]:
                raise BankFormatError(
                    f"{where}: field errata[{index}].quote: the quote is not in the model answer "
                    "word for word"
                )
        expected = item.get("expected")
        if (
            expected
            and expected["kind"] == "names"
            and expected.get("required", 1) > len(expected["names"])
        ):
            raise BankFormatError(
                f"{where}: field expected.required: asks for more names than are accepted"
            )


@dataclass(frozen=True)
class Problem:
    """One problem of a question being written: the field (``key_points[1].text``, or ``""`` for
    the question as a whole) and the message, worded as for a bank file."""

    field: str
    message: str


def _field(path: list[str | int]) -> str:
    field = ""
    for step in path:
        field += f"[{step}]" if isinstance(step, int) else (f".{step}" if field else str(step))
    return field


def question_problems(question: dict[str, Any], others: list[dict[str, Any]]) -> list[Problem]:
    """Every schema problem of one question, then the first cross-field one, for a form that
    checks as the user types.

    Args:
        question: the question as a bank file would hold it.
        others: the bank's other questions (already valid), for ids and related questions.
    """
    wrapper = {"id": "bank", "title": "bank", "questions": [question]}
    problems = [
        Problem(_field(list(error.path)[2:]), _describe(error))
        for error in sorted(_validator().iter_errors(wrapper), key=lambda e: list(map(str, e.path)))
    ]
    if problems:
        return problems
    if any(other.get("id") == question["id"] for other in others):
        return [Problem("id", f"the bank already has a question with id {question['id']!r}")]
    try:
        _check_rules({"questions": [question, *others]}, "")
    except BankFormatError as error:
        message = error.message.removeprefix(f"bank: question {question['id']!r}: ")
        field, _, text = message.partition(": ")
        if field.startswith("field "):
            return [Problem(field.removeprefix("field "), text)]
        return [Problem("", message)]
    return []
