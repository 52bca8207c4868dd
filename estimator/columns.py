"""Every output column, defined once: name, display label, money or not, decimals, help.

Results, the command line, JSON, the workbook and the app all read this module;
it imports nothing else from the package.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    kind: str = "text"
    """text, number, money (in the row's currency), pct, ratio, date, datetime or bool."""
    decimals: int | None = None
    """For numbers: the most decimals shown; each value shows only the decimals it needs."""
    help: str = ""
    floor: bool = False
    """Shown rounded down, never up (an uptime shown never crosses a tier bound it is below)."""


_ALL = (
    # identities
    Column("company_id", "Company"),
    Column("outage_id", "Outage"),
    Column("contract_id", "Contract"),
    Column("currency", "Currency"),
    Column("kind", "Kind", help="provider: owed to the company; customer: owed by it"),
    # losses
    Column("impacted_minutes", "Impacted minutes", "number", 2),
    Column("gross_lost_revenue", "Gross lost revenue", "money"),
    Column("recaptured_revenue", "Recaptured revenue", "money"),
    Column("outage_costs", "Outage costs", "money"),
    Column("total_loss", "Total loss", "money", help="lost revenue after recapture, plus costs"),
    # credits
    Column("month", "Month (UTC)"),
    Column(
        "metric",
        "Metric",
        help="downtime: a minute counts when the impact is at or above the threshold; "
        "error_rate: every minute counts with its impact as the error rate",
    ),
    Column("minutes_in_month", "Minutes in month", "number", 0),
    Column(
        "downtime_minutes",
        "Downtime minutes (clock; error-weighted for error_rate)",
        "number",
        2,
        help="metric downtime: clock minutes at or above the threshold; metric error_rate: "
        "error-weighted minutes, the sum of impact x minutes. Either way uptime % = 100 x "
        "(minutes in month - downtime minutes) / minutes in month",
    ),
    Column("uptime_pct", "Uptime %", "pct", 4, floor=True),
    Column("credit_pct", "Credit %", "pct", 6, help="blank where the credit terms are unknown"),
    Column("monthly_fee", "Monthly fee", "money", help="the credit base of the month"),
    Column(
        "fee_source",
        "Fee from",
        help="contract: the contract's monthly_fee; charges: the month's charges in the "
        "charges table (billing exports)",
    ),
    Column(
        "filed_late",
        "Filed late",
        "bool",
        help="the claim log says the claim was filed after the claim deadline",
    ),
    Column("credit_amount", "Credit", "money", help="blank where it could not be computed"),
    Column("claim_deadline", "Claim by (UTC date)", "date"),
    Column(
        "claim_status",
        "Claim status (at the as-of date)",
        help="open (N days left) or expired on the valuation date; blank where there is no "
        "deadline or nothing is owed",
    ),
    Column("sla_version", "SLA terms", help="template@version, with any contract override"),
    Column(
        "outside_scope",
        "Not counted (outside the SLA's scopes)",
        help="outages that hit the contract in the month but lie outside the outage scopes "
        "its SLA counts (region, zone, control_plane)",
    ),
    Column("needs_review", "Needs review", "bool"),
    Column("review_reason", "Why review"),
    # insurance
    Column("episode_start", "Episode start (UTC)", "datetime"),
    Column("episode_end", "Episode end (UTC)", "datetime"),
    Column("hours", "Hours", "number", 4),
    Column("covered_hours", "Covered hours", "number", 4),
    Column("payout", "Payout", "money"),
    Column(
        "policy_period",
        "Policy period (UTC)",
        help="inception to expiry; an episode is covered when it starts inside it",
    ),
    Column(
        "in_policy_period",
        "In the policy period",
        "bool",
        help="the episode starts at or after inception and before expiry",
    ),
    Column(
        "limit_bound",
        "Limit that bound",
        help="occurrence: the episode's payout was cut to the occurrence limit; aggregate: the "
        "policy's aggregate limit was reached",
    ),
    # summary
    Column("credits_receivable", "Credits receivable", "money", help="owed by the providers"),
    Column("credits_payable", "Credits payable", "money", help="owed to the company's customers"),
    Column("insurance_recoveries", "Insurance recoveries", "money"),
    Column(
        "credits_receivable_open",
        "Credits receivable: open",
        "money",
        help="still claimable (open, no deadline) or pending (filed, approved)",
    ),
    Column(
        "credits_lost",
        "Credits lost",
        "money",
        help="expired unclaimed, or rejected; receivable = open + lost + paid",
    ),
    Column(
        "net_impact",
        "Net impact",
        "money",
        help="total loss + credits payable - credits receivable - insurance recoveries",
    ),
    Column(
        "recovery_ratio",
        "Recovery ratio",
        "ratio",
        help="(credits receivable + insurance recoveries) / total loss",
    ),
    # windows as priced
    Column("provider", "Provider"),
    Column("region", "Region"),
    Column("service", "Service"),
    Column("scope", "Scope"),
    Column("zone", "Zone"),
    Column("start", "Start (UTC)", "datetime"),
    Column("end", "End (UTC)", "datetime"),
    Column("priced_end", "Priced end (UTC)", "datetime"),
    Column("impact", "Impact", "number", 6),
    Column("status", "Status at the as-of time"),
    Column("lost_share", "Lost share", "ratio"),
    # calculation steps (workbook)
    Column("minor_unit", "Minor unit", "number", 0),
    Column("before_cap_minor", "Credit before cap (minor units)", "number", 6),
    Column("cap_minor", "Cap (minor units)", "number", 6),
    Column("rounded_minor", "Rounded (minor units)", "number", 6),
    Column("minimum_minor", "Minimum credit (minor units)", "number", 6),
    Column(
        "covered_revenue",
        "Lost revenue after recapture in covered time (engine)",
        "money",
    ),
    Column("covered_costs", "Outage costs in covered time (engine)", "money"),
    Column("basis_loss", "Covered loss on the cover's basis", "money"),
    Column(
        "credits_deducted",
        "Other recoveries deducted: SLA credits (engine)",
        "money",
        help="SLA credits receivable for the same services and months, pro rata to covered loss",
    ),
    Column(
        "before_limit_minor",
        "After deductible and share (minor units)",
        "number",
        6,
    ),
    Column("occurrence_minor", "After occurrence limit (minor units)", "number", 6),
    Column("running_minor", "Running total (minor units)", "number", 6),
    Column("capped_minor", "After aggregate limit (minor units)", "number", 6),
    Column("contract_row", "Contract row", "number", 0),
    Column("terms_row", "Terms row", "number", 0),
    Column("method", "Method"),
    Column("export_value", "Export value", "money"),
    Column("matches_export", "Matches export", "bool"),
    Column("increment_pct", "increment_pct", "pct", 6),
    # claims
    Column("claim_how", "How to claim"),
    Column("account", "Account", help="the provider account billed (a claim per account)"),
    Column("resources", "Resources", help="the affected resources the claim names"),
    Column("source", "Source"),
    # reconciliation
    Column("credit_owed", "Credit owed", "money", help="what the SLA owes for the month"),
    Column("claimed", "Claimed", "money", help="the owed credit of claims in the claim log"),
    Column(
        "approved",
        "Approved",
        "money",
        help="approved or paid claims: the approved amount (the owed credit when none is given)",
    ),
    Column(
        "received",
        "Received (billing export)",
        "money",
        help="credits_received of the charges table, applied to the key's months oldest first",
    ),
    Column(
        "outstanding",
        "Outstanding (owed - received)",
        "money",
        help="the difference between the credit owed and the credit received",
    ),
    Column("reason", "Why"),
    Column("verified", "Verified", "bool"),
    # insurance terms shown beside the recoveries
    Column("waiting_hours", "Waiting hours", "number", 4),
    Column("cover", "Cover"),
    Column("hourly_payout", "Hourly payout", "money"),
    Column("deductible", "Deductible", "money"),
    Column("limit", "Aggregate limit", "money"),
    Column("occurrence_limit", "Occurrence limit", "money"),
    Column("inception", "Inception (UTC)", "datetime"),
    Column("expiry", "Expiry (UTC)", "datetime"),
    Column("basis", "Basis"),
    Column("other_recoveries", "Other recoveries"),
    Column("share", "Insurer's share", "number", 6),
    Column("gross_margin", "Gross margin", "number", 6),
    # simulations (statistics over the draws, in the row's currency)
    Column("draw", "Draw", "number", 0),
    Column("measure", "Measure"),
    Column("draws", "Draws", "number", 0),
    Column("mean", "Mean", "money"),
    Column("std", "Standard deviation", "money"),
    Column("sem", "Standard error of the mean", "money"),
    *(Column(f"p{p}", f"P{p}", "money", help=f"{p}th percentile") for p in (5, 10, 50, 90, 95)),
    Column("input", "Uncertain input", help="table, id and column of an uncertainty row"),
    Column("at_centre", "Every input at its centre", "money"),
    Column("input_p10", "Input at its P10", "number", 6),
    Column("input_p90", "Input at its P90", "number", 6),
    Column("at_p10", "With the input at its P10", "money"),
    Column("at_p90", "With the input at its P90", "money"),
    Column("swing", "Swing", "money", help="|with the input at P90 - with it at P10|"),
    # comparisons
    Column("a", "A", "money"),
    Column("b", "B", "money"),
    Column("difference", "B - A", "money"),
    # portfolio risk
    Column("year", "Simulated year", "number", 0),
    Column("ep_type", "EP type", help="OEP: a year's largest event; AEP: a year's total"),
    Column("return_period", "Return period (years)", "number", 0),
    Column("loss", "Loss", "money"),
    Column("aal", "Average annual value", "money"),
    Column("se", "Standard error", "money", help="of the estimate from the simulated years"),
    Column("years", "Years priced", "number", 0),
    Column("aal_se", "Standard error of the average", "money"),
    *(
        Column(f"aep_{t}{e}", f"AEP 1-in-{t}{e and ' SE'}", "money")
        for t in (100, 250)
        for e in ("", "_se")
    ),
    Column("level", "Level"),
    Column("key", "Event or provider-region"),
    Column("provider_region", "Provider-region"),
    Column("events", "Events", "number", 0),
    Column("companies_hit", "Companies hit", "number", 1),
    Column("aal_total_loss", "Average annual loss", "money"),
    Column("largest_contributors", "Largest contributors"),
)
COLUMNS: dict[str, Column] = {c.name: c for c in _ALL}

MONEY_COLUMNS = frozenset(c.name for c in _ALL if c.kind == "money")
"""Columns holding amounts in the row's currency (shown with its minor-unit places)."""


def label(name: str) -> str:
    """The display label of a column (the column name itself when none is defined)."""
    column = COLUMNS.get(name)
    return column.label if column else name


def help_text(name: str) -> str:
    column = COLUMNS.get(name)
    return column.help if column else ""
