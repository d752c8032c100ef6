"""What the study pages show, gathered from storage: filters, grouped questions, search hits.

Route handlers parse the request into :class:`Filters`, call one function here, and render.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ...domain.questions import Difficulty
from ...errors import InvalidInputError, NotFoundError
from ...storage import repository
from ...storage.database import Database
from ...storage.records import BankSummary, QuestionRecord, SearchHit

SEARCH_PAGE = 30
"""Search hits shown on a bank page: search as you type is for finding a question, not for
paging through results (each hit costs a highlighted snippet)."""
MAX_LISTED = 1000
"""Questions listed on a bank page without search; a larger bank asks for search or filters."""
MAX_QUERY_CHARS = 200
DIFFICULTIES = tuple(level.value for level in Difficulty)


@dataclass(frozen=True)
class Filters:
    """A bank page's view: search text and filters, each ``None`` when not set."""

    q: str | None = None
    category: str | None = None
    difficulty: str | None = None
    tag: str | None = None

    @classmethod
    def parse(
        cls,
        q: str | None = None,
        category: str | None = None,
        difficulty: str | None = None,
        tag: str | None = None,
    ) -> Filters:
        """Blank values mean "not set"; search text is trimmed and cut to a sane length.

        Raises:
            InvalidInputError: a difficulty other than easy, medium or hard.
        """

        def clean(value: str | None) -> str | None:
            value = (value or "").strip()
            return value or None

        level = clean(difficulty)
        if level is not None and level not in DIFFICULTIES:
            raise InvalidInputError(
                f"Unknown difficulty {level!r}: choose {', '.join(DIFFICULTIES)}."
            )
        text = clean(q)
        return cls(
            q=text[:MAX_QUERY_CHARS] if text else None,
            category=clean(category),
            difficulty=level,
            tag=clean(tag),
        )

    @property
    def filtered(self) -> bool:
        """True when a category, difficulty or tag narrows the list."""
        return any((self.category, self.difficulty, self.tag))

    def as_query(self) -> dict[str, str | None]:
        return {
            "q": self.q,
            "category": self.category,
            "difficulty": self.difficulty,
            "tag": self.tag,
        }


def bank_view(db: Database, summary: BankSummary, filters: Filters) -> dict[str, Any]:
    """The context of a bank page: questions grouped by category, or ranked search hits.

    Returns:
        ``groups`` (category and its questions, in the bank's order) or ``hits``, with ``total``
        (how many match), ``shown``, and ``more`` (more match than are shown; for a search,
        ``total`` is then only a lower bound).
    """
    narrowing: dict[str, Any] = {
        "bank": summary.id,
        "category": filters.category,
        "difficulty": filters.difficulty,
        "tag": filters.tag,
    }
    hits: list[SearchHit] | None = None
    groups: list[tuple[str, list[QuestionRecord]]] = []
    if filters.q:
        # One more than shown says whether there are more, without counting every match.
        hits = repository.search(db, filters.q, limit=SEARCH_PAGE + 1, **narrowing)
        more = len(hits) > SEARCH_PAGE
        hits = hits[:SEARCH_PAGE]
        total = shown = len(hits)
    else:
        records = repository.list_questions(db, limit=MAX_LISTED + 1, **narrowing)
        more = len(records) > MAX_LISTED
        records = records[:MAX_LISTED]
        by_category: dict[str, list[QuestionRecord]] = {}
        for record in records:
            by_category.setdefault(record.question.category, []).append(record)
        order = [name for name in summary.categories if name in by_category]
        order += [name for name in by_category if name not in order]
        groups = [(name, by_category[name]) for name in order]
        shown = len(records)
        total = repository.count_questions(db, **narrowing) if more else shown
    return {
        "bank": summary,
        "filters": filters,
        "filtered": filters.filtered,
        "difficulties": DIFFICULTIES,
        "hits": hits,
        "groups": groups,
        "total": total,
        "shown": shown,
        "more": more,
    }


def _normalise(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def question_view(db: Database, record: QuestionRecord, summary: BankSummary) -> dict[str, Any]:
    """The context of a question page: the question, its neighbours, and linked questions.

    A follow-up links to the bank's question of the same wording when there is one.
    """
    question = record.question
    previous, following = (None, None) if record.retired else repository.neighbours(db, record)
    related: list[QuestionRecord] = []
    for question_id in question.related:
        try:
            related.append(repository.get_question(db, question_id, bank=record.bank_id))
        except NotFoundError:
            continue
    follow_ups: list[tuple[str, QuestionRecord | None]] = []
    if question.follow_ups:
        by_text = {
            _normalise(other.question.question): other
            for other in repository.list_questions(db, bank=record.bank_id)
        }
        follow_ups = [(text, by_text.get(_normalise(text))) for text in question.follow_ups]
    return {
        "bank": summary,
        "record": record,
        "previous": previous,
        "next": following,
        "related": related,
        "follow_ups": follow_ups,
    }
