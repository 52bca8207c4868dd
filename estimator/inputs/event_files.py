"""Reading a table that stands on its own: an outage catalog (the outages format) or an event
set (the outages format plus ``year``), from a CSV file or a DataFrame, validated like a
scenario's outages table (every problem at once, with file, row and column)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from estimator.errors import InputError, ValidationIssue
from estimator.inputs.readers.csv_files import read_csv_table
from estimator.inputs.readers.raw import MAX_INPUT_BYTES, RawTable, problem
from estimator.inputs.readers.tables import make_table
from estimator.inputs.validation.collector import Collector, check_table
from estimator.inputs.validation.tables import check_outages

Source = str | Path | pd.DataFrame
BUNDLED_CATALOG = Path(__file__).resolve().parents[2] / "sample_data" / "outage_catalog.csv"
"""The outage catalog of the project's research (real outages, in the outages format)."""


def load_outages(source: Source) -> pd.DataFrame:
    """An outage catalog (``sample_data/outage_catalog.csv`` or the user's), validated."""
    return _load("outages", source)


def load_events(source: Source) -> pd.DataFrame:
    """An event set (``events.csv``: outage windows with a ``year`` column), validated."""
    return _load("events", source)


def _load(name: str, source: Source) -> pd.DataFrame:
    raw, issues = _raw(name, source)
    if raw is None:
        raise InputError(issues)
    out = Collector()
    out.issues += issues
    checked = check_table(raw, out)
    check_outages(checked, out)
    if out.issues:
        raise InputError(out.issues)
    return checked.typed


def _raw(name: str, source: Source) -> tuple[RawTable | None, list[ValidationIssue]]:
    if isinstance(source, pd.DataFrame):
        return make_table(
            name,
            name,
            [str(c) for c in source.columns],
            source.to_numpy(dtype=object),
            np.arange(2, len(source) + 2, dtype=np.int64),
        )
    path = Path(source)
    if not path.is_file():
        return None, [problem(str(path), f"no such file: expected a CSV file of {name}")]
    if path.stat().st_size >= MAX_INPUT_BYTES:
        return None, [problem(path.name, f"the file is {path.stat().st_size:,} bytes or more")]
    return read_csv_table(name, path.name, path.read_bytes())
