"""One attempt per session question and one review per attempt, guarded by the database; a
progress counter on sessions so that a stale copy cannot overwrite a newer one.

The web app's per-session lock lives in one process: with several workers, the same answer sent
on several connections was stored more than once, and two concurrent ratings logged two reviews.
Unique indexes make the database refuse the second, whichever process sends it.

Rows left twice by that race are folded first: a repeated attempt with the same answer is
deleted, one with a different answer is kept in the history but no longer counted for the
session; a repeated review keeps its log entry without the link to the attempt.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None

ATTEMPT_INDEX = "ix_attempts_session_id_bank_id_question_id"
REVIEW_INDEX = "ix_review_logs_attempt_id"


def _fold_repeated_attempts(connection: sa.Connection) -> None:
    rows = connection.execute(
        sa.text(
            "SELECT id, session_id, bank_id, question_id, answer FROM attempts "
            "WHERE session_id IS NOT NULL ORDER BY submitted_at, id"
        )
    ).all()
    groups: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
    for row in rows:
        groups[(row.session_id, row.bank_id, row.question_id)].append(row)
    for first, *repeats in groups.values():
        for repeat in repeats:
            if repeat.answer == first.answer:
                statement = "DELETE FROM attempts WHERE id = :id"
            else:
                statement = "UPDATE attempts SET session_id = NULL WHERE id = :id"
            connection.execute(sa.text(statement), {"id": repeat.id})


def _fold_repeated_reviews(connection: sa.Connection) -> None:
    connection.execute(
        sa.text(
            "UPDATE review_logs SET attempt_id = NULL WHERE attempt_id IS NOT NULL AND pk NOT IN "
            "(SELECT min(pk) FROM review_logs WHERE attempt_id IS NOT NULL GROUP BY attempt_id)"
        )
    )


def upgrade() -> None:
    connection = op.get_bind()
    _fold_repeated_attempts(connection)
    _fold_repeated_reviews(connection)
    op.create_index(
        ATTEMPT_INDEX, "attempts", ["session_id", "bank_id", "question_id"], unique=True
    )
    op.create_index(REVIEW_INDEX, "review_logs", ["attempt_id"], unique=True)
    op.add_column(
        "practice_sessions",
        sa.Column("progress", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    with op.batch_alter_table("practice_sessions") as batch:
        batch.drop_column("progress")
    op.drop_index(REVIEW_INDEX, table_name="review_logs")
    op.drop_index(ATTEMPT_INDEX, table_name="attempts")
