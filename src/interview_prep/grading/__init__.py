"""The grading engine: scores and explains a free-text answer, offline.

Import :func:`grade` and :func:`get_grader` from :mod:`.service`; the model and numpy-heavy parts
load on first use, not on import of this package.

The engine is layered, each layer importing only from those below it (``tests/grading/
test_layout.py`` checks it): :mod:`.text` (words, sentences, numbers, clauses) <- :mod:`.models`
(the encoder and the judge) <- :mod:`.evidence` (what the answer says against the rubric) <-
:mod:`.scoring` (score, label, feedback) <- this top level (:mod:`.pipeline`, :mod:`.graders`,
:mod:`.lexical`, :mod:`.service`) <- :mod:`.evaluation` (measuring the grader). :mod:`.result`
holds the types every layer speaks and imports nothing of the engine. The data files stay in
``grading/data/`` and are found through this package, wherever the module that reads them sits.
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
