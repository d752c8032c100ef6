"""Alembic's entry point, run by :func:`interview_prep.storage.database.upgrade`.

The app passes an open connection (already inside a locked transaction) through
``config.attributes["connection"]``, so no ``alembic.ini`` is needed.

To write a migration, autogenerate a draft against a database at the newest revision and edit it::

    from alembic import command
    from alembic.config import Config
    config = Config()
    config.set_main_option("script_location", "src/interview_prep/storage/migrations")
    config.set_main_option("sqlalchemy.url", "sqlite:////tmp/current.db")
    command.upgrade(config, "head")
    command.revision(config, "what changes", rev_id="0002", autogenerate=True)

``tests/storage/test_database.py`` checks that the models and the migrations agree.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection

from interview_prep.storage.schema import Base, is_search_index

config = context.config


def _include(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    # Autogenerate must not offer to drop the search index, which the models do not describe.
    return not is_search_index(name)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite can alter a table only by copying it; batch mode does that in later migrations.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=_include,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=Base.metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()
elif (given := config.attributes.get("connection")) is not None:
    _run(given)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()
