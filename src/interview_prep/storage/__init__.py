"""Storage: banks and questions in SQLite or PostgreSQL, with full-text search, and practice.

Open the database with :func:`open_database` (migrations and bundled banks are applied on the
way), then call the functions of :mod:`.repository`; they return plain records, never ORM objects.
Practice (attempts, FSRS states, reviews, sessions) goes through :class:`DatabasePracticeStore`.

The names below are loaded on first use, not with the package: SQLAlchemy and the practice
modules take most of a command's start-up, and a module of this package that needs neither
(such as :mod:`.records`) can then be imported alone.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .database import Database, open_database, upgrade
    from .practice import DatabasePracticeStore
    from .records import BankSummary, BundledSync, ImportResult, QuestionRecord, SearchHit
    from .repository import (
        count_questions,
        delete_bank,
        get_bank,
        get_question,
        import_bank,
        list_banks,
        list_questions,
        neighbours,
        search,
    )

_MODULES = {
    "database": ("Database", "open_database", "upgrade"),
    "practice": ("DatabasePracticeStore",),
    "records": ("BankSummary", "BundledSync", "ImportResult", "QuestionRecord", "SearchHit"),
    "repository": (
        *("count_questions", "delete_bank", "get_bank", "get_question", "import_bank"),
        *("list_banks", "list_questions", "neighbours", "search"),
    ),
}
_MODULE_OF = {name: module for module, names in _MODULES.items() for name in names}

__all__ = [
    "BankSummary",
    "BundledSync",
    "Database",
    "DatabasePracticeStore",
    "ImportResult",
    "QuestionRecord",
    "SearchHit",
    "count_questions",
    "delete_bank",
    "get_bank",
    "get_question",
    "import_bank",
    "list_banks",
    "list_questions",
    "neighbours",
    "open_database",
    "search",
    "upgrade",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
