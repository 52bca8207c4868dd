"""Which SLA terms apply: a contract's template, the version in force, its overrides.

Contract columns override template fields (``tiers``, ``metric``,
``downtime_threshold``). The version is the one in force at the month's first
incident; anything unverified or unknown is flagged for review with a reason
a person can act on.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from fractions import Fraction

import numpy as np
import numpy.typing as npt
import pandas as pd

from pricing.catalog import Catalog, SlaVersion
from pricing.credits import CreditTerms, MeasureTerms
from pricing.intervals import unique_inverse
from pricing.tiers import parse_tiers
from pricing.timeline import PPM, UNIT

CUSTOM = "custom"
EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def measure_terms(contracts: pd.DataFrame, catalog: Catalog) -> MeasureTerms:
    """Per contract row: metric, threshold and minimum downtime period (template + overrides)."""
    sla_code, sla_ids = pd.factorize(contracts["sla"].fillna(CUSTOM))
    first = [catalog.versions(t)[0] if t in catalog else None for t in sla_ids]
    t_error = np.array([v is not None and v.metric == "error_rate" for v in first], bool)
    t_thr = np.array([float(v.downtime_threshold) if v else 1.0 for v in first])
    t_min = np.array([v.min_downtime_seconds if v else 0 for v in first], dtype=np.int64)
    metric = contracts["metric"]
    threshold = contracts["downtime_threshold"].to_numpy(dtype=np.float64)
    error = np.where(
        metric.isna().to_numpy(), t_error[sla_code], (metric == "error_rate").to_numpy(dtype=bool)
    )
    use_thr = np.where(np.isnan(threshold), t_thr[sla_code], threshold)
    return MeasureTerms(
        error_metric=error,
        threshold_units=np.rint(use_thr * PPM).astype(np.int64) * PPM,
        min_downtime_s=t_min[sla_code],
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


@functools.lru_cache(maxsize=4096)
def custom_terms(tiers: str) -> CreditTerms:
    """A contract's own tiers; the label carries them, so distinct tables never share a label."""
    return CreditTerms(
        label=f"{CUSTOM} {tiers}", method="tiers", tiers=parse_tiers(tiers), cap_pct=Fraction(100)
    )


def resolve(
    contracts: pd.DataFrame,
    code: npt.NDArray[np.int64],
    first_incident: npt.NDArray[np.int64],
    last_incident: npt.NDArray[np.int64],
    catalog: Catalog,
) -> tuple[npt.NDArray[np.int64], list[CreditTerms], list[SlaVersion | None]]:
    """Terms for each credit row: its contract (``code``) and its month's first and last incident.

    Returns the index of each row's terms, the distinct terms, and the catalog
    version behind each (None for custom terms). Terms are resolved once per
    distinct (SLA, tiers, first day, last day); rows map to them by integer keys.
    """
    text = (
        contracts["sla"].fillna(CUSTOM).astype("str")
        + "\x1f"
        + contracts["tiers"].fillna("").astype("str")
    )
    contract_key, contract_texts = pd.factorize(text)
    first_day = np.asarray(first_incident, dtype=np.int64) // 86400
    last_day = np.asarray(last_incident, dtype=np.int64) // 86400
    d0 = int(min(first_day.min(initial=0), last_day.min(initial=0)))
    span = int(max(first_day.max(initial=0), last_day.max(initial=0))) - d0 + 1
    key = (
        contract_key[np.asarray(code, dtype=np.int64)].astype(np.int64) * span + (first_day - d0)
    ) * span + (last_day - d0)
    keys, row_terms = unique_inverse(key)
    terms: list[CreditTerms] = []
    versions: list[SlaVersion | None] = []
    for k in keys.tolist():
        sla_id, tier_text = str(contract_texts[k // (span * span)]).split("\x1f")
        first = dt.date.fromordinal(EPOCH_ORDINAL + d0 + (k // span) % span)
        last = dt.date.fromordinal(EPOCH_ORDINAL + d0 + k % span)
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
    return row_terms, terms, versions


__all__ = ["CUSTOM", "UNIT", "measure_terms", "resolve"]
