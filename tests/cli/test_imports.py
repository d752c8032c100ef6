"""What a command imports, which is most of what it costs to start (benchmarks/startup.py times it).

Each command runs in a new interpreter, as a user's does, and reports the heavy packages it
loaded: the schema checker, the migrations, the numeric and model libraries, the scheduler (fsrs)
and the password hasher (argon2), which only practice and the account commands use, pydantic
(the web layer's; a command line that imports it pays about 0.15 s before it starts), and
SQLAlchemy, which a command reading a ready SQLite file does without (storage/readers.py).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import interview_prep

# The package the tests import, which the child imports too (rather than another install).
SOURCE = Path(interview_prep.__file__).resolve().parents[1]
HEAVY = (
    *("jsonschema", "alembic", "numpy", "onnxruntime", "pydantic", "fastapi", "yaml"),
    *("fsrs", "argon2", "sqlalchemy"),
)


def _loaded_after(code: str, env_dir: Path) -> list[str]:
    script = "\n".join(
        [
            "import json, sys",
            code,
            f"heavy = set({HEAVY!r})",
            'print(json.dumps(sorted({n.split(".")[0] for n in sys.modules} & heavy)))',
        ]
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env={
            "INTERVIEW_PREP_DATA_DIR": str(env_dir),
            "PATH": "/usr/bin:/bin",
            "COLUMNS": "200",
            "PYTHONPATH": str(SOURCE),
        },
    )
    loaded: list[str] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


def test_importing_the_command_line_loads_none_of_the_heavy_packages(tmp_path):
    assert _loaded_after("import interview_prep.cli", tmp_path) == []


@pytest.mark.parametrize(
    "args",
    [
        ["banks"],
        ["questions", "--bank", "ml-engineer"],
        ["questions", "--search", "gradient", "--json"],
        ["show", "bias-variance-tradeoff"],
        ["export", "ml-engineer", "--format", "json"],
        ["db", "upgrade"],
    ],
    ids=" ".join,
)
def test_a_browsing_command_on_a_current_database_loads_none_of_them(tmp_path, args):
    # The first command of a data folder creates the database (Alembic, the bundled bank's
    # YAML); the ones after it find the schema current and the bundled files unchanged.
    run = "from interview_prep.cli import main\nmain({args!r})"
    _loaded_after(run.format(args=["banks"]), tmp_path)
    assert _loaded_after(run.format(args=args), tmp_path) == []


def test_a_database_that_opening_would_change_is_opened_the_normal_way(tmp_path):
    # A bundled bank stored without its file's hash (as before hashes were kept): the command
    # opens the database through SQLAlchemy, which reads the file once and stores the hash.
    run = "from interview_prep.cli import main\nmain({args!r})"
    _loaded_after(run.format(args=["banks"]), tmp_path)
    with sqlite3.connect(tmp_path / "interview-prep.db") as connection:
        connection.execute("UPDATE banks SET source_hash = NULL")
    connection.close()
    assert {"sqlalchemy", "yaml"} <= set(_loaded_after(run.format(args=["banks"]), tmp_path))
    assert _loaded_after(run.format(args=["banks"]), tmp_path) == []


def test_exporting_the_history_of_a_current_database_does_without_sqlalchemy(tmp_path):
    run = "from interview_prep.cli import main\nmain({args!r})"
    _loaded_after(run.format(args=["banks"]), tmp_path)
    loaded = _loaded_after(run.format(args=["export-history", "--format", "csv"]), tmp_path)
    assert "sqlalchemy" not in loaded


def test_importing_into_a_current_database_does_without_sqlalchemy(tmp_path):
    # storage/writers.py: the bank is written through sqlite3 in one transaction.
    run = "from interview_prep.cli import main\nassert main({args!r}) == 0"
    bank = str(tmp_path / "bank.json")
    _loaded_after(
        run.format(args=["export", "ml-engineer", "--format", "json", "-o", bank]), tmp_path
    )
    for args in (["import", bank, "--replace"], ["import", bank]):
        if args[-1] == bank:  # a new bank, not a replaced one
            data = json.loads(Path(bank).read_text())
            Path(bank).write_text(json.dumps({**data, "id": "my-copy"}))
        loaded = _loaded_after(run.format(args=args), tmp_path)
        assert "sqlalchemy" not in loaded and "alembic" not in loaded, args
    with sqlite3.connect(tmp_path / "interview-prep.db") as connection:
        banks = dict(connection.execute("SELECT id, bundled FROM banks"))
    connection.close()
    assert banks == {"ml-engineer": 0, "my-copy": 0}
