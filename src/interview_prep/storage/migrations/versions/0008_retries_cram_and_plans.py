"""Retries, cram and interview dates: an attempt names its place in the session and says whether
it was crammed; a user may set the date of their interview.

A question may now be answered twice in one session (retried at once, or added again by
"Practise this"), so "one attempt per question of a session" becomes one attempt per *item* of
a session: the same answer sent twice, to two processes, is still refused by the database.
Attempts already stored take their item's place from their session's document.

A crammed attempt is graded and kept, but no review is logged for it, so FSRS never sees it.

An interview plan is a user's interview date and the questions it covers: the queue spreads the
questions not yet practised over the days left.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None

OLD_INDEX = "ix_attempts_session_id_bank_id_question_id"
ITEM_INDEX = "ix_attempts_session_id_session_item"


def _place_stored_attempts(connection: sa.Connection) -> None:
    sessions = connection.execute(sa.text("SELECT id, data FROM practice_sessions")).all()
    for session_id, data in sessions:
        document = json.loads(data) if isinstance(data, str) else data
        for place, item in enumerate(document.get("items", ())):
            if item.get("attempt_id"):
                connection.execute(
                    sa.text(
                        "UPDATE attempts SET session_item = :place "
                        "WHERE id = :id AND session_id = :session"
                    ),
                    {"place": place, "id": item["attempt_id"], "session": session_id},
                )


def upgrade() -> None:
    with op.batch_alter_table("attempts") as batch:
        batch.add_column(sa.Column("session_item", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("cram", sa.Boolean(), nullable=False, server_default=sa.false()))
    _place_stored_attempts(op.get_bind())
    op.drop_index(OLD_INDEX, table_name="attempts")
    op.create_index(ITEM_INDEX, "attempts", ["session_id", "session_item"], unique=True)
    op.create_table(
        "interview_plans",
        sa.Column("user_id", sa.String(120), nullable=False),
        sa.Column("interview_on", sa.Date(), nullable=False),
        sa.Column("scope", sa.JSON(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_interview_plans_user_id_users"),
        sa.PrimaryKeyConstraint("user_id", name="pk_interview_plans"),
    )


def downgrade() -> None:
    op.drop_table("interview_plans")
    op.drop_index(ITEM_INDEX, table_name="attempts")
    op.create_index(OLD_INDEX, "attempts", ["session_id", "bank_id", "question_id"], unique=True)
    with op.batch_alter_table("attempts") as batch:
        batch.drop_column("cram")
        batch.drop_column("session_item")
