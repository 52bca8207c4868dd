"""The scenario library (issue 16) on SQLite and on a real PostgreSQL server (started by
.ci/run; locally the PostgreSQL cases skip when no server is given): save, load identical,
versions, estimates, transactions, concurrent saves, faults with masked passwords."""

from __future__ import annotations

import multiprocessing
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

import estimator
from estimator.errors import LibraryError
from estimator.library import Library
from tests.conftest import REQUIRE_TOOLS, SAMPLE, SAMPLE_AS_OF

POSTGRES = os.environ.get("SLA_ESTIMATOR_TEST_POSTGRES")


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'library.sqlite'}"
        return
    if not POSTGRES:
        if REQUIRE_TOOLS:
            pytest.fail("SLA_ESTIMATOR_TEST_POSTGRES is not set (.ci/run starts a server)")
        pytest.skip("no PostgreSQL server given (SLA_ESTIMATOR_TEST_POSTGRES); .ci/run starts one")
    admin = sa.create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    name = f"sla_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield sa.make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(scope="module")
def founding() -> estimator.Inputs:
    return estimator.load_inputs(SAMPLE)


def test_a_saved_scenario_loads_back_identical_with_its_estimates(
    url: str, founding: estimator.Inputs
) -> None:
    lib = Library(url)
    sid = lib.save(founding, "founding", "the morning after")
    assert lib.load(sid).equals(founding)
    results = estimator.estimate(founding, as_of=SAMPLE_AS_OF)
    eid = lib.save_estimate(sid, results)
    saved = lib.estimates(sid).iloc[0]
    assert (saved["id"], saved["dependency_rule"], saved["package_version"]) == (
        eid,
        "max",
        estimator.__version__,
    )
    assert str(saved["as_of"])[:10] == "2022-01-01"
    summary = lib.estimate_summary(eid)
    assert summary["net_impact"].tolist() == results.summary["net_impact"].tolist()
    listed = lib.list().set_index("id").loc[sid]
    assert (listed["name"], listed["version"], listed["estimates"]) == ("founding", 1, 1)
    assert (listed["companies"], listed["windows"]) == (
        len(founding.companies),
        len(founding.outages),
    )
    assert listed["windows"] > listed["companies"]  # Kindling's measured steps are windows too


def test_names_versions_and_parents(url: str, founding: estimator.Inputs) -> None:
    lib = Library(url)
    first = lib.save(founding, "founding")
    with pytest.raises(LibraryError, match="the name 'founding' is already taken"):
        lib.save(founding, "founding")
    edited = estimator.what_if(founding, "aws-use1-2021-12-07", duration_factor=1.5)
    second = lib.save(edited, "founding", "revised a week later", parent=first)
    rows = lib.list().set_index("id")
    assert rows.loc[second, "version"] == 2 and rows.loc[second, "parent_id"] == first
    assert lib.load(first).equals(founding)  # a saved scenario never changes
    assert lib.load(second).equals(edited)
    with pytest.raises(LibraryError, match="were not computed from scenario"):
        lib.save_estimate(first, estimator.estimate(edited, as_of=SAMPLE_AS_OF))
    lib.delete(first)
    rows = lib.list().set_index("id")
    assert first not in rows.index and pd.isna(rows.loc[second, "parent_id"])
    with pytest.raises(LibraryError, match=f"no scenario has id {first}"):
        lib.load(first)


def test_a_failed_save_leaves_nothing_behind(url: str, founding: estimator.Inputs) -> None:
    lib = Library(url)

    def fail_after_insert(conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO SCENARIOS"):
            raise RuntimeError("the disk is full")

    sa.event.listen(lib.engine, "after_cursor_execute", fail_after_insert)
    with pytest.raises(Exception, match="the disk is full"):
        lib.save(founding, "half")
    sa.event.remove(lib.engine, "after_cursor_execute", fail_after_insert)
    assert lib.list().empty


def _save_many(url: str, prefix: str, parent: int) -> list[int]:
    lib = Library(url)
    inputs = estimator.load_inputs(SAMPLE)
    ids = [lib.save(inputs, f"{prefix}-{k}") for k in range(3)]
    ids += [lib.save(inputs, "shared", parent=parent) for _ in range(3)]
    return ids


def test_two_processes_saving_at_once_both_succeed(url: str, founding: estimator.Inputs) -> None:
    lib = Library(url)
    root = lib.save(founding, "shared")
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        done = pool.starmap(_save_many, [(url, "a", root), (url, "b", root)])
    rows = lib.list()
    assert len(rows) == 1 + 12 and len({i for ids in done for i in ids}) == 12
    shared = rows[rows["name"] == "shared"]
    assert sorted(shared["version"]) == list(range(1, 8))  # every version once


def test_a_library_from_a_newer_version_is_refused_and_left_as_it_is(url: str) -> None:
    Library(url)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(LibraryError, match="written by a newer version of sla-estimator"):
        Library(url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == "9999"
    engine.dispose()


def test_an_unreachable_server_and_a_wrong_password_are_messages_with_the_password_masked() -> None:
    with pytest.raises(LibraryError) as err:
        Library("postgresql+psycopg://analyst:s3cret-pw@127.0.0.1:1/library")
    text = str(err.value)
    assert "s3cret-pw" not in text and "analyst:***@127.0.0.1:1" in text
    assert "cannot open the library" in text
    if not POSTGRES:
        return
    wrong = sa.make_url(POSTGRES).set(password="not-the-password")
    with pytest.raises(LibraryError) as err:
        Library(wrong.render_as_string(hide_password=False))
    assert "not-the-password" not in str(err.value) and "password authentication failed" in str(
        err.value
    )
