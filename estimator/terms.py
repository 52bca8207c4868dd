"""Which SLA terms apply: a contract's template, the version in force, its overrides.

Contract columns override template fields (``tiers``, ``metric``,
``downtime_threshold``). The version is the one in force at the month's first
incident; anything unverified or unknown is flagged for review with a reason
a person can act on.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from pricing.catalog import Catalog, SlaVersion
from pricing.credits import CreditTerms, MeasureTerms
from pricing.tiers import parse_tiers
from pricing.timeline import PPM, UNIT

CUSTOM = "custom"


def measure_terms(contracts: pd.DataFrame, catalog: Catalog) -> MeasureTerms:
    """Per contract row: metric, threshold and minimum downtime period (template + overrides)."""
    sla = contracts["sla"].fillna(CUSTOM).to_numpy(dtype=object)
    metric = contracts["metric"].to_numpy(dtype=object)
    threshold = contracts["downtime_threshold"].to_numpy(dtype=np.float64)
    first = {t: catalog.versions(t)[0] for t in pd.unique(sla) if t in catalog}
    ids = pd.Series(sla)
    t_metric = (
        ids.map({t: v.metric for t, v in first.items()})
        .astype(object)
        .fillna("downtime")
        .to_numpy(object)
    )
    t_thr = (
        ids.map({t: float(v.downtime_threshold) for t, v in first.items()}).fillna(1.0).to_numpy()
    )
    t_min = (
        ids.map({t: v.min_downtime_seconds for t, v in first.items()}).fillna(0).to_numpy(np.int64)
    )
    use_metric = np.where(pd.isna(metric), t_metric, metric)
    use_thr = np.where(np.isnan(threshold), t_thr, threshold)
    return MeasureTerms(
        error_metric=use_metric == "error_rate",
        threshold_units=np.rint(use_thr * PPM).astype(np.int64) * PPM,
        min_downtime_s=t_min,
    )


def _frac(text: str | None) -> Fraction | None:
    return None if text is None else Fraction(Decimal(text))


def template_terms(
    version: SlaVersion, tiers_override: str | None, review: list[str]
) -> CreditTerms:
    tiers = parse_tiers(tiers_override) if tiers_override else version.tier_table
    method = "tiers" if tiers_override else version.credit_method
    reasons = list(review)
    if not version.verified:
        reasons.append(f"terms not verified: {version.evidence}")
    if version.effective_from is None:
        reasons.append(
            f"the date from which {version.template_id} {version.version!r} is in "
            "force is not known"
        )
    if method == "unknown":
        reasons.append(
            f"the credit terms of {version.template_id} are not known: "
            "add custom tiers to the contract"
        )
    label = version.label + (f" (contract tiers {tiers_override})" if tiers_override else "")
    return CreditTerms(
        label=label,
        method=method,
        tiers=tiers,
        multiplier=_frac(version.proportional_multiplier),
        cap_pct=_frac(version.cap_pct),
        min_credit=_frac(version.min_credit),
        min_credit_currency=version.min_credit_currency,
        min_credit_exclusive=version.min_credit_rule == "greater_than",
        review=tuple(reasons),
    )


def custom_terms(tiers: str) -> CreditTerms:
    """A contract's own tiers; the label carries them, so distinct tables never share a label."""
    return CreditTerms(
        label=f"{CUSTOM} {tiers}", method="tiers", tiers=parse_tiers(tiers), cap_pct=Fraction(100)
    )


def resolve(
    rows: pd.DataFrame, catalog: Catalog
) -> tuple[np.ndarray, list[CreditTerms], list[SlaVersion | None]]:
    """Terms for each credit row (columns sla, tiers, first_incident, last_incident).

    Returns the index of each row's terms, the distinct terms, and the catalog
    version behind each (None for custom terms).
    """
    sla = rows["sla"].fillna(CUSTOM).to_numpy(dtype=object)
    tiers = rows["tiers"].to_numpy(dtype=object)
    day = "datetime64[D]"
    keys = pd.DataFrame(
        {
            "sla": sla,
            "tiers": pd.Series(tiers, dtype=object).fillna(""),
            "first": rows["first_incident"].to_numpy(np.int64).astype("datetime64[s]").astype(day),
            "last": rows["last_incident"].to_numpy(np.int64).astype("datetime64[s]").astype(day),
        }
    )
    unique = keys.drop_duplicates(ignore_index=True)
    terms: list[CreditTerms] = []
    versions: list[SlaVersion | None] = []
    for sla_id, tier_text, first_ts, last_ts in unique.itertuples(index=False):
        first, last = first_ts.date(), last_ts.date()
        if sla_id == CUSTOM:
            term, version = custom_terms(tier_text), None
        else:
            version, note = catalog.in_force(sla_id, first)
            review = [note] if note else []
            later, _ = catalog.in_force(sla_id, last)
            if later.version != version.version:
                review.append(
                    f"the terms changed within the month ({version.version} to "
                    f"{later.version}); the version at the first incident is applied"
                )
            term = template_terms(version, tier_text or None, review)
            if note and version.earlier_versions == "none":
                term = CreditTerms(label=term.label, method="not_in_force", review=term.review)
        terms.append(term)
        versions.append(version)
    unique["term"] = np.arange(len(unique), dtype=np.int64)
    row_terms = keys.merge(unique, how="left", on=["sla", "tiers", "first", "last"])["term"]
    return row_terms.to_numpy(dtype=np.int64), terms, versions


__all__ = ["CUSTOM", "UNIT", "measure_terms", "resolve"]
