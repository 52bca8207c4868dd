"""What the app keeps between reruns: the scenario's tables as the user is editing them.

``base`` holds the tables shown in the editors; the editors keep the user's
changes on top of them in their own widget state. Validation never writes to
either, so a failed validation never discards an edit. Loading a scenario or
adding a row through a form replaces ``base`` and starts a new editor
generation (new widget keys).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

import estimator

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = {
    "Sample: AWS us-east-1 outage, 7 Dec 2021": ROOT / "sample_data" / "aws-2021-12-07",
    "Sample: outage catalog portfolio": ROOT / "sample_data" / "catalog-portfolio",
}
SAMPLE_AS_OF = {"Sample: AWS us-east-1 outage, 7 Dec 2021": "2022-01-01T00:00:00Z"}
"""A sample's valuation time (default: now): the founding sample is valued at the end of
December 2021, when every claim is still open."""
UPLOAD = "Upload your own files"
DEFAULT = next(iter(SAMPLES))
MAX_UPLOAD_BYTES = 50_000_000
"""The app's own upload limit (Streamlit's server limit is set above it, in .streamlit/)."""
EDITABLE = (
    "outages",
    "companies",
    "contracts",
    "exclusions",
    "revenue_profiles",
    "charges",
    "claim_log",
)
"""The tables of the Inputs tab."""
TABLES = (*EDITABLE, "uncertainty", "fx_rates")
"""Every table held; the uncertainty table is edited in the Uncertainty tab, the exchange
rates in the Portfolio risk tab."""


def _state() -> Any:
    return st.session_state


def ensure_loaded() -> None:
    if "base" not in _state():
        load_sample(DEFAULT)


def set_tables(
    frames: dict[str, pd.DataFrame],
    source: str,
    read_issues: list[estimator.ValidationIssue] | None = None,
    notes: list[str] | None = None,
) -> None:
    columns = estimator.input_columns()
    base = {}
    for name in TABLES:
        frame = frames.get(name)
        if frame is None:
            frame = pd.DataFrame({c: pd.Series(dtype="str") for c in columns[name]})
        frame = frame.copy()
        frame.index = pd.RangeIndex(1, len(frame) + 1)
        base[name] = frame
    _state()["base"] = base
    _state()["source"] = source
    _state()["read_issues"] = list(read_issues or [])
    _state()["notes"] = list(notes or [])
    _state()["gen"] = _state().get("gen", 0) + 1


@st.cache_data(show_spinner=False)
def _sample_frames(path: str) -> dict[str, pd.DataFrame]:
    return estimator.load_inputs(path).to_frames()


def now_as_of() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:00Z")


def load_sample(name: str) -> None:
    """Load a sample into the editors, with its valuation time (before the as-of field is
    drawn in this run)."""
    set_tables(_sample_frames(str(SAMPLES[name])), name)
    _state()["loaded"] = name
    _state()["as_of"] = SAMPLE_AS_OF.get(name, now_as_of())


def load_files(files: list[Any]) -> str | None:
    """Read uploaded files into the editors; a message when they cannot be taken."""
    if not files:
        return "Choose one workbook, one JSON file, or the CSV files of a scenario first."
    for f in files:
        if f.size >= MAX_UPLOAD_BYTES:
            return (
                f"{f.name} is {f.size:,} bytes; the limit is {MAX_UPLOAD_BYTES:,} bytes "
                "(50 MB). Split the scenario or remove unused rows."
            )
    read = estimator.read_tables({f.name: f.getvalue() for f in files}, max_bytes=MAX_UPLOAD_BYTES)
    set_tables(read.frames, ", ".join(f.name for f in files), read.issues, read.notes)
    _state()["loaded"] = UPLOAD
    return None


def add_row(table: str, row: dict[str, Any]) -> None:
    """A row to append to ``table`` once every editor has been drawn (see ``apply_pending``)."""
    _state()["pending_row"] = (table, {k: v for k, v in row.items() if v not in (None, "")})


def apply_pending(current: dict[str, pd.DataFrame]) -> bool:
    """Append the pending row, if any, to its table as currently edited; True if one was."""
    pending = _state().pop("pending_row", None)
    if pending is None:
        return False
    table, values = pending
    frame = pd.concat(
        [current[table].astype(object), pd.DataFrame([values]).astype(object)], ignore_index=True
    )
    replace_table(current, table, frame)
    return True


def replace_table(current: dict[str, pd.DataFrame], table: str, frame: pd.DataFrame) -> None:
    """Every table as currently edited, with ``table`` replaced by ``frame``, becomes the new
    base of the editors (a new generation), so no edit in another table is lost."""
    base = {**_state()["base"], **current, table: frame}
    for name in base:
        base[name] = base[name].reset_index(drop=True)
        base[name].index = pd.RangeIndex(1, len(base[name]) + 1)
    _state()["base"] = base
    _state()["gen"] += 1
