"""Claims: which provider credits a company can claim, how urgent each is, and what to send.

A credit row is a claim when the company is owed something: a credit above zero,
or a credit the terms could not price although there was downtime (the company
may still claim it). Claims are ordered by urgency on the valuation date: open
ones by deadline (fewest days left first), then those without a known deadline,
then expired ones, then those the claim log says were filed. The claim pack groups them per company, provider and month,
with what that provider's SLA asks a claim to contain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from estimator.engine.terms import measure_terms
from estimator.inputs.vocabulary import CLAIM_LOG_STATUSES as LOGGED
from estimator.table_columns import CLAIM_COLUMNS
from pricing.catalog import SlaVersion, load_catalog
from pricing.claims import EXPIRED
from pricing.matching import match_windows
from pricing.provider_claims import ProviderClaims, bundled_provider_claims
from pricing.scopes import counted, scope_bits

if TYPE_CHECKING:
    from estimator.results.results import Results


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
    for column in ("provider", "account", "service", "region", "resources"):
        mine[column] = mine["contract_id"].map(con[column]).astype("str")
    mine[["account", "resources"]] = mine[["account", "resources"]].fillna("")
    for column in ("claim_how", "source", "verified"):
        mine[column] = mine["sla_version"].map(terms[column])
    expired = (mine["claim_status"] == EXPIRED).to_numpy()
    logged = mine["claim_status"].isin(LOGGED).to_numpy()
    no_deadline = mine["claim_deadline"].isna().to_numpy()
    urgency = np.where(logged, 3, np.where(expired, 2, np.where(no_deadline, 1, 0)))
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
    """One claim to send: a company's credits from one provider, account and month (and one
    service, where the provider takes a claim per service). Its lines are all open or all
    expired: expired lines of the same month make a claim of their own, listed, not drafted."""

    company_id: str
    provider: str
    account: str
    service: str
    """The service of a per-service claim ("" when the provider takes one per month)."""
    month: str
    lines: pd.DataFrame
    """The claim lines (:data:`CLAIM_COLUMNS`), one per contract, most urgent first."""
    incidents: pd.DataFrame
    """The windows behind them: outage_id, incident_id, region, service, scope, zone, start,
    end, impact."""
    requirements: SlaVersion | ProviderClaims | None
    """The catalog version whose claim channel, subject and contents apply; for custom terms
    the provider's own claim rules (None: not known)."""

    @property
    def first(self) -> pd.Series:
        """The line whose deadline comes first (no deadline: last): the claim's date and status."""
        return self.lines.sort_values("claim_deadline", kind="stable", na_position="last").iloc[0]

    @property
    def status(self) -> str:
        return str(self.first["claim_status"])

    @property
    def deadline(self) -> pd.Timestamp | None:
        value = self.first["claim_deadline"]
        return None if pd.isna(value) else pd.Timestamp(value)

    @property
    def expired(self) -> bool:
        return bool((self.lines["claim_status"] == EXPIRED).all())

    @property
    def logged(self) -> bool:
        """Already filed (the claim log gives its status): listed, not drafted again."""
        return bool(self.lines["claim_status"].isin(LOGGED).all())

    @property
    def to_send(self) -> bool:
        return not self.expired and not self.logged


def claim_pack(results: Results) -> list[Claim]:
    """The claims per company, provider, account and month (and service where the provider
    asks for one claim per service), open lines and expired lines apart; most urgent first."""
    lines = claims(results)
    rules = bundled_provider_claims()
    per_service = lines["provider"].map(
        lambda p: bool(rules[p].claim_per_service) if p in rules else False
    )
    lines["_service"] = lines["service"].where(per_service.astype(bool), "")
    status = lines["claim_status"]
    lines["_expired"] = np.where(
        status == EXPIRED, "expired", np.where(status.isin(LOGGED), status, "open")
    )
    out = []
    keys = ["company_id", "provider", "account", "month", "_service", "_expired"]
    for key, group in lines.groupby(keys, sort=False, dropna=False):
        company, provider, account, month, service, _ = (str(k) for k in key)
        mine = group.drop(columns=["_service", "_expired"])
        incidents = _incidents(results, mine["contract_id"].tolist(), month)
        version = _requirements(results, mine, provider)
        out.append(Claim(company, provider, account, service, month, mine, incidents, version))
    return out


def _requirements(
    results: Results, lines: pd.DataFrame, provider: str
) -> SlaVersion | ProviderClaims | None:
    """The claim rules of a claim's first line: its template's version, else its provider's."""
    terms = results.terms.set_index("sla_version")
    label = lines["sla_version"].iloc[0]
    template = terms.loc[label, "template_id"]
    catalog = load_catalog()
    if template in catalog:
        version = str(terms.loc[label, "version"])
        return next(v for v in catalog.versions(str(template)) if v.version == version)
    return bundled_provider_claims().get(provider)


def _incidents(results: Results, contract_ids: list[str], month: str) -> pd.DataFrame:
    """The priced windows that count for these contracts in the month, cut to the month."""
    con = results.inputs.contracts
    mine = con[con["contract_id"].isin(contract_ids)].reset_index(drop=True)
    w = results.windows.assign(incident_id=results.inputs.outages["incident_id"].to_numpy())
    w = w[w["status"] != "left_out"].reset_index(drop=True)
    m0 = pd.Timestamp(f"{month}-01", tz="UTC")
    m1 = m0 + pd.offsets.MonthBegin(1)
    w = w[(w["start"] < m1) & (w["priced_end"] > m0)].reset_index(drop=True)
    columns = [
        "outage_id", "incident_id", "region", "service", "scope", "zone", "start", "end", "impact"
    ]  # fmt: skip
    if w.empty or mine.empty:
        return pd.DataFrame(columns=columns)
    wi, ci = match_windows(windows=w, contracts=mine)
    mask = measure_terms(mine, load_catalog()).scope_mask
    keep = counted(scope_bits(w["scope"].to_numpy(object))[wi], mask[ci])
    hit = w.iloc[np.unique(wi[keep])].copy()
    hit["start"] = hit["start"].where(hit["start"] > m0, m0)
    hit["end"] = hit["priced_end"].where(hit["priced_end"] < m1, m1)
    return hit[columns].sort_values(["start", "outage_id"]).reset_index(drop=True)
