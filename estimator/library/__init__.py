"""Stage 5, library: saved scenarios and estimates in SQLite or PostgreSQL (issue 16).

Takes ``Inputs`` and ``Results``; gives them back by name and version, with migrations of its
own tables (``tables.py``, ``migrations/``, ``migrate.py``) and the store (``store.py``).

May import the shared modules, ``estimator.inputs``, ``estimator.engine``,
``estimator.results`` and ``pricing``; not ``uncertainty``, ``portfolio``, ``reports`` or
``cli``.
"""

from estimator.library.store import Library, catalog_version, default_url

__all__ = ["Library", "catalog_version", "default_url"]
