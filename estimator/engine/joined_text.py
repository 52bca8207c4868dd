"""Texts of a group joined into one, on whole columns: a Python call per position within a
group (a handful), not per group (``groupby(...).agg(lambda s: "; ".join(s))`` calls Python
once per group: seconds at tens of thousands of groups)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd


def join_by_group(
    keys: pd.DataFrame, text: pd.Series, sep: str, *, sort_text: bool = False
) -> pd.DataFrame:
    """One row per distinct ``keys`` row (sorted by the keys), with the texts of its rows
    joined by ``sep`` in a column named after ``text``: in the order they are given, or
    sorted when ``sort_text`` (the order of Python's ``sorted``: by code point)."""
    frame = keys.reset_index(drop=True).copy()
    name = str(text.name)
    frame[name] = text.astype(object).to_numpy()
    order = [*keys.columns, name] if sort_text else list(keys.columns)
    frame = frame.sort_values(order, kind="stable", ignore_index=True)
    if frame.empty:
        return frame
    key = frame[list(keys.columns)].to_numpy(object)
    new = np.r_[True, (key[1:] != key[:-1]).any(axis=1)]
    group = np.cumsum(new) - 1
    first = np.flatnonzero(new)
    position = np.arange(len(frame)) - first[group]
    values: npt.NDArray[np.object_] = frame[name].to_numpy(object)
    joined = values[first].copy()
    for k in range(1, int(position.max()) + 1):
        at = position == k
        joined[group[at]] = joined[group[at]] + sep + values[at]
    out = frame.iloc[first].reset_index(drop=True)
    out[name] = pd.Series(joined, dtype="str")
    return out
