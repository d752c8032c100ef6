"""``grade`` and ``eval``: grade an answer to a stored question, or measure the grader on a file."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ..errors import InvalidInputError
from .context import console, err_console, state
from .terminal import escape

if TYPE_CHECKING:
    from ..domain import Question
    from ..grading.evaluation.benchmark_data import BenchmarkItem
    from ..grading.evaluation.measure import EvalReport
    from ..grading.result import GradeResult

_STATUS_STYLE = {"covered": "green", "partly": "yellow", "missed": "red"}
_LABEL_STYLE = {"strong": "green", "acceptable": "cyan", "weak": "yellow", "incorrect": "red"}


def _read_answer(answer: str | None) -> str:
    if answer is not None:
        return answer
    if sys.stdin is None or sys.stdin.isatty():
        raise InvalidInputError("give the answer with --answer TEXT or on standard input")
    return sys.stdin.read()


def _show(result: GradeResult) -> None:
    from rich.table import Table  # drawn by these commands only, not imported on every start

    style = _LABEL_STYLE.get(result.label.value, "white")
    console.print(
        f"[bold {style}]{result.score:.1f}/5 · {result.label.value}[/] · "
        f"suggested rating: [bold]{result.rating.value}[/]  [dim]({escape(result.grader)} grader, "
        f"{result.elapsed_ms:.0f} ms)[/]"
    )
    console.print(escape(result.feedback))
    if result.key_points:
        table = Table(title="Key points", title_justify="left", show_lines=False)
        table.add_column("Status")
        table.add_column("Key point")
        table.add_column("Evidence in the answer")
        for point in result.key_points:
            status = "contradicted" if point.contradicted else point.status.value
            colour = "red" if point.contradicted else _STATUS_STYLE[point.status.value]
            evidence = ""
            if point.evidence is not None:
                evidence = f"“{point.evidence.text}” ({point.evidence.similarity:.2f})"
            table.add_row(f"[{colour}]{status}[/]", escape(point.text), escape(evidence))
        console.print(table)
    for item in result.misconceptions:
        console.print(
            f"[bold red]Misconception[/] ({item.kind.value}): “{escape(item.sentence.text)}”\n"
            f"  [green]→[/] {escape(item.correction)}"
        )
    if result.quickfire is not None:
        mark = "[green]✓[/]" if result.quickfire.passed else "[red]✗[/]"
        console.print(f"{mark} expected: {escape(result.quickfire.expected)}")
    star = result.structure.star if result.structure else None
    if star is not None:
        parts = star.to_dict()
        shown = ", ".join(
            f"{'[green]✓[/]' if present else '[red]✗[/]'} {name.replace('_', ' ')}"
            for name, present in parts.items()
        )
        console.print(f"STAR: {shown}")


def grade(
    question_id: str = typer.Argument(..., help="The question's id, or bank/id."),
    answer: str | None = typer.Option(
        None, "--answer", "-a", help="The answer (default: read standard input)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    grader: str | None = typer.Option(
        None,
        "--grader",
        help="auto (the default: judge, else the rules), judge, judge-coverage (the rules find "
        "wrong claims), embedding (the rules alone) or lexical (env INTERVIEW_PREP_GRADER).",
    ),
    audio: Path | None = typer.Option(
        None,
        "--audio",
        help="A recorded answer (WAV, FLAC, OGG, MP3 or WebM): transcribed offline, then graded.",
    ),
) -> None:
    """Grade an answer to a stored question: score, key points, misconceptions, feedback."""
    from ..grading.service import grade as grade_answer
    from ..storage import repository

    record = repository.get_question(state.database(), question_id)
    config = state.config(grader=grader)
    if audio is not None:
        if answer is not None:
            raise InvalidInputError("give either --answer or --audio, not both")
        from .speech import grade_audio, show_delivery

        spoken = grade_audio(record.question, audio, config)
        if as_json:
            typer.echo(json.dumps(spoken.to_dict(), ensure_ascii=False, indent=2))
        else:
            show_delivery(spoken)
            _show(spoken.grade)
        return
    text = _read_answer(answer)
    result = grade_answer(
        record.question,
        text,
        grader_name=str(config.grader) or None,
        max_chars=int(config.max_answer_chars),
    )
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        _show(result)


def _normalise(text: str) -> str:
    return " ".join(text.lower().split())


def _question_lookup(items: list[BenchmarkItem]) -> tuple[dict[int, Question], list[int]]:
    """Bank questions for the lines without reference answers, and the lines left unmatched."""
    bare = [item for item in items if not any(text.strip() for text in item.references)]
    if not bare:
        return {}, []
    from ..storage import repository

    by_text = {
        _normalise(record.question.question): record.question
        for record in repository.list_questions(state.database())
    }
    matched: dict[int, Question] = {}
    unmatched: list[int] = []
    for item in bare:
        question = by_text.get(_normalise(item.question))
        if question is None:
            unmatched.append(item.line)
        else:
            matched[item.line] = question
    return matched, unmatched


def _show_report(report: EvalReport, path: Path) -> None:
    from rich.table import Table

    title = f"{path.name}: {report.n} answers"
    if report.cv_folds:
        title += f", {report.cv_folds}-fold cross-validation by question"
    table = Table(title=title, title_justify="left")
    table.add_column("Metric")
    table.add_column("Value", justify="right")
    table.add_row("Pearson (file scale)", f"{report.pearson:.3f}")
    table.add_row("Pearson (0-5 scale)", f"{report.pearson_05:.3f}")
    table.add_row("Spearman", f"{report.spearman:.3f}")
    table.add_row("RMSE (file scale)", f"{report.rmse:.3f}")
    table.add_row("QWK (rounded 0-5)", f"{report.qwk:.3f}")
    table.add_row("Macro-F1", "-" if report.macro_f1 is None else f"{report.macro_f1:.3f}")
    for dataset, error in report.mean_error.items():
        table.add_row(f"Mean error, {dataset} (predicted - human, 0-5)", f"{error:+.3f}")
    table.add_row(
        "Latency p50 / p95", f"{report.latency_ms_p50:.1f} / {report.latency_ms_p95:.1f} ms"
    )
    console.print(table)


def eval_(
    file: Path = typer.Argument(..., help="A JSONL file in the benchmark schema."),
    as_json: bool = typer.Option(False, "--json", help="Print the metrics as one JSON object."),
    per_answer: Path | None = typer.Option(
        None, "--per-answer", help="Write each answer's full result to this JSONL file."
    ),
    by_question_cv: int | None = typer.Option(
        None,
        "--by-question-cv",
        min=2,
        help="K-fold cross-validation by question, calibration refitted on training folds.",
    ),
    grader: str | None = typer.Option(
        None, "--grader", help="auto, judge, judge-coverage, embedding or lexical."
    ),
) -> None:
    """Measure the grader against human scores: Pearson, Spearman, RMSE, QWK, macro-F1, latency."""
    from ..grading.evaluation.benchmark_data import load_benchmark
    from ..grading.evaluation.measure import cross_validate, evaluate
    from ..grading.graders import EngineGrader
    from ..grading.service import get_grader

    items = load_benchmark(file)
    matched, unmatched = _question_lookup(items)
    if unmatched:
        shown = ", ".join(str(line) for line in unmatched[:5])
        more = f" and {len(unmatched) - 5} more" if len(unmatched) > 5 else ""
        err_console.print(
            f"[yellow]Skipped[/] {len(unmatched)} line(s) with no reference answers and no bank "
            f"question of the same text: {shown}{more}"
        )
        skipped = set(unmatched)
        items = [item for item in items if item.line not in skipped]
    if not items:
        raise InvalidInputError(f"{file}: no line can be graded")
    engine = get_grader(str(state.config(grader=grader).grader) or None)
    if not isinstance(engine, EngineGrader):
        raise InvalidInputError(
            f"grader {engine.name!r} cannot be evaluated (not an engine grader)"
        )

    def question_for(item: BenchmarkItem) -> Question:
        return matched.get(item.line) or item.as_question()

    keep = per_answer is not None
    if by_question_cv:
        groups = {item.group for item in items}
        if by_question_cv > len(groups):
            raise InvalidInputError(
                f"--by-question-cv {by_question_cv}: the file has only {len(groups)} questions"
            )
    from rich.progress import Progress

    # On stderr, so that --json output stays clean; rich hides it when stderr is not a terminal.
    with Progress(console=err_console, transient=True) as bar:
        task = bar.add_task(f"grading {len(items):,} answers", total=len(items))

        def advance(done: int) -> None:
            bar.update(task, completed=done)

        if by_question_cv:
            report = cross_validate(
                items, engine, by_question_cv, question_for, keep_results=keep, progress=advance
            )
        else:
            report = evaluate(items, engine, question_for, keep_results=keep, progress=advance)
    if per_answer is not None:
        with per_answer.open("w", encoding="utf-8") as out:
            for row in report.results:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    if as_json:
        typer.echo(json.dumps(report.to_dict()))
    else:
        _show_report(report, file)


def register(app: typer.Typer) -> None:
    """Add ``grade`` and ``eval`` to the main command line."""
    app.command()(grade)
    app.command("eval")(eval_)
