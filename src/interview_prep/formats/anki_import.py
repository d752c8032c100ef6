"""Read an Anki package (``.apkg``) as a bank.

Decks this app exported carry each question whole in their ``Rubric`` field, and come back
exactly. Notes of any other deck become questions from their first two fields (front: the
question, back: the model answer), with the deck's name as category and title.
"""

from __future__ import annotations

import html
import io
import json
import re
import sqlite3
import tempfile
import zipfile
import zlib
from pathlib import Path
from typing import Any

from ..domain.banks import Bank
from ..domain.questions import slugify
from ..errors import BankFormatError
from ..input_policy import shorten
from .anki import RUBRIC
from .limits import MAX_QUESTIONS
from .validation import validate_bank_data

# SQLite virtual-machine steps a deck may cost to read: a real deck of 10,000 notes needs a few
# million. A hostile collection can make "notes" a view that never ends (a recursive query),
# and the import must stop rather than hang.
MAX_SQLITE_STEPS = 200_000_000
_STEP_CHECK = 10_000

_COLLECTIONS = ("collection.anki21", "collection.anki2")
_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<br\s*/?>|</p>|</div>|</li>", re.I)


def _plain(field: str) -> str:
    """An Anki field's HTML as plain text."""
    text = _BREAK.sub("\n", field)
    return html.unescape(_TAG.sub("", text)).strip()


def _collection(data: bytes, source: str, max_bytes: int) -> bytes:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise BankFormatError(f"{source}: not an Anki package (not a zip archive)") from None
    with archive:
        names = set(archive.namelist())
        name = next((candidate for candidate in _COLLECTIONS if candidate in names), None)
        if name is None:
            raise BankFormatError(f"{source}: not an Anki package (no collection inside)")
        if archive.getinfo(name).file_size > max_bytes:
            raise BankFormatError(
                f"{source}: the deck unpacks to more than {max_bytes / 1024 / 1024:.0f} MB, over "
                "the limit for a bank"
            )
        try:
            # zipfile stops at the declared size, so a header that lies cannot unpack a bomb.
            return archive.read(name)
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            NotImplementedError,
            RuntimeError,
        ) as error:
            raise BankFormatError(
                f"{source}: not an Anki package (its collection is damaged: {shorten(str(error))})"
            ) from None


def _text(value: Any) -> str:
    """A column Anki keeps as text, whatever a damaged collection holds in it."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)


def _notes(collection: bytes, source: str) -> tuple[list[tuple[str, list[str], str]], str]:
    """Every note as (model id, fields, tags), and the first deck's name."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "collection.sqlite"
        path.write_bytes(collection)
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        steps = [0]

        def budget() -> int:
            steps[0] += _STEP_CHECK
            return 1 if steps[0] > MAX_SQLITE_STEPS else 0  # non-zero interrupts the query

        connection.set_progress_handler(budget, _STEP_CHECK)
        try:
            # Only real tables: a view or a virtual table could run anything.
            tables = {
                name
                for (name,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"
                )
            }
            if not {"notes", "col"} <= tables:
                raise BankFormatError(f"{source}: not an Anki package (no notes table inside)")
            rows = connection.execute("SELECT mid, flds, tags FROM notes ORDER BY id")
            notes = []
            for mid, flds, tags in rows:
                notes.append((_text(mid), _text(flds).split("\x1f"), _text(tags)))
                if len(notes) > MAX_QUESTIONS:
                    raise BankFormatError(
                        f"{source}: the deck has more than {MAX_QUESTIONS:,} notes; a bank may "
                        f"hold at most {MAX_QUESTIONS:,} questions"
                    )
            row = connection.execute("SELECT decks FROM col").fetchone()
        except sqlite3.DatabaseError as error:
            reason = "it took too long to read" if steps[0] > MAX_SQLITE_STEPS else str(error)
            raise BankFormatError(f"{source}: not an Anki package ({shorten(reason)})") from None
        finally:
            connection.close()
    try:
        decks = json.loads(_text(row[0]) if row else "{}") or {}
    except (ValueError, RecursionError):
        decks = {}  # the deck's name is only a default for the title
    names = []
    if isinstance(decks, dict):
        names = [
            deck["name"]
            for key, deck in decks.items()
            if key != "1" and isinstance(deck, dict) and isinstance(deck.get("name"), str)
        ]
    return notes, (names[0] if names else "") or Path(source).stem


def read_anki_package(data: bytes, source: str, *, max_bytes: int) -> Bank:
    """Read and validate a bank from an ``.apkg`` file's bytes.

    Raises:
        BankFormatError: the file is not an Anki package, holds no notes, or its questions do
            not make a valid bank.
    """
    if len(data) > max_bytes:
        raise BankFormatError(
            f"{source}: the file is {len(data) / 1024 / 1024:.1f} MB, over the "
            f"{max_bytes / 1024 / 1024:.0f} MB limit for a bank"
        )
    notes, deck_name = _notes(_collection(data, source, max_bytes), source)
    if not notes:
        raise BankFormatError(f"{source}: the Anki deck has no notes")
    details: dict[str, Any] | None = None
    questions: list[dict[str, Any]] = []
    taken: set[str] = set()
    for _, fields, tags in notes:
        rubric = _rubric(fields)
        if rubric is not None:
            found = rubric.get("bank")
            details = details or (found if isinstance(found, dict) else None)
            questions.append(rubric["question"])
            taken.add(str(rubric["question"].get("id", "")))
            continue
        if len(fields) < 2 or not _plain(fields[0]):
            continue
        question = _plain(fields[0])
        base, number = slugify(question), 2
        question_id = base
        while question_id in taken:
            question_id, number = f"{base}-{number}", number + 1
        taken.add(question_id)
        questions.append(
            {
                "id": question_id,
                "category": deck_name[:100],
                "question": question,
                "answer": _plain(fields[1]) or "(no answer on the card)",
                "tags": list(
                    dict.fromkeys(slugify(tag, 20) for tag in tags.split() if slugify(tag))
                ),
            }
        )
    bank = dict(details or {"id": slugify(deck_name), "title": deck_name})
    bank["questions"] = questions
    return validate_bank_data(bank, source)


def _rubric(fields: list[str]) -> dict[str, Any] | None:
    """The question this app stored in the note's Rubric field, if it is one of ours."""
    # The Rubric is the last field. JSON escapes U+001F, Anki's field separator, so the Rubric
    # never holds one; a deck written before the export replaced it in the visible fields may
    # have more than four fields, but its last is still the Rubric.
    if len(fields) < 4 or not fields[-1].startswith("{"):
        return None
    try:
        value = json.loads(html.unescape(fields[-1]))
    except (ValueError, RecursionError):
        return None
    if isinstance(value, dict) and isinstance(value.get("question"), dict):
        return value
    return None


__all__ = ["RUBRIC", "read_anki_package"]
