"""Accumulation: where the portfolio's loss concentrates. Per simulated event and per
provider-region (the region of the event's first window; several regions joined with ``+``):
the portfolio's loss in the reporting currency, the companies hit, and the largest
contributors (an event's: their loss in it; a provider-region's: their average annual loss
from its events). A provider-region's figures are over all simulated years: its events, their
summed and average annual portfolio loss, the mean companies hit per event."""

from __future__ import annotations

import numpy as np
import pandas as pd

from estimator.portfolio.keys import MEASURES, TOP, provider_region

COLUMNS = [
    "level",
    "key",
    "provider_region",
    "year",
    "events",
    "companies_hit",
    "currency",
    *MEASURES,
    "aal_total_loss",
    "largest_contributors",
]


def accumulation(
    per_event: pd.DataFrame,
    top: pd.DataFrame,
    by_region: pd.DataFrame,
    events: pd.DataFrame,
    n_years: int,
    currency: str,
) -> pd.DataFrame:
    """Events (largest portfolio loss first), then provider-regions (largest average annual
    loss first). ``top``: each event's largest losses; ``by_region``: each company's loss
    per provider-region over all years (reporting currency)."""
    region = provider_region(events)
    ev = per_event.assign(provider_region=per_event["outage_id"].map(region).astype(str))
    names = _contributors(top, ["year", "outage_id"])
    ev = ev.merge(names, on=["year", "outage_id"], how="left")
    ev = ev.sort_values(["total_loss", "year", "outage_id"], ascending=[False, True, True])
    event_rows = ev.assign(
        level="event",
        key=ev["outage_id"].astype(str),
        events=1,
        aal_total_loss=np.nan,
    )
    per_year = by_region.assign(total_loss=by_region["total_loss"] / n_years)
    key_names = _contributors(per_year, ["provider_region"])
    regions = ev.groupby("provider_region", as_index=False).agg(
        events=("outage_id", "size"),
        companies_hit=("companies_hit", "mean"),
        **{m: (m, "sum") for m in MEASURES},
    )
    regions["aal_total_loss"] = regions["total_loss"] / n_years
    regions = regions.merge(key_names, on="provider_region", how="left")
    regions = regions.assign(level="provider-region", key=regions["provider_region"], year=np.nan)
    regions = regions.sort_values(["aal_total_loss", "key"], ascending=[False, True])
    out = pd.concat(
        [event_rows.assign(currency=currency)[COLUMNS], regions.assign(currency=currency)[COLUMNS]],
        ignore_index=True,
    )
    out["largest_contributors"] = out["largest_contributors"].fillna("")
    out["currency"] = currency  # the reporting currency
    return out


def _contributors(top: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """The ``TOP`` largest losses of each group as text: 'acme 1,234.56; ...'."""
    ranked = top.sort_values([*by, "total_loss"], ascending=[True] * len(by) + [False])
    best = ranked.groupby(by, sort=False).head(TOP).reset_index(drop=True)
    amount = best["total_loss"].map(lambda v: f"{v:,.2f}")  # at most TOP rows per group
    text = best["company_id"].astype(str) + " " + amount.astype(str)
    rank = best.groupby(by, sort=False).cumcount().to_numpy()
    first = best[rank == 0][by].reset_index(drop=True)
    joined = text[rank == 0].reset_index(drop=True)
    group = np.cumsum(rank == 0) - 1  # each row's group: the rows of a group are together
    for k in range(1, TOP):  # the k-th largest appended to each group that has one
        has = np.flatnonzero(rank == k)
        tail = np.full(len(joined), "", dtype=object)
        tail[group[has]] = ("; " + text.iloc[has]).to_numpy(object)
        joined = joined + pd.Series(tail, dtype="str")
    out: pd.DataFrame = first.assign(largest_contributors=joined)
    return out
