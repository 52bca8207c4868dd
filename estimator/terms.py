"""Which SLA terms apply: a contract's template, the version in force, its overrides.

Contract columns override template fields (``tiers``, ``metric``,
``downtime_threshold``). The version is the one in force at the month's first
incident; anything unverified or unknown is flagged for review with a reason
a person can act on.
"""

from __future__ import annotations

import datetime as dt
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
