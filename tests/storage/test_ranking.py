"""Search ranking done inside the database a page at a time, checked against a plain reference.

The reference ranks every match the simplest way: one query per group of ``ranking.GROUPS`` for
all of its matches and their scores, the filters applied in Python, then sorted and sliced. The
app's queries stop at the first groups that fill the page; both must give the same pages.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, text

from interview_prep.domain import Bank, Difficulty, KeyPoint, Question
from interview_prep.storage import (
    Database,
    count_questions,
    import_bank,
    list_questions,
    open_database,
    search,
)
from interview_prep.storage.fulltext import SQLITE_WEIGHTS, parse_query
from interview_prep.storage.ranking import GROUPS

# Bank ids that sort alike in Python and under any PostgreSQL collation.
BANKS = ("alpha", "beta", "gamma")
CATEGORIES = ("Fundamentals", "Deep dive", "Scenarios")
TAGS = ("optimisation", "deep-networks", "statistics", "language")
# Words of the questions; key points and answers add others, so that some words are never in
# a question, and some only ever in answers.
QUESTION_WORDS = (
    *("gradient", "descent", "learning", "rate", "network", "layer", "batch", "normalisation"),
    *("dropout", "overfitting", "variance", "bias", "loss", "cross", "entropy", "attention"),
)
KEY_POINT_WORDS = (*QUESTION_WORDS, "momentum", "regularisation")
ANSWER_WORDS = (*KEY_POINT_WORDS, "backpropagation", "tokens")


def generated_bank(bank_id: str, size: int, seed: int) -> Bank:
    """``size`` questions of random words: many share the common words, in every column."""
    rng = random.Random(seed)

    def words(vocabulary: tuple[str, ...], count: int) -> str:
        return " ".join(rng.choices(vocabulary, k=count))

    questions = tuple(
        Question(
            id=f"q{number}",
            category=CATEGORIES[number % len(CATEGORIES)],
            difficulty=list(Difficulty)[number % 3],
            tags=tuple(rng.sample(TAGS, k=1 + number % 2)),
            question=f"How does {words(QUESTION_WORDS, 5)} work?",
            answer=f"{words(ANSWER_WORDS, 30)}. {words(ANSWER_WORDS, 20)}.",
            key_points=(KeyPoint(words(KEY_POINT_WORDS, 5)), KeyPoint(words(KEY_POINT_WORDS, 4))),
        )
        for number in range(size)
    )
    return Bank(id=bank_id, title=bank_id.title(), questions=questions)


@pytest.fixture(
    scope="module",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def big_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """Three generated banks of 120 questions, a tenth of one bank retired: SQLite, PostgreSQL."""
    cluster: Any = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('ranking') / 'interview-prep.db'}"
    else:
        cluster = request.getfixturevalue("postgres_cluster")
        url = cluster.create_database()
    database = open_database(url, sync_bundled=False)
    try:
        for seed, bank_id in enumerate(BANKS):
            import_bank(database, generated_bank(bank_id, 120, seed))
        beta = generated_bank("beta", 120, 1)
        kept = tuple(q for number, q in enumerate(beta.questions) if number % 10 != 3)
        import_bank(database, Bank(id="beta", title="Beta", questions=kept), replace=True)
        yield database
    finally:
        database.close()
        if cluster is not None:
            cluster.drop_database(url)


def reference(db: Database, words: str, **filters: str) -> list[tuple[str, float]]:
    """Every match as ``(ref, rank)``, best first, ranked the plain way."""
    query = parse_query(words)
    if query is None:
        return []
    best: dict[int, float] = {}
    weights = ", ".join(str(weight) for weight in SQLITE_WEIGHTS)
    with db.engine.connect() as connection:
        for group in GROUPS:
            if db.dialect == "sqlite":
                rows = connection.execute(
                    text(
                        f"SELECT rowid, -bm25(questions_fts, {weights}) FROM questions_fts "
                        "WHERE questions_fts MATCH :match"
                    ),
                    {"match": query.fts5(group.fts5_columns)},
                )
            else:
                rows = connection.execute(
                    text(
                        "SELECT pk, ts_rank(search_vector_summary, query) "
                        "FROM questions, to_tsquery('english', :match) AS query "
                        f"WHERE {group.vector} @@ query"
                    ),
                    {"match": query.tsquery()},
                )
            for pk, score in rows:
                best.setdefault(pk, group.rank - 1 / (1 + score))
        questions = connection.execute(
            text(
                "SELECT pk, bank_id, question_id, position, category, difficulty, retired "
                "FROM questions"
            )
        ).all()
        tags: dict[int, set[str]] = {}
        for pk, tag in connection.execute(text("SELECT question_pk, tag FROM question_tags")):
            tags.setdefault(pk, set()).add(tag)
    wanted = {
        "bank": lambda row: row.bank_id,
        "category": lambda row: row.category,
        "difficulty": lambda row: row.difficulty,
    }
    kept = [
        row
        for row in questions
        if row.pk in best
        and not row.retired
        and all(wanted[name](row) == value for name, value in filters.items() if name != "tag")
        and ("tag" not in filters or filters["tag"] in tags.get(row.pk, set()))
    ]
    kept.sort(key=lambda row: (-best[row.pk], row.bank_id, row.position))
    return [(f"{row.bank_id}/{row.question_id}", best[row.pk]) for row in kept]


CASES = [
    ("gradient", {}),
    ("gradient ", {}),
    ("grad", {"bank": "beta"}),
    ("learning rate", {}),
    ("learning rate", {"difficulty": "hard", "category": "Deep dive"}),
    ("cross-entropy loss", {}),
    ("dropout", {"tag": "statistics"}),
    ("dropout", {"bank": "gamma", "tag": "language", "difficulty": "easy"}),
    ("momentum", {}),
    ("backpropagation", {}),
    ("backpropagation regularisation", {"bank": "alpha"}),
    ("overfitting variance bias", {}),
    ("attention tokens", {"category": "Scenarios"}),
    ("toke", {}),
    ("nothing-like-this", {}),
]


@pytest.mark.parametrize(("words", "filters"), CASES, ids=[f"{w}|{f}" for w, f in CASES])
def test_pages_are_the_reference_pages(
    big_db: Database, words: str, filters: dict[str, str]
) -> None:
    expected = reference(big_db, words, **filters)
    total = len(expected)
    for limit, offset in [(5, 0), (5, 5), (20, 0), (20, 37), (7, max(total - 3, 0)), (500, 0)]:
        hits = search(big_db, words, limit=limit, offset=offset, **filters)
        assert [hit.record.ref for hit in hits] == [ref for ref, _ in expected][
            offset : offset + limit
        ], (limit, offset)
        assert [hit.rank for hit in hits] == pytest.approx(
            [rank for _, rank in expected][offset : offset + limit]
        )
    listed = list_questions(big_db, search=words, **filters)
    assert [record.ref for record in listed] == [ref for ref, _ in expected]
    paged = list_questions(big_db, search=words, limit=6, offset=4, **filters)
    assert [record.ref for record in paged] == [ref for ref, _ in expected][4:10]
    assert count_questions(big_db, search=words, **filters) == total


def test_the_cases_cover_every_group(big_db: Database) -> None:
    """The cases above must reach each way a page can be made, or they prove little."""
    groups = {words: {int(rank) for _, rank in reference(big_db, words)} for words, _ in CASES}
    assert len(reference(big_db, "gradient")) > 100
    assert groups["gradient"] == {0, 1, 2}
    assert groups["learning rate"] == {0, 1, 2}
    assert groups["momentum"] == {0, 1}  # never in a question
    assert groups["backpropagation"] == {0}  # only ever in answers


def test_a_question_naming_every_word_ranks_above_one_using_them_elsewhere(
    big_db: Database,
) -> None:
    hits = search(big_db, "learning rate", limit=500)
    named = [
        hit for hit in hits if {"learning", "rate"} <= set(hit.record.question.question.split())
    ]
    assert named and hits[: len(named)] == named
    assert all(hit.rank >= 2 for hit in named) and all(hit.rank < 2 for hit in hits[len(named) :])


def test_retired_questions_never_match(big_db: Database) -> None:
    refs = {record.ref for record in list_questions(big_db, search="gradient")}
    assert "beta/q3" not in refs and "beta/q13" not in refs
    assert "beta/q4" in refs or "beta/q5" in refs


@pytest.fixture
def ranking_statements(big_db: Database) -> Iterator[list[str]]:
    """The ranking statements the database runs during the test."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "search_rank" in statement:
            seen.append(statement)

    event.listen(big_db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(big_db.engine, "before_cursor_execute", record)


def test_a_page_of_question_matches_ranks_nothing_else(
    big_db: Database, ranking_statements: list[str]
) -> None:
    assert len(search(big_db, "gradient", limit=10)) == 10
    assert len(ranking_statements) == 1
    ranking_statements.clear()
    search(big_db, "backpropagation", limit=10)  # only in answers: every group is tried
    assert len(ranking_statements) == len(GROUPS)


def test_sqlite_never_runs_the_full_text_query_once_per_question(big_db: Database) -> None:
    """A plan that looks up questions first and probes the full-text index for each one runs
    the whole query per question: minutes on a large bank. The matches must drive the join."""
    if big_db.dialect != "sqlite":
        pytest.skip("SQLite's FTS5 plans")
    from interview_prep.storage import ranking

    query = parse_query("gradient descent")
    assert query is not None
    values: dict[str, Any] = {"limit": 10, "offset": 0, "bank_id": "beta", "tag": "statistics"}
    values |= {f"match_{i}": query.fts5(group.fts5_columns) for i, group in enumerate(GROUPS)}
    values["match"] = query.fts5()
    where = ranking.Narrowing(bank="beta", tag="statistics").where("sqlite")[0]
    statements = [*ranking._STATEMENTS["sqlite"], ranking._SQLITE_COUNT]
    with big_db.engine.connect() as connection:
        for statement in statements:
            plan = connection.execute(
                text("EXPLAIN QUERY PLAN " + statement.format(where=where)), values
            ).all()
            details = [row[-1] for row in plan]
            fts_scans = [detail for detail in details if "questions_fts" in detail]
            assert fts_scans and all("INDEX 0:M" in detail for detail in fts_scans), details
            assert any("ix_questions_search_filters" in detail for detail in details), details
