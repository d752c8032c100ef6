"""Hostile Markdown and Anki files that are made here rather than kept (large, or built from a
real export): each is refused quickly with a short message and leaves the database as it was,
or, where the content is merely odd (HTML, NULs, nested lists), imports as plain text."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from interview_prep import catalog
from interview_prep.domain import Bank, Question
from interview_prep.errors import BankFormatError
from interview_prep.formats import BankFormat, anki_import, dump_bank, read_bank_bytes
from interview_prep.storage import Database, repository

from .conftest import table_counts

MAX_MESSAGE = 400
SCRIPT = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def _refused(db: Database, data: bytes, source: str) -> str:
    before = table_counts(db)
    started = time.perf_counter()
    with pytest.raises(BankFormatError) as caught:
        catalog.import_bank_bytes(db, data, source)
    assert time.perf_counter() - started < 20  # generous for a loaded CI machine
    assert table_counts(db) == before
    assert len(caught.value.message) <= MAX_MESSAGE, caught.value.message[:1000]
    return caught.value.message


def _bank(answer: str = "A vector of partial derivatives.", question: str = "What is it?") -> Bank:
    return Bank(
        id="hostile",
        title="Hostile",
        questions=(Question(id="q1", category="C", question=question, answer=answer),),
    )


def _deck(bank: Bank, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    from interview_prep.formats import export_bank_file

    path = tmp_path_factory.mktemp("deck") / "deck.apkg"
    return export_bank_file(bank, BankFormat.ANKI, path).read_bytes()


def test_a_markdown_title_of_10_mb_fails_fast(db: Database) -> None:
    message = _refused(db, b"# " + b"title " * 1_700_000 + b"\n### Q?\nA.\n", "big.md")
    assert "line 1" in message and "10,199,999 characters long" in message


def test_a_10_mb_line_of_spaces_in_a_heading_fails_fast(db: Database) -> None:
    # Spaces are what a backtracking pattern would stumble over, one start at a time.
    message = _refused(db, b"# T\n## C" + b" " * 10_000_000 + b"x\n", "spaces.md")
    assert "no questions" in message


def test_a_huge_answer_is_quoted_briefly(db: Database) -> None:
    data = dump_bank(_bank("why " * 100_000), BankFormat.MARKDOWN).encode()
    message = _refused(db, data, "long.md")
    assert "line 6: question 'q1': field answer" in message
    assert "400,000 characters long; at most 100,000" in message


def test_deeply_nested_lists_are_read_as_text_without_recursion(db: Database) -> None:
    nested = "".join("  " * level + "- level\n" for level in range(300))
    data = f"# Nested\n\n### Q?\n{nested}\n".encode()
    result = catalog.import_bank_bytes(db, data, "nested.md")
    answer = repository.get_bank(db, result.bank_id).questions[0].answer
    assert answer.count("- level") == 300
    # Under a section, deeper items are wrapped lines of the one above: too long for a key point.
    message = _refused(db, f"# Nested\n\n### Q?\nA.\n**Key points**\n{nested}".encode(), "kp.md")
    assert "field key_points[1].text" in message


def test_html_and_nuls_in_markdown_import_as_plain_text(db: Database) -> None:
    text = dump_bank(_bank(f"{SCRIPT} done", f"Why\x00 {SCRIPT}?"), BankFormat.MARKDOWN)
    result = catalog.import_bank_bytes(db, text.encode(), "html.md")
    question = repository.get_bank(db, result.bank_id).questions[0]
    # Kept as the text it is (pages escape it), with the NUL removed by the input policy.
    assert question.question == f"Why {SCRIPT}?"
    assert question.answer == f"{SCRIPT} done"


def test_a_zip_bomb_is_refused_before_it_unpacks(db: Database) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as deck:
        deck.writestr("collection.anki2", b"\x00" * (60 << 20))  # 60 MB of zeros in ~60 KB
    data = archive.getvalue()
    assert len(data) < 200_000
    assert "unpacks to more than 50 MB" in _refused(db, data, "bomb.apkg")


def test_a_zip_whose_header_lies_about_its_size_is_refused(db: Database) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as deck:
        deck.writestr("collection.anki2", b"\x00" * (60 << 20))
    data = bytearray(archive.getvalue())
    # Say 1 KB in the central directory: zipfile then stops after 1 KB and the CRC fails.
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (1024).to_bytes(4, "little")
    message = _refused(db, bytes(data), "liar.apkg")
    assert "not an Anki package" in message


def test_a_collection_that_costs_too_much_to_read_is_stopped(
    db: Database, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = _deck(_bank(), tmp_path_factory)
    monkeypatch.setattr(anki_import, "MAX_SQLITE_STEPS", 10)
    monkeypatch.setattr(anki_import, "_STEP_CHECK", 1)
    assert "it took too long to read" in _refused(db, deck, "slow.apkg")


def test_html_in_a_foreign_anki_deck_imports_as_plain_text(
    db: Database, tmp_path_factory: pytest.TempPathFactory
) -> None:
    import genanki

    model = genanki.Model(
        1607392319,
        "Basic",
        fields=[{"name": "Front"}, {"name": "Back"}],
        templates=[{"name": "Card", "qfmt": "{{Front}}", "afmt": "{{Back}}"}],
    )
    deck = genanki.Deck(2059400110, "Someone's deck")
    deck.add_note(genanki.Note(model=model, fields=[f"<b>What</b> is {SCRIPT}?", "It &lt;is&gt;."]))
    path = tmp_path_factory.mktemp("foreign") / "foreign.apkg"
    genanki.Package(deck).write_to_file(str(path))
    result = catalog.import_bank_bytes(db, path.read_bytes(), "foreign.apkg")
    question = repository.get_bank(db, result.bank_id).questions[0]
    assert question.question == "What is alert(1)?"  # tags are dropped, never kept as markup
    assert question.answer == "It <is>."


def test_a_deck_whose_decks_column_is_not_json_still_reads(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    import sqlite3
    import tempfile
    from pathlib import Path

    bank = _bank()
    deck = _deck(bank, tmp_path_factory)
    with zipfile.ZipFile(io.BytesIO(deck)) as archive:
        collection = archive.read("collection.anki2")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.sqlite"
        path.write_bytes(collection)
        with sqlite3.connect(path) as connection:
            connection.execute("UPDATE col SET decks = '{not json'")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("collection.anki2", path.read_bytes())
    # The deck's name is only a default title; the notes carry the bank whole.
    assert read_bank_bytes(out.getvalue(), "odd.apkg").to_dict() == bank.to_dict()


def test_anki_s_field_separator_in_a_question_round_trips(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # Found by the fuzzer: U+001F split the note's fields, so the deck came back as another bank.
    bank = _bank(answer="An\x1f answer.", question="What\x1f is it?")
    deck = _deck(bank, tmp_path_factory)
    assert read_bank_bytes(deck, "separator.apkg").to_dict() == bank.to_dict()
