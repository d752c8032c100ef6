"""Choosing what a session practises, beyond the schedule: a list of questions, and "my weakest".

Pure functions over the questions and the user's history. A question list is what a user types
(ids, or ``bank/id`` where an id is in several banks); "my weakest" ranks the questions the user
has answered by :mod:`.mastery`, lowest first, whether FSRS has them due or not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from ..errors import InvalidInputError
from .attempts import QuestionRef
from .mastery import Mastery
from .queue import Candidate, QueueFilter, QueueItem, QueueReason

MAX_LISTED = 100
"""Questions a list may name (a session holds at most as many)."""


def parse_question_list(text: str, known: Iterable[QuestionRef]) -> tuple[QuestionRef, ...]:
    """Read a list of questions, one per line or separated by commas or spaces.

    Each entry is a question id, or ``bank/id`` when the id is in several banks. Repeats are
    dropped, the order kept.

    Raises:
        InvalidInputError: an entry that names no question or several, or too many entries.
    """
    entries = [entry for entry in re.split(r"[\s,;]+", text) if entry]
    if len(entries) > MAX_LISTED:
        raise InvalidInputError(
            f"a question list can name at most {MAX_LISTED} questions, not {len(entries)}"
        )
    by_id: dict[str, list[QuestionRef]] = {}
    refs = set()
    for ref in known:
        by_id.setdefault(ref.question_id, []).append(ref)
        refs.add(ref)
    chosen: dict[QuestionRef, None] = {}
    unknown = []
    for entry in entries:
        if "/" in entry:
            try:
                ref = QuestionRef.parse(entry)
            except ValueError:
                unknown.append(entry)
                continue
            if ref not in refs:
                unknown.append(entry)
                continue
            chosen[ref] = None
            continue
        found = by_id.get(entry, [])
        if not found:
            unknown.append(entry)
        elif len(found) > 1:
            banks = ", ".join(sorted(f"{ref.bank_id}/{entry}" for ref in found))
            raise InvalidInputError(f"question {entry!r} is in several banks: write {banks}")
        else:
            chosen[found[0]] = None
    if unknown:
        names = ", ".join(repr(entry) for entry in unknown[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        raise InvalidInputError(f"no question {names}{more}: use the ids shown on question pages")
    return tuple(chosen)


def weakest(
    candidates: Sequence[Candidate],
    mastery: Mapping[QuestionRef, Mastery],
    *,
    where: QueueFilter | None = None,
    limit: int | None = None,
) -> tuple[QueueItem, ...]:
    """The answered questions matching ``where``, lowest mastery first (due or not).

    Questions never graded have no mastery and are left out: "weakest" is about what the user
    has tried. Ties keep the candidates' order (bank order).
    """
    where = where or QueueFilter()
    known = [c for c in candidates if where.matches(c) and c.question in mastery]
    ranked = sorted(known, key=lambda c: mastery[c.question].value)
    items = tuple(QueueItem(c, QueueReason.WEAK) for c in ranked)
    return items if limit is None else items[:limit]


__all__ = ["MAX_LISTED", "parse_question_list", "weakest"]
