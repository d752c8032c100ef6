"""The bank commands, run through the real entry point on a real SQLite database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interview_prep.cli import main

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_0a627cbd178ed323.txt"
CATEGORIES = [
    "Fundamentals",
    "Deep dive",
    "Scenarios",
    "System design",
    "Debugging",
    "Behavioral",
    "Quick-fire",
]


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    """Run ``interview-prep ARGS`` against a fresh SQLite database; returns (status, out, err)."""
    monkeypatch.setenv("INTERVIEW_PREP_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str) -> tuple[int, str, str]:
        status = main(list(args))
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run


def test_questions_json_lists_the_bundled_bank(cli):
    status, out, _ = cli("questions", "--json")
    assert status == 0
    questions = json.loads(out)
    assert len(questions) == 54
    assert sorted({q["category"] for q in questions}) == sorted(CATEGORIES)
    for question in questions:
        assert {
            "id",
            "bank",
            "category",
            "difficulty",
            "tags",
            "question",
            "answer",
            "key_points",
            "misconceptions",
            "expected",
            "errata",
        } <= question.keys()
        assert len(question["key_points"]) >= 3
        assert all("text" in point for point in question["key_points"])
        if question["category"] == "Quick-fire":
            assert question["expected"] is not None
    assert sum(len(q["errata"]) for q in questions) >= 2


def test_banks_lists_counts(cli):
    status, out, _ = cli("banks")
    assert status == 0
    assert "ml-engineer" in out
    assert "54" in out


def test_filters_combine(cli):
    _, out, _ = cli("questions", "--json", "--category", "Quick-fire", "--difficulty", "easy")
    questions = json.loads(out)
    assert questions
    assert {(q["category"], q["difficulty"]) for q in questions} == {("Quick-fire", "easy")}


def test_search_ranks_the_right_question_first(cli):
    _, out, _ = cli("questions", "--json", "--search", "vanishing gradient")
    assert json.loads(out)[0]["id"] == "vanishing-gradients"


def test_show_readable_and_json(cli):
    status, out, _ = cli("show", "adam-default-learning-rate")
    assert status == 0
    assert "Expected answer: 0.001" in out
    status, out, _ = cli("show", "ml-engineer/adam-default-learning-rate", "--json")
    assert json.loads(out)["expected"]["value"] == 0.001


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("show", "no-such-question"), "no-such-question"),
        (("questions", "--difficulty", "brutal"), "unknown difficulty 'brutal'"),
        (("export", "no-such-bank", "--format", "yaml"), "no-such-bank"),
        (("export", "ml-engineer", "--format", "pdf"), "unknown format 'pdf'"),
        (("import", "/no/such/file.yaml"), "no such file"),
    ],
)
def test_user_errors_print_one_line_and_exit_1(cli, args, message):
    status, out, err = cli(*args)
    assert status == 1
    assert err.startswith("Error:")
    assert message in err
    assert "Traceback" not in err + out
    assert len(err.strip().splitlines()) == 1


def test_import_seed_page_then_export(cli, tmp_path):
    status, out, _ = cli("import", str(SEED), "--format", "seed-page", "--bank-id", "seed")
    assert status == 0, out
    assert "Imported bank seed with 54 questions" in out
    status, _, err = cli("import", str(SEED), "--bank-id", "seed")
    assert status == 1
    assert "seed" in err
    status, out, _ = cli("import", str(SEED), "--bank-id", "seed", "--replace")
    assert status == 0
    assert "Replaced" in out

    status, out, _ = cli("export", "seed", "--format", "markdown")
    assert status == 0
    assert out.startswith("# Machine Learning Engineer Interview Questions")
    target = tmp_path / "seed.json"
    status, _, _ = cli("export", "seed", "--format", "json", "-o", str(target))
    assert status == 0
    assert len(json.loads(target.read_text())["questions"]) == 54
    status, _, _ = cli("export", "seed", "--format", "anki", "-o", str(tmp_path / "seed.apkg"))
    assert status == 0
    assert (tmp_path / "seed.apkg").stat().st_size > 1000


def test_exported_yaml_imports_back(cli, tmp_path):
    target = tmp_path / "bank.yaml"
    assert cli("export", "ml-engineer", "--format", "yaml", "-o", str(target))[0] == 0
    text = target.read_text().replace("id: ml-engineer\n", "id: ml-copy\n", 1)
    target.write_text(text)
    status, out, err = cli("import", str(target))
    assert status == 0, err
    assert "ml-copy" in out


def test_db_upgrade(cli):
    status, out, _ = cli("db", "upgrade")
    assert status == 0
    assert "revision" in out


def test_a_missing_argument_is_a_usage_error_not_a_traceback(cli):
    status, _, err = cli("show")
    assert status == 2
    assert "Missing argument 'ID'" in err
    assert "Traceback" not in err


def test_an_unknown_command_is_a_usage_error(cli):
    status, _, err = cli("no-such-command")
    assert status == 2
    assert "No such command" in err


def test_exported_markdown_imports_back(cli, tmp_path):
    status, out, _ = cli("export", "ml-engineer", "--format", "markdown")
    assert status == 0
    target = tmp_path / "mine.markdown"
    target.write_text(out.replace('{"id": "ml-engineer"', '{"id": "mine"', 1), encoding="utf-8")
    status, out, _ = cli("import", str(target))
    assert status == 0, out
    assert "Imported bank mine with 54 questions" in out
    status, again, _ = cli("export", "mine", "--format", "markdown")
    assert again == target.read_text(encoding="utf-8")


def test_a_hand_written_markdown_bank_imports_and_a_broken_one_names_its_line(cli, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text(
        "# My notes\n\n## Basics\n\n### What is a tensor?\n*easy* · `maths`\n\n"
        "An array with any number of axes.\n\n**Key points**\n\n- It generalises matrices\n",
        encoding="utf-8",
    )
    status, out, _ = cli("import", str(notes))
    assert status == 0 and "Imported bank my-notes with 1 questions" in out
    status, out, _ = cli("show", "what-is-a-tensor", "--json")
    shown = json.loads(out)
    assert (shown["bank"], shown["difficulty"]) == ("my-notes", "easy")
    assert shown["key_points"][0]["text"] == "It generalises matrices"
    notes.write_text("# Broken\n\n### Q?\nA.\n\n**Errata**\n\n- nothing in shape\n")
    status, _, err = cli("import", str(notes), "--bank-id", "other")
    assert status == 1
    assert "notes.md: line 8: an erratum is written" in err
