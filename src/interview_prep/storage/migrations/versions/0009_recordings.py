"""Spoken answers: each recording stored before it is transcribed, with its transcript and status.

The audio is kept in the database (a few hundred kilobytes of WebM/Opus a minute), so that it is
owned, backed up and deleted with everything else the user has; ``audio`` is NULL once the
candidate deletes it or when the ``keep_audio`` setting is off.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "recordings",
        sa.Column("id", sa.String(120), nullable=False),
        sa.Column("user_id", sa.String(120), nullable=False),
        sa.Column("bank_id", sa.String(120), nullable=False),
        sa.Column("question_id", sa.String(120), nullable=False),
        sa.Column("session_id", sa.String(120), nullable=True),
        sa.Column("item_index", sa.Integer(), nullable=True),
        sa.Column("attempt_id", sa.String(120), nullable=True),
        sa.Column("mime_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("audio", sa.LargeBinary(), nullable=True),
        sa.Column("duration", sa.Float(), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("transcript", sa.JSON(), nullable=True),
        sa.Column("delivery", sa.JSON(), nullable=True),
        sa.Column("grade", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('queued', 'transcribing', 'transcribed', 'failed')",
            name="ck_recordings_status",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_recordings_user_id_users"),
        sa.ForeignKeyConstraint(
            ["bank_id", "question_id"],
            ["questions.bank_id", "questions.question_id"],
            name="fk_recordings_bank_id_questions",
            ondelete="CASCADE",
        ),
        # A recording outlives a deleted attempt as a transcript the candidate can still read.
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["attempts.id"],
            name="fk_recordings_attempt_id_attempts",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_recordings"),
    )
    op.create_index("ix_recordings_bank_id_question_id", "recordings", ["bank_id", "question_id"])
    op.create_index("ix_recordings_user_id_created_at", "recordings", ["user_id", "created_at"])
    op.create_index("ix_recordings_attempt_id", "recordings", ["attempt_id"])


def downgrade() -> None:
    op.drop_table("recordings")
