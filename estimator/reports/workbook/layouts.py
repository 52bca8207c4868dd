"""The columns of every sheet, by name, in order. Formulas find their cells through these
lists, so inserting or moving a column here moves every formula with it."""

from __future__ import annotations

from estimator.inputs.schema import TABLES
from estimator.inputs.vocabulary import INSURANCE_TERMS
from estimator.reports.workbook.cells import Layout
from estimator.table_columns import (
    CREDIT_COLUMNS,
    LOSS_COLUMNS,
    RECONCILIATION_COLUMNS,
    RECOVERY_COLUMNS,
    SUMMARY_COLUMNS,
    TERMS_COLUMNS,
    WINDOW_COLUMNS,
)

SUMMARY = list(SUMMARY_COLUMNS)
LOSSES = list(LOSS_COLUMNS)
CREDITS = [
    *CREDIT_COLUMNS,
    "minor_unit",
    "contract_row",
    "terms_row",
    "method",
    "before_cap_minor",
    "cap_minor",
    "rounded_minor",
    "minimum_minor",
    "export_value",
    "matches_export",
]
CLAIMS = [
    "company_id",
    "provider",
    "month",
    "contract_id",
    "credit_amount",
    "currency",
    "claim_deadline",
    "claim_status",
    "sla_version",
    "claim_how",
    "source",
    "verified",
    "needs_review",
    "review_reason",
]
RECOVERIES = [
    *RECOVERY_COLUMNS,
    *INSURANCE_TERMS,
    "gross_margin",
    "covered_revenue",
    "covered_costs",
    "basis_loss",
    "credits_deducted",
    "before_limit_minor",
    "occurrence_minor",
    "running_minor",
    "capped_minor",
    "minor_unit",
    "rounded_minor",
    "export_value",
    "matches_export",
]
WINDOWS = list(WINDOW_COLUMNS)
TERMS = list(TERMS_COLUMNS)
TIERS = ["sla_version", "below_pct", "credit_pct", "increment_pct"]


def layouts() -> dict[str, Layout]:
    """Every sheet's layout, read from the lists above when the workbook is written."""
    out = {
        "Summary": Layout("Summary", SUMMARY),
        "Losses": Layout("Losses", LOSSES),
        "Credits": Layout("Credits", CREDITS),
        "Claims": Layout("Claims", CLAIMS),
        "Reconciliation": Layout("Reconciliation", list(RECONCILIATION_COLUMNS)),
        "Recoveries": Layout("Recoveries", RECOVERIES),
        "Windows": Layout("Windows", WINDOWS),
        "Terms": Layout("Terms", TERMS),
        "Tiers": Layout("Tiers", TIERS),
    }
    out |= {t.name: Layout(t.name, t.column_names) for t in TABLES}
    return out
