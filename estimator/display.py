"""Showing results to people (command line, app): every value as text, as its column says.

Money shows its currency's minor-unit places; other numbers show the decimals
their own value needs, up to the column's most (``50`` not ``50.000000``);
uptime is rounded down, so a value shown never reaches a tier bound it is below;
a missing value is blank, never ``NaN`` or ``None``.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from estimator.columns import COLUMNS
from pricing.money import currencies


def format_money(value: float | None, currency: str) -> str:
    """An amount with thousands separators and the currency's minor-unit places ('' if blank)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    places = currencies().get(currency, 2)
    return f"{value:,.{places}f}"


def format_ratio(value: float | None) -> str:
    """A ratio as a percentage with one decimal ('' when there is none)."""
    return "" if value is None or math.isnan(value) else f"{value:.1%}"


def format_number(value: float | None, decimals: int, *, floor: bool = False) -> str:
    """At most ``decimals`` places, trailing zeros dropped; rounded down when ``floor``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    scale = 10**decimals
    shown = math.floor(value * scale + 1e-9) / scale if floor else value
    text = f"{shown:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _cell(value: Any) -> str:
    if value is None or value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def display_column(frame: pd.DataFrame, name: str) -> pd.Series:
    """One column of a result table as the text a person reads."""
    spec = COLUMNS.get(name)
    values = frame[name]
    kind = spec.kind if spec else "text"
    if kind == "money":
        shown = [format_money(v, c) for v, c in zip(values, frame["currency"], strict=True)]
    elif kind in ("number", "pct") and spec is not None:
        decimals = spec.decimals if spec.decimals is not None else 6
        shown = [format_number(v, decimals, floor=spec.floor) for v in values.tolist()]
    elif kind == "ratio":
        shown = [format_ratio(v) for v in values.tolist()]
    elif kind == "date":
        shown = values.dt.strftime("%Y-%m-%d").fillna("").tolist()
    elif kind == "datetime":
        shown = values.dt.strftime("%Y-%m-%d %H:%M:%S").fillna("").tolist()
    elif kind == "bool":
        shown = ["yes" if bool(v) else "" for v in values.tolist()]
    else:
        shown = [_cell(v) for v in values.tolist()]
    return pd.Series(shown, index=frame.index, dtype="str")


def display_frame(frame: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """A result table (the chosen columns) as text, column by column."""
    names = columns if columns is not None else list(frame.columns)
    return pd.DataFrame({n: display_column(frame, n) for n in names}, index=frame.index)


def blank_missing(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose missing text cells are empty strings (for tables shown in the app)."""
    out = frame.copy()
    for name in out.columns:
        if not pd.api.types.is_numeric_dtype(out[name]):
            out[name] = out[name].astype(object).where(out[name].notna(), "")
    return out


__all__ = [
    "blank_missing",
    "display_column",
    "display_frame",
    "format_money",
    "format_number",
    "format_ratio",
]
