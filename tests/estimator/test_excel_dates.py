"""Date-time cells in a workbook are read as UTC, and every surface says so (issue 11)."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import estimator
from tests.conftest import ROOT, SAMPLE


def typed_in_excel(path: Path, *, text_start: str | None = None) -> Path:
    """The founding sample as an analyst would type it: start and end as date-time cells."""
    inputs = estimator.load_inputs(SAMPLE)
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, frame in inputs.to_frames().items():
        ws = book.create_sheet(name)
        ws.append(list(frame.columns))
        for record in frame.itertuples(index=False):
            values = []
            for column, value in zip(frame.columns, record, strict=True):
                if pd.isna(value):
                    values.append(None)
                elif column in ("start", "end"):
                    when = pd.Timestamp(value).tz_convert("UTC").tz_localize(None)
                    values.append(when.to_pydatetime())
                else:
                    values.append(value)
            ws.append(values)
            if name == "outages":
                for cell in ws[ws.max_row]:
                    if isinstance(cell.value, dt.datetime):
                        cell.number_format = "yyyy-mm-dd hh:mm"
    if text_start is not None:
        book["outages"]["E2"] = text_start
    book.save(path)
    return path


def test_date_time_cells_are_read_as_utc_and_the_inputs_say_so(tmp_path: Path) -> None:
    loaded = estimator.load_inputs(typed_in_excel(tmp_path / "typed.xlsx"))
    assert loaded.equals(estimator.load_inputs(SAMPLE))
    assert len(loaded.notes) == 2
    outages = next(n for n in loaded.notes if "› outages" in n)
    typed = estimator.load_inputs(SAMPLE).outages[["start", "end"]].notna().sum().sum()
    assert typed > 14  # the Dec-7 windows and Kindling's measured steps
    assert f"{typed} date-time cells in start, end read as UTC" in outages


def test_text_times_still_need_an_offset(tmp_path: Path) -> None:
    path = typed_in_excel(tmp_path / "typed.xlsx", text_start="2021-12-07 15:30")
    with pytest.raises(estimator.InputError, match="no UTC offset") as err:
        estimator.load_inputs(path)
    assert err.value.report[["row", "column"]].values.tolist() == [[2, "start"]]


def test_the_command_line_says_so_once(tmp_path: Path) -> None:
    path = typed_in_excel(tmp_path / "typed.xlsx")
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "estimator.cli",
            "run",
            str(path),
            "--as-of",
            "2022-01-01T00:00:00Z",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("read as UTC") == 2  # one note per sheet that had such cells


def test_the_workbook_and_json_carry_the_note(tmp_path: Path) -> None:
    results = estimator.estimate(
        estimator.load_inputs(typed_in_excel(tmp_path / "typed.xlsx")),
        as_of="2022-01-01T00:00:00Z",
    )
    ws = openpyxl.load_workbook(io.BytesIO(results.excel_bytes()))["Methodology"]
    notes = [
        ws.cell(r, 2).value for r in range(1, 20) if ws.cell(r, 1).value == "Note on the inputs"
    ]
    assert len(notes) == 2 and all("read as UTC" in n for n in notes)
    assert "read as UTC" in results.json_text()


def test_the_app_says_so_after_an_upload(tmp_path: Path) -> None:
    st.cache_data.clear()
    data = typed_in_excel(tmp_path / "typed.xlsx").read_bytes()
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.run()
    at.radio(key="scenario").set_value("Upload your own files").run()
    at.file_uploader(key="upload").set_value(("typed.xlsx", data, "application/vnd.ms-excel"))
    at.button(key="load_upload").click().run()
    at.text_input(key="as_of").set_value("2022-01-01T00:00:00Z").run()
    assert not at.exception and not at.error
    assert sum("read as UTC" in i.value for i in at.info) == 2
    assert at.metric
