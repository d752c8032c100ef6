"""Practice: attempts, FSRS card states, the review log and practice sessions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-03-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def _question_key(table: str) -> sa.ForeignKeyConstraint:
    # Practice rows go with their question, which is deleted only with its whole bank: bank
    # updates keep every question row (see schema.py for why the cascade is wanted).
    return sa.ForeignKeyConstraint(
        ["bank_id", "question_id"],
        ["questions.bank_id", "questions.question_id"],
        name=f"fk_{table}_bank_id_questions",
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "attempts",
        sa.Column("id", sa.String(120), nullable=False),
        sa.Column("user_id", sa.String(120), nullable=False),
        sa.Column("bank_id", sa.String(120), nullable=False),
        sa.Column("question_id", sa.String(120), nullable=False),
        sa.Column("category", sa.String(100), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("timed_out", sa.Boolean(), nullable=False),
        sa.Column("session_id", sa.String(120), nullable=True),
        sa.Column("grade", sa.JSON(), nullable=True),
        _question_key("attempts"),
        sa.PrimaryKeyConstraint("id", name="pk_attempts"),
    )
    op.create_index("ix_attempts_bank_id_question_id", "attempts", ["bank_id", "question_id"])
    op.create_index(
        "ix_attempts_user_id_bank_id_question_id", "attempts", ["user_id", "bank_id", "question_id"]
    )
    op.create_index("ix_attempts_user_id_submitted_at", "attempts", ["user_id", "submitted_at"])

    op.create_table(
        "card_states",
        sa.Column("user_id", sa.String(120), nullable=False),
        sa.Column("bank_id", sa.String(120), nullable=False),
        sa.Column("question_id", sa.String(120), nullable=False),
        sa.Column("card", sa.JSON(), nullable=False),
        sa.Column("due", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reps", sa.Integer(), nullable=False),
        sa.Column("lapses", sa.Integer(), nullable=False),
        _question_key("card_states"),
        sa.PrimaryKeyConstraint("user_id", "bank_id", "question_id", name="pk_card_states"),
    )
    op.create_index("ix_card_states_bank_id_question_id", "card_states", ["bank_id", "question_id"])
    op.create_index("ix_card_states_user_id_due", "card_states", ["user_id", "due"])

    op.create_table(
        "review_logs",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(120), nullable=False),
        sa.Column("user_id", sa.String(120), nullable=False),
        sa.Column("bank_id", sa.String(120), nullable=False),
        sa.Column("question_id", sa.String(120), nullable=False),
        sa.Column("card_id", sa.BigInteger(), nullable=False),
        sa.Column("rating", sa.String(10), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("phase_before", sa.String(20), nullable=True),
        sa.Column("due_before", sa.DateTime(timezone=True), nullable=True),
        sa.Column("due_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("suggested", sa.String(10), nullable=True),
        sa.Column("attempt_id", sa.String(120), nullable=True),
        sa.Column("duration_ms", sa.BigInteger(), nullable=True),
        _question_key("review_logs"),
        sa.PrimaryKeyConstraint("pk", name="pk_review_logs"),
        sa.UniqueConstraint("id", name="uq_review_logs_id"),
    )
    op.create_index("ix_review_logs_bank_id_question_id", "review_logs", ["bank_id", "question_id"])
    op.create_index("ix_review_logs_user_id_reviewed_at", "review_logs", ["user_id", "reviewed_at"])

    op.create_table(
        "practice_sessions",
        sa.Column("user_id", sa.String(120), nullable=False),
        sa.Column("id", sa.String(120), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "id", name="pk_practice_sessions"),
    )
    op.create_index(
        "ix_practice_sessions_user_id_finished_created_at",
        "practice_sessions",
        ["user_id", "finished", "created_at"],
    )


def downgrade() -> None:
    # Indexes go with their tables on both databases.
    op.drop_table("practice_sessions")
    op.drop_table("review_logs")
    op.drop_table("card_states")
    op.drop_table("attempts")
