"""Banks, questions, tags and the full-text search index.

Revision ID: 0001
Revises:
Create Date: 2024-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

# Search index, SQLite: an FTS5 table whose content is the questions table itself (no copy of
# the text), kept in step by triggers so that every writer, not only this app's code, keeps it true.
SQLITE_SEARCH = [
    """
    CREATE VIRTUAL TABLE questions_fts USING fts5(
        question, answer, key_points_text, tags_text,
        content='questions', content_rowid='pk',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER questions_fts_after_insert AFTER INSERT ON questions BEGIN
        INSERT INTO questions_fts(rowid, question, answer, key_points_text, tags_text)
        VALUES (new.pk, new.question, new.answer, new.key_points_text, new.tags_text);
    END
    """,
    """
    CREATE TRIGGER questions_fts_after_delete AFTER DELETE ON questions BEGIN
        INSERT INTO questions_fts(
            questions_fts, rowid, question, answer, key_points_text, tags_text
        )
        VALUES ('delete', old.pk, old.question, old.answer, old.key_points_text, old.tags_text);
    END
    """,
    """
    CREATE TRIGGER questions_fts_after_update
    AFTER UPDATE OF question, answer, key_points_text, tags_text ON questions BEGIN
        INSERT INTO questions_fts(
            questions_fts, rowid, question, answer, key_points_text, tags_text
        )
        VALUES ('delete', old.pk, old.question, old.answer, old.key_points_text, old.tags_text);
        INSERT INTO questions_fts(rowid, question, answer, key_points_text, tags_text)
        VALUES (new.pk, new.question, new.answer, new.key_points_text, new.tags_text);
    END
    """,
]

# Search index, PostgreSQL: a generated tsvector, weighted so that the question text counts most
# (A), then key points and tags (B), then the model answer (C). Angle brackets become spaces:
# PostgreSQL's parser would otherwise skip "<script>" as an HTML tag, and SQLite's does not.
POSTGRESQL_SEARCH = [
    """
    ALTER TABLE questions ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, translate(question, '<>', '  ')), 'A')
        || setweight(to_tsvector('english'::regconfig, translate(key_points_text, '<>', '  ')), 'B')
        || setweight(to_tsvector('english'::regconfig, tags_text), 'B')
        || setweight(to_tsvector('english'::regconfig, translate(answer, '<>', '  ')), 'C')
    ) STORED
    """,
    "CREATE INDEX ix_questions_search_vector ON questions USING gin (search_vector)",
]


def upgrade() -> None:
    op.create_table(
        "banks",
        sa.Column("id", sa.String(120), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("role", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("bundled", sa.Boolean(), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_banks"),
    )
    op.create_table(
        "questions",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("bank_id", sa.String(120), nullable=False),
        sa.Column("question_id", sa.String(120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(100), nullable=False),
        sa.Column("difficulty", sa.String(10), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("key_points_text", sa.Text(), nullable=False),
        sa.Column("tags_text", sa.Text(), nullable=False),
        sa.Column("rubric", sa.JSON(), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "difficulty IN ('easy', 'medium', 'hard')", name="ck_questions_difficulty"
        ),
        sa.ForeignKeyConstraint(
            ["bank_id"], ["banks.id"], name="fk_questions_bank_id_banks", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name="pk_questions"),
        sa.UniqueConstraint("bank_id", "question_id", name="uq_questions_bank_id_question_id"),
    )
    op.create_index("ix_questions_bank_id_position", "questions", ["bank_id", "position"])
    op.create_index("ix_questions_question_id", "questions", ["question_id"])
    op.create_table(
        "question_tags",
        sa.Column("question_pk", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(120), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_pk"],
            ["questions.pk"],
            name="fk_question_tags_question_pk_questions",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("question_pk", "tag", name="pk_question_tags"),
    )
    op.create_index("ix_question_tags_tag", "question_tags", ["tag"])

    dialect = op.get_bind().dialect.name
    for statement in SQLITE_SEARCH if dialect == "sqlite" else POSTGRESQL_SEARCH:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE questions_fts")  # its triggers go with the questions table
    op.drop_table("question_tags")
    op.drop_table("questions")
    op.drop_table("banks")
