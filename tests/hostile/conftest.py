"""Fixtures for the hostile-input regression suite."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from interview_prep.storage import Database
from interview_prep.storage.schema import Base

BANKS = Path(__file__).parent / "banks"


def table_counts(db: Database) -> dict[str, int]:
    """How many rows every table holds: a refused import must leave each one as it was."""
    with db.session() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }


@pytest.fixture
def hostile_files() -> list[Path]:
    return sorted(BANKS.iterdir())
