"""SLA measurement per contract and month: which hits count, measured once per group.

Provider contracts are measured on the raw impact of the windows that hit them,
counting only the outage scopes their SLA counts; customer contracts on the
company's own impact I(t). Contracts that are hit by the same windows and
measured alike share one measurement (a representative is measured, every
member takes its months).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from estimator.engine.joined_text import join_by_group
from estimator.engine.lineage import REACH, Lineage, reach_codes
from estimator.engine.terms import ContractMeasure
from estimator.inputs.valuation import seconds
from pricing.intervals import expand, row_codes, unique
from pricing.measure import MeasureTerms, month_of, monthly_measure
from pricing.scopes import counted
from pricing.timeline import PPM

Int = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Groups:
    """SLA contracts grouped by how they are measured.

    Provider contracts with the same scope (provider, region, service), metric,
    threshold, minimum downtime period and outage scopes, and no exclusion of
    their own, are hit by the same windows and measured alike: they share one
    group, measured once through a representative. Customer contracts and
    contracts with exclusions are groups of their own.
    """

    of_contract: Int  # group of each contract (-1 = none)
    is_representative: npt.NDArray[np.bool_]
    terms: MeasureTerms  # per group
    members: pd.DataFrame  # group, contract


def measurement_groups(
    con: pd.DataFrame,
    measure: ContractMeasure,
    *,
    hit_contract: Int,
    own_contract: Int,
    excluded_contract: Int,
    lineage: Lineage | None = None,
) -> Groups:
    terms = measure.terms
    n = len(con)
    excluded = np.zeros(n, dtype=np.bool_)
    excluded[excluded_contract] = True
    prov = unique(hit_contract)
    if lineage is not None:  # copies: their base contracts' reach, in their world
        where = reach_codes(lineage, prov)
    else:
        # integer codes of the text columns (zones decide the hits too)
        where = row_codes([con[c].take(prov) for c in REACH if c in con], len(prov))
    how = row_codes(
        [
            terms.threshold_units[prov],
            terms.error_metric[prov].astype(np.int64),
            terms.min_downtime_s[prov],
            measure.scope_mask[prov],
        ],
        len(prov),
    )
    own = np.where(excluded[prov], prov + 1, 0)  # an excluded contract is a group of its own
    sig_of_prov = pd.factorize((where * (int(how.max(initial=0)) + 1) + how) * (n + 1) + own)[0]
    n_sig = int(sig_of_prov.max()) + 1 if len(prov) else 0
    rep = np.full(n_sig, -1, dtype=np.int64)
    rep[sig_of_prov[::-1]] = prov[::-1]  # the first contract of each signature
    cust = unique(own_contract)
    of_contract = np.full(n, -1, dtype=np.int64)
    of_contract[prov] = sig_of_prov
    of_contract[cust] = n_sig + np.arange(len(cust))
    is_rep = np.zeros(n, dtype=np.bool_)
    is_rep[rep] = True
    who = np.concatenate([rep, cust])
    group_terms = MeasureTerms(
        terms.error_metric[who], terms.threshold_units[who], terms.min_downtime_s[who]
    )
    members = pd.DataFrame(
        {
            "group": np.concatenate([sig_of_prov, of_contract[cust]]),
            "contract": np.concatenate([prov, cust]),
        }
    )
    return Groups(of_contract, is_rep, group_terms, members)


def measure_months(
    con: pd.DataFrame,
    exclusions: pd.DataFrame,
    measure: ContractMeasure,
    hits: pd.DataFrame,
    own_hits: pd.DataFrame,
    lineage: Lineage | None = None,
) -> pd.DataFrame:
    """Measured downtime per contract and UTC month (``pricing.credits.monthly_measure``'s
    columns, plus ``contract``), every member of a measurement group taking its months."""
    code_of_id = pd.Series(np.arange(len(con)), index=con["contract_id"])
    ex_contract = (
        exclusions["contract_id"].map(code_of_id).to_numpy(np.int64)
        if len(exclusions)
        else np.zeros(0, np.int64)
    )
    hit_contract = hits["contract"].to_numpy(np.int64)
    own_contract = own_hits["contract"].to_numpy(np.int64)
    groups = measurement_groups(
        con,
        measure,
        hit_contract=hit_contract,
        own_contract=own_contract,
        excluded_contract=ex_contract,
        lineage=lineage,
    )
    rep = groups.is_representative[hit_contract]
    rep_counts = counted(
        hits["scope_bit"].to_numpy(np.int64)[rep], measure.scope_mask[hit_contract[rep]]
    )
    ex_keep = groups.of_contract[ex_contract] >= 0 if len(ex_contract) else ex_contract > 0
    measured = monthly_measure(
        group=np.concatenate(
            [groups.of_contract[hit_contract[rep]], groups.of_contract[own_contract]]
        ),
        start=np.concatenate([hits["start"].to_numpy(np.int64)[rep], own_hits["start"].to_numpy()]),
        end=np.concatenate([hits["end"].to_numpy(np.int64)[rep], own_hits["end"].to_numpy()]),
        units=np.concatenate(
            [hits["impact_ppm"].to_numpy(np.int64)[rep] * PPM, own_hits["units"].to_numpy()]
        ),
        excl_group=groups.of_contract[ex_contract[ex_keep]],
        excl_start=seconds(exclusions["start"])[ex_keep]
        if len(exclusions)
        else np.zeros(0, np.int64),
        excl_end=seconds(exclusions["end"])[ex_keep] if len(exclusions) else np.zeros(0, np.int64),
        terms=groups.terms,
        counted=np.concatenate([rep_counts, np.ones(len(own_hits), dtype=bool)]),
    )
    return measured.merge(groups.members, on="group", how="inner")


def outside_scope_notes(
    hits: pd.DataFrame, measure: ContractMeasure, windows: pd.DataFrame
) -> pd.DataFrame:
    """Per contract and month (months since 1970-01): the outages whose windows hit the
    contract but lie outside the scopes its SLA counts, as text (``note``)."""
    contract = hits["contract"].to_numpy(np.int64)
    out = ~counted(hits["scope_bit"].to_numpy(np.int64), measure.scope_mask[contract])
    return month_notes(hits, out, windows)


def month_notes(
    hits: pd.DataFrame, rows: npt.NDArray[np.bool_], windows: pd.DataFrame
) -> pd.DataFrame:
    """Per contract and month: the outages (with scope and zone) of the chosen hits, as text."""
    contract = hits["contract"].to_numpy(np.int64)
    out = rows
    if not out.any():
        return pd.DataFrame({"contract": [], "month": [], "note": []})
    start = hits["start"].to_numpy(np.int64)[out]
    end = hits["end"].to_numpy(np.int64)[out]
    first = month_of(start)
    span = month_of(end - 1) - first + 1
    which, k = expand(np.zeros(len(start), np.int64), span)
    window = hits["window"].to_numpy(np.int64)[out][which]
    w = windows.iloc[window]
    zone = w["zone"].fillna("").to_numpy(object)
    scope = w["scope"].to_numpy(object)
    where = np.where(zone != "", scope + " " + zone, scope)
    text = w["outage_id"].to_numpy(object) + " (" + where + ")"
    notes = pd.DataFrame(
        {"contract": contract[out][which], "month": first[which] + k, "note": text}
    ).drop_duplicates()
    return join_by_group(notes[["contract", "month"]], notes["note"], "; ", sort_text=True)
