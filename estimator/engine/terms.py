"""Which SLA terms apply: a contract's template, the version in force, its overrides.

Contract columns override template fields (``tiers``, ``metric``,
``downtime_threshold``, ``scopes``) and every override shows in the label of the
terms (``aws/ec2-region@2022-05-05 [contract: threshold 0.5]``). The version is
the one in force at the month's first incident; anything unverified or unknown
is flagged for review with a reason a person can act on.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from estimator.engine.lineage import Lineage
from pricing.catalog import Catalog, InForce, SlaVersion
from pricing.credits import CreditTerms
from pricing.intervals import row_codes, unique_inverse
from pricing.measure import MeasureTerms
from pricing.provider_claims import ProviderClaims, bundled_provider_claims
from pricing.scopes import ALL, SCOPES, mask_of, parse_scopes
from pricing.tiers import parse_tiers
from pricing.timeline import PPM, UNIT

CUSTOM = "custom"
THRESHOLD_NOT_FOUND = (
    "the downtime threshold of {template} was not found in the provider's text: a minute is "
    "counted down only at full impact (threshold 1), so a partial outage may earn a credit "
    "this does not show (most Google SLAs count a minute above a 5 % error rate); give the "
    "contract a downtime_threshold"
)
EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


class ContractMeasure(NamedTuple):
    """Per contract row: how its downtime is measured and which outage scopes count."""

    terms: MeasureTerms
    scope_mask: npt.NDArray[np.int64]


def measure_terms(contracts: pd.DataFrame, catalog: Catalog) -> ContractMeasure:
    """Per contract row: metric, threshold, minimum downtime period and scopes (template +
    overrides). A threshold ``above`` (strictly) becomes the next integer unit up, exactly."""
    sla_code, sla_ids = pd.factorize(contracts["sla"].fillna(CUSTOM))
    first = [catalog.versions(t)[0] if t in catalog else None for t in sla_ids]
    t_error = np.array([v is not None and v.metric == "error_rate" for v in first], bool)
    t_thr = np.array([float(v.downtime_threshold) if v else 1.0 for v in first])
    t_above = np.array([v is not None and v.threshold_rule == "above" for v in first], bool)
    t_min = np.array([v.min_downtime_seconds if v else 0 for v in first], dtype=np.int64)
    t_mask = np.array([mask_of(v.scopes) if v else ALL for v in first], dtype=np.int64)
    metric = contracts["metric"]
    threshold = contracts["downtime_threshold"].to_numpy(dtype=np.float64)
    error = np.where(
        metric.isna().to_numpy(), t_error[sla_code], (metric == "error_rate").to_numpy(dtype=bool)
    )
    own_thr = ~np.isnan(threshold)
    use_thr = np.where(own_thr, threshold, t_thr[sla_code])
    above = ~own_thr & t_above[sla_code]  # a contract's own threshold is always "at or above"
    scopes = contracts["scopes"] if "scopes" in contracts else pd.Series([None] * len(contracts))
    own_mask = scope_masks(scopes)
    return ContractMeasure(
        MeasureTerms(
            error_metric=error,
            threshold_units=np.rint(use_thr * PPM).astype(np.int64) * PPM + above,
            min_downtime_s=t_min[sla_code],
        ),
        np.where(own_mask > 0, own_mask, t_mask[sla_code]).astype(np.int64),
    )


def taken(measure: ContractMeasure, rows: npt.NDArray[np.int64]) -> ContractMeasure:
    """The measurement of the contracts at ``rows``."""
    t = measure.terms
    return ContractMeasure(
        MeasureTerms(t.error_metric[rows], t.threshold_units[rows], t.min_downtime_s[rows]),
        measure.scope_mask[rows],
    )


def scope_masks(scopes: pd.Series) -> npt.NDArray[np.int64]:
    """Each contract's own ``scopes`` as a mask (0 where blank: the SLA's own apply)."""
    codes, texts = pd.factorize(scopes)
    masks = np.array([mask_of(parse_scopes(str(t))) for t in texts] + [0], dtype=np.int64)
    return masks[np.where(codes >= 0, codes, len(texts))]


def _frac(text: str | None) -> Fraction | None:
    return None if text is None else Fraction(Decimal(text))


def template_terms(
    version: SlaVersion, tiers_override: str | None, review: list[str], overrides: str = ""
) -> CreditTerms:
    """The credit terms of a template version; ``overrides`` names the contract's overrides
    in the label (the tiers override is named by itself)."""
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
    unknown_threshold = not version.threshold_found and "threshold" not in overrides
    if unknown_threshold:
        reasons.append(THRESHOLD_NOT_FOUND.format(template=version.template_id))
    if method == "unknown":
        reasons.append(
            f"the credit terms of {version.template_id} are not known: "
            "add custom tiers to the contract"
        )
    named = [f"tiers {tiers_override}"] if tiers_override else []
    named += [overrides] if overrides else []
    label = version.label + (f" [contract: {'; '.join(named)}]" if named else "")
    return CreditTerms(
        label=label,
        method=method,
        tiers=tiers,
        multiplier=_frac(version.proportional_multiplier),
        cap_pct=_frac(version.cap_pct),
        min_credit=_frac(version.min_credit),
        min_credit_currency=version.min_credit_currency,
        min_credit_exclusive=version.min_credit_rule == "greater_than",
        min_credit_pooled=version.min_credit_pooled,
        threshold_unknown=unknown_threshold,
        review=tuple(reasons),
    )


@functools.lru_cache(maxsize=4096)
def custom_terms(tiers: str, overrides: str = "", claims_of: str = "") -> CreditTerms:
    """A contract's own tiers; the label carries them (and any measurement choice that is not
    the default, and whose claim rules apply), so distinct terms never share a label."""
    label = f"{CUSTOM} {tiers}" + (f" [{overrides}]" if overrides else "")
    label += f" ({claims_of} claim rules)" if claims_of else ""
    return CreditTerms(label=label, method="tiers", tiers=parse_tiers(tiers), cap_pct=Fraction(100))


@dataclass(frozen=True)
class Applied:
    """How a credit row's contract is measured, as the terms table shows it."""

    metric: str
    downtime_threshold: str
    threshold_rule: str
    scopes: str


class Resolved(NamedTuple):
    term_of: npt.NDArray[np.int64]
    """Each credit row's terms (an index into ``terms``)."""
    terms: list[CreditTerms]
    versions: list[SlaVersion | None]
    """The catalog version behind each terms (None for custom terms)."""
    applied: list[Applied]
    claim_rules: list[SlaVersion | ProviderClaims | None]
    """How each terms' credit is claimed: its catalog version's rules, or for custom terms of
    a provider contract the provider's own (:mod:`pricing.provider_claims`); None: unknown."""


def _number(value: float) -> str:
    return np.format_float_positional(value, trim="-")


def override_texts(contracts: pd.DataFrame) -> pd.Series:
    """Per contract: its measurement overrides as label text (``metric error_rate; threshold
    0.5; scopes region, zone``). A custom SLA names only what differs from the defaults.
    Each distinct combination is written once."""
    custom = (contracts["sla"].fillna(CUSTOM) == CUSTOM).to_numpy()
    scopes = contracts["scopes"] if "scopes" in contracts else pd.Series([None] * len(contracts))
    columns = [contracts["metric"], contracts["downtime_threshold"], scopes]
    key = custom.astype(np.int64)
    uniques = []
    for column in columns:  # one integer key per row from each column's codes (NA = -1)
        codes, values = pd.factorize(column)
        key = key * (len(values) + 1) + (codes + 1)
        uniques.append(values)
    distinct, which = np.unique(key, return_inverse=True)
    texts = []
    for k in distinct.tolist():
        parts = []
        for values in reversed(uniques):
            k, code = divmod(k, len(values) + 1)
            parts.append(values[code - 1] if code else None)
        metric, threshold, scope = reversed(parts)
        texts.append(_override_text(bool(k), metric, threshold, scope))
    return pd.Series(texts, dtype="str").take(which).reset_index(drop=True)


def _override_text(custom: bool, metric: object, threshold: object, scopes: object) -> str:
    named = []
    if isinstance(metric, str) and not (custom and metric == "downtime"):
        named.append(f"metric {metric}")
    if (
        isinstance(threshold, (float, np.floating))
        and not np.isnan(threshold)
        and not (custom and threshold == 1)
    ):
        named.append(f"threshold {_number(float(threshold))}")
    if isinstance(scopes, str):
        named.append(f"scopes {scopes}")
    return "; ".join(named)


def resolve(
    contracts: pd.DataFrame,
    code: npt.NDArray[np.int64],
    first_incident: npt.NDArray[np.int64],
    last_incident: npt.NDArray[np.int64],
    catalog: Catalog,
    measure: ContractMeasure,
    lineage: Lineage | None = None,
) -> Resolved:
    """Terms for each credit row: its contract (``code``) and its month's first and last incident.

    Terms are resolved once per distinct (SLA, tiers, overrides, first day, last
    day); rows map to them by integer keys, and keys with the same outcome (custom terms of
    one contract text; a template's versions in force and note) share one entry of
    ``terms``, so the lists grow with the distinct terms, not with the days. A scenario of
    copies (``lineage``) is keyed by its base contracts' text, read once.
    """
    claims = bundled_provider_claims()
    keyed = contracts if lineage is None else lineage.base
    contract_key, example, contract_texts, sla = _contract_keys(keyed, claims)
    if lineage is not None:  # renumbered in order of first appearance among the copies
        contract_key, distinct = pd.factorize(contract_key[lineage.contract])
        contract_key = contract_key.astype(np.int64)
        contract_texts = [contract_texts[k] for k in np.asarray(distinct).tolist()]
        example = np.unique(contract_key, return_index=True)[1].astype(np.int64)
        sla = sla.take(lineage.contract).reset_index(drop=True)
    first_day = np.asarray(first_incident, dtype=np.int64) // 86400
    last_day = np.asarray(last_incident, dtype=np.int64) // 86400
    d0 = int(min(first_day.min(initial=0), last_day.min(initial=0)))
    span = int(max(first_day.max(initial=0), last_day.max(initial=0))) - d0 + 1
    # custom terms do not depend on the dates: their rows take day 0 (one key per contract text)
    dated = (sla != CUSTOM).to_numpy(dtype=bool)[np.asarray(code, dtype=np.int64)]
    key = (
        contract_key[np.asarray(code, dtype=np.int64)].astype(np.int64) * span
        + np.where(dated, first_day - d0, 0)
    ) * span + np.where(dated, last_day - d0, 0)
    keys, row_keys = unique_inverse(key)
    terms: list[CreditTerms] = []
    versions: list[SlaVersion | None] = []
    applied: list[Applied] = []
    rules: list[SlaVersion | ProviderClaims | None] = []
    index_of: dict[tuple[object, ...], int] = {}  # each distinct outcome's terms, once
    term_of_key = np.empty(len(keys), dtype=np.int64)
    for at, k in enumerate(keys.tolist()):
        c = int(k // (span * span))
        sla_id, tier_text, override, provider_id = contract_texts[c]
        found: tuple[CreditTerms, SlaVersion | None, SlaVersion | ProviderClaims | None] | None
        found = None
        if sla_id == CUSTOM:
            same: tuple[object, ...] = (c,)
            if same not in index_of:
                own = claims.get(provider_id)
                found = (custom_terms(tier_text, override, own.provider if own else ""), None, own)
        else:
            first = dt.date.fromordinal(EPOCH_ORDINAL + d0 + (k // span) % span)
            last = dt.date.fromordinal(EPOCH_ORDINAL + d0 + k % span)
            was, later = catalog.in_force(sla_id, first), catalog.in_force(sla_id, last)
            # the terms depend on the dates only through the versions found and the note
            same = (c, was.version.version, was.note, was.exists, later.version.version)
            if same not in index_of:
                term, version = _template_in_force(sla_id, tier_text, override, was, later)
                found = (term, version, version)
        if found is not None:
            index_of[same] = len(terms)
            terms.append(found[0])
            versions.append(found[1])
            rules.append(found[2])
            applied.append(_applied(measure, int(example[c])))
        term_of_key[at] = index_of[same]
    return Resolved(term_of_key[row_keys], terms, versions, applied, rules)


def _contract_keys(
    contracts: pd.DataFrame, claims: dict[str, ProviderClaims]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], list[tuple[str, ...]], pd.Series]:
    """Each contract's key for its terms (what they depend on: SLA, tiers, overrides, and for
    a custom SLA the provider's claim rules), the first contract of each key, each key's
    (sla, tiers, overrides, provider) text, and each contract's SLA (``custom`` if blank)."""
    overrides = override_texts(contracts).set_axis(contracts.index)
    sla = contracts["sla"].fillna(CUSTOM).astype("str")
    # a custom SLA's terms depend on its provider only through the provider's claim rules:
    # providers without bundled rules share one key (``""``)
    provider = contracts["provider"].where(contracts["kind"] == "provider")
    provider = provider.where(provider.isin(list(claims)), "")
    parts = [
        sla,
        contracts["tiers"].fillna("").astype("str"),
        overrides,
        provider.where(sla == CUSTOM, "").astype("str"),
    ]
    key = row_codes(parts, len(contracts))
    example = np.unique(key, return_index=True)[1].astype(np.int64)  # codes are 0..n-1
    texts = [tuple(str(p.iat[r]) for p in parts) for r in example.tolist()]
    return key, example, texts, sla.reset_index(drop=True)


def _template_in_force(
    sla_id: str, tier_text: str, override: str, found: InForce, later: InForce
) -> tuple[CreditTerms, SlaVersion]:
    """The terms of the version in force at the month's first incident (``found``), noting a
    change of version by its last (``later``)."""
    version = found.version
    review = [found.note] if found.note else []
    if later.version.version != version.version:
        review.append(
            f"the terms changed within the month ({version.version} to "
            f"{later.version.version}); the version at the first incident is applied"
        )
    term = template_terms(version, tier_text or None, review, override)
    if not found.exists:
        term = CreditTerms(label=term.label, method="not_in_force", review=term.review)
    return term, version


def _applied(measure: ContractMeasure, row: int) -> Applied:
    t = measure.terms
    units = int(t.threshold_units[row])
    above = units % PPM != 0
    ppm = (units - int(above)) // PPM
    return Applied(
        metric="error_rate" if t.error_metric[row] else "downtime",
        downtime_threshold=_number(ppm / PPM),
        threshold_rule="above" if above else "at_or_above",
        scopes=", ".join(s for i, s in enumerate(SCOPES) if measure.scope_mask[row] >> i & 1),
    )


__all__ = ["CUSTOM", "UNIT", "ContractMeasure", "Resolved", "measure_terms", "resolve"]
