"""Names the risk modules share: the measures priced, how many contributors are kept, and
each event's provider-region."""

from __future__ import annotations

import pandas as pd

from estimator.columns import SUMMARY_MONEY

MEASURES = list(SUMMARY_MONEY)
"""total_loss, credits_receivable, credits_payable, insurance_recoveries, net_impact."""
TOP = 3
"""Largest contributors kept per event and per provider-region."""


def provider_region(events: pd.DataFrame) -> pd.Series:
    """Each outage id's provider and region(s) (several joined with ``+``, in the order its
    windows start), indexed by outage id."""
    first = events.sort_values(["outage_id", "start"], kind="stable")
    regions = first.groupby("outage_id", sort=False)["region"].agg(
        lambda r: "+".join(dict.fromkeys(r.astype(str)))
    )
    provider = first.groupby("outage_id", sort=False)["provider"].first()
    return (provider.astype(str) + " " + regions).rename("provider_region")
