"""The input tables (DESIGN §3) as data: table and column names, value kinds, defaults.

One place: the readers, the validation, the README tables and the workbook's
input sheets all read these definitions.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    """The parser that reads the column (see ``estimator.inputs.validation.parsers.PARSERS``)."""
    in_header: bool = False
    """The column must be present in the header (values may still be conditional)."""
    doc: str = ""
    default: object = None
    """The value a blank cell takes (None: it stays blank)."""
    default_for: str = ""
    """Which rows take the default ("" = every row; otherwise a condition of
    ``estimator.inputs.validation.collector.CONDITIONS``, e.g. "provider")."""

    @property
    def description(self) -> str:
        """The documentation, with the default and where it applies."""
        if self.default is None:
            return self.doc
        where = f" ({self.default_for.replace('_', ' ')})" if self.default_for else ""
        return f"{self.doc}; default {self.default}{where}"


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    optional: bool = False
    """The whole table may be left out."""
    doc: str = ""
    written_when_empty: bool = True
    """An empty table is still written in a scenario's JSON (False for tables added after
    scenarios were first saved, so a saved scenario's text, and its hash, stay the same)."""

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


OUTAGES = Table(
    "outages",
    (
        Column("outage_id", "id", True, "the event; several rows may share it"),
        Column("provider", "slug", True, "aws, azure, gcp, cloudflare, ... (lower-case)"),
        Column("region", "slug_or_star", True, "us-east-1, ...; * = every region"),
        Column("service", "slug_or_star", True, "ec2, s3, lambda, ...; * = every service"),
        Column("start", "timestamp", True, "ISO 8601 with UTC offset, e.g. 2021-12-07T15:30:00Z"),
        Column("end", "timestamp", False, "after start; blank = ongoing until the as-of time"),
        Column("impact", "impact", False, "share of requests failing, in (0, 1]", default=1.0),
        Column(
            "scope",
            "scope",
            False,
            "region (the region or service as a whole), zone (one availability zone or data "
            "centre) or control_plane (management APIs and consoles)",
            default="region",
        ),
        Column("zone", "zone", False, "zone scope only: the zone or data centre, e.g. use1-az4"),
        Column("description", "text", False, ""),
        Column(
            "incident_id",
            "text",
            False,
            "the provider's id of the incident (Azure's Tracking ID, an AWS Health event), "
            "quoted in claim drafts",
        ),
    ),
    doc="one row per impact window",
)

COMPANIES = Table(
    "companies",
    (
        Column("company_id", "id", True, "unique"),
        Column("name", "text", False, ""),
        Column("currency", "currency", False, "ISO 4217 code", default="USD"),
        Column("annual_revenue", "money", False, "revenue per hour = annual_revenue / 8760"),
        Column("revenue_per_hour", "money", False, "give this or annual_revenue"),
        Column("timezone", "timezone", False, "IANA name", default="UTC"),
        Column("revenue_profile", "profile", False, "built-in or a profile_id", default="flat"),
        Column(
            "recapture_rate", "share", False, "share of lost revenue recovered later", default=0.0
        ),
        Column("outage_cost_per_hour", "money", False, "extra cost while impacted", default=0.0),
        Column(
            "gross_margin",
            "margin",
            False,
            "gross profit / revenue, in (0, 1]; for indemnity covers on the gross_profit basis",
        ),
    ),
    doc="one row per company",
)

CONTRACTS = Table(
    "contracts",
    (
        Column("contract_id", "id", True, "unique"),
        Column("company_id", "id", True, "must exist in companies"),
        Column("kind", "kind", False, "provider, customer or insurance", default="provider"),
        Column("provider", "slug", False, "provider and insurance: which windows hit it"),
        Column("region", "slug_or_star", False, "provider and insurance; * allowed"),
        Column("service", "slug_or_star", False, "provider and insurance; * allowed"),
        Column("sla", "sla", False, "provider and customer: a catalog template id or custom"),
        Column("tiers", "tiers", False, "custom (or override): '99.9:10, 99:25, 95:100'"),
        Column(
            "metric",
            "metric",
            False,
            "downtime or error_rate (a template's own when blank)",
            default="downtime",
            default_for="custom",
        ),
        Column(
            "downtime_threshold",
            "impact",
            False,
            "impact at or above which a minute is down (a template's own when blank)",
            default=1.0,
            default_for="custom_or_insurance",
        ),
        Column("monthly_fee", "exact_money", False, "provider and customer: the credited bill"),
        Column(
            "revenue_share",
            "share",
            False,
            "share of revenue that stops when fully down",
            default=0.0,
            default_for="provider",
        ),
        Column("failover_minutes", "duration", False, "minutes after which failover takes over"),
        Column(
            "failover_share",
            "exact_share",
            False,
            "share of the impact failover removes",
            default=1.0,
            default_for="provider",
        ),
        Column("cover", "cover", False, "insurance: parametric or indemnity"),
        Column(
            "waiting_hours",
            "duration",
            False,
            "insurance: uncovered hours of each episode",
            default=0.0,
            default_for="insurance",
        ),
        Column("hourly_payout", "exact_money", False, "parametric: paid per covered hour"),
        Column(
            "deductible",
            "exact_money",
            False,
            "indemnity: retained per episode",
            default=0.0,
            default_for="indemnity",
        ),
        Column(
            "limit",
            "exact_money",
            False,
            "insurance: the aggregate limit, the most paid over the policy period",
        ),
        Column(
            "occurrence_limit",
            "exact_money",
            False,
            "insurance: the most paid for one episode (at most the aggregate limit)",
        ),
        Column(
            "inception",
            "timestamp",
            False,
            "insurance: the policy period's start; an episode is covered when it starts at or "
            "after it (blank: no start)",
        ),
        Column(
            "expiry",
            "timestamp",
            False,
            "insurance: the policy period's end, after inception; an episode is covered when it "
            "starts before it (blank: no end)",
        ),
        Column(
            "basis",
            "basis",
            False,
            "indemnity: revenue (lost revenue after recapture, plus outage costs) or "
            "gross_profit (that lost revenue x the company's gross_margin, plus outage costs)",
            default="revenue",
            default_for="indemnity",
        ),
        Column(
            "other_recoveries",
            "other_recoveries",
            False,
            "indemnity: deduct (SLA credits receivable for the same services and months reduce "
            "the indemnity) or ignore",
            default="deduct",
            default_for="indemnity",
        ),
        Column(
            "share",
            "insurer_share",
            False,
            "insurance: the insurer's share of each payout, in (0, 1]",
            default=1.0,
            default_for="insurance",
        ),
        Column(
            "scopes",
            "scopes",
            False,
            "provider and insurance: outage scopes that count, e.g. 'region, zone'; default the "
            "SLA's own (custom SLAs and insurance: every scope)",
        ),
        Column(
            "zones",
            "zones",
            False,
            "provider: the zones its resources run in, ids separated by '|' (use1-az4|use1-az6); "
            "a zone window hits the contract only in these (blank: not known, every zone)",
        ),
        Column(
            "account",
            "text",
            False,
            "provider: the account the service is billed to (AWS account id, Azure "
            "subscription, Google project or billing account); a claim is drafted per account",
        ),
        Column(
            "resources",
            "text",
            False,
            "provider: the affected resources a claim names (instance ids, ARNs, ...)",
        ),
    ),
    doc="one row per cloud service bought, SLA sold, or insurance cover held",
)

EXCLUSIONS = Table(
    "exclusions",
    (
        Column("contract_id", "id", True, "a provider or customer contract"),
        Column("start", "timestamp", True, "with UTC offset"),
        Column("end", "timestamp", True, "with UTC offset, after start"),
        Column("reason", "text", False, ""),
    ),
    optional=True,
    doc="windows a contract excludes from SLA measurement",
)

REVENUE_PROFILES = Table(
    "revenue_profiles",
    (
        Column("profile_id", "id", True, "the name companies use in revenue_profile"),
        Column("day", "day", True, "mon ... sun, or * for every day"),
        Column("hour", "hour", True, "0 to 23, local time"),
        Column("weight", "weight", True, "0 or more; normalised to a weekly mean of 1"),
    ),
    optional=True,
    doc="custom weekly revenue profiles, hour by hour",
)

UNCERTAINTY = Table(
    "uncertainty",
    (
        Column("table", "uncertain_table", True, "outages, companies or contracts"),
        Column("id", "text", True, "an outage_id, company_id or contract_id; * = every row"),
        Column(
            "column", "text", True, "the uncertain column: estimator.uncertain_inputs() lists them"
        ),
        Column("distribution", "distribution", True, "uniform, triangular, pert or lognormal"),
        Column("low", "number", True, "low end (lognormal: its 5th percentile)"),
        Column("mode", "number", False, "most likely value (triangular and pert only)"),
        Column("high", "number", True, "high end (lognormal: its 95th percentile)"),
        Column("group", "text", False, "rows sharing a group move together (the same quantile)"),
    ),
    optional=True,
    doc="uncertain inputs: a distribution for a column of a row (or of every row) of a table",
)

FX_RATES = Table(
    "fx_rates",
    (
        Column("currency", "currency", True, "ISO 4217 code of a company's currency"),
        Column(
            "rate",
            "rate",
            True,
            "units of the reporting currency per unit of this currency, above 0",
        ),
    ),
    optional=True,
    doc="exchange rates to the reporting currency, for portfolio figures (estimator.risk)",
)

CHARGES = Table(
    "charges",
    (
        Column("provider", "slug", True, "aws, azure, gcp, ..."),
        Column(
            "service",
            "slug",
            False,
            "the catalog's service; blank: a service the catalog does not know (kept, never a "
            "credit base)",
        ),
        Column("region", "slug", False, "the region code; blank: a global service's charges"),
        Column("month", "month", True, "the billing month, YYYY-MM (UTC)"),
        Column("account", "text", False, "AWS account, Azure subscription, Google project"),
        Column("currency", "currency", True, "ISO 4217 code"),
        Column("charges", "exact_money", True, "the month's usage, purchase and fee lines; no tax"),
        Column(
            "credits_received",
            "exact_money",
            False,
            "the month's credit and refund lines, as a positive amount",
            default=0.0,
        ),
        Column("source", "text", False, "the export and its format"),
        Column("source_service", "text", False, "the service as the export names it"),
    ),
    optional=True,
    doc="monthly charges from billing exports (sla-estimator billing): the credit base of "
    "provider contracts without a monthly_fee",
    written_when_empty=False,
)

CLAIM_LOG = Table(
    "claim_log",
    (
        Column("contract_id", "id", True, "a provider contract"),
        Column("month", "month", True, "the credited month, YYYY-MM"),
        Column("filed_on", "date", True, "the UTC day the claim was filed, YYYY-MM-DD"),
        Column("case_id", "text", False, "the provider's support case"),
        Column("status", "claim_log_status", True, "filed, approved, rejected or paid"),
        Column(
            "amount_approved",
            "exact_money",
            False,
            "approved or paid: the credit the provider approved",
        ),
        Column("note", "text", False, ""),
    ),
    optional=True,
    doc="claims filed with providers and what became of them",
    written_when_empty=False,
)

TABLES: tuple[Table, ...] = (
    OUTAGES,
    COMPANIES,
    CONTRACTS,
    EXCLUSIONS,
    REVENUE_PROFILES,
    UNCERTAINTY,
    FX_RATES,
    CHARGES,
    CLAIM_LOG,
)

EVENTS = Table(
    "events",
    (
        *OUTAGES.columns,
        Column("year", "year", True, "the simulated year the window belongs to: 1, 2, ..."),
    ),
    doc="an event set: outage windows of simulated years (estimator.stochastic_events)",
)
"""Not a table of a scenario: read on its own (``estimator.load_events``)."""

TABLES_BY_NAME = {t.name: t for t in (*TABLES, EVENTS)}
TABLE_NAMES = [t.name for t in TABLES]
