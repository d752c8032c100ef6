"""Commands to browse, import and export question banks, and to manage the database."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from ..domain.questions import Difficulty, Question
from ..errors import InvalidInputError
from ..formats import READABLE, WRITABLE, BankFormat, dump_bank, export_bank_file, parse_format
from .context import console, state
from .terminal import escape

_SUFFIX = {
    BankFormat.YAML: ".yaml",
    BankFormat.JSON: ".json",
    BankFormat.MARKDOWN: ".md",
    BankFormat.ANKI: ".apkg",
}


# rich's tables and panels are imported where one is drawn: the commands that print JSON or one
# line (export, import, show --json) start faster without them.


def _print_json(data: object) -> None:
    # Plain print: rich would wrap long lines and break the JSON for other programs.
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def banks() -> None:
    """List the question banks with their question counts and categories."""
    from rich.table import Table

    summaries = state.reader().list_banks()
    table = Table(title="Question banks", title_justify="left")
    table.add_column("Bank")
    table.add_column("Title")
    table.add_column("Questions", justify="right")
    table.add_column("Categories")
    for summary in summaries:
        categories = ", ".join(f"{name} ({count})" for name, count in summary.categories.items())
        table.add_row(
            escape(summary.id),
            escape(summary.title),
            str(summary.question_count),
            escape(categories),
        )
    console.print(table)


def questions(
    bank: str | None = typer.Option(None, "--bank", "-b", help="Only this bank."),
    category: str | None = typer.Option(None, "--category", "-c", help="Only this category."),
    difficulty: str | None = typer.Option(
        None, "--difficulty", "-d", help="Only this difficulty: easy, medium or hard."
    ),
    tag: str | None = typer.Option(None, "--tag", "-t", help="Only questions with this tag."),
    search: str | None = typer.Option(None, "--search", "-s", help="Full-text search."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array."),
) -> None:
    """List questions, filtered by bank, category, difficulty, tag or search text."""
    if difficulty is not None and difficulty not in {item.value for item in Difficulty}:
        raise InvalidInputError(f"unknown difficulty {difficulty!r}: choose easy, medium or hard")
    records = state.reader().list_questions(
        bank=bank,
        category=category,
        difficulty=difficulty,
        tag=tag,
        search=search,
    )
    if as_json:
        _print_json([record.to_dict() for record in records])
        return
    if not records:
        console.print("No questions match.")
        return
    from rich.table import Table

    table = Table(show_lines=False)
    table.add_column("Id", no_wrap=True)
    table.add_column("Category")
    table.add_column("Level")
    table.add_column("Question")
    for record in records:
        q = record.question
        table.add_row(escape(q.id), escape(q.category), q.difficulty.value, escape(q.question))
    console.print(table)
    console.print(f"{len(records)} question(s)")


def _render_question(question: Question, bank_id: str) -> None:
    from rich.panel import Panel

    tags = ", ".join(question.tags)
    console.print(
        Panel(
            escape(question.question),
            title=f"{escape(bank_id)} / {escape(question.id)}",
            subtitle=f"{escape(question.category)} · {question.difficulty.value}"
            + (f" · {escape(tags)}" if tags else ""),
        )
    )
    console.print("[bold]Model answer[/]")
    console.print(escape(question.answer))
    if question.expected:
        console.print(f"\n[bold]Expected answer:[/] {escape(question.expected.display())}")
    if question.key_points:
        console.print("\n[bold]Key points[/]")
        for point in question.key_points:
            console.print(f"  • {escape(point.text)}")
    if question.misconceptions:
        console.print("\n[bold]Common misconceptions[/]")
        for item in question.misconceptions:
            console.print(
                f"  [red]✗[/] {escape(item.claim)}\n    [green]✓[/] {escape(item.correction)}"
            )
    if question.errata:
        console.print("\n[bold yellow]Errata[/]")
        for erratum in question.errata:
            console.print(
                f"  The model answer says “{escape(erratum.quote)}”;\n"
                f"    correct is: {escape(erratum.correction)}"
            )
    if question.follow_ups:
        console.print("\n[bold]Follow-ups[/]")
        for follow_up in question.follow_ups:
            console.print(f"  ? {escape(follow_up)}")
    if question.related:
        console.print(f"\n[bold]Related:[/] {escape(', '.join(question.related))}")


def show(
    question_id: str = typer.Argument(..., metavar="ID", help="Question id, or BANK/ID."),
    bank: str | None = typer.Option(None, "--bank", "-b", help="The question's bank."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show one question with its model answer, key points, misconceptions and errata."""
    record = state.reader().get_question(question_id, bank=bank)
    if as_json:
        _print_json(record.to_dict())
        return
    _render_question(record.question, record.bank_id)


def import_(
    file: Path = typer.Argument(..., help="The bank file to import."),
    fmt: str | None = typer.Option(
        None,
        "--format",
        "-f",
        help="seed-page, yaml, json, markdown or anki (default: from the file).",
    ),
    category: str | None = typer.Option(
        None, "--category", help="Seed pages: put every question in this category."
    ),
    bank_id: str | None = typer.Option(None, "--bank-id", help="Seed pages: the new bank's id."),
    replace: bool = typer.Option(False, "--replace", help="Replace a bank with the same id."),
) -> None:
    """Import a bank file (a seed-style page, YAML, JSON, Markdown or an Anki deck) in one
    transaction."""
    from ..catalog import import_bank_file

    result = import_bank_file(
        state.writer(),
        file,
        parse_format(fmt, READABLE),
        category=category,
        bank_id=bank_id,
        replace=replace,
        config=state.config(),
    )
    verb = "Replaced" if result.replaced else "Imported"
    console.print(
        f"{verb} bank [bold]{escape(result.bank_id)}[/] with {result.questions} questions."
    )


def export(
    bank: str = typer.Argument(..., help="The bank id."),
    fmt: str = typer.Option(..., "--format", "-f", help="yaml, json, markdown or anki."),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="File to write (default: standard output; anki: BANK.apkg)."
    ),
) -> None:
    """Export a bank as YAML, JSON, Markdown or an Anki deck."""
    chosen = parse_format(fmt, WRITABLE)
    assert chosen is not None  # the option is required
    stored = state.reader().get_bank(bank)
    if output is None and chosen is not BankFormat.ANKI:
        typer.echo(dump_bank(stored, chosen), nl=False)
        return
    written = export_bank_file(stored, chosen, output or Path(bank + _SUFFIX[chosen]))
    console.print(f"Wrote {escape(str(written))}")


db_app = typer.Typer(help="Manage the database.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply any pending database migrations."""
    from ..storage.migrations import HEAD_REVISION
    from ..storage.sqlite_file import at_head_revision

    config = state.config()
    url = config.resolved_database_url
    if at_head_revision(url):  # checked without importing SQLAlchemy and Alembic
        revision = HEAD_REVISION
    else:
        from ..storage.database import upgrade

        if not config.database_url:
            config.data_path.mkdir(parents=True, exist_ok=True)
        revision = upgrade(url)
    console.print(f"Database is at revision {escape(str(revision))}.")


@db_app.command("backup")
def db_backup(
    file: Path = typer.Argument(..., help="Where to write the backup (gzip JSON lines)."),
) -> None:
    """Copy every table to one file, consistently, while the app may keep running."""
    from ..storage.backup import backup

    summary = backup(state.database(), file)
    console.print(f"Backed up {summary.total} rows to {escape(str(file))}.")


@db_app.command("restore")
def db_restore(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A file from db backup."),
    yes: bool = typer.Option(False, "--yes", help="Replace the data without asking."),
) -> None:
    """Replace everything in the database with a backup, in one transaction."""
    from ..storage.backup import restore

    if not yes:
        typer.confirm("This replaces everything in the database. Go on?", abort=True)
    summary = restore(state.database(), file)
    console.print(f"Restored {summary.total} rows from {escape(str(file))}.")


@db_app.command("check")
def db_check() -> int:
    """Run the integrity checks (as Anki's "Check database"); exit 1 if anything is wrong."""
    from ..storage.backup import check

    problems = check(state.database())
    for problem in problems:
        console.print(f"[red]Problem:[/] {escape(problem)}")
    if problems:
        return 1
    console.print("The database is consistent.")
    return 0


def register(app: typer.Typer) -> None:
    app.command()(banks)
    app.command()(questions)
    app.command()(show)
    app.command("import")(import_)
    app.command()(export)
    app.add_typer(db_app, name="db")
