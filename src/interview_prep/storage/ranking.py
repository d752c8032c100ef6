"""Ranking search matches inside the database, one page at a time.

The order, on both databases:

1. by where the words are: first the questions whose own text has every word searched for, then
   those whose question, key points and tags have them all, then the rest (some word is only in
   the model answer);
2. within each of these groups by the database's relevance score: on SQLite FTS5's ``bm25``
   over the group's columns (weighted as in :mod:`.fulltext`), on PostgreSQL ``ts_rank`` over the
   question, key points and tags;
3. then by bank and position, so that equal scores still give stable pages.

Rule 1 is what keeps a common word fast. Scoring a match costs reading it, and a word found in
a third of 100,000 questions has some 30,000 matches; but it is in the text of only a few
thousand questions, which a narrower query finds (an FTS5 column filter, an index on a small
vector of the question). While the first groups fill the page, the others are never scored:
each attempt adds one group, and the last ranks every match.

A rank is one number, higher better: ``group - 1 / (1 + score)`` with ``group`` 3, 2 or 1, so
the groups' ranks fall in [2, 3), [1, 2) and [0, 1).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..domain import Difficulty
from ..errors import InvalidInputError
from .fulltext import SQLITE_WEIGHTS, SearchQuery

Execute = Callable[[str, dict[str, Any]], Iterable[Sequence[Any]]]
"""Runs one SQL statement with ``:named`` values and gives its rows: a SQLAlchemy session's
(:func:`.repository.session_execute`) or a ``sqlite3`` connection's (:mod:`.readers`)."""


@dataclass(frozen=True)
class _Group:
    rank: float
    fts5_columns: tuple[str, ...] | None
    """SQLite: the FTS5 columns that must hold every word (``None``: any column)."""
    vector: str
    """PostgreSQL: the tsvector column that must match."""


GROUPS = (
    _Group(3.0, ("question",), "search_vector_question"),
    _Group(2.0, ("question", "key_points_text", "tags_text"), "search_vector_summary"),
    _Group(1.0, None, "search_vector"),
)

_BM25 = f"bm25(questions_fts, {', '.join(str(weight) for weight in SQLITE_WEIGHTS)})"
# bm25() is negative, better when lower; ts_rank() is positive, better when higher.
_SQLITE_RANK = "{group} - 1.0 / (1.0 - " + _BM25 + ")"
_POSTGRESQL_RANK = (
    "{group} - 1.0 / (1.0 + CAST(ts_rank(q.search_vector_summary, query) AS double precision))"
)
# Each match is looked up in this narrow index (filters and ordering only), never in the wide
# table rows; the matches come first (CROSS JOIN fixes the order): SQLite otherwise may walk a
# bank's questions and run the full-text query once for each of them.
_SQLITE_JOIN = "CROSS JOIN questions AS q INDEXED BY ix_questions_search_filters"
_PAGE = "ORDER BY search_rank DESC, q.bank_id, q.position\nLIMIT :limit OFFSET :offset"


def _sqlite_matches(index: int) -> str:
    """SQL for ``(pk, rank)`` of the matches of the groups up to ``index``, as ``{where}``."""

    def matches(group: int) -> str:
        rank = _SQLITE_RANK.format(group=GROUPS[group].rank)
        return (
            f"SELECT rowid AS pk, {rank} AS rank "
            f"FROM questions_fts WHERE questions_fts MATCH :match_{group}"
        )

    # The better groups' matches are found once, and each match takes its best group's rank.
    earlier = range(index)
    with_ = ", ".join(f"group_{group} AS MATERIALIZED ({matches(group)})" for group in earlier)
    ranks = [f"group_{group}.rank" for group in earlier] + ["m.rank"]
    best = f"coalesce({', '.join(ranks)})" if len(ranks) > 1 else ranks[0]
    joins = "".join(f"LEFT JOIN group_{g} ON group_{g}.pk = m.pk\n" for g in earlier)
    return (
        (f"WITH {with_}\n" if with_ else "")
        + f"SELECT m.pk, {best} AS search_rank\n"
        + f"FROM ({matches(index)}) AS m\n{_SQLITE_JOIN}\n{joins}"
        + "WHERE q.pk = m.pk AND {where}\n"
        + _PAGE
    )


def _postgresql_matches(index: int) -> str:
    """SQL for ``(pk, rank)`` of the matches of the groups up to ``index``, as ``{where}``."""
    cases = " ".join(
        f"WHEN q.{GROUPS[group].vector} @@ query THEN {GROUPS[group].rank}"
        for group in range(index)
    )
    group = f"CASE {cases} ELSE {GROUPS[index].rank} END" if cases else str(GROUPS[index].rank)
    return (
        f"SELECT q.pk, {_POSTGRESQL_RANK.format(group=group)} AS search_rank\n"
        "FROM questions AS q, to_tsquery('english', :match) AS query\n"
        f"WHERE q.{GROUPS[index].vector} @@ query AND {{where}}\n" + _PAGE
    )


_SQLITE_COUNT = f"""
SELECT count(*)
FROM (SELECT rowid AS pk FROM questions_fts WHERE questions_fts MATCH :match) AS m
{_SQLITE_JOIN}
WHERE q.pk = m.pk AND {{where}}
"""
_POSTGRESQL_COUNT = """
SELECT count(*)
FROM questions AS q, to_tsquery('english', :match) AS query
WHERE q.search_vector @@ query AND {where}
"""
_STATEMENTS = {
    "sqlite": [_sqlite_matches(index) for index in range(len(GROUPS))],
    "postgresql": [_postgresql_matches(index) for index in range(len(GROUPS))],
}


@dataclass(frozen=True)
class Narrowing:
    """The filters of a search, checked already; ``None`` does not filter."""

    bank: str | None = None
    category: str | None = None
    difficulty: str | None = None
    tag: str | None = None

    @classmethod
    def checked(
        cls,
        bank: str | None = None,
        category: str | None = None,
        difficulty: str | Difficulty | None = None,
        tag: str | None = None,
    ) -> Narrowing:
        """The filters as given by a caller, the difficulty checked.

        Raises:
            InvalidInputError: an unknown difficulty.
        """
        level = checked_difficulty(difficulty) if difficulty is not None else None
        return cls(bank=bank, category=category, difficulty=level, tag=tag)

    def where(self, dialect: str) -> tuple[str, dict[str, Any]]:
        """The SQL condition on the question ``q`` (retired ones never match), and its values."""
        clauses = ["q.retired = 0" if dialect == "sqlite" else "NOT q.retired"]
        values: dict[str, Any] = {}
        for column, value in (
            ("bank_id", self.bank),
            ("category", self.category),
            ("difficulty", self.difficulty),
        ):
            if value is not None:
                clauses.append(f"q.{column} = :{column}")
                values[column] = value
        if self.tag is not None:
            clauses.append(
                "EXISTS (SELECT 1 FROM question_tags AS t"
                " WHERE t.question_pk = q.pk AND t.tag = :tag)"
            )
            values["tag"] = self.tag
        return " AND ".join(clauses), values


def checked_difficulty(difficulty: str | Difficulty) -> str:
    """The difficulty's value, or a readable error naming the choices."""
    try:
        return Difficulty(difficulty).value
    except ValueError:
        choices = ", ".join(level.value for level in Difficulty)
        raise InvalidInputError(f"difficulty {difficulty!r} is not one of: {choices}") from None


def _prepare(execute: Execute, dialect: str) -> None:
    if dialect == "postgresql":
        # The planner prices a match against search_vector as cheap, but reading that vector
        # (long, stored compressed out of line) for every row is not: when many rows match it
        # prefers a scan of the whole table, some twenty times slower than the GIN index.
        execute("SET LOCAL enable_seqscan = off", {})


def ranked_page(
    execute: Execute,
    dialect: str,
    query: SearchQuery,
    narrowing: Narrowing,
    *,
    limit: int | None,
    offset: int = 0,
) -> list[tuple[int, float]]:
    """One page of the questions matching ``query`` and ``narrowing``, best first.

    Args:
        execute: runs the statements, inside the caller's transaction.
        limit: at most this many (``None``: all of them from ``offset`` on).
        offset: how many to skip; neither may be negative.

    Returns:
        ``(pk, rank)`` pairs, in order.
    """
    _prepare(execute, dialect)
    where, values = narrowing.where(dialect)
    values["limit"] = -1 if limit is None and dialect == "sqlite" else limit
    values["offset"] = offset
    if dialect == "sqlite":
        for index, group in enumerate(GROUPS):
            values[f"match_{index}"] = query.fts5(group.fts5_columns)
    else:
        values["match"] = query.tsquery()
    statements = _STATEMENTS[dialect]
    # The groups come in rank order, so a page filled by the first groups is final.
    first = 0 if limit is not None else len(statements) - 1
    for statement in statements[first:]:
        page = [
            (int(pk), float(rank)) for pk, rank in execute(statement.format(where=where), values)
        ]
        if len(page) == limit:
            break
    return page


def count_matches(execute: Execute, dialect: str, query: SearchQuery, narrowing: Narrowing) -> int:
    """How many questions match ``query`` and ``narrowing``: a count, nothing ranked."""
    _prepare(execute, dialect)
    where, values = narrowing.where(dialect)
    if dialect == "sqlite":
        statement, values["match"] = _SQLITE_COUNT, query.fts5()
    else:
        statement, values["match"] = _POSTGRESQL_COUNT, query.tsquery()
    ((count,),) = execute(statement.format(where=where), values)
    return int(count)
