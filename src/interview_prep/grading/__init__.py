"""The grading engine: scores and explains a free-text answer, offline.

Import :func:`grade` and :func:`get_grader` from :mod:`.service`; the model and numpy-heavy parts
load on first use, not on import of this package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .result import GradeResult
    from .service import get_grader, grade

__all__ = ["GradeResult", "get_grader", "grade"]


def __getattr__(name: str) -> Any:
    if name in ("grade", "get_grader"):
        from . import service

        return getattr(service, name)
    if name == "GradeResult":
        from .result import GradeResult

        return GradeResult
    raise AttributeError(name)
