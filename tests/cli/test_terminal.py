"""Bank text shown on a terminal: escapes and control characters never reach it (finding 7)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interview_prep.cli import main
from interview_prep.cli.terminal import escape, printable

CLEAR = "\x1b[2J"
LINK = "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07"
TITLE = "\x1b]0;owned\x1b\\"
C1_CSI = "\x9b31m"


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("INTERVIEW_PREP_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str) -> tuple[int, str, str]:
        status = main(list(args))
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run


@pytest.fixture
def escape_bank(tmp_path: Path) -> Path:
    bank = {
        "id": "escapes",
        "title": f"Escapes {CLEAR}",
        "questions": [
            {
                "id": "q",
                "category": f"Cat{C1_CSI}egory",
                "tags": ["t"],
                "question": f"What {CLEAR}is {LINK}?",
                "answer": f"An answer {TITLE}with [bold]markup[/bold] and a bell\x07.",
                "key_points": [{"text": f"point {CLEAR}"}],
            }
        ],
    }
    path = tmp_path / "escapes.json"
    path.write_text(json.dumps(bank), encoding="utf-8")
    return path


def _no_controls(text: str) -> None:
    assert not [ch for ch in text if (ord(ch) < 32 and ch not in "\n\t") or 0x7F <= ord(ch) < 0xA0]


def test_show_questions_and_banks_print_no_escapes(cli, escape_bank: Path) -> None:
    assert cli("import", str(escape_bank))[0] == 0
    status, out, _ = cli("show", "escapes/q")
    assert status == 0
    _no_controls(out)
    assert "What is click?" in out and "[bold]markup[/bold]" in out
    status, out, _ = cli("questions", "--bank", "escapes")
    assert status == 0
    _no_controls(out)
    assert "Category" in out
    _no_controls(cli("banks")[1])


def test_an_error_quoting_user_text_prints_it_as_text(cli) -> None:
    status, _, err = cli("show", f"[bold red]x{CLEAR}")
    assert status == 1
    _no_controls(err)
    assert "[bold red]x" in err


def test_arguments_follow_the_input_policy(cli) -> None:
    # A NUL in a filter used to reach PostgreSQL, which refuses it; undecodable bytes arrive as
    # lone surrogates, which cannot be encoded.
    status, out, _ = cli("questions", "--category", "Funda\x00mentals\udcff", "--json")
    assert status == 0
    assert json.loads(out) == []


def test_printable_removes_sequences_whole() -> None:
    assert printable(f"a{CLEAR}b{LINK}c{TITLE}d{C1_CSI}e\x00\x7f") == "abclickcde"
    assert printable("tab\tline\nend") == "tab\tline\nend"
    assert escape("[b]x\x1b[0m") == "\\[b]x"
