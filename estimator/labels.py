"""Display labels for result and input columns: one mapping, used by the CLI, workbook and app."""

from __future__ import annotations

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


def format_money(value: float | None, currency: str) -> str:
    """An amount with thousands separators and the currency's minor-unit places ('' if blank)."""
    import math

    from pricing.money import currencies

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    places = currencies().get(currency, 2)
    return f"{value:,.{places}f}"
