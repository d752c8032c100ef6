"""Hostile bank files: each is refused with the app's own error, quickly, with a short message,
and the database is left exactly as it was (on SQLite and on PostgreSQL).

The small files live in ``banks/``; the large ones are made here, as the probe made them.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from interview_prep import catalog
from interview_prep.errors import BankFormatError
from interview_prep.storage import Database

from .conftest import BANKS, table_counts

# What each file in banks/ must be refused for (a part of the message).
EXPECTED = {
    "billion-laughs.yaml": "expands to more than",
    "deep-nesting.json": "nested more than 64 levels",
    "deep-nesting.yaml": "nest",
    "huge-integer.json": "more than 4,300 digits",
    "huge-integer.yaml": "more than 4,300 digits",
    "version-overflow.yaml": "version: the number '99999999999999999999999' is too large",
    "infinity.json": "Infinity is not a number",
    "infinity.yaml": "inf is not a finite number",
    "nan.yaml": "nan is not a finite number",
    "truncated.yaml": "says it holds 2 question(s) but 1 were read",
    "unhashable-key.yaml": "unhashable key",
    "python-object.yaml": "could not determine a constructor",
    # Markdown: each refused with the line it is on.
    "no-title.md": "line 1: a Markdown bank starts with its title",
    "unclosed-details.md": "line 2: the details comment must end with '-->'",
    "deep-details.md": "line 2: details: values are nested more than 64 levels",
    "details-not-an-object.md": "line 4: the details comment must hold a JSON object",
    "huge-count.md": "question_count: the number '99999999999999999999999' is too large",
    "misconception-without-correction.md": "line 8: a misconception is written",
    "no-questions.md": "no questions",
    "truncated.md": "says it holds 2 question(s) but 1 were read",
    # Anki: not a zip, a damaged zip, no collection, a collection that is not SQLite, and one
    # whose notes are a view that never ends.
    "not-a-zip.apkg": "not an Anki package (not a zip archive)",
    "bad-crc.apkg": "its collection is damaged: Bad CRC-32",
    "no-collection.apkg": "not an Anki package (no collection inside)",
    "broken-sqlite.apkg": "not an Anki package (file is not a database)",
    "endless-view.apkg": "not an Anki package (no notes table inside)",
}
# About 200 characters of any value, plus the sentence around it.
MAX_MESSAGE = 400


def test_every_hostile_file_has_its_expectation() -> None:
    assert sorted(path.name for path in BANKS.iterdir()) == sorted(EXPECTED)


def _refused(db: Database, data: bytes, source: str, max_bytes: int | None = None) -> str:
    before = table_counts(db)
    started = time.perf_counter()
    with pytest.raises(BankFormatError) as caught:
        if max_bytes is None:
            catalog.import_bank_bytes(db, data, source)
        else:
            from interview_prep.formats import read_bank_bytes

            read_bank_bytes(data, source, max_bytes=max_bytes)
    elapsed = time.perf_counter() - started
    assert table_counts(db) == before
    message = caught.value.message
    assert len(message) <= MAX_MESSAGE, message[:1000]
    # Generous for a loaded CI machine; the probe's failures took minutes or gigabytes.
    assert elapsed < 20, f"{source} took {elapsed:.1f} s"
    return message


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file_is_refused(db: Database, name: str) -> None:
    message = _refused(db, (BANKS / name).read_bytes(), name)
    assert EXPECTED[name] in message


def _question(number: int, answer: str) -> str:
    return (
        f"  - id: q{number}\n    category: C\n    question: Question {number}?\n"
        f"    answer: {answer}\n"
    )


def test_one_answer_reused_by_aliases_cannot_pass_the_size_limit(db: Database) -> None:
    # Finding 3: a 400 KB file reusing one 90 KB answer in 3,000 questions passed the 50 MB limit.
    answer = "word " * 18_000
    head = f"id: reuse\ntitle: Reuse\nanswer: &long {answer}\nquestions:\n"
    body = "".join(_question(n, "*long") for n in range(3000))
    data = (head + body).encode()
    assert len(data) < 500_000
    message = _refused(db, data, "reuse.yaml")
    assert "expands to more than 52,428,800 characters" in message


def test_too_many_questions(db: Database, tmp_path: Path) -> None:
    body = "".join(_question(n, "A.") for n in range(10_001))
    message = _refused(db, f"id: many\ntitle: Many\nquestions:\n{body}".encode(), "many.yaml")
    assert "at most 10,000" in message


def test_a_seed_page_with_one_huge_line_fails_fast_with_a_short_message(db: Database) -> None:
    # Finding 4: a 10 MB line hung the CLI for over 300 s, the error repeating the whole value.
    page = "Site\nPage title\n" + "why " * 2_500_000 + "▾\nAn answer.\n"
    message = _refused(db, page.encode(), "page.txt")
    assert "9,999,999 characters long" in message


def test_a_huge_answer_is_quoted_briefly(db: Database) -> None:
    text = "id: long\ntitle: Long\nquestions:\n" + _question(1, "x" * 200_000)
    message = _refused(db, text.encode(), "long.yaml")
    assert "200,000 characters long; at most 100,000" in message


def test_the_cli_prints_a_short_error_for_a_hostile_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from interview_prep.cli import main

    monkeypatch.setenv("INTERVIEW_PREP_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    page = tmp_path / "page.txt"
    page.write_text("Site\nTitle\n" + "a" * 10_000_000 + "▾\nAnswer.\n", encoding="utf-8")
    started = time.perf_counter()
    assert main(["import", str(page)]) == 1
    assert time.perf_counter() - started < 30
    err = capsys.readouterr().err
    assert "characters long" in err and len(err) < 1000
