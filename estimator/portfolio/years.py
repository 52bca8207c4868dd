"""Simulated years as one scenario: each company hit in a year is copied once for that year,
with its contracts and exclusions, and each year's windows carry the year in their provider
(``aws~7``), so a window hits only its own year's copies. Companies a year's events do not
reach are not copied: they lose nothing that year (and owe and recover nothing).
"""

from __future__ import annotations

import dataclasses
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from estimator.engine.arrays import take_text
from estimator.engine.known_matches import Matches
from estimator.engine.lineage import Lineage
from estimator.inputs.scenario import Inputs
from pricing.intervals import expand, unique_inverse
from pricing.matching import match_windows

Int = npt.NDArray[np.int64]
SUFFIX = "~"


class Hits(NamedTuple):
    """Which contracts and companies each simulated event reaches (positions in ``events``,
    the contracts and the companies tables)."""

    window: Int
    contract: Int
    company: Int


def event_hits(inputs: Inputs, events: pd.DataFrame) -> Hits:
    """(window, contract, company) for every window that hits a provider contract or a cover
    (customer contracts follow their company)."""
    con = inputs.contracts
    reach = np.flatnonzero((con["kind"] != "customer").to_numpy())
    w, c = match_windows(windows=events, contracts=con.iloc[reach].reset_index(drop=True))
    company_of = pd.Index(inputs.companies["company_id"]).get_indexer(
        pd.Index(con["company_id"].to_numpy(object)[reach])
    )
    return Hits(w, reach[c].astype(np.int64), company_of[c].astype(np.int64))


class CompanyYears(NamedTuple):
    year: Int
    company: Int
    """Each copy's year and company position; copy ``i`` is row ``i`` of the scenario's
    companies (and of its summary)."""


def company_years(events: pd.DataFrame, hits: Hits) -> CompanyYears:
    """The distinct (year, company) pairs the events reach, sorted by year then company."""
    year = events["year"].to_numpy(np.int64)[hits.window]
    pairs = pd.DataFrame({"year": year, "company": hits.company}).drop_duplicates()
    pairs = pairs.sort_values(["year", "company"], ignore_index=True)
    return CompanyYears(pairs["year"].to_numpy(np.int64), pairs["company"].to_numpy(np.int64))


class Copies(NamedTuple):
    inputs: Inputs
    """The scenario of the copies (``replicate_years``)."""
    matches: Matches
    """Which of its windows hit which of its contracts: the base hits, copied."""
    lineage: Lineage
    """Each copied contract's base row, year and copy."""


def copies_of(pairs: CompanyYears, n_companies: int, year: Int, company: Int) -> tuple[Int, Int]:
    """For (year, company) rows: the positions of those that are among ``pairs`` (sorted by
    year then company) and, for them, their copy."""
    pair_key = pairs.year * n_companies + pairs.company  # increasing: pairs are sorted
    want = year * n_companies + company
    if not len(pair_key):
        none = np.zeros(0, dtype=np.int64)
        return none, none
    # only rows within the pairs' range are searched (a chunk holds a few of the years)
    near = np.flatnonzero((want >= pair_key[0]) & (want <= pair_key[-1]))
    at = np.searchsorted(pair_key, want[near])
    found = pair_key[at] == want[near]
    return near[found], at[found].astype(np.int64)


def replicate_years(
    inputs: Inputs, events: pd.DataFrame, pairs: CompanyYears, hits: Hits
) -> Copies:
    """The scenario of ``pairs``: companies per year with the contracts that year's events
    reach and their customer contracts (the others earn and owe nothing that year), their
    exclusions, and the windows of those years; with the hits among them."""
    tag = _tags(pairs.year)
    companies = inputs.companies.iloc[pairs.company].reset_index(drop=True)
    companies["company_id"] = companies["company_id"].astype(str) + tag
    con = inputs.contracts
    years = np.unique(pairs.year)
    in_chunk = np.isin(events["year"].to_numpy(np.int64), years)
    rows, copy, matches = _contracts_of(inputs, events, pairs, hits, in_chunk)
    contracts = con.iloc[rows].reset_index(drop=True)
    ctag = tag.iloc[copy].reset_index(drop=True)
    contracts["contract_id"] = contracts["contract_id"].astype(str) + ctag
    contracts["company_id"] = take_text(companies["company_id"], copy)
    contracts["provider"] = _tagged(con["provider"], rows, pairs.year[copy])
    exclusions = _exclusions(inputs.exclusions, con, rows, ctag)
    mine = events[in_chunk].reset_index(drop=True)
    etag = _tags(mine["year"].to_numpy(np.int64))
    outages = mine.drop(columns=["year"])
    outages["provider"] = outages["provider"].astype(str) + etag
    outages["outage_id"] = outages["outage_id"].astype(str) + etag
    scenario = dataclasses.replace(
        inputs,
        outages=outages,
        companies=companies,
        contracts=contracts,
        exclusions=exclusions,
        uncertainty=inputs.uncertainty.iloc[0:0],
    )
    return Copies(scenario, matches, Lineage(con, rows, pairs.year[copy], copy))


def _tags(year: Int) -> pd.Series:
    """``~year`` per row, written once per distinct year."""
    distinct, inverse = np.unique(year, return_inverse=True)
    text = pd.Series(distinct.astype(str), dtype="str").radd(SUFFIX)
    return text.take(inverse.reshape(-1)).reset_index(drop=True)


def _tagged(column: pd.Series, rows: Int, year: Int) -> pd.Series:
    """``column`` at ``rows`` with each row's ``~year``, written once per distinct (value,
    year); a missing value stays missing."""
    code = pd.factorize(column)[0].astype(np.int64)[rows]  # -1: missing
    key = (code + 1) * (int(year.max(initial=0)) + 1) + year
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    text = column.iloc[rows[first]].astype(str).reset_index(drop=True) + _tags(year[first])
    out = text.take(inverse.reshape(-1)).reset_index(drop=True)
    return out.where(pd.Series(code >= 0))


def _contracts_of(
    inputs: Inputs,
    events: pd.DataFrame,
    pairs: CompanyYears,
    hits: Hits,
    in_chunk: npt.NDArray[np.bool_],
) -> tuple[Int, Int, Matches]:
    """The contract rows each copy takes (the ones its year's events reach, and its company's
    customer contracts) and the copy each belongs to, by copy then contract row; and the
    base hits of the copies as rows of the copied windows and contracts (a window of year y
    hits the copies of year y only). ``in_chunk``: per window, its year is one of the
    copies'."""
    con = inputs.contracts
    n_companies, n_contracts = len(inputs.companies), len(con)
    year = events["year"].to_numpy(np.int64)[hits.window]
    mine, copy = copies_of(pairs, n_companies, year, hits.company)
    customer = np.flatnonzero((con["kind"] == "customer").to_numpy())
    owner = pd.Index(inputs.companies["company_id"]).get_indexer(
        pd.Index(con["company_id"].to_numpy(object)[customer])
    )
    by_owner = np.argsort(owner, kind="stable")
    per = np.bincount(owner, minlength=n_companies)
    copy_of_sold, k = expand((np.cumsum(per) - per)[pairs.company], per[pairs.company])
    keys = np.concatenate(
        [
            copy * n_contracts + hits.contract[mine],
            copy_of_sold * n_contracts + customer[by_owner][k],
        ]
    )
    taken, position = unique_inverse(keys)  # sorted: by copy, then row
    window = (np.cumsum(in_chunk) - 1)[hits.window[mine]]
    matches = Matches(window.astype(np.int64), position[: len(mine)])
    return taken % n_contracts, taken // n_contracts, matches


def _exclusions(
    exclusions: pd.DataFrame, contracts: pd.DataFrame, rows: Int, ctag: pd.Series
) -> pd.DataFrame:
    """Each copied contract's exclusions, under the copy's contract id."""
    if exclusions.empty:
        return exclusions
    of = pd.Index(contracts["contract_id"]).get_indexer(pd.Index(exclusions["contract_id"]))
    pairs = pd.DataFrame({"row": of, "exclusion": np.arange(len(exclusions))}).merge(
        pd.DataFrame({"row": rows, "copy": np.arange(len(rows))}), on="row"
    )
    out = exclusions.iloc[pairs["exclusion"].to_numpy()].reset_index(drop=True)
    out["contract_id"] = out["contract_id"].astype(str) + ctag.iloc[pairs["copy"]].to_numpy()
    return out
