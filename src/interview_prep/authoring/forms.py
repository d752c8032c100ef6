"""The question form: its fields to a question as a bank file holds it, and back.

Lists (key points, misconceptions, errata) are repeated fields read in order, so a page can add,
drop and reorder rows without renumbering anything; a row left wholly blank is no row. What the
form does not edit (a key point's examples and near misses, a misconception's signals, a
question's related questions and references) travels in a hidden ``*-extra`` field as JSON, so
a save keeps it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..domain.questions import Question

QUESTION_FIELDS = ("id", "question", "answer", "category", "difficulty")
_SPLIT_WORDS = re.compile(r"[\s,]+")


class FormData(Mapping[str, str]):
    """Form fields as the web layer received them: one value per name, or all of them."""

    def __init__(self, fields: Sequence[tuple[str, str]]) -> None:
        self._fields = list(fields)

    def __getitem__(self, key: str) -> str:
        for name, value in self._fields:
            if name == key:
                return value
        raise KeyError(key)

    def __iter__(self) -> Any:
        return iter(dict(self._fields))

    def __len__(self) -> int:
        return len(dict(self._fields))

    def getlist(self, key: str) -> list[str]:
        return [value for name, value in self._fields if name == key]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _number(text: str) -> Any:
    """A number when the text is one; else the text itself, so the schema names the problem."""
    text = text.strip()
    try:
        return float(text) if any(mark in text for mark in ".eE") else int(text)
    except ValueError:
        return text


def _extra(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def _rows(form: FormData, prefix: str, names: Sequence[str]) -> list[dict[str, str]]:
    columns = {name: form.getlist(f"{prefix}-{name}") for name in (*names, "extra")}
    count = max((len(values) for values in columns.values()), default=0)
    rows = []
    for index in range(count):
        row = {
            name: (values[index] if index < len(values) else "") for name, values in columns.items()
        }
        if any(row[name].strip() for name in names):
            rows.append(row)
    return rows


def question_data(form: FormData) -> dict[str, Any]:
    """The question the form describes, as a bank file would hold it (not yet validated)."""
    data: dict[str, Any] = {name: form.get(name, "").strip() for name in QUESTION_FIELDS}
    data["tags"] = [tag for tag in _SPLIT_WORDS.split(form.get("tags", "").strip()) if tag]
    key_points = []
    for row in _rows(form, "kp", ("text", "weight", "terms")):
        point: dict[str, Any] = {**_extra(row["extra"]), "text": row["text"].strip()}
        point["weight"] = _number(row["weight"]) if row["weight"].strip() else 1.0
        terms = [term.strip() for term in row["terms"].split(",") if term.strip()]
        if terms:
            point["terms"] = terms
        else:
            point.pop("terms", None)
        key_points.append(point)
    data["key_points"] = key_points
    data["misconceptions"] = [
        {
            **_extra(row["extra"]),
            "claim": row["claim"].strip(),
            "correction": row["correction"].strip(),
        }
        for row in _rows(form, "mc", ("claim", "correction"))
    ]
    data["errata"] = [
        {
            **_extra(row["extra"]),
            "quote": row["quote"].strip(),
            "correction": row["correction"].strip(),
        }
        for row in _rows(form, "er", ("quote", "correction"))
    ]
    data["follow_ups"] = _lines(form.get("follow_ups", ""))
    data["expected"] = _expected(form)
    data.update(_extra(form.get("extra", "")))
    return data


def _expected(form: FormData) -> dict[str, Any] | None:
    kind = form.get("exp-kind", "").strip()
    if not kind:
        return None
    expected: dict[str, Any] = {"kind": kind}
    if kind == "number":
        expected["value"] = _number(form.get("exp-value", ""))
        tolerance = form.get("exp-tolerance", "").strip()
        expected["tolerance"] = _number(tolerance) if tolerance else 0.0
        if form.get("exp-unit", "").strip():
            expected["unit"] = form.get("exp-unit", "").strip()
    elif kind == "names":
        names = []
        for line in _lines(form.get("exp-names", "")):
            name, _, aliases = line.partition("|")
            listed = [alias.strip() for alias in aliases.split(",") if alias.strip()]
            names.append({"name": name.strip(), **({"aliases": listed} if listed else {})})
        expected["names"] = names
        required = form.get("exp-required", "").strip()
        expected["required"] = _number(required) if required else 1
    elif form.get("exp-text", "").strip():
        expected["text"] = form.get("exp-text", "").strip()
    accept = _lines(form.get("exp-accept", ""))
    if accept:
        expected["accept"] = accept
    return expected


@dataclass(frozen=True)
class QuestionForm:
    """What the question form shows: the fields' values, and the rows of each list."""

    values: dict[str, str]
    key_points: list[dict[str, str]] = field(default_factory=list)
    misconceptions: list[dict[str, str]] = field(default_factory=list)
    errata: list[dict[str, str]] = field(default_factory=list)


def _without(data: dict[str, Any], *names: str) -> str:
    rest = {key: value for key, value in data.items() if key not in names}
    return json.dumps(rest, ensure_ascii=False) if rest else ""


def form_of(data: dict[str, Any]) -> QuestionForm:
    """The form for a question (a stored one's ``to_dict()``, or what a user typed)."""
    expected = data.get("expected") or {}
    values = {name: str(data.get(name) or "") for name in QUESTION_FIELDS}
    values["difficulty"] = values["difficulty"] or "medium"
    values["tags"] = ", ".join(data.get("tags") or ())
    values["follow_ups"] = "\n".join(data.get("follow_ups") or ())
    values["extra"] = (
        json.dumps(
            {key: data[key] for key in ("related", "references") if data.get(key)},
            ensure_ascii=False,
        )
        if any(data.get(key) for key in ("related", "references"))
        else ""
    )
    values["exp-kind"] = str(expected.get("kind") or "")
    values["exp-value"] = "" if expected.get("value") is None else f"{expected['value']:g}"
    values["exp-tolerance"] = f"{expected['tolerance']:g}" if expected.get("tolerance") else ""
    values["exp-unit"] = str(expected.get("unit") or "")
    values["exp-text"] = str(expected.get("text") or "")
    values["exp-accept"] = "\n".join(expected.get("accept") or ())
    values["exp-names"] = "\n".join(
        (
            name
            if isinstance(name, str)
            else name["name"] + (" | " + ", ".join(name["aliases"]) if name.get("aliases") else "")
        )
        for name in expected.get("names") or ()
    )
    values["exp-required"] = str(expected.get("required") or "") if expected.get("names") else ""
    key_points = [
        {
            "text": str(point.get("text", "")),
            "weight": f"{point['weight']:g}"
            if isinstance(point.get("weight"), int | float)
            else str(point.get("weight", "")),
            "terms": ", ".join(point.get("terms") or ()),
            "extra": _without(point, "text", "weight", "terms"),
        }
        for point in data.get("key_points") or ()
    ]
    misconceptions = [
        {
            "claim": str(item.get("claim", "")),
            "correction": str(item.get("correction", "")),
            "extra": _without(item, "claim", "correction"),
        }
        for item in data.get("misconceptions") or ()
    ]
    errata = [
        {
            "quote": str(item.get("quote", "")),
            "correction": str(item.get("correction", "")),
            "extra": _without(item, "quote", "correction"),
        }
        for item in data.get("errata") or ()
    ]
    return QuestionForm(values, key_points, misconceptions, errata)


def blank_form(category: str = "") -> QuestionForm:
    return form_of({"category": category, "difficulty": "medium"})


def question_of(data: dict[str, Any]) -> Question:
    """A validated question's dict as a :class:`Question`."""
    return Question.from_dict(data)
