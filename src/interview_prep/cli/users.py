"""``interview-prep users``: the accounts of team mode (``serve --team``)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer
from rich.markup import escape
from rich.table import Table

from ..accounts.users import User, parse_role
from ..practice.clock import utc_now
from .context import console, state

if TYPE_CHECKING:
    from ..storage.accounts import DatabaseAccountStore

# The account service (and argon2 under it) is imported by the commands that use it, not when
# the CLI registers them on every start.

users_app = typer.Typer(help="Manage the accounts of team mode.", no_args_is_help=True)
ONE_TIME_HELP = (
    "The password is one to hand over: the user must choose their own at the first login."
)


def _store() -> DatabaseAccountStore:
    from ..storage.accounts import DatabaseAccountStore

    return DatabaseAccountStore(state.database())


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        # One line, without its newline: what `echo "$PASSWORD" | ...` sends.
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@users_app.command("add")
def add(
    username: str = typer.Argument(..., help="Login name: letters, digits, '.', '-', '_'."),
    role: str = typer.Option("candidate", "--role", "-r", help="candidate, coach or admin."),
    name: str = typer.Option("", "--name", help="The name pages show (default: the username)."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from the first line of stdin."
    ),
    take_local_history: bool = typer.Option(
        False,
        "--take-local-history",
        help="Give this account everything practised in single-user mode.",
    ),
    one_time: bool = typer.Option(False, "--one-time", help=ONE_TIME_HELP),
) -> None:
    """Add an account (asks for its password)."""
    from ..accounts import service

    store = _store()
    parsed_role = parse_role(role)
    password = _read_password(password_stdin)
    user = service.add_user(
        store,
        username,
        password,
        utc_now(),
        role=parsed_role,
        display_name=name,
        one_time=one_time,
    )
    console.print(f"Added {escape(user.username)} ({user.role.value}).")
    if take_local_history:
        moved = store.take_local_history(user.id)
        console.print(f"Gave {escape(user.username)} the local history ({moved} records).")


def _status(user: User) -> str:
    if not user.password_set:
        return "no password"
    return "one-time password" if user.must_change_password else "active"


@users_app.command("list")
def list_users() -> None:
    """List the accounts."""
    table = Table(title="Accounts", title_justify="left")
    for column in ("Username", "Name", "Role", "Status", "Created"):
        table.add_column(column)
    for user in _store().users():
        status = "disabled" if user.disabled else _status(user)
        table.add_row(
            escape(user.username),
            escape(user.display_name),
            user.role.value,
            status,
            user.created_at.strftime("%Y-%m-%d"),
        )
    console.print(table)


@users_app.command("disable")
def disable(username: str = typer.Argument(..., help="The account to disable.")) -> None:
    """Disable an account: it cannot log in, and its sessions and API tokens end at once."""
    from ..accounts import service

    user = service.set_disabled(_store(), username, True)
    console.print(f"Disabled {escape(user.username)}.")


@users_app.command("enable")
def enable(username: str = typer.Argument(..., help="The account to enable again.")) -> None:
    """Enable a disabled account."""
    from ..accounts import service

    user = service.set_disabled(_store(), username, False)
    console.print(f"Enabled {escape(user.username)}.")


@users_app.command("reset-password")
def reset_password(
    username: str = typer.Argument(..., help="The account."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from the first line of stdin."
    ),
    one_time: bool = typer.Option(False, "--one-time", help=ONE_TIME_HELP),
) -> None:
    """Set a new password; the account is logged out everywhere."""
    from ..accounts import service

    store = _store()
    user = service.find_user(store, username)
    service.reset_password(store, user.username, _read_password(password_stdin), one_time=one_time)
    console.print(f"New password set for {escape(user.username)}; its sessions have ended.")


@users_app.command("logout")
def logout(username: str = typer.Argument(..., help="The account.")) -> None:
    """Log an account out of every browser."""
    from ..accounts import service

    store = _store()
    user = service.find_user(store, username)
    ended = store.end_all_sessions(user.id)
    console.print(f"Ended {ended} session{'s' if ended != 1 else ''} of {escape(user.username)}.")


@users_app.command("token")
def token(
    username: str = typer.Argument(..., help="The account the token acts as."),
    label: str = typer.Option("script", "--name", help="What the token is for."),
) -> None:
    """Make an API token (sent as 'Authorization: Bearer TOKEN'); it is shown only once."""
    from ..accounts import service

    store = _store()
    user = service.find_user(store, username)
    made = store.create_api_token(user.id, service.check_token_name(label), utc_now())
    # Plain output, so that scripts can capture it.
    typer.echo(made)


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
