"""Faster search and start: question-text search vectors, a filter index, bundled file hashes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-03-09
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None

# SQLite: the search joins every full-text match to its question to apply the filters. Looked
# up by rowid, each question costs a whole page (its text is long); this index holds only what
# the filters and the ordering read, so that lookup stays small.
SQLITE_SEARCH = [
    """
    CREATE INDEX ix_questions_search_filters
    ON questions (pk, retired, bank_id, category, difficulty, position)
    """,
]

# PostgreSQL: ranking reads a vector per match, and search_vector (the whole question with its
# answer) is large enough to be stored out of line and compressed. Two small vectors stay in
# the row, each indexed to find the questions whose words are there (see storage/ranking.py):
# the question text alone, and the question with its key points and tags, weighted as in
# search_vector, which is also what the ranking scores.
POSTGRESQL_SEARCH = [
    """
    ALTER TABLE questions
    ADD COLUMN search_vector_question tsvector GENERATED ALWAYS AS (
        to_tsvector('english'::regconfig, translate(question, '<>', '  '))
    ) STORED,
    ADD COLUMN search_vector_summary tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, translate(question, '<>', '  ')), 'A')
        || setweight(to_tsvector('english'::regconfig, translate(key_points_text, '<>', '  ')), 'B')
        || setweight(to_tsvector('english'::regconfig, tags_text), 'B')
    ) STORED
    """,
    """
    CREATE INDEX ix_questions_search_vector_question
    ON questions USING gin (search_vector_question)
    """,
    """
    CREATE INDEX ix_questions_search_vector_summary
    ON questions USING gin (search_vector_summary)
    """,
]


def upgrade() -> None:
    op.add_column("banks", sa.Column("source_hash", sa.String(64), nullable=True))
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_SEARCH if dialect == "sqlite" else POSTGRESQL_SEARCH:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP INDEX ix_questions_search_filters")
    else:
        op.execute("DROP INDEX ix_questions_search_vector_question")
        op.execute("DROP INDEX ix_questions_search_vector_summary")
        op.execute(
            "ALTER TABLE questions DROP COLUMN search_vector_question, "
            "DROP COLUMN search_vector_summary"
        )
    # Not in batch mode: on SQLite that copies the table, and dropping the old banks table
    # would delete every question through the foreign keys. SQLite 3.35 drops columns itself.
    op.drop_column("banks", "source_hash")
