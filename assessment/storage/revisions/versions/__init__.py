"""The schema's revisions, one file each, oldest first: ``0001_…`` to the newest.

Each writes out the tables and columns it makes (``op.create_table``, ``op.add_column`` in
``op.batch_alter_table``) and never imports ``schema.py``, so what a revision does stays as
it was written. Revisions ``0001`` to ``0006`` are the schema versions 1 to 6 of the
program before Alembic, step for step.
"""
