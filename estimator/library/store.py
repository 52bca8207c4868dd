"""The scenario library: saved scenarios (immutable versions linked to their parent) and the
estimates made from them, in SQLite (a file, by default) or PostgreSQL (by URL).

Every write is one transaction; a save that fails leaves nothing behind. Two processes saving
at once both succeed (SQLite: ``BEGIN IMMEDIATE`` with a 30-second wait; a clash on a new
version number is retried). The schema is created and upgraded by the migrations; a library
written by a newer version is refused, not changed. Passwords never appear in messages: the
URL is shown with its password masked.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from estimator.errors import LibraryError
from estimator.inputs.scenario import Inputs, load_uploaded
from estimator.library.migrate import migrate
from estimator.library.tables import estimates, scenarios
from estimator.results.results import Results
from estimator.version import VERSION

ENV = "SLA_ESTIMATOR_LIBRARY"
RETRIES = 5


def default_url() -> str:
    """``$SLA_ESTIMATOR_LIBRARY`` if set, else a SQLite file in the user's data folder
    (``$XDG_DATA_HOME/sla-estimator/library.sqlite``, ``~/.local/share/...`` by default)."""
    if os.environ.get(ENV):
        return os.environ[ENV]
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return f"sqlite:///{base / 'sla-estimator' / 'library.sqlite'}"


def catalog_version() -> str:
    """A fingerprint of the SLA catalog's data files (the rules' terms)."""
    digest = hashlib.sha256()
    data = resources.files("pricing") / "data"
    for item in sorted(data.iterdir(), key=lambda p: p.name):
        if item.name.endswith((".toml", ".csv")):
            digest.update(item.name.encode() + item.read_bytes())
    return digest.hexdigest()[:16]


class Library:
    """``Library(url=None)``: open (and create or upgrade) the library at ``url``."""

    default_url = staticmethod(default_url)

    def __init__(self, url: str | None = None):
        try:
            self.url = make_url(url or default_url())
        except sa.exc.ArgumentError as exc:
            raise LibraryError(f"not a database URL: {exc}") from None
        self.shown = self.url.render_as_string(hide_password=True)
        self.engine = _engine(self.url)
        with self._errors("open"):
            migrate(self.engine, self.shown)

    # --- scenarios -----------------------------------------------------------------------

    def save(self, inputs: Inputs, name: str, note: str = "", *, parent: int | None = None) -> int:
        """Save ``inputs`` as a new scenario (``parent=None``: the name must be new) or as a
        new version of scenario ``parent``; returns its id."""
        name = name.strip()
        if not name or len(name) > 200:
            raise LibraryError("a scenario needs a name of 1 to 200 characters")
        text = inputs.to_json_text()
        for attempt in range(RETRIES):
            try:
                with self._errors("save to"), self.engine.begin() as conn:
                    version = self._next_version(conn, name, parent)
                    row = conn.execute(
                        scenarios.insert()
                        .values(
                            name=name,
                            version=version,
                            parent_id=parent,
                            note=note,
                            created_at=_now(),
                            inputs_json=text,
                            inputs_hash=_hash(text),
                            companies=len(inputs.companies),
                            windows=len(inputs.outages),
                        )
                        .returning(scenarios.c.id)
                    )
                    return int(row.scalar_one())
            except sa.exc.IntegrityError:
                if attempt == RETRIES - 1:
                    raise LibraryError(
                        f"could not save '{name}': another save kept clashing"
                    ) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _next_version(self, conn: sa.Connection, name: str, parent: int | None) -> int:
        taken = conn.execute(
            sa.select(sa.func.max(scenarios.c.version)).where(scenarios.c.name == name)
        ).scalar()
        if parent is None:
            if taken is not None:
                raise LibraryError(
                    f"the name '{name}' is already taken: choose another, or save a new "
                    "version of it (parent=its id; on the command line --parent ID)"
                )
            return 1
        base = self._row(conn, parent)
        if name != base["name"] and taken is not None:
            raise LibraryError(f"the name '{name}' is already taken by another scenario")
        return int(taken or 0) + 1

    def list(self) -> pd.DataFrame:
        """Every scenario: id, name, version, parent, note, when, size, estimates."""
        count = (
            sa.select(estimates.c.scenario_id, sa.func.count().label("estimates"))
            .group_by(estimates.c.scenario_id)
            .subquery()
        )
        query = (
            sa.select(
                scenarios.c.id,
                scenarios.c.name,
                scenarios.c.version,
                scenarios.c.parent_id,
                scenarios.c.note,
                scenarios.c.created_at,
                scenarios.c.companies,
                scenarios.c.windows,
                sa.func.coalesce(count.c.estimates, 0).label("estimates"),
            )
            .select_from(scenarios.outerjoin(count, count.c.scenario_id == scenarios.c.id))
            .order_by(scenarios.c.name, scenarios.c.version)
        )
        with self._errors("read"), self.engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(query)]
        columns = ["id", "name", "version", "parent_id", "note", "created_at", "companies"]
        return pd.DataFrame(rows, columns=[*columns, "windows", "estimates"])

    def load(self, scenario_id: int) -> Inputs:
        """The inputs saved as scenario ``scenario_id``, identical to what was saved."""
        with self._errors("read"), self.engine.connect() as conn:
            row = self._row(conn, scenario_id)
        label = f"library scenario {scenario_id} ({row['name']} v{row['version']})"
        return load_uploaded({f"{label}.json": row["inputs_json"].encode("utf-8")})

    def delete(self, scenario_id: int) -> None:
        """Delete a scenario and its estimates (its later versions keep their own inputs)."""
        with self._errors("delete from"), self.engine.begin() as conn:
            self._row(conn, scenario_id)
            conn.execute(estimates.delete().where(estimates.c.scenario_id == scenario_id))
            conn.execute(
                scenarios.update()
                .where(scenarios.c.parent_id == scenario_id)
                .values(parent_id=None)
            )
            conn.execute(scenarios.delete().where(scenarios.c.id == scenario_id))

    # --- estimates -----------------------------------------------------------------------

    def save_estimate(self, scenario_id: int, results: Results) -> int:
        """Record an estimate of scenario ``scenario_id``: its summary, valuation time, rule,
        package and catalog versions and the hash of the inputs (which must be the
        scenario's)."""
        digest = _hash(results.inputs.to_json_text())
        summary = json.dumps(results.summary.to_dict(orient="records"), default=str)
        with self._errors("save to"), self.engine.begin() as conn:
            row = self._row(conn, scenario_id)
            if row["inputs_hash"] != digest:
                raise LibraryError(
                    f"these results were not computed from scenario {scenario_id}'s inputs "
                    "(their inputs differ): save the inputs as a new version first"
                )
            new = conn.execute(
                estimates.insert()
                .values(
                    scenario_id=scenario_id,
                    created_at=_now(),
                    as_of=results.as_of.to_pydatetime(),
                    dependency_rule=results.dependency_rule,
                    package_version=VERSION,
                    catalog_version=catalog_version(),
                    inputs_hash=digest,
                    summary_json=summary,
                )
                .returning(estimates.c.id)
            )
            return int(new.scalar_one())

    def estimates(self, scenario_id: int) -> pd.DataFrame:
        """The estimates saved for a scenario, newest first (without their summaries)."""
        columns = [c for c in estimates.c if c.name != "summary_json"]
        with self._errors("read"), self.engine.connect() as conn:
            self._row(conn, scenario_id)
            rows = conn.execute(
                sa.select(*columns)
                .where(estimates.c.scenario_id == scenario_id)
                .order_by(estimates.c.id.desc())
            )
            data = [dict(r._mapping) for r in rows]
        return pd.DataFrame(data, columns=[c.name for c in columns])

    def estimate_summary(self, estimate_id: int) -> pd.DataFrame:
        """A saved estimate's summary (one row per company), as it was saved."""
        with self._errors("read"), self.engine.connect() as conn:
            found = conn.execute(
                sa.select(estimates.c.summary_json).where(estimates.c.id == estimate_id)
            ).scalar()
        if found is None:
            raise LibraryError(f"no estimate has id {estimate_id} in the library at {self.shown}")
        return pd.DataFrame(json.loads(found))

    # --- helpers -------------------------------------------------------------------------

    def _row(self, conn: sa.Connection, scenario_id: int) -> dict[str, Any]:
        row = conn.execute(sa.select(scenarios).where(scenarios.c.id == int(scenario_id))).first()
        if row is None:
            raise LibraryError(f"no scenario has id {scenario_id} in the library at {self.shown}")
        return dict(row._mapping)

    @contextlib.contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """Database faults as a clear message naming the library (password masked)."""
        try:
            yield
        except (LibraryError, sa.exc.IntegrityError):
            raise
        except sa.exc.SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            if self.url.password:
                reason = reason.replace(str(self.url.password), "***")
            raise LibraryError(f"cannot {doing} the library at {self.shown}: {reason}") from None


def _engine(url: sa.URL) -> sa.Engine:
    if url.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True)
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": 30})

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi: Any, record: Any) -> None:
        dbapi.isolation_level = None  # transactions are begun below
        dbapi.execute("PRAGMA foreign_keys=ON")
        dbapi.execute("PRAGMA journal_mode=WAL")

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)
