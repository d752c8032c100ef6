"""Accounts: users, browser sessions, API tokens, failed logins; practice rows owned by users.

The practice tables already carry a ``user_id`` (``local`` for everything made in single-user
mode). This migration makes a user row for every id found there, ``local`` always, so that the
history is kept as it is and can later be handed to a real account (``interview-prep users add
--take-local-history``); then it ties each practice table's ``user_id`` to ``users.id``.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

LOCAL_USER_ID = (
    "local"  # interview_prep.practice.attempts.LOCAL_USER_ID, frozen as of this revision
)
PRACTICE_TABLES = ("attempts", "card_states", "review_logs", "practice_sessions")


def upgrade() -> None:
    users = op.create_table(
        "users",
        sa.Column("id", sa.String(120), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("role IN ('candidate', 'coach', 'admin')", name="ck_users_role"),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("username", name="uq_users_username"),
    )
    op.create_table(
        "web_sessions",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(120), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_web_sessions_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("token_hash", name="pk_web_sessions"),
    )
    op.create_index("ix_web_sessions_user_id", "web_sessions", ["user_id"])
    op.create_table(
        "api_tokens",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(120), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_api_tokens_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("token_hash", name="pk_api_tokens"),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])
    op.create_table(
        "login_failures",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("pk", name="pk_login_failures"),
    )
    op.create_index("ix_login_failures_key_failed_at", "login_failures", ["key", "failed_at"])

    # Every owner of existing practice becomes a user (without a password), so no row is lost
    # to the new foreign keys.
    bind = op.get_bind()
    owners = {LOCAL_USER_ID}
    for table in PRACTICE_TABLES:
        owners.update(bind.execute(sa.text(f"SELECT DISTINCT user_id FROM {table}")).scalars())
    now = datetime.now(UTC)
    if bind.dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # as storage.schema.UTCDateTime stores it
    op.bulk_insert(
        users,
        [
            {
                "id": owner,
                # Only ids that are valid usernames keep their name; others get a stand-in.
                "username": owner if owner == LOCAL_USER_ID else f"user-{index}",
                "display_name": "Local user" if owner == LOCAL_USER_ID else owner,
                "password_hash": None,
                "role": "admin" if owner == LOCAL_USER_ID else "candidate",
                "disabled": False,
                "created_at": now,
            }
            for index, owner in enumerate(sorted(owners))
        ],
    )
    # On SQLite, batch mode copies each table with the new key; nothing references these tables,
    # so dropping the old copies takes nothing with them.
    for table in PRACTICE_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.create_foreign_key(f"fk_{table}_user_id_users", "users", ["user_id"], ["id"])


def downgrade() -> None:
    for table in PRACTICE_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"fk_{table}_user_id_users", type_="foreignkey")
    op.drop_table("login_failures")
    op.drop_table("api_tokens")
    op.drop_table("web_sessions")
    op.drop_table("users")
