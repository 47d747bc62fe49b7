"""Shared test set-up: the PostgreSQL server fixture (started on loopback when installed)."""

pytest_plugins = ["tests.conftest_postgres"]
