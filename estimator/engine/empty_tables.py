"""Result tables with no rows, each column of the dtype it has when there are rows (so that a
scenario where nothing is hit filters, sorts and reports like any other)."""

from __future__ import annotations

import pandas as pd

_TEXT = {
    "company_id", "outage_id", "contract_id", "currency", "kind", "month", "metric",
    "claim_status", "sla_version", "outside_scope", "review_reason", "policy_period",
    "limit_bound", "method", "tiers", "min_credit_currency", "min_credit_rule", "claim_rule",
    "claim_how", "template_id", "version", "introduced_source", "downtime_threshold",
    "threshold_rule", "scopes", "source", "evidence", "fee_source",
}  # fmt: skip
_DTYPES = {
    **dict.fromkeys(_TEXT, "str"),
    **dict.fromkeys(("needs_review", "in_policy_period", "verified", "filed_late"), "bool"),
    **dict.fromkeys(("effective_from", "superseded_on", "introduced"), "object"),
    "claim_deadline": "datetime64[s]",
    "episode_start": "datetime64[s, UTC]",
    "episode_end": "datetime64[s, UTC]",
    "minor_unit": "int64",
}


def empty_table(columns: list[str]) -> pd.DataFrame:
    """No rows; text, flags, dates and minor units typed as in a filled table, numbers float."""
    return pd.DataFrame({c: pd.Series(dtype=_DTYPES.get(c, "float64")) for c in columns})
