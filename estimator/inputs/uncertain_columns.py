"""Which input columns may be uncertain, and the range their drawn values must keep."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Uncertain:
    table: str
    column: str
    low: float
    """The smallest value allowed (``low_open``: strictly above it)."""
    high: float | None
    """The largest value allowed (None: no upper bound)."""
    low_open: bool = False
    kind: str = ""
    """For contracts: the kind of contract the column applies to."""
    meaning: str = ""


UNCERTAIN: dict[tuple[str, str], Uncertain] = {
    (u.table, u.column): u
    for u in (
        Uncertain(
            "outages", "impact", 0.0, 1.0, low_open=True, meaning="share of requests failing"
        ),
        Uncertain(
            "outages",
            "duration_hours",
            0.0,
            None,
            low_open=True,
            meaning="length of the outage's longest window, in hours; every window of the "
            "outage is scaled by the same factor from its own start",
        ),
        Uncertain("companies", "revenue_per_hour", 0.0, None, meaning="revenue per hour"),
        Uncertain("companies", "annual_revenue", 0.0, None, meaning="revenue per year / 8760"),
        Uncertain("companies", "recapture_rate", 0.0, 1.0, meaning="share recovered later"),
        Uncertain("companies", "outage_cost_per_hour", 0.0, None, meaning="extra cost per hour"),
        Uncertain(
            "contracts",
            "revenue_share",
            0.0,
            1.0,
            kind="provider",
            meaning="share of the company's revenue that stops while the service is down",
        ),
        Uncertain(
            "contracts",
            "failover_minutes",
            0.0,
            None,
            kind="provider",
            meaning="minutes until traffic fails over",
        ),
        Uncertain(
            "contracts",
            "failover_share",
            0.0,
            1.0,
            kind="provider",
            meaning="share of the traffic that failover moves",
        ),
    )
}
ID_COLUMN = {"outages": "outage_id", "companies": "company_id", "contracts": "contract_id"}
EVERY_ROW = "*"
