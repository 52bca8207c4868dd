"""The problem collector and the checks every table shares: header, parsing, required values,
duplicate ids, references to other tables, end after start, defaults from the schema."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa

from estimator import errors as E
from estimator.errors import ValidationIssue, did_you_mean
from estimator.inputs.readers import RawTable
from estimator.inputs.schema import TABLES_BY_NAME, Table
from estimator.inputs.validation.parsers import DTYPES, NUMERIC, PARSERS, is_in, only_given


@dataclass
class Checked:
    """A table after parsing: typed values, raw text, row numbers and where it came from."""

    table: Table
    raw: RawTable
    typed: pd.DataFrame
    bad: pd.DataFrame  # True where a value could not be read (so later rules skip it)


class Collector:
    def __init__(self) -> None:
        self.issues: list[ValidationIssue] = []

    def add(
        self,
        raw: RawTable,
        positions: Any,
        column: str | None,
        message: str | pd.Series | list[str],
        *,
        value: bool = True,
    ) -> None:
        idx = np.asarray(positions)
        if idx.dtype == bool:
            idx = np.flatnonzero(idx)
        for n, i in enumerate(idx):
            msg = (
                message
                if isinstance(message, str)
                else (message.iloc[i] if isinstance(message, pd.Series) else message[n])
            )
            text = None
            if value and column is not None and column in raw.frame.columns:
                cell = raw.frame[column].iloc[i]
                text = None if pd.isna(cell) else str(cell)
            self.issues.append(
                ValidationIssue(raw.source, int(raw.rows[i]), column, text, str(msg), raw.row_label)
            )


def check_table(raw: RawTable, out: Collector) -> Checked:
    table = TABLES_BY_NAME[raw.name]
    frame = raw.frame
    known = table.column_names
    header_row = 1 if raw.row_label == "row" else None  # a JSON list has no header row
    for col in frame.columns:
        if col not in known:
            out.issues.append(
                ValidationIssue(
                    raw.source,
                    header_row,
                    col,
                    col,
                    E.UNKNOWN_COLUMN.format(
                        column=col, hint=did_you_mean(col, known), columns=", ".join(known)
                    ),
                )
            )
    for column in table.columns:
        if column.in_header and column.name not in frame.columns:
            out.issues.append(
                ValidationIssue(
                    raw.source,
                    header_row,
                    column.name,
                    None,
                    E.MISSING_COLUMN.format(column=column.name),
                )
            )
    if len(frame) == 0 and not table.optional:
        out.issues.append(ValidationIssue(raw.source, None, None, None, E.HEADER_ONLY))
    n = len(frame)
    typed: dict[str, pd.Series] = {}
    bad: dict[str, np.ndarray[Any, Any]] = {}
    for column in table.columns:
        if column.name in frame.columns:
            values, msgs = only_given(PARSERS[column.kind])(
                frame[column.name].reset_index(drop=True)
            )
            problems = msgs.notna().to_numpy()
            out.add(raw, problems, column.name, msgs)
            bad[column.name] = problems
        else:
            values = pd.Series([np.nan] * n, dtype=np.float64)
            bad[column.name] = np.zeros(n, dtype=bool)
        typed[column.name] = as_dtype(values, column.kind, n)
        if column.in_header and column.name in frame.columns:
            blank = frame[column.name].isna().to_numpy() & ~bad[column.name]
            out.add(raw, blank, column.name, E.REQUIRED, value=False)
    result = pd.DataFrame(typed, index=pd.RangeIndex(n))
    return Checked(table, raw, result, pd.DataFrame(bad, index=pd.RangeIndex(n)))


def as_dtype(values: pd.Series, kind: str, n: int) -> pd.Series:
    values = values.reset_index(drop=True)
    if kind in DTYPES:
        if kind == "timestamp" and not isinstance(values.dtype, pd.DatetimeTZDtype):
            empty: pd.Series = pd.Series(pd.NaT, index=range(n), dtype=DTYPES[kind])
            return empty
        typed: pd.Series = values.astype(DTYPES[kind])
        return typed
    if kind in NUMERIC:
        return values.astype(np.float64)
    if values.dtype == np.float64 and values.isna().all():  # a column left out: all blank
        return pd.Series(pd.array(pa.nulls(n, pa.string()), dtype="str"))
    return values.astype("str")


def duplicates(checked: Checked, column: str, out: Collector) -> np.ndarray[Any, Any]:
    """Report every repeat of an id after its first use; returns the repeat mask."""
    values = checked.typed[column]
    dup = values.duplicated(keep="first").to_numpy() & values.notna().to_numpy()
    if dup.any():
        first_pos = pd.Series(np.arange(len(values))).groupby(values.to_numpy()).transform("min")
        first_row = checked.raw.rows[first_pos.to_numpy()]
        msgs = [
            E.DUPLICATE_ID.format(column=column, first=first_row[i]) for i in np.flatnonzero(dup)
        ]
        out.add(checked.raw, dup, column, msgs)
    return dup


def references(
    checked: Checked, column: str, valid: pd.Series, table: str, target: str, out: Collector
) -> None:
    values = checked.typed[column]
    missing = values.notna().to_numpy() & ~is_in(values, valid)
    if missing.any():
        options = valid.dropna().astype(str).unique().tolist()
        msgs = [
            E.UNKNOWN_REFERENCE.format(
                table=table,
                column=target,
                value=values.iloc[i],
                hint=did_you_mean(str(values.iloc[i]), options),
            )
            for i in np.flatnonzero(missing)
        ]
        out.add(checked.raw, missing, column, msgs)


def end_after_start(checked: Checked, out: Collector, *, end_required: bool) -> None:
    t = checked.typed
    both = t["start"].notna() & t["end"].notna()
    wrong = (both & (t["end"] <= t["start"])).to_numpy()
    if wrong.any():
        msgs = [
            E.END_NOT_AFTER_START.format(start=checked.raw.frame["start"].iloc[i])
            for i in np.flatnonzero(wrong)
        ]
        out.add(checked.raw, wrong, "end", msgs)
    if end_required:
        blank = t["end"].isna().to_numpy() & ~checked.bad["end"].to_numpy()
        blank = blank & ("end" in checked.raw.frame.columns)
        out.add(checked.raw, blank, "end", E.BLANK_END_EXCLUSION, value=False)


# --- defaults ---------------------------------------------------------------------------

CONDITIONS: dict[str, Callable[[pd.DataFrame], npt.NDArray[np.bool_]]] = {
    "provider": lambda t: (t["kind"] == "provider").to_numpy(dtype=bool),
    "insurance": lambda t: (t["kind"] == "insurance").to_numpy(dtype=bool),
    "indemnity": lambda t: ((t["kind"] == "insurance") & (t["cover"] == "indemnity")).to_numpy(
        dtype=bool
    ),
    "custom": lambda t: (t["sla"] == "custom").to_numpy(dtype=bool),
    "custom_or_insurance": lambda t: ((t["sla"] == "custom") | (t["kind"] == "insurance")).to_numpy(
        dtype=bool
    ),
}
"""The rows a column's default applies to (``schema.Column.default_for``)."""


def fill_defaults(c: Checked) -> None:
    """Blank cells take their column's default (declared on the schema), where it applies;
    a cell whose value could not be read stays blank. Defaults for every row come first, so
    conditions can use them (a contract's kind)."""
    t = c.typed
    columns = sorted(
        (col for col in c.table.columns if col.default is not None),
        key=lambda col: col.default_for != "",
    )
    for col in columns:
        rows = CONDITIONS[col.default_for](t) if col.default_for else np.ones(len(t), dtype=bool)
        fill = rows & t[col.name].isna().to_numpy() & ~c.bad[col.name].to_numpy()
        if fill.any():
            t[col.name] = t[col.name].where(~fill, col.default)
