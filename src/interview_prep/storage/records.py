"""What the storage functions return: plain frozen dataclasses, never ORM objects.

Callers (web, CLI) can keep these after the session is gone and pass them between threads.
The functions at the end build them from rows, and give the values a bank's rows are written
with.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from ..domain import Bank, Question
from ..errors import BankFormatError, ConflictError, InvalidInputError, NotFoundError


@dataclass(frozen=True)
class BankSummary:
    """A bank as listed: its details and what it holds, counting only current questions."""

    id: str
    title: str
    role: str
    description: str
    version: int
    bundled: bool
    question_count: int
    categories: dict[str, int] = field(default_factory=dict)
    """Questions per category, in the bank's display order."""
    tags: list[str] = field(default_factory=list)
    """Every tag used in the bank, sorted."""


@dataclass(frozen=True)
class QuestionRecord:
    """A stored question, with the bank it belongs to and its place there."""

    bank_id: str
    position: int
    question: Question
    retired: bool = False
    """Dropped by a later version of its bank: hidden from listings and search, but still
    reachable by id so that past attempts can show it."""

    @property
    def id(self) -> str:
        return self.question.id

    @property
    def ref(self) -> str:
        """``bank/id``: the question's unambiguous reference, accepted by ``get_question``."""
        return f"{self.bank_id}/{self.question.id}"

    def to_dict(self) -> dict[str, Any]:
        return {**self.question.to_dict(), "bank": self.bank_id}


@dataclass(frozen=True)
class SearchHit:
    """A search result, best first. ``snippet`` is safe HTML: escaped text with the matched words
    in ``<mark>``."""

    record: QuestionRecord
    rank: float
    snippet: str


@dataclass(frozen=True)
class ImportResult:
    """What an import stored."""

    bank_id: str
    questions: int
    replaced: bool


SyncAction = Literal["added", "updated", "unchanged", "skipped"]


@dataclass(frozen=True)
class BundledSync:
    """What starting the app did to one bundled bank. ``skipped``: a user's own bank has its id,
    or the user deleted the bundled bank."""

    bank_id: str
    action: SyncAction
    version: int


# From rows to records. Both readers of the database build their records here: the ORM
# (:mod:`.repository`) and the CLI's plain ``sqlite3`` path (:mod:`.readers`), whose rows
# are named tuples with the same fields; so the two cannot drift apart in what they return.


class BankFields(Protocol):
    """What a bank's row gives (``BankRow``, or a tuple of the same names)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def bundled(self) -> bool: ...
    @property
    def categories(self) -> list[str]: ...


class QuestionFields(Protocol):
    """What a question's row gives (``QuestionRow``, or a tuple of the same names)."""

    @property
    def bank_id(self) -> str: ...
    @property
    def position(self) -> int: ...
    @property
    def rubric(self) -> dict[str, Any]: ...
    @property
    def retired(self) -> bool: ...


def question_record(row: QuestionFields) -> QuestionRecord:
    """The record of a question's row."""
    return QuestionRecord(
        bank_id=row.bank_id,
        position=row.position,
        question=Question.from_dict(row.rubric),
        retired=row.retired,
    )


def bank_summaries(
    banks: Iterable[BankFields],
    per_category: Iterable[Sequence[Any]],
    tag_rows: Iterable[Sequence[Any]],
) -> list[BankSummary]:
    """Every bank, by title, with its current questions counted per category.

    Args:
        per_category: ``(bank_id, category, count, first position)`` of current questions.
        tag_rows: ``(bank_id, tag)``, once each, of current questions.
    """
    counts: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for bank_id, category, count, first in per_category:
        counts[bank_id].append((category, count, first))
    tags: dict[str, set[str]] = defaultdict(set)
    for bank_id, tag in tag_rows:
        tags[bank_id].add(tag)
    # Sorted here rather than in SQL: collations differ between databases and locales.
    ordered = sorted(banks, key=lambda bank: (bank.title.casefold(), bank.id))
    return [_summary(bank, counts[bank.id], sorted(tags[bank.id])) for bank in ordered]


def _summary(bank: BankFields, counts: list[tuple[str, int, int]], tags: list[str]) -> BankSummary:
    declared = {name: index for index, name in enumerate(bank.categories)}
    # Declared categories in their order, then the others in order of first use.
    ordered = sorted(counts, key=lambda item: (declared.get(item[0], len(declared)), item[2]))
    return BankSummary(
        id=bank.id,
        title=bank.title,
        role=bank.role,
        description=bank.description,
        version=bank.version,
        bundled=bank.bundled,
        question_count=sum(count for _, count, _ in counts),
        categories={name: count for name, count, _ in ordered},
        tags=tags,
    )


def whole_bank(bank: BankFields, questions: Iterable[QuestionFields]) -> Bank:
    """The bank of a bank's row and its current questions' rows, in order."""
    return Bank(
        id=bank.id,
        title=bank.title,
        role=bank.role,
        description=bank.description,
        version=bank.version,
        categories=tuple(bank.categories),
        questions=tuple(Question.from_dict(row.rubric) for row in questions),
    )


def split_reference(question_id: str, bank: str | None) -> tuple[str, str | None]:
    """``(question id, bank)`` of an id that may be written ``bank/id``."""
    if bank is None and "/" in question_id:
        bank, question_id = question_id.split("/", 1)
    return question_id, bank


def the_question(
    rows: Sequence[QuestionFields], question_id: str, bank: str | None
) -> QuestionRecord:
    """The one question that a lookup by id found, in bank order (a current question wins over
    retired ones).

    Raises:
        NotFoundError: no rows.
        InvalidInputError: the id exists in several banks and no bank was given.
    """
    if len(rows) > 1:
        rows = [row for row in rows if not row.retired] or rows
    if not rows:
        where = f" in bank {bank!r}" if bank is not None else ""
        raise NotFoundError(f"no question {question_id!r}{where}")
    if len(rows) > 1:
        banks = ", ".join(row.bank_id for row in rows)
        raise InvalidInputError(
            f"question {question_id!r} is in several banks ({banks}): "
            f"give the bank, as in {rows[0].bank_id}/{question_id}"
        )
    return question_record(rows[0])


# From a bank to its rows. Both writers of a bank store these values: the ORM
# (:mod:`.bank_writer`) and the CLI's plain ``sqlite3`` path for imports (:mod:`.writers`).


def bank_columns(bank: Bank) -> dict[str, Any]:
    """The columns of a bank's row that the bank itself gives (not its flags, hash or times)."""
    return {
        "title": bank.title,
        "role": bank.role,
        "description": bank.description,
        "version": bank.version,
        "categories": bank.ordered_categories(),
    }


def question_columns(question: Question, position: int) -> dict[str, Any]:
    """The columns of a question's row, current (not retired) at ``position`` in its bank."""
    return {
        "position": position,
        "category": question.category,
        "difficulty": question.difficulty.value,
        "question": question.question,
        "answer": question.answer,
        "key_points_text": "\n".join(point.text for point in question.key_points),
        "tags_text": " ".join(question.tags),
        "rubric": question.to_dict(),
        "retired": False,
    }


def question_tags(question: Question) -> list[str]:
    """The question's tag rows' tags: each tag once, in order."""
    return list(dict.fromkeys(question.tags))


def check_question_ids(bank: Bank) -> None:
    """Check that a bank can be stored: its question ids are its rows' keys.

    Raises:
        BankFormatError: two questions share an id (the first one repeated is named).
    """
    seen: set[str] = set()
    for question in bank.questions:
        if question.id in seen:
            raise BankFormatError(f"bank {bank.id!r}: duplicate question id {question.id!r}")
        seen.add(question.id)


def bank_taken(bank_id: str) -> ConflictError:
    """The error of an import, without replace, of a bank whose id is stored."""
    return ConflictError(
        f"a bank with id {bank_id!r} already exists: delete it first, or import with replace"
    )


def unstorable_bank(bank_id: str, reason: object) -> BankFormatError:
    """The error of a bank that the database refuses (``reason``: the driver's error)."""
    return BankFormatError(f"bank {bank_id!r} cannot be stored: {reason}")
