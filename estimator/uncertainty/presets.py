"""Ready-made uncertainty rows for the usual morning-after questions (the app's one-click
ranges): how long will it last, how bad is it, how much revenue is really at stake.

Each preset is a PERT range around the input value (the mode), written as ordinary rows of
the uncertainty table, so the user sees, edits and can delete every number:

* ``duration``: each outage's longest window L (an ongoing window runs to ``as_of``):
  low L / 2, mode L, high 3 L. Outages run longer than first reported far more often than
  shorter, so the range is skewed to the right.
* ``impact``: each outage whose windows share one impact i: low i / 2, mode i, high
  min(1, 1.5 i). A drawn impact replaces the impact of every window of its outage, so an
  outage whose windows have different impacts (phases) gets no preset row, and a note says
  why: one drawn impact would flatten its phases.
* ``revenue``: each company's revenue as given (``revenue_per_hour`` or ``annual_revenue``)
  x: low 0.8 x, mode x, high 1.2 x, all in the group ``revenue``: one misjudged market moves
  every company together, the cautious choice for a portfolio's spread.

Values are rounded to 4 significant figures, low down and high up, so the range never
narrows.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from estimator.inputs.scenario import Inputs
from estimator.inputs.schema import TABLES_BY_NAME
from estimator.inputs.valuation import as_of_time

Float = npt.NDArray[np.float64]
QUESTIONS = {
    "duration": "How long will it last? Each outage's longest window: half to three times.",
    "impact": "How bad is it? Each outage's impact: half to one and a half times (at most 1).",
    "revenue": "How much revenue is at stake? Each company's revenue within 20%, together.",
}
COLUMNS = TABLES_BY_NAME["uncertainty"].column_names


class Suggestion(NamedTuple):
    rows: pd.DataFrame
    """Rows of the uncertainty table."""
    notes: list[str]
    """What was left without a row, and why."""

    def added_to(self, current: pd.DataFrame) -> pd.DataFrame:
        """``current`` uncertainty rows with these added (see :func:`merged`)."""
        return merged(current, self.rows)


def suggested_ranges(
    inputs: Inputs, question: str, *, as_of: str | pd.Timestamp | None = None
) -> Suggestion:
    """Uncertainty rows answering ``question`` (a key of :data:`QUESTIONS`) for every outage
    or company of ``inputs``."""
    if question == "duration":
        return Suggestion(_duration(inputs, as_of_time(as_of)), [])
    if question == "impact":
        return _impact(inputs)
    if question == "revenue":
        return Suggestion(_revenue(inputs), [])
    raise ValueError(f"unknown question {question!r}: expected one of {', '.join(QUESTIONS)}")


def merged(current: pd.DataFrame, suggested: pd.DataFrame) -> pd.DataFrame:
    """The current uncertainty rows with the suggested ones added; a suggested row replaces
    a current row for the same table, id and column (revenue_per_hour and annual_revenue
    count as one)."""

    def key(frame: pd.DataFrame) -> pd.Series:
        column = frame["column"].astype(str).replace({"annual_revenue": "revenue_per_hour"})
        return frame["table"].astype(str) + "|" + frame["id"].astype(str) + "|" + column

    keep = current.dropna(how="all")
    if len(keep):
        keep = keep[~key(keep).isin(key(suggested))]
    out = pd.concat([keep.astype(object), suggested.astype(object)], ignore_index=True)
    return out.reindex(columns=list(dict.fromkeys([*COLUMNS, *current.columns])))


def _rows(table: str, ids: object, column: object, low: npt.ArrayLike, mode: npt.ArrayLike,
          high: npt.ArrayLike, group: str | None = None) -> pd.DataFrame:  # fmt: skip
    return pd.DataFrame(
        {
            "table": table,
            "id": ids,
            "column": column,
            "distribution": "pert",
            "low": _round(low, np.floor),
            "mode": mode,
            "high": _round(high, np.ceil),
            "group": group,
        },
        columns=COLUMNS,
    )


def _round(values: npt.ArrayLike, how: np.ufunc) -> Float:
    """To 4 significant figures, in the direction ``how`` (floor or ceil)."""
    v = np.asarray(values, dtype=np.float64)
    with np.errstate(divide="ignore"):
        scale = np.where(v > 0, 10.0 ** (3 - np.floor(np.log10(np.abs(v) + (v == 0)))), 1.0)
    return np.asarray(how(v * scale) / scale, dtype=np.float64)


def _duration(inputs: Inputs, as_of: pd.Timestamp) -> pd.DataFrame:
    out = inputs.outages
    hours = (out["end"].fillna(as_of) - out["start"]).dt.total_seconds() / 3600
    longest = hours.groupby(out["outage_id"], sort=False).max()
    longest = longest[longest > 0]
    mode = np.asarray(longest.to_numpy(np.float64), dtype=np.float64)
    return _rows(
        "outages", longest.index.to_numpy(object), "duration_hours", mode / 2, mode, 3 * mode
    )


def _impact(inputs: Inputs) -> Suggestion:
    by = inputs.outages.groupby("outage_id", sort=False)["impact"]
    one = by.nunique() == 1
    phased = one.index[~one.to_numpy()].tolist()
    notes = [
        f"{o}: its windows have different impacts; one drawn impact would replace all of "
        "them, so add its row by hand if that is what you mean"
        for o in phased
    ]
    mode = by.first()[one].to_numpy(np.float64)
    high = np.minimum(1.0, _round(1.5 * mode, np.ceil))
    ids = one.index[one.to_numpy()].to_numpy(object)
    return Suggestion(_rows("outages", ids, "impact", mode / 2, mode, high), notes)


def _revenue(inputs: Inputs) -> pd.DataFrame:
    co = inputs.companies
    hourly = co["revenue_per_hour"].notna().to_numpy()
    column = np.where(hourly, "revenue_per_hour", "annual_revenue").astype(object)
    x = np.where(hourly, co["revenue_per_hour"], co["annual_revenue"]).astype(np.float64)
    rows = _rows(
        "companies", co["company_id"].to_numpy(object), column, 0.8 * x, x, 1.2 * x, "revenue"
    )
    return rows[x > 0].reset_index(drop=True)
