"""Alembic's environment for the scenario library: runs on the connection the library passes
in ``config.attributes["connection"]``."""

from __future__ import annotations

from alembic import context

from estimator.library.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
