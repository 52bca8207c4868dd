"""The scenario library (issue 16): saved scenarios and estimates in SQLite or PostgreSQL."""

from estimator.library.store import Library, catalog_version, default_url

__all__ = ["Library", "catalog_version", "default_url"]
