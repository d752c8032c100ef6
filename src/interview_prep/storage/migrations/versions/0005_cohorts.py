"""Cohorts: groups of users with their coaches, invitation links, and assignments with due dates.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def _user_key(table: str, column: str = "user_id") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], ["users.id"], name=f"fk_{table}_{column}_users")


def _cohort_key(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["cohort_id"], ["cohorts.id"], name=f"fk_{table}_cohort_id_cohorts", ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "cohorts",
        sa.Column("id", sa.String(120), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _user_key("cohorts", "created_by"),
        sa.PrimaryKeyConstraint("id", name="pk_cohorts"),
    )
    op.create_table(
        "cohort_members",
        sa.Column("cohort_id", sa.String(120), nullable=False),
        sa.Column("user_id", sa.String(120), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("role IN ('coach', 'member')", name="ck_cohort_members_role"),
        _cohort_key("cohort_members"),
        _user_key("cohort_members"),
        sa.PrimaryKeyConstraint("cohort_id", "user_id", name="pk_cohort_members"),
    )
    op.create_index("ix_cohort_members_user_id", "cohort_members", ["user_id"])
    op.create_table(
        "cohort_invitations",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("cohort_id", sa.String(120), nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        _cohort_key("cohort_invitations"),
        _user_key("cohort_invitations", "created_by"),
        sa.PrimaryKeyConstraint("token_hash", name="pk_cohort_invitations"),
    )
    op.create_index("ix_cohort_invitations_cohort_id", "cohort_invitations", ["cohort_id"])
    op.create_table(
        "assignments",
        sa.Column("id", sa.String(120), nullable=False),
        sa.Column("cohort_id", sa.String(120), nullable=False),
        sa.Column("bank_id", sa.String(120), nullable=False),
        sa.Column("category", sa.String(100), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _cohort_key("assignments"),
        sa.ForeignKeyConstraint(
            ["bank_id"], ["banks.id"], name="fk_assignments_bank_id_banks", ondelete="CASCADE"
        ),
        _user_key("assignments", "created_by"),
        sa.PrimaryKeyConstraint("id", name="pk_assignments"),
    )
    op.create_index("ix_assignments_cohort_id_due_at", "assignments", ["cohort_id", "due_at"])


def downgrade() -> None:
    op.drop_table("assignments")
    op.drop_table("cohort_invitations")
    op.drop_table("cohort_members")
    op.drop_table("cohorts")
