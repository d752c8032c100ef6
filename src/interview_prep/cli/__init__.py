"""The ``interview-prep`` command line: thin commands over the library.

Every command parses its input, calls one library function and renders the result. A user error
(an :class:`InterviewPrepError`) prints one readable line and exits with status 1, never a
traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import typer

from ..errors import InterviewPrepError
from ..input_policy import clean_text
from . import banks
from .context import err_console, state
from .terminal import escape

app = typer.Typer(
    name="interview-prep",
    help="Offline interview practice: question banks, a grader that explains, spaced repetition.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def configure(
    database_url: str | None = typer.Option(
        None, "--database-url", help="Database URL (env INTERVIEW_PREP_DATABASE_URL)."
    ),
    data_dir: str | None = typer.Option(
        None, "--data-dir", help="Folder for user data (env INTERVIEW_PREP_DATA_DIR)."
    ),
) -> None:
    """Offline interview practice: question banks, a grader that explains, spaced repetition."""
    state.overrides.update({"database_url": database_url, "data_dir": data_dir})


banks.register(app)

for _module in ("grading", "serve", "practice", "users"):
    # Commands of parts that are optional at import time register themselves when present.
    try:
        _extension = __import__(f"{__name__}.{_module}", fromlist=["register"])
    except ModuleNotFoundError as error:
        if error.name != f"{__name__}.{_module}":
            raise
    else:
        _extension.register(app)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns (and, as a script, exits with) the exit status."""
    try:
        # The input policy at the command line: undecodable bytes in an argument arrive as lone
        # surrogates, and a NUL can be passed through a program's exec.
        args = [clean_text(arg) for arg in (sys.argv[1:] if argv is None else argv)]
        result = app(args=args, standalone_mode=False)
    except InterviewPrepError as error:
        # The message may quote a bank's text: print it as text, never as markup or escapes.
        err_console.print(f"[bold red]Error:[/] {escape(error.message)}", highlight=False)
        return 1
    except typer.Abort:
        err_console.print("Aborted.")
        return 130
    except typer.TyperException as error:
        # Typer carries its own copy of click: usage errors (a missing argument, an unknown
        # command) are its exceptions, not click's, and each knows how to show itself.
        show = getattr(error, "show", None)
        if callable(show):
            show()
        else:
            err_console.print(f"Error: {error.format_message()}", highlight=False, markup=False)
        return int(error.exit_code)
    finally:
        state.close()
    return result if isinstance(result, int) else 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
