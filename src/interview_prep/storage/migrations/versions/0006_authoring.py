"""Authoring in the browser: every saved version of a question, and bundled banks a user deleted.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "question_versions",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("bank_id", sa.String(120), nullable=False),
        sa.Column("question_id", sa.String(120), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("rubric", sa.JSON(), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        # Versions go with their question, which is deleted only with its whole bank.
        sa.ForeignKeyConstraint(
            ["bank_id", "question_id"],
            ["questions.bank_id", "questions.question_id"],
            name="fk_question_versions_bank_id_questions",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name="pk_question_versions"),
        sa.UniqueConstraint(
            "bank_id",
            "question_id",
            "number",
            name="uq_question_versions_bank_id_question_id_number",
        ),
    )
    op.create_table(
        "removed_bundled_banks",
        sa.Column("bank_id", sa.String(120), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("source_hash", sa.String(64), nullable=True),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("bank_id", name="pk_removed_bundled_banks"),
    )


def downgrade() -> None:
    op.drop_table("removed_bundled_banks")
    op.drop_table("question_versions")
