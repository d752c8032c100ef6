"""Password checks and hashes in the web app: on a small executor of their own.

An argon2id check (argon2-cffi's defaults) costs about a tenth of a second of CPU, four threads
and 64 MiB. Run as plain sync routes, on the thread pool every other request shares (40 threads),
200 people logging in at once took all of it: pages and answers queued behind the logins, the
logins behind each other for tens of seconds, and the thread that answers uvicorn's worker health
check starved with them, so the supervisor could kill a worker and drop every connection it held.
Here at most one check per core runs at a time in each worker; the others wait in this executor's
queue, holding no pool thread and no memory, while the rest of the app goes on.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

SLOTS = max(1, min(4, os.cpu_count() or 1))
EXECUTOR = ThreadPoolExecutor(max_workers=SLOTS, thread_name_prefix="password-work")


async def run_password_work(function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run ``function`` (a step that checks or hashes a password) on the password executor.

    The call keeps the caller's context variables, as Starlette's ``run_in_threadpool`` does.
    """
    context = contextvars.copy_context()
    call = functools.partial(context.run, function, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(EXECUTOR, call)
