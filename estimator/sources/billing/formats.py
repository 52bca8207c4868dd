"""The billing export formats read (issue 22), each as the columns it is read from and how its
line types split into charges, credits received and excluded lines.

Written against the formats' own documentation:

* FOCUS 1.0-1.2, the FinOps Foundation's open billing format
  (https://focus.finops.org/focus-specification/; columns ``ProviderName``, ``ServiceName``,
  ``RegionId``, ``SubAccountId``, ``BillingPeriodStart``, ``ChargeCategory``, ``BilledCost``,
  ``BillingCurrency``). ``ChargeCategory`` is one of Usage, Purchase, Tax, Credit, Adjustment.
* AWS Cost and Usage Report 2.0 (https://docs.aws.amazon.com/cur/latest/userguide/
  table-dictionary-cur2.html) and the legacy CUR header (``lineItem/ProductCode``, ...,
  https://docs.aws.amazon.com/cur/latest/userguide/data-dictionary.html).
* The Google Cloud billing export written as CSV (the columns of the standard BigQuery export,
  https://cloud.google.com/billing/docs/how-to/export-data-bigquery-tables/standard-usage).
* The Azure cost details export (https://learn.microsoft.com/en-us/azure/cost-management-billing/
  automate/understand-usage-details-fields).
"""

from __future__ import annotations

from dataclasses import dataclass, field

CHARGE, CREDIT, EXCLUDED = "charge", "credit", "excluded"
"""What a line counts as: a charge (the credit base), a credit received, or neither (tax)."""


@dataclass(frozen=True)
class BillingFormat:
    name: str
    label: str
    columns: dict[str, tuple[str, ...]]
    """role -> the header names it may be read from, first found wins. Roles: provider,
    service, region, account, month, currency, cost, category, credits (Google only)."""
    detect: tuple[str, ...]
    """Headers that together say the file is in this format."""
    kinds: dict[str, str] = field(default_factory=dict)
    """Line type (lower case) -> CHARGE, CREDIT or EXCLUDED; a type not listed is an error.
    Empty: every line is a charge (no line-type column)."""
    provider: str = ""
    """The provider of every line ('' = read from the provider column)."""
    month_format: str = "ISO8601"
    """How the month column's dates are written (``pandas.to_datetime`` format)."""
    negative_adjustment_is_credit: bool = False

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(r for r in self.columns if r not in ("region", "account", "credits"))


FOCUS = BillingFormat(
    "focus",
    "FOCUS 1.0-1.2",
    {
        "provider": ("ProviderName",),
        "service": ("ServiceName",),
        "region": ("RegionId", "Region"),
        "account": ("SubAccountId",),
        "month": ("BillingPeriodStart",),
        "currency": ("BillingCurrency",),
        "cost": ("BilledCost",),
        "category": ("ChargeCategory",),
    },
    detect=("BilledCost", "ChargeCategory", "BillingPeriodStart"),
    kinds={"usage": CHARGE, "purchase": CHARGE, "tax": EXCLUDED, "credit": CREDIT},
    negative_adjustment_is_credit=True,
)

CUR_KINDS = {
    **{
        t.lower(): CHARGE
        for t in (
            "Usage",
            "DiscountedUsage",
            "SavingsPlanCoveredUsage",
            "SavingsPlanNegation",
            "SavingsPlanRecurringFee",
            "SavingsPlanUpfrontFee",
            "Fee",
            "RIFee",
            "BundledDiscount",
            "EdpDiscount",
            "PrivateRateDiscount",
            "DistributorDiscount",
            "Discount",
        )
    },
    "credit": CREDIT,
    "refund": CREDIT,
    "tax": EXCLUDED,
}

CUR2 = BillingFormat(
    "cur2",
    "AWS Cost and Usage Report 2.0",
    {
        "service": ("line_item_product_code",),
        "region": ("product_region_code",),
        "account": ("line_item_usage_account_id",),
        "month": ("bill_billing_period_start_date",),
        "currency": ("line_item_currency_code",),
        "cost": ("line_item_unblended_cost",),
        "category": ("line_item_line_item_type",),
    },
    detect=("line_item_product_code", "line_item_unblended_cost"),
    kinds=CUR_KINDS,
    provider="aws",
)

CUR_LEGACY = BillingFormat(
    "cur",
    "AWS Cost and Usage Report (legacy)",
    {
        "service": ("lineItem/ProductCode",),
        "region": ("product/regionCode", "product/region"),
        "account": ("lineItem/UsageAccountId",),
        "month": ("bill/BillingPeriodStartDate",),
        "currency": ("lineItem/CurrencyCode",),
        "cost": ("lineItem/UnblendedCost",),
        "category": ("lineItem/LineItemType",),
    },
    detect=("lineItem/ProductCode", "lineItem/UnblendedCost"),
    kinds=CUR_KINDS,
    provider="aws",
)

GCP = BillingFormat(
    "gcp",
    "Google Cloud billing export (CSV)",
    {
        "service": ("service.description",),
        "region": ("location.region",),
        "account": ("project.id",),
        "month": ("usage_start_time",),
        "currency": ("currency",),
        "cost": ("cost",),
        "category": ("cost_type",),
        "credits": ("credits",),
    },
    detect=("service.description", "cost", "usage_start_time"),
    kinds={"regular": CHARGE, "adjustment": CHARGE, "rounding_error": CHARGE, "tax": EXCLUDED},
    provider="gcp",
)

AZURE = BillingFormat(
    "azure",
    "Azure cost details export",
    {
        "service": ("MeterCategory", "ServiceName"),
        "region": ("ResourceLocation",),
        "account": ("SubscriptionId",),
        "month": ("Date",),
        "currency": ("BillingCurrency", "BillingCurrencyCode"),
        "cost": ("CostInBillingCurrency",),
        "category": ("ChargeType",),
    },
    detect=("CostInBillingCurrency", "Date"),
    kinds={
        "usage": CHARGE,
        "purchase": CHARGE,
        "unusedreservation": CHARGE,
        "unusedsavingsplan": CHARGE,
        "roundingadjustment": CHARGE,
        "refund": CREDIT,
        "tax": EXCLUDED,
    },
    provider="azure",
    month_format="mixed",
)

FORMATS: dict[str, BillingFormat] = {f.name: f for f in (FOCUS, CUR2, CUR_LEGACY, GCP, AZURE)}


def detect_format(header: list[str]) -> BillingFormat | None:
    """The format whose detecting headers are all present (FOCUS first), or None."""
    present = set(header)
    for f in FORMATS.values():
        if all(h in present for h in f.detect):
            return f
    return None


def resolve_columns(f: BillingFormat, header: list[str]) -> tuple[dict[str, str], list[str]]:
    """role -> the header it is read from, and the roles required but not found."""
    present = set(header)
    found: dict[str, str] = {}
    missing: list[str] = []
    for role, names in f.columns.items():
        name = next((n for n in names if n in present), None)
        if name is not None:
            found[role] = name
        elif role in f.required:
            missing.append(" or ".join(names))
    return found, missing
