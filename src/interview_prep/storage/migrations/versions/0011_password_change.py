"""A password an admin handed over is to be changed: ``users.must_change_password``.

An account made or reset with a one-time password (the admin saw it) must choose its own at its
first login before anything else. Accounts stored so far keep the password they have: their
flag starts false.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    # Plain ALTER TABLE on both databases, never a batch copy of the table: rows of other tables
    # refer to users, and SQLite would refuse to drop the old copy under their foreign keys.
    op.add_column(
        "users",
        sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    # As above; SQLite has DROP COLUMN since 3.35, the oldest the app runs on.
    op.drop_column("users", "must_change_password")
