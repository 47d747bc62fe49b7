"""Alembic's script directory: ``env.py``, the template of a new revision and ``versions/``.

Shipped inside the package (``versions/`` is a package so that its revisions install with it,
the template is package data) and found as ``assessment.storage:revisions``; there is no
``alembic.ini``. ``assessment/storage/migrations.py`` runs them; docs/storage.md says how to
add one.
"""
