"""Full-text search: ranking, safe snippets, hostile input, filters, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import re

import pytest
from sqlalchemy import text

from interview_prep.domain import Bank
from interview_prep.storage import (
    Database,
    count_questions,
    delete_bank,
    import_bank,
    list_questions,
    search,
)
from interview_prep.storage.fulltext import (
    POSTGRESQL_INDEXES,
    START,
    STOP,
    Term,
    as_sentences,
    parse_query,
    to_safe_html,
)

HOSTILE = [
    '"',
    '""',
    "'",
    "*",
    "gradient*",
    "(",
    "(gradient",
    ")",
    "-",
    "-gradient",
    "gradient -vanishing",
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "gradient AND",
    "AND gradient",
    "gradient OR NOT vanishing",
    "NEAR(gradient vanishing)",
    "question:gradient",
    "{question answer}: gradient",
    "^gradient",
    "gradient + descent",
    "a & b | !c <-> d:*",
    "'; DROP TABLE questions; --",
    "\\",
    "%_",
    "_",
    "___",
    ":",
    "::*",
    "<script>alert(1)</script>",
    "\x00gradient",
    "ünïcödé grädient",
    "梯度",
    "🙂",
    "gradient" * 100,
    " ".join(["gradient"] * 200),
]


def test_vanishing_gradient_ranks_its_question_first(bank_db: Database) -> None:
    hits = search(bank_db, "vanishing gradient")
    assert hits[0].record.id == "vanishing-gradients"
    # The clipping answer mentions vanishing gradients too, but only in passing.
    assert [hit.record.id for hit in hits] == ["vanishing-gradients", "gradient-clipping"]
    assert hits[0].rank > hits[1].rank


def test_question_text_weighs_more_than_the_answer(bank_db: Database) -> None:
    hits = search(bank_db, "gradient")
    ids = [hit.record.id for hit in hits]
    # Four questions name gradients in the question itself; batch-norm only in its answer.
    assert set(ids[:3]) == {"vanishing-gradients", "gradient-descent", "gradient-clipping"}
    assert ids.index("batch-norm") > ids.index("gradient-clipping")
    assert "precision-recall" not in ids


def test_snippet_marks_matches(bank_db: Database) -> None:
    hit = search(bank_db, "learning rate")[0]
    assert hit.record.id == "gradient-descent"
    assert "<mark>learning</mark> <mark>rate</mark>" in hit.snippet


def test_snippet_of_key_points_keeps_them_apart_as_sentences(db: Database, bank: Bank) -> None:
    points = (
        "The gap shows up only on validation data, so rule out a pipeline mismatch before "
        "calling it overfitting",
        "Checks the validation path: same preprocessing and tokenizer.",
        "Compares the curves",
    )
    question = dataclasses.replace(
        bank.questions[0],
        id="val-gap",
        key_points=tuple(
            dataclasses.replace(bank.questions[0].key_points[0], text=point) for point in points
        ),
    )
    import_bank(db, dataclasses.replace(bank, questions=(question,)))
    snippet = re.sub(r"</?mark>", "", search(db, "overfitting pipeline validation")[0].snippet)
    assert "calling it overfitting. Checks the validation" in snippet


@pytest.mark.parametrize(
    ("raw", "joined"),
    [
        ("one\ntwo", "one. two"),
        ("one.\ntwo", "one. two"),
        ("what?\n\n  two", "what? two"),
        (
            f"calling it {START}overfitting{STOP}\nChecks",
            f"calling it {START}overfitting{STOP}. Checks",
        ),
        (f"{START}done.{STOP}\nnext", f"{START}done.{STOP} next"),
        ("no break at all", "no break at all"),
    ],
)
def test_as_sentences(raw: str, joined: str) -> None:
    assert as_sentences(raw) == joined


def test_snippet_escapes_html_from_the_bank(db: Database, bank: Bank) -> None:
    hostile = dataclasses.replace(
        bank.questions[0],
        id="xss",
        question='Why is <script>alert("x")</script> dangerous in a gradient & a page?',
        answer="Because <b>markup</b> written by users runs as code & steals sessions.",
    )
    import_bank(db, dataclasses.replace(bank, questions=(hostile,)))
    for query in ("dangerous", "gradient", "users"):
        snippet = search(db, query)[0].snippet
        assert "<script>" not in snippet and "<b>" not in snippet
        assert re.sub(r"</?mark>", "", snippet).count("<") == 0
        assert "<mark>" in snippet
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in search(db, "dangerous")[0].snippet
    assert "&amp;" in search(db, "gradient")[0].snippet
    assert "&lt;<mark>script</mark>&gt;" in search(db, "script")[0].snippet


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_any_input_is_safe(bank_db: Database, query: str) -> None:
    hits = search(bank_db, query)
    assert count_questions(bank_db, search=query) == len(list_questions(bank_db, search=query))
    assert len(hits) <= 7
    for hit in hits:
        assert "<script>" not in hit.snippet


def test_operators_are_plain_words(bank_db: Database) -> None:
    # "-" and "NOT" do not exclude: the text is only words.
    assert {hit.record.id for hit in search(bank_db, "gradient -vanishing")} == {
        "vanishing-gradients",
        "gradient-clipping",
    }
    assert search(bank_db, '"vanishing gradient"')[0].record.id == "vanishing-gradients"


def test_blank_text_finds_nothing(bank_db: Database) -> None:
    assert search(bank_db, "") == []
    assert search(bank_db, "   \n\t") == []
    assert search(bank_db, "***") == []
    # In a listing, a blank search is no filter at all.
    assert len(list_questions(bank_db, search="  ")) == 7


def test_last_word_matches_as_a_prefix(bank_db: Database) -> None:
    assert search(bank_db, "vanishing grad")[0].record.id == "vanishing-gradients"
    assert search(bank_db, "normalis")[0].record.id == "batch-norm"
    assert [hit.record.id for hit in search(bank_db, "precis")] == ["precision-recall"]


def test_stemming_and_diacritics(bank_db: Database) -> None:
    assert search(bank_db, "clipping gradients ")[0].record.id == "gradient-clipping"
    assert search(bank_db, "optimiser ")  # a tag: "optimisers"


def test_key_points_and_tags_are_searched(bank_db: Database) -> None:
    assert [hit.record.id for hit in search(bank_db, "exponentially ")] == ["vanishing-gradients"]
    assert [hit.record.id for hit in search(bank_db, "bounds update ")] == ["gradient-clipping"]
    [by_tag] = search(bank_db, "metrics ")
    assert by_tag.record.id == "precision-recall"
    # A tag makes a poor snippet: the question is shown instead.
    assert by_tag.snippet == "When would you prefer precision over recall?"


def test_search_filters(db: Database, bank: Bank) -> None:
    import_bank(db, bank)
    import_bank(db, dataclasses.replace(bank, id="copy", title="Copy"))
    assert {hit.record.bank_id for hit in search(db, "gradient")} == {"ml-basics", "copy"}
    only = search(db, "gradient", bank="copy", difficulty="medium", tag="rnn")
    assert [hit.record.ref for hit in only] == ["copy/gradient-clipping"]
    assert [hit.record.id for hit in search(db, "gradient", category="Deep learning")] == [
        "vanishing-gradients",
        "vanishing-gradients",
        "batch-norm",
        "batch-norm",
    ]


def test_search_pages(bank_db: Database) -> None:
    everything = [hit.record.id for hit in search(bank_db, "gradient")]
    assert [hit.record.id for hit in search(bank_db, "gradient", limit=2)] == everything[:2]
    assert [hit.record.id for hit in search(bank_db, "gradient", limit=2, offset=2)] == everything[
        2:4
    ]


def test_list_questions_with_search_agrees_with_search(bank_db: Database) -> None:
    hits = [hit.record for hit in search(bank_db, "gradient")]
    assert list_questions(bank_db, search="gradient") == hits
    assert count_questions(bank_db, search="gradient") == len(hits)
    assert count_questions(bank_db, search="vanishing", tag="rnn") == 1


def test_index_follows_updates_and_deletes(db: Database, bank: Bank) -> None:
    import_bank(db, bank)
    renamed = dataclasses.replace(
        bank.questions[5], question="When does specificity matter more than sensitivity?"
    )
    import_bank(
        db, dataclasses.replace(bank, questions=(*bank.questions[:5], renamed)), replace=True
    )
    assert search(db, "specificity")[0].record.id == "precision-recall"
    assert search(db, "prefer precision ") == []
    assert search(db, "variance trade") == []  # bias-variance was retired
    delete_bank(db, bank.id)
    assert search(db, "gradient") == []
    if db.dialect == "sqlite":
        with db.engine.begin() as connection:
            connection.execute(
                text("INSERT INTO questions_fts(questions_fts) VALUES ('integrity-check')")
            )


def test_parse_query_quotes_every_term() -> None:
    query = parse_query('cross-entropy "loss" (NEAR) gradi')
    assert query is not None
    assert query.terms == (
        Term(("cross", "entropy")),
        Term(("loss",)),
        Term(("near",)),
        Term(("gradi",), prefix=True),
    )
    assert query.fts5() == '"cross entropy" AND "loss" AND "near" AND "gradi"*'
    assert query.tsquery() == "'cross' <-> 'entropy' & 'loss' & 'near' & 'gradi':*"


def test_parse_query_drops_common_words_unless_nothing_else_is_left() -> None:
    assert parse_query("what is dropout ") == parse_query("dropout ")
    query = parse_query("what is")
    assert query is not None and [term.words for term in query.terms] == [("what",), ("is",)]
    assert parse_query("  ") is None
    assert parse_query("-*()") is None


def test_safe_html_balances_marks() -> None:
    assert to_safe_html("a \ue000<b>\ue001 c") == "a <mark>&lt;b&gt;</mark> c"
    assert to_safe_html("\ue000open") == "<mark>open</mark>"
    assert to_safe_html("close\ue001 \ue000\ue000x") == "close <mark>x</mark>"


def test_an_import_leaves_nothing_pending_in_the_postgresql_indexes(
    db: Database, bank: Bank
) -> None:
    """A GIN index's pending list is read through by every search until folded in."""
    if db.dialect != "postgresql":
        pytest.skip("PostgreSQL's GIN indexes")
    many = tuple(
        dataclasses.replace(question, id=f"{question.id}-{copy}")
        for copy in range(40)
        for question in bank.questions
    )
    import_bank(db, dataclasses.replace(bank, questions=many))
    with db.engine.begin() as connection:
        for index in POSTGRESQL_INDEXES:
            cleaned = connection.execute(
                text("SELECT gin_clean_pending_list(CAST(:index AS regclass))"), {"index": index}
            ).scalar_one()
            assert cleaned == 0, index
