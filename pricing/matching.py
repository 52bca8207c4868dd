"""Which outage windows hit which contracts (DESIGN §4.1).

A window hits a contract when the providers are equal, the regions are equal
or either is ``*``, and the services are equal or either is ``*``. Matching is
a few joins on integer codes, one per combination of wildcards, so it costs
about the size of its result.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pricing.intervals import Int

WILDCARD = "*"


def match_windows(*, windows: pd.DataFrame, contracts: pd.DataFrame) -> tuple[Int, Int]:
    """Pairs (window row, contract row) where the window hits the contract.

    Both frames need ``provider``, ``region`` and ``service`` text columns; rows
    are referred to by position. Each pair appears once, sorted by contract then window.
    """
    if windows.empty or contracts.empty:
        z = np.zeros(0, np.int64)
        return z, z
    keys = pd.concat(
        [windows[["provider", "region", "service"]], contracts[["provider", "region", "service"]]],
        ignore_index=True,
    )
    codes = {c: pd.factorize(keys[c])[0].astype(np.int64) for c in keys.columns}
    n_w = len(windows)
    star = {c: (keys[c] == WILDCARD).to_numpy() for c in ("region", "service")}
    w = pd.DataFrame({c: codes[c][:n_w] for c in codes})
    w["w_row"] = np.arange(n_w, dtype=np.int64)
    c = pd.DataFrame({k: codes[k][n_w:] for k in codes})
    c["c_row"] = np.arange(len(contracts), dtype=np.int64)
    parts_w, parts_c = [], []
    for w_region_star in (False, True):
        for w_service_star in (False, True):
            wsel = w[
                (star["region"][:n_w] == w_region_star) & (star["service"][:n_w] == w_service_star)
            ]
            if wsel.empty:
                continue
            for c_region_star in (False, True):
                for c_service_star in (False, True):
                    csel = c[
                        (star["region"][n_w:] == c_region_star)
                        & (star["service"][n_w:] == c_service_star)
                    ]
                    if csel.empty:
                        continue
                    on = ["provider"]
                    if not (w_region_star or c_region_star):
                        on.append("region")
                    if not (w_service_star or c_service_star):
                        on.append("service")
                    joined = wsel[[*on, "w_row"]].merge(csel[[*on, "c_row"]], on=on, how="inner")
                    parts_w.append(joined["w_row"].to_numpy(dtype=np.int64))
                    parts_c.append(joined["c_row"].to_numpy(dtype=np.int64))
    if not parts_w:
        z = np.zeros(0, np.int64)
        return z, z
    wi = np.concatenate(parts_w)
    ci = np.concatenate(parts_c)
    order = np.lexsort((wi, ci))
    return wi[order], ci[order]
