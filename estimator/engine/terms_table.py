"""The terms behind each ``sla_version`` label of the credits, and their tier tables."""

from __future__ import annotations

import numpy as np
import pandas as pd

from estimator.engine.terms import Applied
from estimator.table_columns import TERMS_COLUMNS, TIER_COLUMNS
from pricing.catalog import SlaVersion
from pricing.claims import claim_rule
from pricing.credits import CreditTerms
from pricing.provider_claims import ProviderClaims
from pricing.tiers import format_tiers


def terms_table(
    terms: list[CreditTerms],
    versions: list[SlaVersion | None],
    applied: list[Applied],
    claim_rules: list[SlaVersion | ProviderClaims | None],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per distinct label (every field, with its source), and one row per tier."""
    rows: dict[str, dict[str, object]] = {}
    tier_rows = []
    for term, v, a, c in zip(terms, versions, applied, claim_rules, strict=True):
        if term.label in rows:
            continue
        rows[term.label] = {"sla_version": term.label, **_credit(term), **_claim(c)}
        rows[term.label] |= _source(v, c) | {
            "metric": a.metric,
            "downtime_threshold": a.downtime_threshold,
            "threshold_rule": a.threshold_rule,
            "scopes": a.scopes,
        }
        tier_rows += [
            {
                "sla_version": term.label,
                "below_pct": float(t.below_pct),
                "credit_pct": float(t.credit_pct),
            }
            for t in term.tiers
        ]
    return (
        pd.DataFrame(list(rows.values()), columns=TERMS_COLUMNS),
        pd.DataFrame(tier_rows, columns=TIER_COLUMNS),
    )


def _credit(term: CreditTerms) -> dict[str, object]:
    has_min = term.min_credit is not None
    return {
        "method": term.method,
        "tiers": format_tiers(term.tiers),
        "multiplier": float(term.multiplier) if term.multiplier is not None else np.nan,
        "cap_pct": float(term.cap_pct) if term.cap_pct is not None else np.nan,
        "min_credit": float(term.min_credit) if term.min_credit is not None else np.nan,
        "min_credit_currency": term.min_credit_currency or "",
        "min_credit_rule": (
            ("greater_than" if term.min_credit_exclusive else "at_least") if has_min else ""
        ),
    }


def _claim(v: SlaVersion | ProviderClaims | None) -> dict[str, object]:
    rule = v.claim_rule if v else "none"
    days = f" (N = {v.claim_days})" if v and v.claim_days else ""
    channel = f"{v.claim_channel} " if v and v.claim_channel else ""
    deadline = f"Deadline: {claim_rule(rule).wording}{days}."
    return {"claim_rule": rule, "claim_how": channel + deadline}


def _source(v: SlaVersion | None, claims: SlaVersion | ProviderClaims | None) -> dict[str, object]:
    """Where the terms come from. Custom tiers are the user's own: not verified against any
    provider text (their claim rules, where the provider's, name their source)."""
    own = "the contract's own tiers, typed by the user (not read in the provider's text)"
    if v is None and isinstance(claims, ProviderClaims):
        own += f"; claim rules: {claims.source}"
    return {
        "template_id": v.template_id if v else "custom",
        "version": v.version if v else "",
        "effective_from": v.effective_from if v else None,
        "superseded_on": v.superseded_on if v else None,
        "introduced": v.introduced if v else None,
        "introduced_source": v.introduced_source if v else "",
        "source": v.source if v else own,
        "evidence": v.evidence if v else "custom: the user's contract",
        "verified": bool(v.verified) if v else False,
    }
