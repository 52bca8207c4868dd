"""Which outage windows hit which contracts (DESIGN §4.1).

A window hits a contract when the providers are equal, the regions are equal
or either is ``*``, and the services are equal or either is ``*``. Matching is
one sorted join on integer keys per combination of wildcards, so it costs about
the size of its result.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pricing.intervals import Int, expand

WILDCARD = "*"
COLUMNS = ("provider", "region", "service")


def match_windows(*, windows: pd.DataFrame, contracts: pd.DataFrame) -> tuple[Int, Int]:
    """Pairs (window row, contract row) where the window hits the contract.

    Both frames need ``provider``, ``region`` and ``service`` text columns; rows
    are referred to by position. Each pair appears once, sorted by contract then window.
    """
    if windows.empty or contracts.empty:
        z = np.zeros(0, np.int64)
        return z, z
    n_w = len(windows)
    codes, sizes, star = {}, {}, {}
    for column in COLUMNS:
        values = pd.concat([windows[column], contracts[column]], ignore_index=True)
        code, uniques = pd.factorize(values)
        codes[column], sizes[column] = code.astype(np.int64), len(uniques) + 1
        star[column] = (values == WILDCARD).to_numpy(dtype=bool)
    w_kind = star["region"][:n_w] * 2 + star["service"][:n_w]
    c_kind = star["region"][n_w:] * 2 + star["service"][n_w:]
    parts_w, parts_c = [], []
    for wk in np.unique(w_kind).tolist():
        for ck in np.unique(c_kind).tolist():
            by_region = not (wk & 2 or ck & 2)  # neither region is a wildcard
            by_service = not (wk & 1 or ck & 1)
            key = codes["provider"]
            key = key * sizes["region"] + (codes["region"] if by_region else 0)
            key = key * sizes["service"] + (codes["service"] if by_service else 0)
            w_rows = np.flatnonzero(w_kind == wk)
            c_rows = np.flatnonzero(c_kind == ck)
            w, c = _join(key[:n_w][w_rows], key[n_w:][c_rows])
            parts_w.append(w_rows[w])
            parts_c.append(c_rows[c])
    wi = np.concatenate(parts_w)
    ci = np.concatenate(parts_c)
    order = np.lexsort((wi, ci))
    return wi[order], ci[order]


def _join(left: Int, right: Int) -> tuple[Int, Int]:
    """Every (i, j) with ``left[i] == right[j]``."""
    order = np.argsort(right, kind="stable")
    sorted_right = right[order]
    lo = np.searchsorted(sorted_right, left, side="left")
    count = np.searchsorted(sorted_right, left, side="right") - lo
    i, at = expand(lo, count)
    return i, order[at]
