"""Display labels for result and input columns: one mapping, used by the CLI, workbook and app."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

LABELS: dict[str, str] = {
    # results
    "company_id": "Company",
    "outage_id": "Outage",
    "contract_id": "Contract",
    "currency": "Currency",
    "impacted_minutes": "Impacted minutes",
    "gross_lost_revenue": "Gross lost revenue",
    "recaptured_revenue": "Recaptured revenue",
    "outage_costs": "Outage costs",
    "total_loss": "Total loss",
    "kind": "Kind",
    "month": "Month (UTC)",
    "minutes_in_month": "Minutes in month",
    "downtime_minutes": "Downtime minutes",
    "uptime_pct": "Uptime %",
    "credit_pct": "Credit %",
    "monthly_fee": "Monthly fee",
    "credit_amount": "Credit",
    "claim_deadline": "Claim by (UTC date)",
    "sla_version": "SLA terms",
    "needs_review": "Needs review",
    "review_reason": "Why review",
    "episode_start": "Episode start (UTC)",
    "episode_end": "Episode end (UTC)",
    "hours": "Hours",
    "covered_hours": "Covered hours",
    "payout": "Payout",
    "credits_receivable": "Credits receivable",
    "credits_payable": "Credits payable",
    "insurance_recoveries": "Insurance recoveries",
    "net_impact": "Net impact",
    "recovery_ratio": "Recovery ratio",
    # inputs
    "start": "Start (UTC)",
    "end": "End (UTC)",
    "lost_share": "Lost share",
}


def label(column: str) -> str:
    """The display label of a column (the column name itself when none is defined)."""
    return LABELS.get(column, column)


def format_money_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every money column as text in its row's currency (minor-unit places)."""
    from estimator.results import MONEY_COLUMNS

    out = frame.copy()
    for column in out.columns:
        if column in MONEY_COLUMNS:
            out[column] = [
                format_money(v, cur) for v, cur in zip(out[column], out["currency"], strict=True)
            ]
    return out


def format_ratio(value: float) -> str:
    """A recovery ratio as a percentage ('' when there is no loss to recover)."""
    import math

    return "" if value is None or math.isnan(value) else f"{value:.1%}"


def format_money(value: float | None, currency: str) -> str:
    """An amount with thousands separators and the currency's minor-unit places ('' if blank)."""
    import math

    from pricing.money import currencies

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    places = currencies().get(currency, 2)
    return f"{value:,.{places}f}"
