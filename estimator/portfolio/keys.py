"""Names the risk modules share: the measures priced, how many contributors are kept, and
each event's provider-region."""

from __future__ import annotations

import pandas as pd

from estimator.engine.joined_text import join_by_group
from estimator.table_columns import SUMMARY_MONEY

MEASURES = list(SUMMARY_MONEY)
"""total_loss, credits_receivable, credits_payable, insurance_recoveries, net_impact."""
TOP = 3
"""Largest contributors kept per event and per provider-region."""


def provider_region(events: pd.DataFrame) -> pd.Series:
    """Each outage id's provider and region(s) (several joined with ``+``, in the order its
    windows start), indexed by outage id."""
    first = events.sort_values(["outage_id", "start"], kind="stable")
    distinct = first.assign(region=first["region"].astype(str)).drop_duplicates(
        ["outage_id", "region"]
    )
    regions = join_by_group(distinct[["outage_id"]], distinct["region"], "+")
    provider = first.groupby("outage_id", sort=False)["provider"].first()
    joined = pd.Series(regions["region"].to_numpy(object), index=regions["outage_id"])
    return (provider.astype(str) + " " + joined.reindex(provider.index)).rename("provider_region")
