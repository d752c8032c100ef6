"""In-process caches for the pages that are read far more often than banks change.

A bank's summary (title, counts, categories, tags, version) is re-read from the database at most
once per ``ttl`` seconds, and at once when an unknown bank is asked for. A rendered page is kept
with the summary it was rendered from and served only while that summary is unchanged, so an
import or a new bank version (even by another process, through the CLI) shows within ``ttl``.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

from ..errors import NotFoundError
from ..storage import repository
from ..storage.database import Database
from ..storage.records import BankSummary


class BankCatalog:
    """Every bank's summary, refreshed lazily."""

    def __init__(
        self, db: Database, ttl: float = 1.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._db = db
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._banks: dict[str, BankSummary] = {}
        self._fetched_at: float | None = None

    def _refresh(self, force: bool) -> dict[str, BankSummary]:
        now = self._clock()
        fresh = self._fetched_at is not None and now - self._fetched_at < self._ttl
        if fresh and not force:
            return self._banks
        with self._lock:
            # Another thread may have refreshed while this one waited.
            if self._fetched_at is None or self._clock() - self._fetched_at >= self._ttl or force:
                self._banks = {summary.id: summary for summary in repository.list_banks(self._db)}
                self._fetched_at = self._clock()
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

    def invalidate(self) -> None:
        with self._lock:
            self._fetched_at = None


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
