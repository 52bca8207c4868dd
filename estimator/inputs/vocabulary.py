"""The values an input column may take (contract kinds, metrics, covers, bases, days, claim
statuses) and which contract columns apply to each kind of contract and of cover. The
validation reads these; the tables and their columns are in ``estimator.inputs.schema``.
"""

from __future__ import annotations

KINDS = ("provider", "customer", "insurance")
UNCERTAIN_TABLES = ("outages", "companies", "contracts")
METRICS = ("downtime", "error_rate")
COVERS = ("parametric", "indemnity")
BASES = ("revenue", "gross_profit")
OTHER_RECOVERIES = ("deduct", "ignore")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CLAIM_LOG_STATUSES = ("filed", "approved", "rejected", "paid")

INSURANCE_TERMS = (
    "waiting_hours",
    "cover",
    "hourly_payout",
    "deductible",
    "limit",
    "occurrence_limit",
    "inception",
    "expiry",
    "basis",
    "other_recoveries",
    "share",
)
"""A cover's own terms (the workbook's Recoveries sheet shows them beside each episode)."""

# Which contract columns apply to which kind (others must be blank).
KIND_COLUMNS: dict[str, frozenset[str]] = {
    "provider": frozenset(
        {
            "provider",
            "region",
            "service",
            "sla",
            "tiers",
            "metric",
            "downtime_threshold",
            "scopes",
            "monthly_fee",
            "revenue_share",
            "failover_minutes",
            "failover_share",
            "zones",
            "account",
            "resources",
        }
    ),
    "customer": frozenset({"sla", "tiers", "metric", "downtime_threshold", "monthly_fee"}),
    "insurance": frozenset(
        {"provider", "region", "service", "downtime_threshold", "scopes", *INSURANCE_TERMS}
    ),
}
KIND_REQUIRED: dict[str, tuple[str, ...]] = {
    "provider": ("provider", "region", "service", "sla", "monthly_fee"),
    "customer": ("sla", "monthly_fee"),
    "insurance": ("provider", "region", "service", "cover"),
}
COVER_COLUMNS: dict[str, frozenset[str]] = {
    "parametric": frozenset({"hourly_payout"}),
    "indemnity": frozenset({"deductible", "basis", "other_recoveries"}),
}
COVER_REQUIRED: dict[str, tuple[str, ...]] = {"parametric": ("hourly_payout",), "indemnity": ()}
