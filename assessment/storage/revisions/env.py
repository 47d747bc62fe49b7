"""Alembic's environment: the revisions run on the connection ``migrations.migrate`` gives.

There is no ``alembic.ini`` and no URL here: ``migrate`` makes the ``Config`` in code and
puts its connection, in a transaction it has begun and will commit, in
``config.attributes["connection"]``. Alembic sees that transaction and starts none of its
own, so every revision of one upgrade commits together or not at all. Batch mode is on for
SQLite, which alters a table by building a new one and copying the rows
(``op.batch_alter_table``). ``schema.py``'s tables are here for autogenerate, which drafts a
revision from what a database at the head lacks (docs/storage.md).
"""

from alembic import context

from assessment.storage.schema import metadata


def _not_schema_info(name, kind, _parent) -> bool:
    # schema_info is no table of schema.py: only the guard against programs before Alembic
    return (kind, name) != ("table", "schema_info")


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "the revisions run through assessment.storage.migrations.migrate, which gives the "
        "connection; there is no alembic.ini"
    )
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                  include_name=_not_schema_info)
with context.begin_transaction():
    context.run_migrations()
