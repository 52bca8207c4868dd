"""The app's Library tab under AppTest (issue 16): a scenario saved from the app is listed by
the command line and loads back identical; a what-if built in the form is compared with the
scenario it came from."""

from __future__ import annotations

from pathlib import Path

import pytest

import estimator
from tests.app.test_app import clear_caches, metrics, start  # noqa: F401
from tests.conftest import MINIMAL_TABLES, SAMPLE
from tests.estimator.test_cli import cli


@pytest.fixture()
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'library.sqlite'}"
    monkeypatch.setenv("SLA_ESTIMATOR_LIBRARY", url)
    return url


def form(at: object, form_id: str) -> object:
    return next(f for f in at.form if f.proto.form.form_id == form_id)  # type: ignore[attr-defined]


def test_a_scenario_saved_from_the_app_is_listed_and_loads_back(library: str) -> None:
    at = start()
    save = form(at, "library-save")
    next(t for t in save.text_input if t.label == "Name").set_value("founding")  # type: ignore[attr-defined]
    next(t for t in save.text_input if t.label == "Note").set_value("the morning after")  # type: ignore[attr-defined]
    save.form_submit_button[0].click()  # type: ignore[attr-defined]
    at.run()
    assert not at.exception and any("Saved as scenario 1" in s.value for s in at.success)
    listed = cli("library", "list", "--db", library)
    assert "founding" in listed.stdout and "the morning after" in listed.stdout
    assert estimator.Library(library).load(1).equals(estimator.load_inputs(SAMPLE))
    assert len(estimator.Library(library).estimates(1)) == 1


def test_a_what_if_from_the_form_is_compared_with_where_it_came_from(library: str) -> None:
    at = start()
    wi = form(at, "what-if")
    next(t for t in wi.text_input if t.label.startswith("Replay starting")).set_value(  # type: ignore[attr-defined]
        "2025-11-28T14:30:00Z"
    )
    wi.form_submit_button[0].click()  # type: ignore[attr-defined]
    at.run()
    assert not at.exception
    assert "what-if of aws-use1-2021-12-07" in at.caption[0].value
    at.text_input(key="as_of").set_value("2026-01-01T00:00:00Z").run()
    at.selectbox(key="compare-a").set_value("the scenario the what-if came from")
    at.selectbox(key="compare-b").set_value("the scenario being edited")
    at.button(key="compare-run").click().run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "Difference" in " ".join(d.value.columns))
    row = table[(table["Company"] == "streamflix") & (table["Measure"] == "Total loss")].iloc[0]
    assert row.iloc[-1] == "524,676.78"  # the Black Friday difference the API gives
    assert metrics(at)  # the results of the what-if are on the Results tab


def test_a_three_table_upload_compares_with_its_what_if(library: str) -> None:
    """Issue 20.1 in the app: a scenario of only outages, companies and contracts."""
    at = start()
    at.radio(key="scenario").set_value("Upload your own files").run()
    files = [(f"{n}.csv", t.encode(), "text/csv") for n, t in MINIMAL_TABLES.items()]
    at.file_uploader(key="upload").set_value(files).run()
    at.button(key="load_upload").click().run()
    assert not at.exception and metrics(at)["Total loss (USD)"] == "2,500.00"
    wi = form(at, "what-if")
    next(n for n in wi.number_input if n.label.startswith("Duration factor")).set_value(2.0)  # type: ignore[attr-defined]
    wi.form_submit_button[0].click()  # type: ignore[attr-defined]
    at.run()
    assert not at.exception
    at.selectbox(key="compare-a").set_value("the scenario the what-if came from")
    at.selectbox(key="compare-b").set_value("the scenario being edited")
    at.button(key="compare-run").click().run()
    assert not at.exception and not at.error
    table = next(d.value for d in at.dataframe if "Difference" in " ".join(d.value.columns))
    row = table[table["Measure"] == "Total loss"].iloc[0]
    assert row.iloc[-1] == "2,500.00"
