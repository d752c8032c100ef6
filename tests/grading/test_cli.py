"""``interview-prep grade`` and ``eval`` through the real entry point on a fresh SQLite database."""

import json

import pytest

from interview_prep.cli import main

from .evaluation.test_measure import tiny_benchmark


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("INTERVIEW_PREP_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str) -> tuple[int, str, str]:
        status = main(list(args))
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run


def test_grade_prints_json(cli):
    status, out, _ = cli(
        "grade", "overfitting", "--json", "--answer",
        "The model memorises noise in the training data: training error is low but validation "
        "error is high. Use regularization such as dropout or weight decay, early stopping and "
        "more data.",
    )  # fmt: skip
    assert status == 0
    data = json.loads(out)
    assert data["question_id"] == "overfitting"
    assert 0 <= data["score"] <= 5
    assert data["rating"] in ("Again", "Hard", "Good", "Easy")
    assert {p["status"] for p in data["key_points"]} <= {"covered", "partly", "missed"}


def test_grade_reads_stdin_and_prints_readably(cli, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("Cross-validation prevents overfitting."))
    status, out, _ = cli("grade", "overfitting")
    assert status == 0
    assert "Misconception" in out and "Key points" in out


def test_grade_unknown_id_is_one_line_and_non_zero(cli):
    status, out, err = cli("grade", "no-such-question", "--answer", "x")
    assert status == 1
    assert out == ""
    assert err.strip().count("\n") == 0 and "no-such-question" in err
    assert "Traceback" not in err


def test_eval_json_per_answer_and_cv(cli, tmp_path):
    data = tiny_benchmark(tmp_path / "tiny.jsonl")
    out_file = tmp_path / "per-answer.jsonl"
    status, out, _ = cli("eval", str(data), "--json", "--per-answer", str(out_file))
    assert status == 0
    report = json.loads(out)
    assert set(report) == {
        "n", "pearson", "spearman", "rmse", "qwk", "macro_f1", "latency_ms_p50", "latency_ms_p95",
        "mean_error",
    }  # fmt: skip
    assert report["n"] == 24 and set(report["mean_error"]) == {"tiny"}
    rows = [json.loads(line) for line in out_file.read_text().splitlines()]
    assert len(rows) == 24 and "key_points" in rows[0]["result"]
    status, out, _ = cli("eval", str(data), "--json", "--by-question-cv", "3")
    assert status == 0 and json.loads(out)["n"] == 24
    status, out, _ = cli("eval", str(data))
    assert status == 0 and "Pearson" in out


def test_eval_grades_bare_lines_against_the_bank_rubric(cli, tmp_path):
    line = {
        "dataset": "mine",
        "question_id": "1",
        "question": "What is overfitting, and how can you prevent it?",
        "reference_answers": [],
        "answer": "Cross-validation prevents overfitting.",
        "score": 1.0,
        "max_score": 5.0,
        "label": None,
    }
    unmatched = dict(line, question="A question that no bank has", question_id="2", score=2.0)
    path = tmp_path / "bare.jsonl"
    path.write_text(json.dumps(line) + "\n" + json.dumps(unmatched) + "\n")
    out_file = tmp_path / "rows.jsonl"
    status, _, err = cli("eval", str(path), "--json", "--per-answer", str(out_file))
    assert status == 0
    assert "Skipped 1 line" in err
    [row] = [json.loads(text) for text in out_file.read_text().splitlines()]
    assert row["result"]["question_id"] == "overfitting"
    assert row["result"]["misconceptions"], "graded with the bank's misconceptions"


def test_eval_missing_file_is_a_clear_error(cli, tmp_path):
    status, _, err = cli("eval", str(tmp_path / "nope.jsonl"))
    assert status == 1 and "cannot read" in err
