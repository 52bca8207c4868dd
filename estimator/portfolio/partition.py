"""Pricing one partition of companies over every simulated year, and reducing it at once: the
year loss table (YLT) and event loss table (ELT) of its companies, their EP and average
annual values, and the partition's part of the portfolio's yearly and per-event totals (in
the reporting currency). A pure function of its arguments: local runs and Dask workers give
the same numbers.

Years are priced in chunks of company-years (``CHUNK_ROWS`` companies and contracts at
once), each one ``estimate()`` of the copies (``estimator.portfolio.years``), so memory is bounded
by a chunk and a partition, not by the number of years.

Each event's loss in a company-year is the engine's loss attributed to that outage; the
company-year's credits receivable and payable and insurance recoveries (which tiers, caps and
limits decide for the year as a whole) are attributed to its events pro rata to their loss
(equally when the year lost nothing), so a year's events add up to the year.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from estimator.engine.arrays import take_text
from estimator.engine.totals import price_totals
from estimator.inputs.scenario import Inputs
from estimator.portfolio.event_totals import by_region, event_totals
from estimator.portfolio.exceedance import average_annual, ep_points, ep_table
from estimator.portfolio.keys import MEASURES, provider_region
from estimator.portfolio.named import Coded, named
from estimator.portfolio.years import (
    SUFFIX,
    CompanyYears,
    Hits,
    company_years,
    copies_of,
    event_hits,
    replicate_years,
)
from estimator.results.estimate import estimate

Float = npt.NDArray[np.float64]
CHUNK_ROWS = 400_000
YEARS_PER_BLOCK = 500


class Settings(NamedTuple):
    n_years: int
    rule: str
    rates: dict[str, float]
    as_of: pd.Timestamp
    out_dir: str | None = None
    engine: str = "totals"
    """``totals`` (the engine's totals path) or ``full`` (every table of ``estimate()``)."""


class Partial(NamedTuple):
    ylt: Coded | None
    """The YLT rows with company codes (``estimator.portfolio.named`` names them)."""
    elt: Coded | None
    """The ELT rows with company and event codes."""
    ep: pd.DataFrame
    alt: pd.DataFrame
    year_totals: Float
    """(years x measures), the partition's companies summed in the reporting currency."""
    events: pd.DataFrame
    """Per event: the partition's totals in the reporting currency and companies reached."""
    top: pd.DataFrame
    """Per event, the partition's largest losses: year, outage_id, company_id, total_loss (in
    the reporting currency)."""
    by_region: pd.DataFrame
    """Each company's total loss per provider-region over all years (reporting currency)."""


def price_partition(inputs: Inputs, events: pd.DataFrame, s: Settings, part: int) -> Partial:
    ylt_parts: list[pd.DataFrame] = []
    elt_parts: list[pd.DataFrame] = []
    oep_parts: list[pd.DataFrame] = []
    years = events["year"].to_numpy(np.int64)
    code, names = pd.factorize(events["outage_id"].astype(str), sort=True)  # in id order
    outages = _Outages(code.astype(np.int64), pd.Index(names))
    n = len(inputs.companies)
    ylt_order = {"year": s.n_years + 1, "company": n}
    # by year, then outage id (event codes are in id order), then company
    elt_order = {"year": s.n_years + 1, "event": len(names), "company": n}
    for first in range(1, s.n_years + 1, YEARS_PER_BLOCK):
        in_block = (years >= first) & (years < first + YEARS_PER_BLOCK)
        block = events[in_block].reset_index(drop=True)
        hits = event_hits(inputs, block)
        reached = _reached(block, outages.code[in_block], hits, outages.names, n)
        priced = [
            _price_chunk(inputs, block, chunk, hits, reached, s)
            for chunk in _chunks(inputs, company_years(block, hits))
        ]
        if priced:  # each block sorted on its own: the blocks are in year order
            ylt_parts.append(_concat([p[0] for p in priced], ylt_order, []))
            elt_parts.append(_concat([p[1] for p in priced], elt_order, []))
            oep_parts.extend(p[2] for p in priced)
    ylt = _concat(ylt_parts, ylt_order, ["year", "company"])
    elt = _concat(elt_parts, elt_order, ["year", "company", "event"])
    oep = _concat(oep_parts, {}, ["company"])
    years_priced = Years(ylt, elt, oep, outages.names)
    return _reduce(inputs, years_priced, s, part, provider_region(events))


class Years(NamedTuple):
    """A partition's priced company-years."""

    ylt: pd.DataFrame
    """One row per company-year (year, company code, the measures), by year then company."""
    elt: pd.DataFrame
    """One row per (company-year, event that reached it), by year, outage id, company."""
    oep: pd.DataFrame
    """Per company-year: each measure's largest event (company code, the measures)."""
    outages: pd.Index
    """The outage id of each event code (sorted)."""


def _chunks(inputs: Inputs, pairs: CompanyYears) -> list[CompanyYears]:
    """Company-years in runs of about ``CHUNK_ROWS`` companies and contracts."""
    per = np.bincount(
        pd.Index(inputs.companies["company_id"]).get_indexer(
            pd.Index(inputs.contracts["company_id"])
        ),
        minlength=len(inputs.companies),
    )
    rows = np.cumsum(1 + per[pairs.company])
    cut = np.searchsorted(rows, np.arange(CHUNK_ROWS, int(rows[-1]) + CHUNK_ROWS, CHUNK_ROWS))
    bounds = np.unique(np.r_[0, np.minimum(cut + 1, len(rows))]) if len(rows) else np.zeros(1, int)
    return [
        CompanyYears(pairs.year[a:b], pairs.company[a:b])
        for a, b in itertools.pairwise(bounds.tolist())
        if b > a
    ]


def _price_chunk(
    inputs: Inputs,
    events: pd.DataFrame,
    pairs: CompanyYears,
    hits: Hits,
    reached: Reached,
    s: Settings,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    many, matches, lineage = replicate_years(inputs, events, pairs, hits)
    ylt = pd.DataFrame({"year": pairs.year, "company": pairs.company})
    if s.engine == "full":
        r = estimate(many, dependency_rule=s.rule, as_of=s.as_of, policy_years=True)
        for m in MEASURES:
            ylt[m] = r.summary[m].to_numpy(np.float64)
        copy = pd.Index(many.companies["company_id"]).get_indexer(pd.Index(r.losses["company_id"]))
        amount = r.losses["total_loss"].to_numpy(np.float64)
        which, distinct = pd.factorize(r.losses["outage_id"].astype(str))
        code = _outage_codes(pd.Series(distinct, dtype="str"), reached)[which]
    else:  # copy i is company code i of the replicated scenario
        t = price_totals(
            many,
            dependency_rule=s.rule,
            as_of=s.as_of,
            policy_years=True,
            matches=matches,
            lineage=lineage,
        )
        for m in MEASURES:
            ylt[m] = t.money[m]
        copy, amount = t.event_company, t.event_loss
        code = _outage_codes(t.event_names, reached)[t.event]
    loss = (
        pd.DataFrame({"copy": copy, "code": code, "total_loss": amount})
        .groupby(["copy", "code"], as_index=False, sort=False)[["total_loss"]]
        .sum()
    )
    elt, oep = _attributed(ylt, loss, reached, pairs, len(inputs.companies))
    return ylt, elt, oep


class _Outages(NamedTuple):
    code: npt.NDArray[np.int64]
    """Each event window's outage: a position in ``names``."""
    names: pd.Index
    """The partition's outage ids, sorted."""


class Reached(NamedTuple):
    """Each distinct (year, company, outage) of a block's hits, in order of first hit."""

    year: npt.NDArray[np.int64]
    company: npt.NDArray[np.int64]
    code: npt.NDArray[np.int64]
    """The outage: a position in ``names``."""
    names: pd.Index
    """The partition's outage ids, sorted."""


def _reached(
    block: pd.DataFrame, code: npt.NDArray[np.int64], hits: Hits, names: pd.Index, n_companies: int
) -> Reached:
    year = block["year"].to_numpy(np.int64)[hits.window]
    outage = code[hits.window]
    key = (year * n_companies + hits.company) * max(len(names), 1) + outage
    first = np.sort(np.unique(key, return_index=True)[1])  # as drop_duplicates keeps them
    return Reached(year[first], hits.company[first], outage[first], pd.Index(names))


def _outage_codes(outage_id: pd.Series, reached: Reached) -> npt.NDArray[np.int64]:
    """Each distinct copied outage id's code in the block (``o1~7`` is ``o1``)."""
    base = pd.Series(outage_id, dtype="str").str.rsplit(SUFFIX, n=1).str[0]
    return reached.names.get_indexer(pd.Index(base)).astype(np.int64)


def _attributed(
    ylt: pd.DataFrame,
    loss: pd.DataFrame,
    reached: Reached,
    pairs: CompanyYears,
    n_companies: int,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per (company-year, event that reached it): its loss, and its share of the
    company-year's credits and recoveries; and per company-year, each measure's largest
    event (the OEP's values)."""
    mine, copy = copies_of(pairs, n_companies, reached.year, reached.company)
    code = reached.code[mine]
    width = max(len(reached.names), 1)
    loss_key = loss["copy"].to_numpy(np.int64) * width + loss["code"].to_numpy(np.int64)
    order = np.argsort(loss_key, kind="stable")
    found = np.searchsorted(loss_key[order], copy * width + code)
    found = np.minimum(found, max(len(order) - 1, 0))
    hit = (loss_key[order][found] == copy * width + code) if len(order) else found < 0
    amount = loss["total_loss"].to_numpy(np.float64)[order][found] if len(order) else 0.0
    elt = pd.DataFrame(
        {
            "year": reached.year[mine],
            "company": reached.company[mine],
            "event": code,
            "copy": copy,
            "total_loss": np.where(hit, amount, 0.0),  # no loss row: lost nothing
        },
        copy=False,  # fresh arrays: no copy
    )
    row_copy = elt["copy"].to_numpy(np.int64)
    total = elt.groupby("copy")["total_loss"].transform("sum").to_numpy()
    count = np.bincount(row_copy, minlength=len(ylt))[row_copy]
    weight = np.where(
        total > 0, elt["total_loss"].to_numpy() / np.where(total > 0, total, 1), 1 / count
    )
    for m in ("credits_receivable", "credits_payable", "insurance_recoveries"):
        elt[m] = ylt[m].to_numpy(np.float64)[row_copy] * weight
    elt["net_impact"] = (
        elt["total_loss"]
        + elt["credits_payable"]
        - elt["credits_receivable"]
        - elt["insurance_recoveries"]
    )
    largest = np.full((len(ylt), len(MEASURES)), -np.inf)  # every copy was reached
    for k, m in enumerate(MEASURES):
        np.maximum.at(largest[:, k], row_copy, elt[m].to_numpy(np.float64))
    largest[np.isneginf(largest)] = 0.0  # a copy no event row reached (none is) lost nothing
    oep = pd.DataFrame(largest, columns=MEASURES)
    oep.insert(0, "company", pairs.company)
    return elt.drop(columns=["copy"]), oep


def _concat(parts: list[pd.DataFrame], order: dict[str, int], empty: list[str]) -> pd.DataFrame:
    """The parts one after another, sorted by the integer columns of ``order`` (each with
    the number of its values; the rows' keys are distinct): one sort of one integer key,
    none when the parts are in order already. No parts: an empty table of ``empty``."""
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in [*empty, *MEASURES]})
    frame = pd.concat(parts, ignore_index=True)
    key = np.zeros(len(frame), dtype=np.int64)
    for column, size in order.items():
        key = key * size + frame[column].to_numpy(np.int64)
    if not order or (key[1:] >= key[:-1]).all():
        return frame
    return frame.take(np.argsort(key, kind="stable")).reset_index(drop=True)


def _reduce(inputs: Inputs, years: Years, s: Settings, part: int, region: pd.Series) -> Partial:
    """The partition's statistics, and its part of the portfolio's totals."""
    ylt, elt, oep, outages = years
    co = inputs.companies
    n = len(co)
    currency = co["currency"].astype(str).to_numpy(object)
    rate = np.array([s.rates[c] for c in currency], dtype=np.float64)
    company = ylt["company"].to_numpy(np.int64)
    stats_ep, stats_alt = [], []
    for m in MEASURES:
        for kind, frame in (("AEP", ylt), ("OEP", oep)):
            pts = ep_points(frame["company"].to_numpy(np.int64), frame[m].to_numpy(), n, s.n_years)
            stats_ep.append((pts, kind, m))
        alt = average_annual(company, ylt[m].to_numpy(), n, s.n_years).assign(measure=m)
        stats_alt.append(alt)
    ep = ep_table(stats_ep)
    alt = pd.concat(stats_alt, ignore_index=True)
    for frame in (ep, alt):
        group = frame["group"].to_numpy(np.int64)
        frame.insert(0, "company_id", take_text(co["company_id"], group).array)
        frame.insert(1, "currency", take_text(co["currency"], group).array)
    year_totals = np.zeros((s.n_years, len(MEASURES)))
    year = ylt["year"].to_numpy(np.int64) - 1
    for k, m in enumerate(MEASURES):  # summed in row order, as np.add.at would
        weights = ylt[m].to_numpy(np.float64) * rate[company]
        year_totals[:, k] = np.bincount(year, weights=weights, minlength=s.n_years)
    ids = co["company_id"].to_numpy(object)
    events_part, top = event_totals(elt, rate, ids, outages)
    regions = by_region(elt, rate, ids, region, outages)
    ids_of = co[["company_id", "currency"]].reset_index(drop=True)
    if s.out_dir is not None:
        write_part(named(ylt, ids_of, None), Path(s.out_dir) / "ylt", part)
        write_part(named(elt, ids_of, outages), Path(s.out_dir) / "elt", part)
    keep = s.out_dir is None
    return Partial(
        Coded(ylt, ids_of, None) if keep else None,
        Coded(elt, ids_of, outages) if keep else None,
        ep.drop(columns=["group"]),
        alt.drop(columns=["group"]),
        year_totals,
        events_part,
        top,
        regions,
    )


def write_part(frame: pd.DataFrame, folder: Path, part: int) -> None:
    """``folder/part-00000.parquet``, ...: one file per partition."""
    folder.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(folder / f"part-{part:05d}.parquet", index=False)
