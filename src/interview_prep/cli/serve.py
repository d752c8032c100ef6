"""``interview-prep serve``: start the web app with uvicorn and print where to open it."""

from __future__ import annotations

import contextlib
import os
import socket
from typing import Any

import typer
from rich.markup import escape

from ..errors import ConfigurationError
from ..settings import ENV_PREFIX
from .context import console, state

APP_FACTORY = "interview_prep.web.app:create_app"
WORKER_HEALTHCHECK_SECONDS = 30


def _display_host(host: str) -> str:
    if host in ("0.0.0.0", "::", ""):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


def _check_free(host: str, port: int) -> None:
    """Fail with a readable message, before printing an address, if the port is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise ConfigurationError(
                f"cannot listen on {host}:{port} ({error.strerror}); "
                "choose another port with --port"
            ) from None


def _check_mode(host: str, team: bool) -> None:
    """Refuse to serve everyone's practice without logins to anyone who can reach the address."""
    from ..web.request_guard import is_loopback

    if team or is_loopback(host.strip("[]")):
        return
    raise ConfigurationError(
        f"{host} is not a loopback address: anyone who reaches it would share one user's "
        "practice. Serve it in team mode (--team), with accounts from `interview-prep users add`"
    )


def serve(
    host: str | None = typer.Option(
        None, "--host", help="Address to bind to (env INTERVIEW_PREP_HOST; default 127.0.0.1)."
    ),
    port: int | None = typer.Option(
        None, "--port", "-p", help="Port to listen on (env INTERVIEW_PREP_PORT; default 8000)."
    ),
    workers: int | None = typer.Option(
        None, "--workers", "-w", min=1, help="Server processes (env INTERVIEW_PREP_WORKERS)."
    ),
    team: bool | None = typer.Option(
        None,
        "--team/--single-user",
        help="Accounts with logins, each person's practice their own (env INTERVIEW_PREP_TEAM).",
    ),
) -> None:
    """Start the web app and print its address. It binds to loopback unless told otherwise."""
    import uvicorn

    config = state.config(host=host, port=port, workers=workers, team=team)
    _check_mode(config.host, config.team)
    _check_free(config.host, config.port)
    # Migrate and load the bundled banks once, here, so that workers never race to do it.
    database = state.database()
    if config.team:
        from ..storage.accounts import DatabaseAccountStore
        from ..web.app import NO_ACCOUNTS

        if DatabaseAccountStore(database).active_login_count() == 0:
            raise ConfigurationError(NO_ACCOUNTS)
    # Worker processes read their settings from the environment: pass on the resolved ones.
    os.environ[ENV_PREFIX + "DATABASE_URL"] = config.resolved_database_url
    os.environ[ENV_PREFIX + "TEAM"] = "1" if config.team else "0"
    url = f"http://{_display_host(config.host)}:{config.port}/"
    console.print(f"Interview Prep is running at [bold]{escape(url)}[/] (Ctrl+C to stop)")
    if config.workers > 1:
        state.close()
        _run_workers(
            uvicorn.Config(
                APP_FACTORY,
                factory=True,
                host=config.host,
                port=config.port,
                workers=config.workers,
                log_level="warning",
                # uvicorn kills a worker that does not answer its ping within this time, and
                # every request the worker holds drops with it. A worker slow to answer because
                # the machine is saturated (a crowd logging in and being graded) is busy, not
                # hung: give it half a minute rather than uvicorn's 5 s.
                timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
            )
        )
        return
    from ..web.app import create_app

    uvicorn.run(
        create_app(database, config=config),
        host=config.host,
        port=config.port,
        log_level="warning",
    )


def _run_workers(server_config: Any) -> None:
    """Run uvicorn's worker processes on a listening socket with Nagle's algorithm off.

    uvicorn binds the shared socket without naming TCP as its protocol, so asyncio leaves
    Nagle's algorithm on for the connections it accepts: a response written as headers then body
    waited ~40 ms for the client's delayed ACK on every reused connection. Linux passes
    TCP_NODELAY from the listening socket to the accepted ones.
    """
    import socket

    from uvicorn.supervisors import Multiprocess

    sock = server_config.bind_socket()
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    with contextlib.suppress(KeyboardInterrupt):
        Multiprocess(server_config, sockets=[sock]).run()


def register(app: typer.Typer) -> None:
    app.command()(serve)
