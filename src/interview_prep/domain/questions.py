"""Questions and what an interviewer listens for in an answer.

Pure data: dataclasses with ``to_dict``/``from_dict`` so that every format (YAML, JSON, the
database, the API) round-trips through one
shape. Validation of that shape lives in ``interview_prep.formats.validation``.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import Any


class Difficulty(enum.StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class ExpectedKind(enum.StrEnum):
    """How a quick-fire answer is checked."""

    NUMBER = "number"  # a number within a tolerance
    NAMES = "names"  # at least ``required`` names from an accepted set
    EXPANSION = "expansion"  # what an acronym stands for
    TEXT = "text"  # a short phrase, any of several accepted forms


_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def is_slug(value: str) -> bool:
    """True for lower-case words joined by single hyphens, the form of every id."""
    return bool(_SLUG.match(value))


def slugify(text: str, max_words: int = 8) -> str:
    """Turn free text into an id: ``"What is Adam's LR?"`` -> ``"what-is-adam-s-lr"``."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words[:max_words]) or "question"


@dataclass(frozen=True)
class KeyPoint:
    """One statement an interviewer listens for."""

    text: str
    weight: float = 1.0
    terms: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    """Other ways of saying the point, as a candidate might (some in plain words, no key terms)."""
    near_misses: tuple[str, ...] = ()
    """Sentences on the same topic that do not say the point: what must not earn its credit."""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"text": self.text, "weight": self.weight}
        if self.terms:
            data["terms"] = list(self.terms)
        if self.examples:
            data["examples"] = list(self.examples)
        if self.near_misses:
            data["near_misses"] = list(self.near_misses)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> KeyPoint:
        return cls(
            text=data["text"],
            weight=float(data.get("weight", 1.0)),
            terms=tuple(data.get("terms") or ()),
            examples=tuple(data.get("examples") or ()),
            near_misses=tuple(data.get("near_misses") or ()),
        )


@dataclass(frozen=True)
class Misconception:
    """A wrong claim a candidate may make, with its correction.

    ``signals`` are groups of words that, all appearing in one sentence, point to the claim; the
    grader uses them because embeddings cannot tell a claim from its opposite. ``key_point`` is the
    index of the key point the claim gets wrong, if any.
    """

    claim: str
    correction: str
    signals: tuple[tuple[str, ...], ...] = ()
    key_point: int | None = None
    examples: tuple[str, ...] = ()
    """Other ways a candidate says the same wrong claim."""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"claim": self.claim, "correction": self.correction}
        if self.signals:
            data["signals"] = [list(group) for group in self.signals]
        if self.key_point is not None:
            data["key_point"] = self.key_point
        if self.examples:
            data["examples"] = list(self.examples)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Misconception:
        return cls(
            claim=data["claim"],
            correction=data["correction"],
            signals=tuple(tuple(group) for group in data.get("signals") or ()),
            key_point=data.get("key_point"),
            examples=tuple(data.get("examples") or ()),
        )


@dataclass(frozen=True)
class Erratum:
    """Where the model answer itself is wrong or misleading.

    ``quote`` is the passage of the model answer at fault, kept verbatim so that it can be found and
    marked; the answer text is never edited.
    """

    quote: str
    correction: str
    claim: str | None = None
    """The wrong claim as a statement of its own, where the quote alone does not read as one."""
    key_point: int | None = None
    examples: tuple[str, ...] = ()
    """Other ways a candidate repeats the same wrong claim."""

    @property
    def wrong_claim(self) -> str:
        """What a candidate who repeats the error says: the claim, else the quote itself."""
        return self.claim or self.quote

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"quote": self.quote, "correction": self.correction}
        if self.claim:
            data["claim"] = self.claim
        if self.key_point is not None:
            data["key_point"] = self.key_point
        if self.examples:
            data["examples"] = list(self.examples)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Erratum:
        return cls(
            quote=data["quote"],
            correction=data["correction"],
            claim=data.get("claim"),
            key_point=data.get("key_point"),
            examples=tuple(data.get("examples") or ()),
        )


@dataclass(frozen=True)
class AcceptedName:
    """One acceptable name in a ``names`` check, with the other spellings that count as it."""

    name: str
    aliases: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name}
        if self.aliases:
            data["aliases"] = list(self.aliases)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any] | str) -> AcceptedName:
        if isinstance(data, str):
            return cls(name=data)
        return cls(name=data["name"], aliases=tuple(data.get("aliases") or ()))


@dataclass(frozen=True)
class ExpectedAnswer:
    """The exact answer of a quick-fire question and how to check it.

    - ``number``: ``value`` within ``tolerance`` (absolute), optionally with a ``unit``;
    - ``names``: at least ``required`` of ``names``;
    - ``expansion``: ``text`` is what the acronym stands for; ``accept`` lists other forms;
    - ``text``: any of ``accept`` (or ``text``) as a phrase.
    """

    kind: ExpectedKind
    value: float | None = None
    tolerance: float = 0.0
    unit: str | None = None
    names: tuple[AcceptedName, ...] = ()
    required: int = 1
    text: str | None = None
    accept: tuple[str, ...] = ()

    def display(self) -> str:
        """A one-line human form of the expected answer."""
        if self.kind is ExpectedKind.NUMBER:
            number = f"{self.value:g}"
            tolerance = f" (± {self.tolerance:g})" if self.tolerance else ""
            unit = f" {self.unit}" if self.unit else ""
            return f"{number}{unit}{tolerance}"
        if self.kind is ExpectedKind.NAMES:
            listed = ", ".join(name.name for name in self.names)
            return f"any {self.required} of: {listed}"
        return self.text or " / ".join(self.accept)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind.value}
        if self.kind is ExpectedKind.NUMBER:
            data["value"] = self.value
            data["tolerance"] = self.tolerance
            if self.unit:
                data["unit"] = self.unit
        elif self.kind is ExpectedKind.NAMES:
            data["names"] = [name.to_dict() for name in self.names]
            data["required"] = self.required
        else:
            if self.text is not None:
                data["text"] = self.text
        if self.accept:
            data["accept"] = list(self.accept)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExpectedAnswer:
        value = data.get("value")
        return cls(
            kind=ExpectedKind(data["kind"]),
            value=float(value) if value is not None else None,
            tolerance=float(data.get("tolerance", 0.0)),
            unit=data.get("unit"),
            names=tuple(AcceptedName.from_dict(item) for item in data.get("names") or ()),
            required=int(data.get("required", 1)),
            text=data.get("text"),
            accept=tuple(data.get("accept") or ()),
        )


@dataclass(frozen=True)
class Question:
    """A question with its model answer and the rubric an interviewer grades it by."""

    id: str
    category: str
    question: str
    answer: str
    difficulty: Difficulty = Difficulty.MEDIUM
    tags: tuple[str, ...] = ()
    key_points: tuple[KeyPoint, ...] = ()
    misconceptions: tuple[Misconception, ...] = ()
    follow_ups: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    errata: tuple[Erratum, ...] = ()
    expected: ExpectedAnswer | None = None
    references: tuple[str, ...] = field(default=())
    """Extra reference answers, for questions graded without hand-written key points."""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "category": self.category,
            "difficulty": self.difficulty.value,
            "tags": list(self.tags),
            "question": self.question,
            "answer": self.answer,
            "key_points": [point.to_dict() for point in self.key_points],
            "misconceptions": [item.to_dict() for item in self.misconceptions],
            "follow_ups": list(self.follow_ups),
            "related": list(self.related),
            "errata": [item.to_dict() for item in self.errata],
            "expected": self.expected.to_dict() if self.expected else None,
        }
        if self.references:
            data["references"] = list(self.references)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Question:
        """Build a question from already validated data (see :mod:`.validation`)."""
        expected = data.get("expected")
        return cls(
            id=data["id"],
            category=data["category"],
            question=data["question"],
            answer=data["answer"],
            difficulty=Difficulty(data.get("difficulty", "medium")),
            tags=tuple(data.get("tags") or ()),
            key_points=tuple(KeyPoint.from_dict(item) for item in data.get("key_points") or ()),
            misconceptions=tuple(
                Misconception.from_dict(item) for item in data.get("misconceptions") or ()
            ),
            follow_ups=tuple(data.get("follow_ups") or ()),
            related=tuple(data.get("related") or ()),
            errata=tuple(Erratum.from_dict(item) for item in data.get("errata") or ()),
            expected=ExpectedAnswer.from_dict(expected) if expected else None,
            references=tuple(data.get("references") or ()),
        )
