"""The Alembic migrations (``versions/``), run by :mod:`interview_prep.storage.database`.

Importing Alembic takes a noticeable part of a second, so the app knows the newest revision
without it: a database already at :data:`HEAD_REVISION` is opened without importing Alembic.
``tests/storage/test_database.py`` checks that this constant is Alembic's head.
"""

HEAD_REVISION = "0011"
"""The newest migration's revision id: update it with every new migration."""

SQLITE_MINIMUM = (3, 35)
"""The oldest SQLite the schema works on: search needs MATERIALIZED common table expressions,
and migrations drop columns."""
