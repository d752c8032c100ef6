"""In-process caches for the pages that are read far more often than banks change.

The banks' summaries (title, counts, categories, tags, version) are re-read only when the
database's bank revision changes: a one-row query (:func:`repository.banks_revision`), itself made
at most once per ``ttl`` seconds and at once when an unknown bank is asked for. Reading every
summary aggregates every question, which takes seconds on a bank of 100,000 questions.

A rendered page is kept with the summary it was rendered from and served only while that summary
is unchanged, so an import or a new bank version (even by another process, through the CLI)
shows within ``ttl``.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from ..errors import NotFoundError
from ..storage import repository
from ..storage.database import Database
from ..storage.records import BankSummary, QuestionRecord


class BankCatalog:
    """Every bank's summary, re-read when a bank changes."""

    def __init__(
        self, db: Database, ttl: float = 0.5, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._db = db
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._banks: dict[str, BankSummary] = {}
        self._revision: Hashable = None
        self._checked_at: float | None = None

    def _refresh(self, force: bool) -> dict[str, BankSummary]:
        checked = self._checked_at
        if not force and checked is not None and self._clock() - checked < self._ttl:
            return self._banks
        with self._lock:
            # Another thread may have checked while this one waited.
            checked = self._checked_at
            if force or checked is None or self._clock() - checked >= self._ttl:
                revision = repository.banks_revision(self._db)
                if revision != self._revision or checked is None:
                    summaries = repository.list_banks(self._db)
                    self._banks = {summary.id: summary for summary in summaries}
                    self._revision = revision
                self._checked_at = self._clock()
            return self._banks

    def all(self) -> list[BankSummary]:
        return list(self._refresh(force=False).values())

    def get(self, bank_id: str) -> BankSummary:
        """One bank's summary.

        Raises:
            NotFoundError: no bank has this id.
        """
        summary = self._refresh(force=False).get(bank_id)
        if summary is None:
            summary = self._refresh(force=True).get(bank_id)
        if summary is None:
            raise NotFoundError(f"There is no question bank {bank_id!r}.")
        return summary

    def revision(self) -> Hashable:
        """The database's bank revision as last checked: it changes with any bank."""
        self._refresh(force=False)
        return self._revision

    def invalidate(self) -> None:
        with self._lock:
            self._checked_at = None
            self._revision = None


class PageCache:
    """Rendered pages of a bank, least recently used dropped first."""

    def __init__(self, max_entries: int = 512) -> None:
        self._max = max_entries
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[str, Hashable], tuple[BankSummary, str]] = OrderedDict()

    def get(self, summary: BankSummary, key: Hashable) -> str | None:
        with self._lock:
            entry = self._entries.get((summary.id, key))
            if entry is None or entry[0] != summary:
                return None
            self._entries.move_to_end((summary.id, key))
            return entry[1]

    def put(self, summary: BankSummary, key: Hashable, page: str) -> None:
        with self._lock:
            self._entries[(summary.id, key)] = (summary, page)
            self._entries.move_to_end((summary.id, key))
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def get_or_render(self, summary: BankSummary, key: Hashable, render: Callable[[], str]) -> str:
        page = self.get(summary, key)
        if page is None:
            page = render()
            self.put(summary, key, page)
        return page

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


@dataclass(frozen=True)
class QuestionSet:
    """Every current question, in bank order, and each by ``(bank id, question id)``."""

    records: list[QuestionRecord]
    by_key: dict[tuple[str, str], QuestionRecord]

    @classmethod
    def of(cls, records: list[QuestionRecord]) -> QuestionSet:
        return cls(records, {(record.bank_id, record.question.id): record for record in records})


class CurrentQuestions:
    """Every current question of every bank: what the practice queue draws from.

    Re-read only when the bank revision changes (the catalog checks it every ``ttl``), so the
    practice pages do not parse every question on every request.
    """

    def __init__(self, db: Database, banks: BankCatalog) -> None:
        self._db = db
        self._banks = banks
        self._lock = threading.Lock()
        self._revision: Hashable = None
        self._questions: QuestionSet | None = None

    def get(self) -> QuestionSet:
        revision = self._banks.revision()
        with self._lock:
            if self._questions is None or revision != self._revision:
                self._questions = QuestionSet.of(repository.list_questions(self._db))
                self._revision = revision
            return self._questions
