"""The ``users`` commands, through the real entry point on a real SQLite database."""

from __future__ import annotations

import io

import pytest

from interview_prep.cli import main


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    """Run ``interview-prep ARGS`` with ``stdin``; returns (status, out, err)."""
    monkeypatch.setenv("INTERVIEW_PREP_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        status = main(list(args))
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run


def test_add_list_disable_and_reset(cli) -> None:
    status, out, _ = cli(
        "users",
        "add",
        "alice",
        "--role",
        "coach",
        "--name",
        "Alice A",
        "--password-stdin",
        stdin="correct horse battery\n",
    )
    assert status == 0 and "Added alice (coach)" in out
    status, out, _ = cli("users", "list")
    assert status == 0
    (row,) = [line for line in out.splitlines() if "alice" in line]
    assert "Alice A" in row and "coach" in row and "active" in row
    assert "local" not in out

    assert cli("users", "disable", "alice")[0] == 0
    assert "disabled" in cli("users", "list")[1]
    assert cli("users", "enable", "alice")[0] == 0
    status, out, _ = cli(
        "users", "reset-password", "alice", "--password-stdin", stdin="another long password\n"
    )
    assert status == 0 and "sessions have ended" in out


def test_bad_input_is_one_readable_line(cli) -> None:
    status, _, err = cli("users", "add", "bob", "--password-stdin", stdin="short\n")
    assert status == 1 and "too short" in err and "Traceback" not in err
    assert cli("users", "add", "bob", "--role", "boss", "--password-stdin", stdin="x" * 12)[0] == 1
    assert "no user 'carol'" in cli("users", "disable", "carol")[2]
    assert cli("users", "add", "bob", "--password-stdin", stdin="long enough pass\n")[0] == 0
    status, _, err = cli("users", "add", "BOB", "--password-stdin", stdin="long enough pass\n")
    assert status == 1 and "taken" in err


def test_a_token_is_printed_once_for_scripts(cli) -> None:
    cli("users", "add", "alice", "--password-stdin", stdin="correct horse battery\n")
    status, out, _ = cli("users", "token", "alice", "--name", "nightly export")
    assert status == 0 and out.startswith("ipt_") and len(out.strip()) > 40


def test_db_backup_restore_and_check(cli, tmp_path) -> None:
    cli("users", "add", "alice", "--password-stdin", stdin="correct horse battery\n")
    file = tmp_path / "backup.gz"
    status, out, _ = cli("db", "backup", str(file))
    assert status == 0 and "Backed up" in out and file.exists()
    cli("users", "add", "bob", "--password-stdin", stdin="correct horse battery\n")
    status, out, _ = cli("db", "restore", str(file), "--yes")
    assert status == 0 and "Restored" in out
    listed = cli("users", "list")[1]
    assert "alice" in listed and "bob" not in listed
    status, out, _ = cli("db", "check")
    assert status == 0 and "consistent" in out


def test_a_one_time_password_must_be_replaced_at_the_first_login(cli) -> None:
    cli("users", "add", "nina", "--one-time", "--password-stdin", stdin="handed over pass\n")
    cli("users", "add", "omar", "--password-stdin", stdin="omar's own choice\n")
    rows = {line.split()[1]: line for line in cli("users", "list")[1].splitlines() if "│" in line}
    assert "one-time password" in rows["nina"] and "one-time" not in rows["omar"]
    # A reset with --one-time hands one over too; without it, the password is the user's.
    cli("users", "reset-password", "omar", "--one-time", "--password-stdin", stdin="x" * 12)
    cli("users", "reset-password", "nina", "--password-stdin", stdin="nina's own choice\n")
    rows = {line.split()[1]: line for line in cli("users", "list")[1].splitlines() if "│" in line}
    assert "one-time password" in rows["omar"] and "one-time" not in rows["nina"]
