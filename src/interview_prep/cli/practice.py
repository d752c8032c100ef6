"""``interview-prep practice``: the practice loop in the terminal, and ``export-history``.

The loop is the web's, through :mod:`interview_prep.practice.service`: a question, a typed answer
(several lines, ended by an empty line or Ctrl-D), the grader's feedback, and a rating that goes
to FSRS. Plain standard input cannot redraw a countdown while the user types, so the deadline is
shown up front; when it comes, the answer is submitted as it stands (the lines finished with
Enter), as the web's countdown does, and marked as timed out. In interview
mode the interviewer follows each answer up with one of the question's follow-ups (those the
bundled bank ships), answered and graded the same way; its feedback comes with its question's.

Five module-level seams (``clock``, ``load_questions``, ``open_store``, ``open_history``,
``load_grader``) are what tests replace to drive the loop headless.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import typer

from ..errors import ConfigurationError, InvalidInputError, NotFoundError
from ..input_policy import clean_text
from ..practice.clock import Clock, utc_now
from .context import console, err_console, state
from .line_reader import LineReader
from .terminal import escape

if TYPE_CHECKING:
    from ..domain.questions import Question
    from ..practice.attempts import QuestionRef
    from ..practice.scheduling import CardState, Rating
    from ..practice.service import Grader, PracticeSettings, QuestionRecordLike
    from ..practice.sessions import PracticeSession, SessionConfig, SessionItem
    from ..practice.store import PracticeStore
    from ..storage.readers import PracticeHistory

# The practice modules (FSRS, the session queue, feedback) are imported by the functions that
# use them: registering these commands is part of every start of the CLI, ``interview-prep
# banks`` included, and those imports would be a tenth of its time.

clock: Clock = utc_now


def load_questions() -> Sequence[QuestionRecordLike]:
    """Every current question of every bank, in bank order (filters apply later, in the queue)."""
    from ..storage import repository

    return repository.list_questions(state.database())


def search_questions(config: SessionConfig) -> list[QuestionRef] | None:
    """The questions the session's search finds (``None`` without one).

    Raises:
        InvalidInputError: a search that finds nothing.
    """
    if config.search is None:
        return None
    from ..practice.attempts import QuestionRef
    from ..storage import repository

    hits = repository.search(state.database(), config.search, bank=config.bank, limit=500)
    if not hits:
        raise InvalidInputError(f"the search {config.search!r} finds no question")
    return [QuestionRef(hit.record.bank_id, hit.record.question.id) for hit in hits]


def open_store() -> PracticeStore:
    """The database's practice store; an in-memory one (with a warning) until storage has one."""
    from ..practice.store import InMemoryPracticeStore

    try:
        from ..storage.practice import DatabasePracticeStore
    except ModuleNotFoundError:
        err_console.print(
            "[yellow]Note:[/] practice history is not stored in the database yet; "
            "this session's answers and ratings will not be kept."
        )
        return InMemoryPracticeStore()
    store: PracticeStore = DatabasePracticeStore(state.database())
    return store


def open_history() -> PracticeHistory:
    """Where ``export-history`` reads: a SQLite file that is ready as it is through ``sqlite3``
    (see :mod:`interview_prep.storage.readers`), without SQLAlchemy; else the practice store."""
    return state.sqlite_reader() or open_store()


def load_grader() -> Grader:
    """The configured grader (setting ``grader``), loaded before the first question."""
    try:
        from ..grading.service import get_grader, grade
    except ModuleNotFoundError as error:
        if not (error.name or "").startswith("interview_prep.grading"):
            raise
        raise ConfigurationError(
            "the grader is not available: interview_prep.grading.service is missing"
        ) from None
    config = state.config()
    name, max_chars = str(config.grader or "") or None, int(config.max_answer_chars)
    with console.status("Loading the grader…"):
        get_grader(name)  # an unknown name fails now, and the model loads before any answer

    def grade_as_dict(question: Question, answer: str) -> dict[str, Any]:
        result: dict[str, Any] = grade(
            question, answer, grader_name=name, max_chars=max_chars
        ).to_dict()
        return result

    return grade_as_dict


def _local_tz() -> tzinfo:
    zone = clock().astimezone().tzinfo
    assert zone is not None
    return zone


def _duration(seconds: float) -> str:
    whole = max(0, round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def _clock_time(moment: datetime) -> str:
    return moment.astimezone(_local_tz()).strftime("%H:%M:%S")


def _read_answer(reader: LineReader, deadline: datetime | None) -> tuple[str | None, bool]:
    """Lines up to an empty line or end of input; ``None`` if input ended before any text.

    Returns:
        The answer, and whether the time ran out: then the answer is the lines finished by the
        ``deadline``, and a line finished after it is left for the next prompt.
    """
    lines: list[str] = []
    while True:
        wait = None if deadline is None else (deadline - clock()).total_seconds()
        line = reader.readline(timeout=wait)
        if line is not None and deadline is not None and clock() > deadline:
            reader.push_back(line)  # finished after the time ran out: not part of the answer
            line = None
        if line is None:
            _discard_unfinished_line(reader)
            return "\n".join(lines), True
        if not line:
            return ("\n".join(lines) if lines else None), False
        line = clean_text(line.rstrip("\r\n"))  # the input policy, as for every answer
        if not line.strip() and lines:
            return "\n".join(lines), False
        if line.strip() or lines:
            lines.append(line)


def _discard_unfinished_line(reader: LineReader) -> None:
    """Drop what a terminal holds of a line not yet ended with Enter, so that it does not
    become the start of the answer to the next prompt."""
    if not reader.isatty():
        return
    try:
        import termios

        termios.tcflush(reader.stream.fileno(), termios.TCIFLUSH)
    except (ImportError, OSError, ValueError):
        pass  # no termios (Windows) or not a real terminal: the line stays


def _submit(store: PracticeStore, session: PracticeSession, answer: str, time_up: bool) -> None:
    """Submit the answer; when the countdown ran out, at the deadline, as the web's does."""
    from ..practice.service import expire_overdue, submit_answer

    if time_up:
        session.save_draft(answer, clock())
        if expire_overdue(store, session, clock()) is not None:
            return
    submit_answer(store, session, answer, clock())


def _read_rating(stream: LineReader, suggested: Rating | None) -> Rating:
    from ..practice.scheduling import Rating

    default = suggested or Rating.GOOD
    while True:
        console.print(
            f"Rate your recall: [bold]1[/] Again · [bold]2[/] Hard · [bold]3[/] Good · "
            f"[bold]4[/] Easy  (Enter = [bold]{default.label}[/]) ",
            end="",
        )
        line = stream.readline()
        if not stream.isatty():
            console.print()  # a terminal echoes the user's Enter; piped input does not
        if not line or not line.strip():
            return default
        try:
            return Rating.parse(line)
        except ValueError:
            console.print(f"[red]{escape(line.strip())!s} is not a rating.[/]")


def _show_question(session: PracticeSession, index: int, question: Question) -> None:
    from rich.panel import Panel

    item = session.items[index]
    subtitle = f"{escape(question.category)} · {question.difficulty.value}"
    number, total = session.question_numbers()[index], session.question_count
    title = (
        f"Follow-up to question {number}: the interviewer asks"
        if item.follow_up is not None
        else f"Question {number} of {total}"
    )
    console.print()
    console.print(
        Panel(escape(question.question), title=title, subtitle=subtitle, title_align="left")
    )
    deadline = session.deadline(index)
    if deadline is not None and item.started_at is not None:
        limit = (deadline - item.started_at).total_seconds()
        console.print(
            f"⏱ {_duration(limit)} to answer: until [bold]{_clock_time(deadline)}[/]. "
            "Then your answer is submitted as it stands: the lines you have ended with Enter."
        )
    console.print("[dim]Type your answer; finish with an empty line (or Ctrl-D).[/]")


def _show_submitted(session: PracticeSession, index: int) -> None:
    item = session.items[index]
    taken = item.time_taken_s or 0.0
    limit = session.config.time_limit_s or 0
    if item.timed_out and taken <= limit:
        console.print(
            f"\n[yellow]Time's up:[/] your answer was submitted at the {_duration(limit)} limit, "
            "as it stood."
        )
    elif item.timed_out:
        console.print(
            f"[yellow]Time's up:[/] answered after {_duration(taken)}, over the "
            f"{_duration(session.config.time_limit_s or 0)} limit; kept and marked as timed out."
        )
    else:
        console.print(f"Answered in {_duration(taken)}.")


def _show_feedback(session: PracticeSession, index: int, question: Question) -> None:
    from rich.table import Table
    from rich.text import Text

    from ..practice.feedback import KeyPointStatus, highlight, read_feedback

    item = session.items[index]
    feedback = read_feedback(item.grade)
    score = "–" if feedback.score is None else f"{feedback.score:.1f}/5"
    console.print(f"\n[bold]Score {score}[/] · {escape(feedback.label)}")
    for message in feedback.messages:
        console.print(f"[yellow]![/] {escape(message)}")
    if feedback.text:
        console.print(escape(feedback.text))

    answer = Text()
    for segment in highlight(item.answer, feedback.key_points):
        answer.append(segment.text, style="bold green underline" if segment.key_points else "")
    model = Text(question.answer)
    if feedback.expected:
        model.append(f"\n\nExpected: {feedback.expected}", style="bold")
    sides = Table(expand=True, show_lines=False)
    sides.add_column("Your answer (covered key points highlighted)", ratio=1)
    sides.add_column("Model answer", ratio=1)
    sides.add_row(answer, model)
    console.print(sides)

    marks = {
        KeyPointStatus.COVERED: "[green]✓[/]",
        KeyPointStatus.PARTIAL: "[yellow]~[/]",
        KeyPointStatus.MISSED: "[red]✗[/]",
    }
    if feedback.key_points:
        console.print("[bold]Key points[/]")
        for point in feedback.key_points:
            note = " [red](contradicted)[/]" if point.contradicted else ""
            console.print(f"  {marks[point.status]} {escape(point.text)}{note}")
    if feedback.misconceptions:
        console.print("[bold]Misconceptions[/]")
        for item_wrong in feedback.misconceptions:
            said = (
                f'\n    you wrote: "{escape(item_wrong.evidence)}"' if item_wrong.evidence else ""
            )
            console.print(
                f"  [red]✗[/] {escape(item_wrong.claim)}{said}\n"
                f"    [green]✓[/] {escape(item_wrong.correction)}"
            )
    suggested = feedback.suggested.label if feedback.suggested else "none"
    console.print(f"Suggested rating: [bold]{suggested}[/]")


def _show_rated(rating: Rating, state: CardState) -> None:
    now = clock()
    wait = (state.due - now).total_seconds()
    if wait < 60 * 60:
        when = f"in {max(1, round(wait / 60))} min"
    elif wait < 24 * 60 * 60:
        when = f"in {round(wait / 3600)} h"
    else:
        when = f"on {state.due.astimezone(_local_tz()):%a %d %b}"
    console.print(f"Rated [bold]{rating.label}[/]: next review {when}.")


def _show_summary(session: PracticeSession, asked: Callable[[SessionItem], Question]) -> None:
    from rich.table import Table

    summary = session.summary()
    table = Table(title="Session summary", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("Question")
    table.add_column("Score", justify="right")
    table.add_column("Time", justify="right")
    table.add_column("Rating")
    table.add_column("Weakest key points")
    numbers = session.question_numbers()
    for index, item in enumerate(summary.items):
        time = "–" if item.time_taken_s is None else _duration(item.time_taken_s)
        follow_up = item.follow_up is not None
        try:
            text = asked(session.items[index]).question
        except NotFoundError:  # a follow-up no longer in its bank: its id is all there is
            text = item.follow_up or item.question.key
        table.add_row(
            "" if follow_up else str(numbers[index]),
            f"  ↳ follow-up: {escape(text)}" if follow_up else escape(text),
            "–" if item.score is None else f"{item.score:.1f}",
            time + (" ⏱" if item.timed_out else ""),
            item.rating.label if item.rating else "–",
            escape("; ".join(item.weakest_key_points)),
        )
    console.print(table)
    mean = "–" if summary.mean_score is None else f"{summary.mean_score:.1f}/5"
    console.print(f"Mean score {mean} · total time {_duration(summary.total_time_s)}")


def _rate_or_move_on(
    session: PracticeSession,
    store: PracticeStore,
    index: int,
    settings: PracticeSettings,
    stream: LineReader,
) -> None:
    from ..practice.service import close_crammed, rate_answer

    if session.config.cram:
        close_crammed(store, session, index, clock())
        console.print("Cram: not rated, and no review logged.")
        return
    rating = _read_rating(stream, session.items[index].suggested)
    card = rate_answer(store, session, index, rating, clock(), settings=settings)
    _show_rated(rating, card)


def run_session(
    session: PracticeSession,
    store: PracticeStore,
    questions: dict[QuestionRef, Question],
    grader: Grader,
    settings: PracticeSettings,
    stream: TextIO,
    speak: Callable[[Question], str | None] | None = None,
    follow_ups: Callable[[QuestionRef], Sequence[Question]] = lambda ref: (),
) -> None:
    """Drive a session to its end (or until input ends), reading answers from ``stream``.

    With ``speak``, each answer is spoken instead: ``speak`` records and transcribes it and
    returns the (corrected) transcript. ``follow_ups`` gives a question's follow-up items, for
    the interviewer to ask in interview mode.
    """
    from ..practice.service import grade_answer
    from ..practice.sessions import SessionMode

    drill = session.config.mode is SessionMode.DRILL
    reader = LineReader(stream)

    def asked(item: SessionItem) -> Question:
        if item.follow_up is None:
            return questions[item.question]
        found = [q for q in follow_ups(item.question) if q.id == item.follow_up]
        if not found:
            raise NotFoundError(f"the follow-up {item.follow_up!r} is no longer in its bank")
        return found[0]

    while session.current_index is not None:
        index = session.current_index
        question = asked(session.items[index])
        session.start(clock())
        store.save_session(session)
        _show_question(session, index, question)
        if speak is not None:
            answer, time_up = speak(question), False
        else:
            answer, time_up = _read_answer(reader, session.deadline(index))
        if answer is None:
            console.print("\nInput ended: the session is saved unfinished.")
            return
        _submit(store, session, answer, time_up)
        _show_submitted(session, index)
        item = session.items[index]
        interviewer = not drill and item.follow_up is None
        with console.status("Grading…"):
            grade_answer(
                store,
                session,
                index,
                question,
                grader,
                follow_ups=follow_ups(item.question) if interviewer else (),
            )
        if drill:
            _show_feedback(session, index, question)
            _rate_or_move_on(session, store, index, settings, reader)
    if not drill:
        console.print("\n[bold]All answered: here is your feedback.[/]")
        numbers = session.question_numbers()
        for index, item in enumerate(session.items):
            if item.follow_up is None and item.rating is None and item.crammed_at is None:
                question = questions[item.question]
                console.print(f"\n[bold]Question {numbers[index]}:[/] {escape(question.question)}")
                _show_feedback(session, index, question)
                follow_up = session.follow_up_of(index)
                if follow_up is not None and follow_up.grade is not None:
                    fu_question = asked(follow_up)
                    console.print(
                        f"\n[bold]The interviewer's follow-up:[/] {escape(fu_question.question)}"
                    )
                    _show_feedback(session, session.index_of(follow_up), fu_question)
                _rate_or_move_on(session, store, index, settings, reader)
    _show_summary(session, asked)


def practice(
    bank: str | None = typer.Option(None, "--bank", "-b", help="Only this bank."),
    category: list[str] | None = typer.Option(
        None, "--category", "-c", help="Only this category (repeat for several)."
    ),
    difficulty: str | None = typer.Option(
        None, "--difficulty", "-d", help="Only this difficulty: easy, medium or hard."
    ),
    count: int = typer.Option(5, "--count", "-n", help="Number of questions."),
    time_limit: int | None = typer.Option(
        None, "--time-limit", "-t", help="Seconds per question (default: no limit)."
    ),
    mode: str = typer.Option(
        "drill", "--mode", "-m", help="drill: feedback after each answer; interview: at the end."
    ),
    voice: bool = typer.Option(
        False, "--voice", help="Answer by speaking into the microphone (transcribed offline)."
    ),
    tag: list[str] | None = typer.Option(
        None, "--tag", help="Only questions with this tag (repeat for any of several)."
    ),
    question: list[str] | None = typer.Option(
        None,
        "--question",
        "-q",
        help="Only these questions: ids, or bank/id (repeat, or separate by commas).",
    ),
    search: str | None = typer.Option(
        None, "--search", "-s", help="Only the questions this search finds."
    ),
    weakest: bool = typer.Option(
        False, "--weakest", help="Your weakest first: the lowest mastery, due or not."
    ),
    cram: bool = typer.Option(
        False, "--cram", help="Graded, but no ratings: leaves the review schedule alone."
    ),
) -> None:
    """Practise in the terminal: due reviews first, then new questions, graded and rated."""
    from ..domain.questions import Difficulty
    from ..practice.attempts import LOCAL_USER_ID
    from ..practice.selection import parse_question_list
    from ..practice.service import PracticeSettings, ref_of, start_session
    from ..practice.sessions import SessionConfig, SessionMode, SessionOrder

    if difficulty is not None and difficulty not in {item.value for item in Difficulty}:
        raise InvalidInputError(f"unknown difficulty {difficulty!r}: choose easy, medium or hard")
    if mode not in {item.value for item in SessionMode}:
        raise InvalidInputError(f"unknown mode {mode!r}: choose drill or interview")
    records = load_questions()
    listed = parse_question_list(" ".join(question or ()), (ref_of(r) for r in records))
    config = SessionConfig(
        bank=bank,
        categories=tuple(category or ()),
        difficulty=difficulty,
        count=count,
        time_limit_s=time_limit,
        mode=SessionMode(mode),
        tags=tuple(tag or ()),
        questions=tuple(ref.key for ref in listed),
        search=" ".join(search.split()) if search and search.strip() else None,
        order=SessionOrder.WEAKEST if weakest else SessionOrder.SCHEDULE,
        cram=cram,
    )
    speak = None
    if voice:
        from .speech import microphone_recorder, spoken_answer_reader

        microphone_recorder()  # no microphone: say so now, before a session starts
        speak = spoken_answer_reader(state.config(), sys.stdin, time_limit)
    settings = PracticeSettings.from_config(state.config())
    searched = search_questions(config)
    grader = load_grader()
    store = open_store()
    session = start_session(
        store,
        LOCAL_USER_ID,
        config,
        records,
        clock(),
        settings=settings,
        tz=_local_tz(),
        searched=searched,
    )
    questions = {ref_of(record): record.question for record in records}
    run_session(
        session, store, questions, grader, settings, sys.stdin, speak, follow_ups=_follow_ups()
    )


def _follow_ups() -> Callable[[QuestionRef], Sequence[Question]]:
    """A question's follow-up items (read from the bank's follow-up file on first need)."""
    from ..catalog import follow_up_items
    from ..storage import repository

    banks = {bank.id: bank for bank in repository.list_banks(state.database())}

    def of(ref: QuestionRef) -> Sequence[Question]:
        bank = banks.get(ref.bank_id)
        return follow_up_items(state.database(), bank).get(ref.question_id, ()) if bank else ()

    return of


def export_history_command(
    fmt: str = typer.Option("json", "--format", "-f", help="json or csv."),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="File to write (default: standard output)."
    ),
) -> None:
    """Export every practice attempt and review as JSON or CSV."""
    from ..practice.attempts import LOCAL_USER_ID
    from ..practice.history import export_history
    from ..practice.service import history_attempts

    if fmt.lower() not in ("json", "csv"):
        raise InvalidInputError(f"unknown format {fmt!r}: choose json or csv")
    history = open_history()
    text = export_history(
        history_attempts(history, LOCAL_USER_ID),
        history.review_logs(LOCAL_USER_ID),
        fmt,
        exported_at=clock(),
    )
    if output is None:
        typer.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    console.print(f"Wrote {escape(str(output))}")


def register(app: typer.Typer) -> None:
    app.command()(practice)
    app.command("export-history")(export_history_command)
