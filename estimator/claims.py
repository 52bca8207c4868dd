"""Claims: which provider credits a company can claim, how urgent each is, and what to send.

A credit row is a claim when the company is owed something: a credit above zero,
or a credit the terms could not price although there was downtime (the company
may still claim it). Claims are ordered by urgency on the valuation date: open
ones by deadline (fewest days left first), then those without a known deadline,
then expired ones. The claim pack groups them per company, provider and month,
with what that provider's SLA asks a claim to contain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from estimator.columns import CLAIM_COLUMNS
from estimator.terms import measure_terms
from pricing.catalog import SlaVersion, load_catalog
from pricing.claims import EXPIRED
from pricing.matching import match_windows
from pricing.provider_claims import ProviderClaims, bundled_provider_claims
from pricing.scopes import counted, scope_bits

if TYPE_CHECKING:
    from estimator.results import Results


def claims(results: Results) -> pd.DataFrame:
    """Every claimable provider credit, most urgent first (columns :data:`CLAIM_COLUMNS`)."""
    c = results.credits
    terms = results.terms.set_index("sla_version")
    method = c["sla_version"].map(terms["method"]) if len(c) else pd.Series(dtype="str")
    unpriced = c["credit_amount"].isna() & (c["downtime_minutes"] > 0)
    owed = (c["credit_amount"] > 0) | (unpriced & (method != "not_in_force"))
    mine = c[(c["kind"] == "provider") & owed].copy()
    mine["credits_row"] = mine.index.to_numpy()  # credits has a RangeIndex
    con = results.inputs.contracts.set_index("contract_id")
    mine["provider"] = mine["contract_id"].map(con["provider"]).astype("str")
    for column in ("claim_how", "source", "verified"):
        mine[column] = mine["sla_version"].map(terms[column])
    expired = (mine["claim_status"] == EXPIRED).to_numpy()
    no_deadline = mine["claim_deadline"].isna().to_numpy()
    urgency = np.where(expired, 2, np.where(no_deadline, 1, 0))
    mine["_urgency"] = urgency
    mine["_deadline"] = mine["claim_deadline"].fillna(pd.Timestamp.max.floor("D"))
    ordered = mine.sort_values(
        ["_urgency", "_deadline", "company_id", "contract_id", "month"],
        ascending=[True, True, True, True, True],
        kind="stable",
    )
    return ordered[CLAIM_COLUMNS].reset_index(drop=True)


@dataclass(frozen=True)
class Claim:
    """One claim to send: a company's credits from one provider for one month."""

    company_id: str
    provider: str
    month: str
    lines: pd.DataFrame
    """The claim lines (:data:`CLAIM_COLUMNS`), one per contract."""
    incidents: pd.DataFrame
    """The windows behind them: outage_id, region, service, scope, zone, start, end, impact."""
    requirements: SlaVersion | ProviderClaims | None
    """The catalog version whose claim channel, subject and contents apply; for custom terms
    the provider's own claim rules (None: not known)."""

    @property
    def status(self) -> str:
        """The most urgent status of its lines."""
        statuses = [s for s in self.lines["claim_status"].tolist() if s]
        return statuses[0] if statuses else ""

    @property
    def expired(self) -> bool:
        return bool((self.lines["claim_status"] == EXPIRED).all())


def claim_pack(results: Results) -> list[Claim]:
    """The claims grouped per company, provider and month (most urgent first)."""
    lines = claims(results)
    catalog = load_catalog()
    terms = results.terms.set_index("sla_version")
    out = []
    for (company, provider, month), group in lines.groupby(
        ["company_id", "provider", "month"], sort=False
    ):
        template = terms.loc[group["sla_version"].iloc[0], "template_id"]
        version: SlaVersion | ProviderClaims | None = bundled_provider_claims().get(str(provider))
        if template in catalog:
            label = str(terms.loc[group["sla_version"].iloc[0], "version"])
            version = next(v for v in catalog.versions(str(template)) if v.version == label)
        incidents = _incidents(results, group["contract_id"].tolist(), str(month))
        out.append(Claim(str(company), str(provider), str(month), group, incidents, version))
    return out


def _incidents(results: Results, contract_ids: list[str], month: str) -> pd.DataFrame:
    """The priced windows that count for these contracts in the month, cut to the month."""
    con = results.inputs.contracts
    mine = con[con["contract_id"].isin(contract_ids)].reset_index(drop=True)
    w = results.windows[results.windows["status"] != "left_out"].reset_index(drop=True)
    m0 = pd.Timestamp(f"{month}-01", tz="UTC")
    m1 = m0 + pd.offsets.MonthBegin(1)
    w = w[(w["start"] < m1) & (w["priced_end"] > m0)].reset_index(drop=True)
    columns = ["outage_id", "region", "service", "scope", "zone", "start", "end", "impact"]
    if w.empty or mine.empty:
        return pd.DataFrame(columns=columns)
    wi, ci = match_windows(windows=w, contracts=mine)
    mask = measure_terms(mine, load_catalog()).scope_mask
    keep = counted(scope_bits(w["scope"].to_numpy(object))[wi], mask[ci])
    hit = w.iloc[np.unique(wi[keep])].copy()
    hit["start"] = hit["start"].where(hit["start"] > m0, m0)
    hit["end"] = hit["priced_end"].where(hit["priced_end"] < m1, m1)
    return hit[columns].sort_values(["start", "outage_id"]).reset_index(drop=True)
