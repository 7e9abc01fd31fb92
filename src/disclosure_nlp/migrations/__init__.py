"""Alembic migrations for `disclosure_nlp.store` (run with `Store.migrate()`, or `alembic -c alembic.ini`)."""
