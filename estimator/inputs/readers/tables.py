"""A header and a grid of cells -> a raw table of stripped text, blank cells missing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from estimator import errors as E
from estimator.errors import ValidationIssue
from estimator.inputs.readers.raw import RawTable


def make_table(
    name: str,
    source: str,
    header: list[str],
    values: np.ndarray[Any, Any] | pd.DataFrame,
    rows: np.ndarray[Any, np.dtype[np.int64]],
    row_label: str = "row",
    *,
    cells_are_text: bool = False,
    prepared: bool = False,
) -> tuple[RawTable | None, list[ValidationIssue]]:
    """Header and a grid of cells -> a raw table of stripped text with NA for blanks.

    ``prepared``: ``values`` is already a frame of stripped text columns with NA for blanks.
    """
    issues: list[ValidationIssue] = []
    frame: pd.DataFrame = (
        values
        if isinstance(values, pd.DataFrame)
        else pd.DataFrame(values, columns=range(len(header)), dtype=object)
    )
    if len(frame) and not prepared:
        if not cells_are_text:
            frame = frame.map(cell_text)
        frame = pd.DataFrame({c: strip_text(frame[c]) for c in frame.columns})
    keep: list[int] = []
    names: list[str] = []
    for i, raw in enumerate(header):
        col = "" if raw is None or raw == "nan" else str(raw).strip().lstrip("\ufeff")
        if not col:
            if len(frame) and frame[i].notna().any():
                issues.append(ValidationIssue(source, 1, None, None, E.BLANK_HEADER, row_label))
            continue
        if col in names:
            issues.append(ValidationIssue(source, 1, col, col, E.DUPLICATE_COLUMN, row_label))
            continue
        keep.append(i)
        names.append(col)
    frame = frame[keep]
    frame.columns = pd.Index(names)
    if len(frame):
        blank = frame.isna().all(axis=1).to_numpy()
        frame = frame[~blank].reset_index(drop=True)
        rows = rows[~blank]
    frame = frame.astype("str")
    return RawTable(name, source, frame, rows, row_label), issues


def strip_text(column: pd.Series) -> pd.Series:
    """Text with surrounding blanks removed; empty text becomes missing."""
    text = column.astype("str").str.strip()
    return text.mask(text == "")


def cell_text(value: object) -> object:
    """A cell -> stripped text, or NA when blank."""
    if value is None or value is pd.NA or value is pd.NaT:
        return pd.NA
    if isinstance(value, float):
        if np.isnan(value):
            return pd.NA
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    text = str(value).strip()
    return text if text else pd.NA
