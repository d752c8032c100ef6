"""Fuzz every bank importer, the exporters and the search query parser for a fixed time.

    python benchmarks/fuzz_importers.py              # 10 minutes
    python benchmarks/fuzz_importers.py --seconds 60

The properties (Hypothesis generates the inputs):

* **import**: bytes that are a generated bank written as YAML, JSON or a seed page, then perhaps
  mutated (cut short, bytes flipped or inserted, YAML aliases, NULs, escapes, huge numbers), are
  imported into a real SQLite database. The import either succeeds, and the bank round-trips:
  exported in the same format and read again it is the same bank; or it fails with the app's
  own error (``InterviewPrepError``) and every table holds exactly the rows it held before.
* **markdown** and **anki**: a generated bank using every field (misconceptions, errata,
  expected answers, follow-ups, related questions) is exported as Markdown or as an Anki deck,
  perhaps mutated (for Markdown: lines cut, doubled, dropped or swapped, a huge line, nested
  lists, NULs, HTML; for Anki: bytes cut or flipped, not a zip, a broken or hostile SQLite
  inside), and imported, with the same property; an unchanged export must import as the very
  bank that was exported.
* **export**: any valid bank writes as Markdown that reads back as the same bank, and as an Anki
  deck (one note per question).
* **search**: any text is parsed into a query or ``None`` and searched without an error.

Anything else (another exception, a changed database, a bank that does not round-trip) is a
failure. The script prints how many inputs each property ran and how many failed, and exits 1 on
any failure. ``tests/hostile/test_fuzzing.py`` runs the same properties briefly in CI.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sqlite3
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from interview_prep import catalog
from interview_prep.domain import Bank
from interview_prep.errors import InterviewPrepError
from interview_prep.formats import BankFormat, dump_bank, export_bank_file, read_bank_bytes
from interview_prep.formats.validation import validate_bank_data
from interview_prep.storage import Database, open_database, repository
from interview_prep.storage.fulltext import parse_query
from interview_prep.storage.schema import Base

# Text that probes the edges: markup, escapes, NUL, surrogates, formulas, the seed marker.
_NASTY = [
    "\x00",
    "\ud800",
    "\udfff",
    "\x1b[2J",
    "\x1b]8;;x\x07",
    "<script>alert(1)</script>",
    "=HYPERLINK(1)",
    "▾",
    "&a",
    "*a",
    "{{x}}",
    "%s",
    "\u202e",
    "\ufeff",
    "'",
    '"',
    "\\",
    "\r\n",
    "NOT",
    "OR",
    "NEAR(",
    "*",
    ":",
    "-",
]
_pieces = st.characters(codec="utf-8") | st.sampled_from(_NASTY)
_text = st.lists(_pieces, min_size=1, max_size=30).map("".join)
_words = st.text(alphabet="abcdefghij klmnopqrstuvwxyz.?", min_size=1, max_size=60).filter(
    lambda s: s.strip() != ""
)
_slug = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)
_number = st.integers(min_value=-(10**30), max_value=10**30) | st.floats(allow_nan=True)


@st.composite
def bank_data(draw: Any) -> dict[str, Any]:
    """A bank as plain data: usually valid, with any text in its text fields."""
    text = draw(st.sampled_from([_text, _words]))
    ids = draw(st.lists(_slug, min_size=1, max_size=4, unique=True))
    questions = []
    for question_id in ids:
        item: dict[str, Any] = {
            "id": question_id,
            "category": draw(text),
            "question": draw(text),
            "answer": draw(text),
        }
        if draw(st.booleans()):
            item["tags"] = draw(st.lists(_slug, max_size=3, unique=True))
        if draw(st.booleans()):
            item["key_points"] = [{"text": draw(text)} for _ in range(draw(st.integers(0, 3)))]
        if draw(st.booleans()):
            item["difficulty"] = draw(st.sampled_from(["easy", "medium", "hard"]))
        if draw(st.integers(0, 9)) == 0:
            item["expected"] = {"kind": "number", "value": draw(_number)}
        questions.append(item)
    data: dict[str, Any] = {"id": draw(_slug), "title": draw(text), "questions": questions}
    if draw(st.booleans()):
        data["version"] = draw(st.integers(min_value=-5, max_value=2**64))
    return data


@st.composite
def full_bank_data(draw: Any) -> dict[str, Any]:
    """A bank as plain data using every field the format has, with any text in it."""
    data = draw(bank_data())
    text = draw(st.sampled_from([_text, _words]))
    ids = [item["id"] for item in data["questions"]]
    for item in data["questions"]:
        points = len(item.get("key_points") or ())
        if points and draw(st.booleans()):
            point = item["key_points"][0]
            point["weight"] = draw(st.floats(0.1, 10, allow_nan=False))
            point["terms"] = draw(st.lists(text, max_size=2))
            point["examples"] = draw(st.lists(text, max_size=2))
        if draw(st.booleans()):
            item["misconceptions"] = [
                {
                    "claim": draw(text),
                    "correction": draw(text),
                    **({"key_point": 0} if points else {}),
                    **({"signals": [[draw(text)]]} if draw(st.booleans()) else {}),
                }
                for _ in range(draw(st.integers(1, 2)))
            ]
        answer = str(item["answer"])
        if answer and draw(st.booleans()):
            start = draw(st.integers(0, len(answer) - 1))
            end = draw(st.integers(start + 1, len(answer)))
            item["errata"] = [
                {"quote": answer[start:end], "correction": draw(text)}
                | ({"claim": draw(text)} if draw(st.booleans()) else {})
            ]
        if draw(st.booleans()):
            item["follow_ups"] = draw(st.lists(text, min_size=1, max_size=2))
        others = [other for other in ids if other != item["id"]]
        if others and draw(st.booleans()):
            item["related"] = draw(st.lists(st.sampled_from(others), max_size=2, unique=True))
        if draw(st.integers(0, 4)) == 0:
            item["expected"] = draw(
                st.sampled_from(
                    [
                        {"kind": "number", "value": draw(st.floats(-1e6, 1e6)), "tolerance": 0.5},
                        {"kind": "names", "names": [draw(text), {"name": draw(text)}]},
                        {"kind": "expansion", "text": draw(text), "accept": [draw(text)]},
                        {"kind": "text", "text": draw(text)},
                    ]
                )
            )
        if draw(st.integers(0, 4)) == 0:
            item["references"] = [draw(text)]
    if draw(st.booleans()):
        data["description"] = draw(text)
    if draw(st.booleans()):
        data["role"] = draw(text)
    return data


def _seed_page(data: dict[str, Any]) -> str:
    lines = ["Site", str(data["title"])]
    for item in data["questions"]:
        lines += ["", f"{item['question']} ▾", str(item["answer"])]
    return "\n".join(lines) + "\n"


def _serialise(data: dict[str, Any], fmt: BankFormat) -> str:
    if fmt is BankFormat.JSON:
        return json.dumps(data, ensure_ascii=False, allow_nan=True)
    if fmt is BankFormat.SEED_PAGE:
        return _seed_page(data)
    import yaml

    return yaml.safe_dump(data, allow_unicode=True)


@st.composite
def mutation(draw: Any, text: str) -> bytes:
    """The serialised bank, perhaps changed the way files get damaged or attacked."""
    raw = text.encode("utf-8", "surrogatepass")
    kind = draw(st.sampled_from(["none", "cut", "flip", "insert", "alias", "nest", "digits"]))
    if kind == "cut" and raw:
        return raw[: draw(st.integers(0, len(raw) - 1))]
    if kind == "flip" and raw:
        at = draw(st.integers(0, len(raw) - 1))
        return raw[:at] + bytes([draw(st.integers(0, 255))]) + raw[at + 1 :]
    if kind == "insert":
        at = draw(st.integers(0, len(raw)))
        piece = draw(st.sampled_from(_NASTY)).encode("utf-8", "surrogatepass")
        return raw[:at] + piece + raw[at:]
    if kind == "alias":
        laughs = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 8))
        return b"l0: &l0 [x]\n" + laughs.encode() + raw
    if kind == "nest":
        depth = draw(st.integers(50, 3000))
        return b'{"id": "n", "title": "n", "questions": ' + b"[" * depth + b"]" * depth + b"}"
    if kind == "digits":
        return raw.replace(b"questions", b"version: " + b"9" * 5000 + b"\nquestions", 1)
    return raw


class _QuietText(str):
    """A whole exported file as a strategy's argument: Hypothesis prints a strategy's arguments
    when it reports a failure, and warns (an error under pytest) when they are large."""

    def __repr__(self) -> str:
        return f"<{len(self):,} characters>"


class _QuietBytes(bytes):
    """:class:`_QuietText` for a deck's bytes."""

    def __repr__(self) -> str:
        return f"<{len(self):,} bytes>"


@st.composite
def markdown_mutation(draw: Any, text: str) -> bytes:
    """An exported Markdown bank, perhaps changed as a hand edit, a bad copy or an attack would."""
    lines = text.split("\n")
    kind = draw(
        st.sampled_from(
            ["none", "none", "bytes", "drop", "double", "swap", "insert", "huge", "nest", "hidden"]
        )
    )
    if kind == "bytes":
        return draw(mutation(_QuietText(text)))
    at = draw(st.integers(0, len(lines) - 1))
    if kind == "drop":
        del lines[at]
    elif kind == "double":
        lines.insert(at, lines[at])
    elif kind == "swap" and at + 1 < len(lines):
        lines[at], lines[at + 1] = lines[at + 1], lines[at]
    elif kind == "insert":
        lines.insert(at, draw(st.sampled_from(_MARKDOWN_LINES)) + draw(_text))
    elif kind == "huge":
        lines.insert(
            at, draw(st.sampled_from(["", "- ", "### ", "**Key points** "])) + "x " * 50_000
        )
    elif kind == "nest":
        depth = draw(st.integers(10, 5000))
        lines.insert(at, "".join("  " * level + "- \n" for level in range(depth)))
    elif kind == "hidden":
        lines.insert(at, draw(st.sampled_from(_HIDDEN)))
    return "\n".join(lines).encode("utf-8", "surrogatepass")


# Lines that mean something to the Markdown reader, and details comments gone wrong.
_MARKDOWN_LINES = [
    "# ",
    "## ",
    "### ",
    "- ",
    "- ✗ ",
    "  ✓ ",
    "**Key points**",
    "**Errata**",
    "**Expected answer:** ",
    "*easy* · ",
    "<!-- interview-prep: ",
    "<script>",
    "\\",
]
_HIDDEN = [
    "<!-- interview-prep: {} -->",
    "<!-- interview-prep: [] -->",
    '<!-- interview-prep: {"id": 5} -->',
    '<!-- interview-prep: {"question_count": 99999999999999999999999} -->',
    '<!-- interview-prep: {"key_points": "x"} -->',
    "<!-- interview-prep: " + "[" * 3000 + "]" * 3000 + " -->",
    '<!-- interview-prep: {"id": "x"',
]


@st.composite
def anki_mutation(draw: Any, deck: bytes) -> bytes:
    """An exported Anki deck, perhaps damaged, or replaced by something hostile."""
    kind = draw(st.sampled_from(["none", "none", "cut", "flip", "text", "collection"]))
    if kind == "cut":
        return deck[: draw(st.integers(0, len(deck) - 1))]
    if kind == "flip":
        at = draw(st.integers(0, len(deck) - 1))
        return deck[:at] + bytes([draw(st.integers(0, 255))]) + deck[at + 1 :]
    if kind == "text":
        return draw(st.sampled_from([b"", b"PK\x03\x04", b"not a zip", deck[:30] * 3]))
    if kind == "collection":
        return hostile_deck(draw(st.sampled_from(sorted(_HOSTILE_COLLECTIONS))), deck)
    return deck


def _collection_of(deck: bytes) -> bytes:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(deck)) as archive:
        return archive.read("collection.anki2")


def _hostile_collection(kind: str, deck: bytes) -> bytes:
    """The deck's SQLite collection, changed as ``kind`` says."""
    original = _collection_of(deck)
    if kind == "garbage":
        return b"SQLite format 3\x00" + b"\xff" * 4096
    if kind == "truncated":
        return original[: len(original) // 2]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.sqlite"
        path.write_bytes(original)
        with contextlib.closing(sqlite3.connect(path)) as connection:
            connection.executescript(_HOSTILE_COLLECTIONS[kind])
            connection.commit()
        return path.read_bytes()


# SQL that turns a real collection into a hostile one.
_HOSTILE_COLLECTIONS = {
    "garbage": "",
    "truncated": "",
    "no-notes": "DROP TABLE notes;",
    "empty": "DELETE FROM notes;",
    "decks-not-json": "UPDATE col SET decks = '{not json';",
    "decks-a-list": "UPDATE col SET decks = '[1, 2]';",
    "decks-names-not-text": 'UPDATE col SET decks = \'{"2": {"name": 5}}\';',
    "fields-not-text": "UPDATE notes SET flds = 5, tags = 7;",
    "rubric-not-a-bank": (
        "UPDATE notes SET flds = 'q' || char(31) || 'a' || char(31) || 'c' || char(31) || "
        '\'{"question": {"id": "x"}, "bank": [1]}\';'
    ),
    "html-and-script": (
        "UPDATE notes SET flds = '<script>alert(1)</script><b>Q</b>' || char(31) || "
        "'<img src=x onerror=alert(1)>&lt;a&gt;' || char(0) || 'x';"
    ),
    # A view that never ends: reading it must stop, not hang the import.
    "endless-view": (
        "ALTER TABLE notes RENAME TO old_notes; CREATE VIEW notes AS WITH RECURSIVE n(id) AS "
        "(SELECT 1 UNION ALL SELECT id + 1 FROM n) SELECT id, 1 AS mid, 'q' || id AS flds, "
        "'' AS tags FROM n;"
    ),
}


def hostile_deck(kind: str, deck: bytes) -> bytes:
    """A deck whose collection is hostile in the way ``kind`` names (see the table above)."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("collection.anki2", _hostile_collection(kind, deck))
        archive.writestr("media", "{}")
    return out.getvalue()


def table_counts(db: Database) -> dict[str, int]:
    with db.session() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }


class PropertyFailure(AssertionError):
    """A property did not hold."""


_SOURCES = {
    BankFormat.YAML: "f.yaml",
    BankFormat.JSON: "f.json",
    BankFormat.SEED_PAGE: "f.txt",
    BankFormat.MARKDOWN: "f.md",
    BankFormat.ANKI: "f.apkg",
}


def exported(bank: Bank, fmt: BankFormat) -> bytes:
    """``bank`` written as a file in ``fmt``."""
    if fmt is not BankFormat.ANKI:
        return dump_bank(bank, fmt).encode("utf-8")
    with tempfile.TemporaryDirectory() as folder:
        return export_bank_file(bank, fmt, Path(folder) / "deck.apkg").read_bytes()


def check_import(db: Database, data: bytes, fmt: BankFormat, original: Bank | None = None) -> None:
    """Import ``data``: round-trip on success, an unchanged database on the app's error.

    Args:
        original: the bank ``data`` is an unchanged export of, which it must import as.
    """
    source = _SOURCES[fmt]
    before = table_counts(db)
    try:
        result = catalog.import_bank_bytes(db, data, source, fmt)
    except InterviewPrepError:
        if table_counts(db) != before:
            raise PropertyFailure("a failed import changed the database") from None
        if original is not None:
            raise PropertyFailure(f"{fmt.value}: an unchanged export was refused") from None
        return
    try:
        stored = repository.get_bank(db, result.bank_id)
        if original is not None and stored.to_dict() != original.to_dict():
            raise PropertyFailure(f"{fmt.value}: the export imports as another bank")
        out_fmt = BankFormat.YAML if fmt is BankFormat.SEED_PAGE else fmt
        again = read_bank_bytes(exported(stored, out_fmt), _SOURCES[out_fmt])
        if again.to_dict() != stored.to_dict():
            raise PropertyFailure(f"{fmt.value}: the bank does not round-trip through export")
    finally:
        repository.delete_bank(db, result.bank_id)


def check_exports(bank: Bank, folder: Path) -> None:
    """Markdown reads back as the same bank; the Anki deck holds one note per question."""
    markdown = dump_bank(bank, BankFormat.MARKDOWN).encode("utf-8")
    if read_bank_bytes(markdown, "bank.md").to_dict() != bank.to_dict():
        raise PropertyFailure("the Markdown export does not read back as the same bank")
    path = export_bank_file(bank, BankFormat.ANKI, folder / "deck.apkg")
    import zipfile

    with zipfile.ZipFile(path) as deck:
        collection = folder / "collection.anki2"
        collection.write_bytes(deck.read("collection.anki2"))
    with sqlite3.connect(collection) as connection:
        (notes,) = connection.execute("SELECT count(*) FROM notes").fetchone()
    if notes != len(bank.questions):
        raise PropertyFailure(f"the Anki deck holds {notes} notes for {len(bank.questions)}")


def check_search(db: Database, text: str) -> None:
    """Any text parses and searches without an error other than the app's own."""
    parse_query(text)
    with contextlib.suppress(InterviewPrepError):
        repository.search(db, text, limit=5)


@dataclass
class Tally:
    inputs: dict[str, int] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)

    def count(self, name: str) -> None:
        self.inputs[name] = self.inputs.get(name, 0) + 1


def properties(
    db: Database, folder: Path, tally: Tally, examples: int, shrink: bool = True
) -> dict[str, Callable[..., None]]:
    """The properties as Hypothesis tests over ``db``, each running ``examples`` inputs when
    called and counting them in ``tally``."""
    profile = settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        # The timed run reports failures as found; the tests shrink them to a small example.
        phases=list(Phase) if shrink else [p for p in Phase if p is not Phase.shrink],
    )

    @profile
    @given(st.sampled_from([BankFormat.YAML, BankFormat.JSON, BankFormat.SEED_PAGE]), st.data())
    def importers(fmt: BankFormat, data: Any) -> None:
        raw = data.draw(mutation(_serialise(data.draw(bank_data()), fmt)))
        tally.count(f"import-{fmt.value}")
        check_import(db, raw, fmt)

    @profile
    @given(st.sampled_from([BankFormat.MARKDOWN, BankFormat.ANKI]), full_bank_data(), st.data())
    def round_trips(fmt: BankFormat, generated: dict[str, Any], data: Any) -> None:
        try:
            bank = validate_bank_data(generated, "generated")
        except InterviewPrepError:
            return
        written = exported(bank, fmt)
        if fmt is BankFormat.MARKDOWN:
            raw = data.draw(markdown_mutation(_QuietText(written.decode("utf-8"))))
        else:
            raw = data.draw(anki_mutation(_QuietBytes(written)))
        tally.count(f"import-{fmt.value}")
        check_import(db, raw, fmt, original=bank if raw == written else None)

    @profile
    @given(bank_data())
    def exporters(data: dict[str, Any]) -> None:
        try:
            bank = validate_bank_data(data, "generated")
        except InterviewPrepError:
            return
        tally.count("export-markdown-anki")
        check_exports(bank, folder)

    @profile
    @given(st.lists(_pieces, max_size=40).map("".join))
    def search(text: str) -> None:
        tally.count("search")
        check_search(db, text)

    return {
        "importers": importers,
        "round_trips": round_trips,
        "exporters": exporters,
        "search": search,
    }


def fuzz_database(folder: Path) -> Database:
    """A SQLite database holding one small bank, for the search property to find things in."""
    db = open_database(f"sqlite:///{folder / 'fuzz.db'}", sync_bundled=False)
    bank = validate_bank_data(
        {
            "id": "fuzz-base",
            "title": "Base",
            "questions": [
                {"id": "q1", "category": "C", "question": "What is a gradient?", "answer": "A."}
            ],
        }
    )
    repository.import_bank(db, bank)
    return db


def run(seconds: float, examples_per_round: int = 10) -> Tally:
    """Run every property in rounds until ``seconds`` have passed."""
    tally = Tally()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        db = fuzz_database(folder)
        try:
            tests = properties(db, folder, tally, examples_per_round, shrink=False)
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                for name_, test in tests.items():
                    if time.monotonic() >= deadline:
                        break
                    try:
                        test()
                    except Exception:  # a property failed: count it, keep the first few
                        tally.failures[name_] = tally.failures.get(name_, 0) + 1
                        if len(tally.examples) < 5:
                            # Each line cut: a falsifying example may hold a whole deck's bytes.
                            lines = traceback.format_exc(limit=8).splitlines()
                            tally.examples.append("\n".join(line[:400] for line in lines))
        finally:
            db.close()
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=600, help="How long to run (600).")
    args = parser.parse_args(argv)
    started = time.monotonic()
    tally = run(args.seconds)
    elapsed = time.monotonic() - started
    print(f"Fuzzed for {elapsed:.0f} s")
    for name, count in sorted(tally.inputs.items()):
        print(f"  {name:<24} {count:>8} inputs")
    print(f"  {'total':<24} {sum(tally.inputs.values()):>8} inputs")
    print(f"Failures: {sum(tally.failures.values())}")
    for example in tally.examples:
        print(example)
    return 1 if tally.failures else 0


if __name__ == "__main__":
    sys.exit(main())
