"""Storage: banks and questions in SQLite or PostgreSQL, with full-text search, and practice.

Open the database with :func:`open_database` (migrations and bundled banks are applied on the
way), then call the functions of :mod:`.repository`; they return plain records, never ORM objects.
Practice (attempts, FSRS states, reviews, sessions) goes through :class:`DatabasePracticeStore`.
"""

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
