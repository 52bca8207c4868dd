"""``risk()``: every simulated year priced with the companies and contracts of the inputs, in
partitions of companies that run locally or on a Dask cluster (the same pure function, so the
numbers are equal), reduced to the year and event loss tables, EP curves, average annual
values and the portfolio's accumulation."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from estimator.engine.totals import check_engine
from estimator.inputs.event_files import Source, load_events
from estimator.inputs.scenario import Inputs
from estimator.portfolio.accumulation import accumulation
from estimator.portfolio.convergence import convergence
from estimator.portfolio.exceedance import average_annual, ep_points, ep_table
from estimator.portfolio.fx import rates_to
from estimator.portfolio.keys import MEASURES
from estimator.portfolio.named import named_parts
from estimator.portfolio.partition import Partial, Settings, price_partition
from estimator.portfolio.policy_periods import check_policy_periods
from estimator.portfolio.results import RiskResults
from pricing.charges import with_typical_fees

COMPANIES_PER_PARTITION = 1_000
MIN_COMPANIES_PER_PARTITION = 250
TARGET_PARTITIONS = 8
Progress = Callable[[str, int, int], None]


def risk(
    inputs: Inputs,
    events: Source,
    *,
    years: int | None = None,
    reporting_currency: str = "USD",
    dependency_rule: str = "max",
    client: Any = None,
    out_dir: str | Path | None = None,
    companies_per_partition: int | None = None,
    progress: Progress | None = None,
    engine: str = "totals",
) -> RiskResults:
    """Price every simulated year of ``events`` (a table with ``year``, e.g. from
    :func:`estimator.stochastic_events`) for the companies of ``inputs``.

    ``years`` defaults to the largest year in ``events``; years without events count as
    zero. ``client``: a ``dask.distributed.Client`` to run the partitions on. ``out_dir``:
    write the YLT and ELT there, one Parquet file per partition, instead of keeping them.
    ``companies_per_partition`` defaults to :func:`partition_size` of the portfolio, which
    depends on the number of companies only, so a local and a cluster run partition alike.
    ``engine``: each company-year is priced by the engine's totals path (``"totals"``, the
    default) or by building every table of :func:`estimator.estimate` (``"full"``); both
    give the same numbers.
    """
    check_engine(engine)
    check_policy_periods(inputs)
    inputs = dataclasses.replace(
        inputs,
        contracts=with_typical_fees(inputs.contracts, inputs.charges),
        charges=inputs.charges.iloc[0:0],
        claim_log=inputs.claim_log.iloc[0:0],
    )
    table = events if isinstance(events, pd.DataFrame) and _typed(events) else load_events(events)
    n_years = int(years if years is not None else table["year"].max() if len(table) else 1)
    table = table[table["year"] <= n_years].reset_index(drop=True)
    rates = rates_to(inputs, reporting_currency)
    end = table["end"].max() if len(table) else pd.Timestamp("2000-01-01", tz="UTC")
    settings = Settings(
        n_years=n_years,
        rule=dependency_rule,
        rates=rates,
        as_of=pd.Timestamp(end) + pd.Timedelta(seconds=1),
        out_dir=None if out_dir is None else str(out_dir),
        engine=engine,
    )
    size = companies_per_partition or partition_size(len(inputs.companies))
    parts = partitions(inputs, size)
    results = _run(parts, table, settings, client, progress)
    return _combine(results, table, settings, reporting_currency)


def _typed(events: Source) -> bool:
    """An event set already typed (from ``stochastic_events``): used as it is."""
    return (
        isinstance(events, pd.DataFrame)
        and "year" in events.columns
        and isinstance(events["start"].dtype, pd.DatetimeTZDtype)
    )


def partition_size(companies: int) -> int:
    """The default partition: an eighth of the companies (so a cluster has work for several
    workers), at least 250 (below that the per-partition overhead shows) and at most 1,000
    (memory is bounded by a partition; larger ones were slower too, bench/README.md)."""
    eighth = -(-companies // TARGET_PARTITIONS)
    return min(COMPANIES_PER_PARTITION, max(MIN_COMPANIES_PER_PARTITION, eighth))


def partitions(inputs: Inputs, size: int) -> list[Inputs]:
    """The inputs split into blocks of ``size`` companies, each with its own contracts and
    their exclusions."""
    co, con = inputs.companies, inputs.contracts
    out = []
    for a in range(0, max(len(co), 1), max(size, 1)):
        ids = co["company_id"].iloc[a : a + size]
        contracts = con[con["company_id"].isin(ids)].reset_index(drop=True)
        exclusions = inputs.exclusions[
            inputs.exclusions["contract_id"].isin(contracts["contract_id"])
        ]
        out.append(
            dataclasses.replace(
                inputs,
                companies=co.iloc[a : a + size].reset_index(drop=True),
                contracts=contracts,
                exclusions=exclusions.reset_index(drop=True),
            )
        )
    return out


def _run(
    parts: list[Inputs],
    events: pd.DataFrame,
    s: Settings,
    client: Any,
    progress: Progress | None,
) -> list[Partial]:
    if client is None:
        done = []
        for i, part in enumerate(parts):
            done.append(price_partition(part, events, s, i))
            if progress:
                progress("partitions", i + 1, len(parts))
        return done
    return _run_on_cluster(parts, events, s, client, progress)


def _run_on_cluster(
    parts: list[Inputs],
    events: pd.DataFrame,
    s: Settings,
    client: Any,
    progress: Progress | None,
) -> list[Partial]:
    """Each partition a task; results are fetched as they finish and released on the worker
    at once, so the workers hold only the partitions they are pricing."""
    from distributed import as_completed

    shared = client.scatter(events, broadcast=True)
    placed = client.scatter(parts)  # data, not a large task graph
    futures = [
        client.submit(price_partition, p, shared, s, i, pure=False) for i, p in enumerate(placed)
    ]
    del placed
    where = {f.key: i for i, f in enumerate(futures)}
    got: list[Partial | None] = [None] * len(futures)
    finished = as_completed(futures, with_results=True)  # type: ignore[no-untyped-call]
    for n, (future, partial) in enumerate(finished, start=1):
        got[where[future.key]] = partial
        future.release()
        if progress:
            progress("partitions", n, len(futures))
    return [p for p in got if p is not None]


def _combine(
    parts: list[Partial], events: pd.DataFrame, s: Settings, reporting: str
) -> RiskResults:
    """Companies' statistics as computed per partition; the portfolio's from the summed
    yearly totals (AEP) and per-event totals (OEP), in the reporting currency."""
    year_totals = np.sum([p.year_totals for p in parts], axis=0)
    event_totals = pd.concat([p.events for p in parts], ignore_index=True)
    per_event = event_totals.groupby(["year", "outage_id"], as_index=False, sort=True).sum()
    largest = per_event.groupby("year", as_index=False)[MEASURES].max()
    ep_parts, alt_rows = [], []
    zero = np.zeros(s.n_years, dtype=np.int64)
    for k, m in enumerate(MEASURES):
        for kind, group, values in (
            ("AEP", zero, year_totals[:, k]),
            ("OEP", zero[: len(largest)], largest[m].to_numpy()),
        ):
            ep_parts.append((ep_points(group, values, 1, s.n_years), kind, m))
        alt_rows.append(average_annual(zero, year_totals[:, k], 1, s.n_years).assign(measure=m))
    portfolio_ep = ep_table(ep_parts).assign(company_id="portfolio", currency=reporting)
    portfolio_alt = pd.concat(alt_rows, ignore_index=True).assign(
        company_id="portfolio", currency=reporting
    )
    ep_columns = ["company_id", "currency", "measure", "ep_type", "return_period", "loss", "se"]
    alt_columns = ["company_id", "currency", "measure", "aal", "std", "se"]
    ept = pd.concat([*(p.ep for p in parts), portfolio_ep[ep_columns]], ignore_index=True)
    alt = pd.concat([*(p.alt for p in parts), portfolio_alt[alt_columns]], ignore_index=True)
    top = pd.concat([p.top for p in parts], ignore_index=True)
    by_region = pd.concat([p.by_region for p in parts], ignore_index=True)
    keep = s.out_dir is None
    totals = pd.DataFrame(year_totals, columns=MEASURES).assign(year=np.arange(1, s.n_years + 1))
    return RiskResults(
        ylt=named_parts([p.ylt for p in parts if p.ylt is not None]) if keep else None,
        elt=named_parts([p.elt for p in parts if p.elt is not None]) if keep else None,
        ept=_ordered(ept[ep_columns]),
        alt=alt[alt_columns].reset_index(drop=True),
        accumulation=accumulation(per_event, top, by_region, events, s.n_years, reporting),
        n_years=s.n_years,
        reporting_currency=reporting,
        dependency_rule=s.rule,
        fx_rates=s.rates,
        out_dir=s.out_dir,
        year_totals=totals,
        convergence=convergence(totals, MEASURES, reporting),
        settings={"engine": s.engine},
    )


def _ordered(ept: pd.DataFrame) -> pd.DataFrame:
    kinds = {"OEP": 0, "AEP": 1, "OEP TVaR": 2, "AEP TVaR": 3}
    measures = {m: i for i, m in enumerate(MEASURES)}
    order = np.lexsort(
        (
            ept["return_period"].to_numpy(),
            _ranked(ept["ep_type"], kinds),
            _ranked(ept["measure"], measures),
        )
    )
    company_order = pd.factorize(ept["company_id"])[0]
    final = order[np.argsort(company_order[order], kind="stable")]
    return ept.iloc[final].reset_index(drop=True)


def _ranked(column: pd.Series, rank: dict[str, int]) -> npt.NDArray[np.int64]:
    """Each value's rank, looked up once per distinct value."""
    code, values = pd.factorize(column)
    return np.array([rank[str(v)] for v in values], dtype=np.int64)[code]
