"""What the storage functions return: plain frozen dataclasses, never ORM objects.

Callers (web, CLI) can keep these after the session is gone and pass them between threads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ..domain import Question


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
