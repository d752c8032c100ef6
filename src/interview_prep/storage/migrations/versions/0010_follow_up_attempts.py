"""Answers to follow-ups: an attempt may answer a follow-up of its question.

The attempt keeps its question as the parent (``bank_id``, ``question_id``), so that the foreign
key to the question holds and the answers go with the bank, and names the follow-up item it
answers in ``follow_up`` (``overfitting-fu2``). Every attempt stored so far answers its question
itself, so the column starts NULL.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("attempts") as batch:
        batch.add_column(sa.Column("follow_up", sa.String(120), nullable=True))


def downgrade() -> None:
    # The answers to follow-ups would read as answers to their questions: they go first.
    op.execute("DELETE FROM attempts WHERE follow_up IS NOT NULL")
    with op.batch_alter_table("attempts") as batch:
        batch.drop_column("follow_up")
