"""Password checks and hashes in the web app: on a small executor of their own.

An argon2id check (argon2-cffi's defaults) costs about a quarter of a second of CPU, four threads
and 64 MiB. Run as plain sync routes, on the thread pool every other request shares (40 threads),
200 people logging in at once took all of it: pages and answers queued behind the logins, the
logins behind each other for tens of seconds, and the thread that answers uvicorn's worker health
check starved with them, so the supervisor could kill a worker and drop every connection it held.
Here at most one check per core runs at a time in each worker; the others wait in this executor's
queue, holding no pool thread and no memory, while the rest of the app goes on.

A login whose browser gave up waiting leaves the queue unchecked: otherwise, once the queue is
longer than people wait, every check would be for someone already gone, and their retries would
make it longer still.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from starlette.requests import Request

from ..errors import ClientGoneError

P = ParamSpec("P")
T = TypeVar("T")

SLOTS = max(1, min(4, os.cpu_count() or 1))
EXECUTOR = ThreadPoolExecutor(max_workers=SLOTS, thread_name_prefix="password-work")
# How often a queued login looks whether its client is still there.
DISCONNECT_POLL_SECONDS = 0.5


async def run_password_work(
    request: Request, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs
) -> T:
    """Run ``function`` (a step that checks or hashes a password) on the password executor.

    The call keeps the caller's context variables, as Starlette's ``run_in_threadpool`` does.

    Raises:
        ClientGoneError: the client disconnected before the work started; it never runs.
    """
    context = contextvars.copy_context()
    call = functools.partial(context.run, function, *args, **kwargs)
    future = asyncio.get_running_loop().run_in_executor(EXECUTOR, call)
    while True:
        done, _ = await asyncio.wait({future}, timeout=DISCONNECT_POLL_SECONDS)
        if done:
            return future.result()
        # Cancelling succeeds only while the work is still queued; started work finishes.
        if await request.is_disconnected() and future.cancel():
            raise ClientGoneError(request.url.path)
