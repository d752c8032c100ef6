"""Lines of standard input that can be waited for with a time limit: the terminal countdown's.

A plain ``readline`` cannot be given up on. So once a read is given a time limit, one thread
does every read, one line at a time and only when asked: a read that runs out of time leaves
its request standing, and the line it brings is the next read's (the rating prompt's, after the
countdown has submitted the answer). Reading no further ahead than asked keeps the order of
prompts and lines as the user sees it. Untimed reads before the first timed one stay plain
reads, so a session without a time limit never starts the thread.
"""

from __future__ import annotations

import queue
import threading
from typing import TextIO


class LineReader:
    """``readline`` over a text stream, with an optional time limit per line."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._lines: queue.Queue[str | BaseException] = queue.Queue()
        self._wanted = threading.Semaphore(0)
        self._thread: threading.Thread | None = None
        self._asked = False
        self._ended = False
        self._pushed_back: list[str] = []

    def isatty(self) -> bool:
        return self.stream.isatty()

    def readline(self, timeout: float | None = None) -> str | None:
        """The next line, with its line break; ``""`` at the end of input.

        Args:
            timeout: seconds to wait at most (``None``: as long as it takes).

        Returns:
            The line, or ``None`` if ``timeout`` ran out first (the line is then the next
            call's).
        """
        if self._pushed_back:
            return self._pushed_back.pop()
        if self._ended:
            return ""
        if self._thread is None and timeout is None:
            return self._ended_if_empty(self.stream.readline())
        if self._thread is None:
            self._thread = threading.Thread(target=self._read, name="stdin-lines", daemon=True)
            self._thread.start()
        if not self._asked:
            self._asked = True
            self._wanted.release()
        try:
            line = self._lines.get(timeout=None if timeout is None else max(0.0, timeout))
        except queue.Empty:
            return None
        self._asked = False
        if isinstance(line, BaseException):
            self._ended = True
            raise line
        return self._ended_if_empty(line)

    def push_back(self, line: str) -> None:
        """Give ``line`` back: the next :meth:`readline` returns it."""
        self._pushed_back.append(line)

    def _ended_if_empty(self, line: str) -> str:
        self._ended = not line
        return line

    def _read(self) -> None:
        while True:
            self._wanted.acquire()
            try:
                line = self.stream.readline()
            except BaseException as error:  # the caller raises it, in its own thread
                self._lines.put(error)
                return
            self._lines.put(line)
            if not line:
                return
