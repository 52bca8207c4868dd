"""The rules of the uncertainty table: a known column of a known row, a well-ordered range
that stays inside the column's own range, a mode only where the distribution has one."""

from __future__ import annotations

import numpy as np
import pandas as pd

from estimator import errors as E
from estimator.errors import did_you_mean
from estimator.inputs.uncertain_columns import EVERY_ROW, ID_COLUMN, UNCERTAIN
from estimator.inputs.validation.collector import Checked, Collector
from pricing.distributions import DISTRIBUTIONS


def check_uncertainty(
    c: Checked, tables: dict[str, pd.DataFrame], read: set[str], out: Collector
) -> None:
    """``read``: the tables read with rows; ids into any other are not checked (its own
    problem is reported, and every id would otherwise be reported as unknown too)."""
    t = c.typed
    for i in range(len(t)):
        row = t.iloc[i]
        if c.bad.iloc[i][["table", "distribution", "low", "high"]].any():
            continue  # already reported
        spec = UNCERTAIN.get((row["table"], row["column"]))
        if spec is None:
            _unknown_column(c, i, out)
            continue
        if spec.table in read:
            _known_id(c, i, tables, spec.kind, out)
        _range_ok(c, i, spec.low, spec.high, spec.low_open, out)
    _no_repeats(c, out)


def _unknown_column(c: Checked, i: int, out: Collector) -> None:
    table = str(c.typed["table"].iloc[i])
    columns = [col for (tab, col) in UNCERTAIN if tab == table]
    value = str(c.typed["column"].iloc[i])
    message = E.UNCERTAIN_COLUMN.format(
        table=table, columns=", ".join(columns), hint=did_you_mean(value, columns)
    )
    out.add(c.raw, [i], "column", message)


def _known_id(
    c: Checked, i: int, tables: dict[str, pd.DataFrame], kind: str, out: Collector
) -> None:
    table, value = str(c.typed["table"].iloc[i]), str(c.typed["id"].iloc[i])
    if value == EVERY_ROW:
        return
    rows = tables[table]
    ids = rows[ID_COLUMN[table]]
    if not (ids == value).any():
        options = ids.dropna().astype(str).unique().tolist()
        message = E.UNKNOWN_REFERENCE.format(
            table=table.rstrip("s").replace("companie", "company"),
            column=ID_COLUMN[table],
            value=value,
            hint=did_you_mean(value, options),
        )
        out.add(c.raw, [i], "id", message)
    elif kind and (rows.loc[ids == value, "kind"] != kind).all():
        column = str(c.typed["column"].iloc[i])
        out.add(c.raw, [i], "id", E.UNCERTAIN_KIND.format(column=column, kind=kind))


def _range_ok(
    c: Checked, i: int, low: float, high: float | None, low_open: bool, out: Collector
) -> None:
    row = c.typed.iloc[i]
    dist = DISTRIBUTIONS[str(row["distribution"])]
    lo, mode, hi = float(row["low"]), float(row["mode"]), float(row["high"])
    has_mode = not np.isnan(mode)
    if dist.uses_mode and not has_mode:
        out.add(c.raw, [i], "mode", E.UNCERTAIN_NEEDS_MODE.format(dist=dist.name), value=False)
    elif not dist.uses_mode and has_mode:
        out.add(c.raw, [i], "mode", E.UNCERTAIN_NO_MODE.format(dist=dist.name))
    ordered = lo <= hi and (not has_mode or lo <= mode <= hi)
    if not ordered:
        column = "mode" if has_mode and lo <= hi else "high"
        out.add(c.raw, [i], column, E.UNCERTAIN_ORDER)
    if dist.name == "lognormal" and (high is not None or lo <= 0 or lo == hi):
        why = "a share or impact has an upper bound" if high is not None else "low must be > 0"
        out.add(c.raw, [i], "distribution", E.UNCERTAIN_LOGNORMAL.format(why=why))
        return
    bound = f"{'above' if low_open else 'at least'} {low:g}" + (
        f" and at most {high:g}" if high is not None else ""
    )
    for name, value in (("low", lo), ("mode", mode), ("high", hi)):
        if np.isnan(value):
            continue
        below = value <= low if low_open else value < low
        if below or (high is not None and value > high):
            column = str(row["column"])
            out.add(c.raw, [i], name, E.UNCERTAIN_RANGE.format(column=column, bound=bound))


def _no_repeats(c: Checked, out: Collector) -> None:
    """One distribution per cell: a second row for the same column of the same row (or for
    a row that a ``*`` row already covers) is an error. Revenue per hour and annual revenue
    are one cell (the revenue rate)."""
    parts = c.typed[["table", "id", "column"]].astype(object).fillna("").astype(str)
    column = parts["column"].replace({"annual_revenue": "revenue_per_hour"})
    cell = parts["table"] + "|" + column
    key = cell + "|" + parts["id"]
    known = c.typed["table"].notna().to_numpy()
    star = (parts["id"] == EVERY_ROW).to_numpy() & known
    earlier = np.arange(len(parts))
    for i in np.flatnonzero(known):
        clash = (key == key.iloc[i]).to_numpy() | (
            (cell == cell.iloc[i]).to_numpy() & (star | star[i])
        )
        clash &= known & (earlier < i)
        if clash.any():
            first = c.raw.rows[int(np.flatnonzero(clash)[0])]
            out.add(c.raw, [int(i)], "id", E.UNCERTAIN_REPEAT.format(first=first))
