"""Creating and upgrading a library's schema with its migrations (Alembic). A library whose
schema revision this version does not know was written by a newer version: it is refused."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from estimator.errors import LibraryError

SCRIPTS = Path(__file__).resolve().parent / "migrations"


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    return cfg


def known_revisions() -> set[str]:
    return {s.revision for s in ScriptDirectory.from_config(_config()).walk_revisions()}


def head() -> str:
    found = ScriptDirectory.from_config(_config()).get_current_head()
    assert found is not None
    return found


def migrate(engine: sa.Engine, shown: str) -> None:
    """Bring the library's schema to this version's head, in one transaction."""
    cfg = _config()
    with engine.begin() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        if current is not None and current not in known_revisions():
            raise LibraryError(
                f"the library at {shown} was written by a newer version of sla-estimator "
                f"(schema revision {current}; this version knows up to {head()}): upgrade "
                "sla-estimator to open it; nothing was changed"
            )
        if current != head():
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
