"""The engine run behind ``estimate()``: inputs to arrays, pricing in chunks of companies, the result tables.

No rule is computed here: each step calls the module that owns it. The inputs
become integer arrays (``estimator.engine.arrays``); companies are priced in chunks so
that memory stays bounded on large portfolios (timelines, losses, the company's
own impact and each insurance episode's covered loss, from ``pricing``); then
each result table is built by its own module (``loss_table``, ``credit_table``,
``recovery_table``, ``summary_table``).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from estimator.engine import arrays
from estimator.engine.arrays import Codes
from estimator.engine.credit_lines import CreditContext
from estimator.engine.credit_table import credit_tables
from estimator.engine.known_matches import Matches
from estimator.engine.lineage import Lineage
from estimator.engine.loss_table import loss_table, lost_share_table
from estimator.engine.other_recoveries import CreditRows, credits_deducted
from estimator.engine.outcome import Outcome
from estimator.engine.recovery_table import (
    CoverMatch,
    cover_episodes,
    cover_terms,
    recovery_table,
)
from estimator.engine.summary_table import summary_table
from estimator.inputs.scenario import Inputs
from estimator.inputs.valuation import ONGOING, as_of_time, outage_ids
from pricing import insurance as ins
from pricing.catalog import load_catalog
from pricing.losses import CompanyRates, LossOver, event_losses, loss_over
from pricing.profiles import RevenueClock
from pricing.timeline import CompanyTimeline, Hits, company_timeline, dependency_rule

Progress = Callable[[str, int, int], None]
CHUNK_HITS = 1_500_000
"""Hits (window x contract) per chunk of companies priced at once."""


def price(
    inputs: Inputs,
    *,
    dependency_rule: str = "max",
    as_of: str | dt.datetime | pd.Timestamp | None = None,
    progress: Progress | None = None,
    policy_years: bool = False,
) -> Outcome:
    """Every table of one estimate; the parameters are those of :func:`estimator.estimate`
    (``estimator/results/estimate.py``), which wraps this in ``Results``."""
    run = Run(inputs, dependency_rule, as_of_time(as_of), progress)
    run.policy_years = policy_years
    return run.outcome()


@dataclass
class _Priced:
    """What pricing one chunk of companies gives."""

    event_losses: pd.DataFrame
    """Per (company, event): impacted minutes and the money columns, rounded."""
    own_impact: pd.DataFrame
    """The company's own impact I(t) as steps: company, start, end, units."""
    lost_share: pd.DataFrame
    """L(t) as steps: company, start, end, lost_share."""


@dataclass
class Matched:
    """The run up to the result tables: windows, hits, cover episodes and each chunk priced
    (what both the result tables and the totals of ``estimator.engine.totals`` start from)."""

    windows: arrays.Windows
    hits: pd.DataFrame
    match: CoverMatch
    covers: ins.CoverTerms
    priced: list[_Priced]
    covered: LossOver
    """Each insurance episode's loss in its covered time, in its two parts."""


class Run:
    """One engine run: ``outcome()`` gives every table; ``matched()`` the arrays before them."""

    def __init__(
        self,
        inputs: Inputs,
        rule: str,
        as_of: pd.Timestamp,
        progress: Progress | None,
        lineage: Lineage | None = None,
    ) -> None:
        dependency_rule(rule)  # unknown rule -> ValueError naming the valid ones
        self.inputs = inputs
        self.rule = rule
        self.as_of = as_of
        self.progress = progress
        self.timings: dict[str, float] = {}
        self.codes = Codes.of(inputs, lineage)
        self.policy_years = False
        self.matches: Matches | None = None
        """Which windows hit which contracts, when the caller knows (not matched again)."""

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        if self.progress:
            self.progress(name, 0, 1)
        t0 = time.perf_counter()
        yield
        self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - t0
        if self.progress:
            self.progress(name, 1, 1)

    def matched(self) -> Matched:
        codes = self.codes
        with self.stage("matching"):
            windows = arrays.windows(self.inputs, self.as_of)
            zone = windows.table["zone"]
            hits = arrays.provider_hits(codes, windows.arrays, zone, self.matches)
            match = cover_episodes(codes, windows.arrays, self.matches)
        clock, rates = arrays.revenue_clock(self.inputs, codes, windows.arrays)
        covers = cover_terms(codes, policy_years=self.policy_years)
        priced, covered = self.price_chunks(hits, clock, rates, match.episodes, covers)
        return Matched(windows, hits, match, covers, priced, covered)

    def credit_context(self, windows: arrays.Windows) -> CreditContext:
        """What the credits need from this run besides the hits (either path's)."""
        return CreditContext(
            codes=self.codes,
            exclusions=self.inputs.exclusions,
            windows=windows.table,
            catalog=load_catalog(),
            as_of=self.as_of,
            charges=self.inputs.charges,
            claim_log=self.inputs.claim_log,
        )

    def outcome(self) -> Outcome:
        codes = self.codes
        m = self.matched()
        windows, hits, match, covers, priced, covered = (
            m.windows,
            m.hits,
            m.match,
            m.covers,
            m.priced,
            m.covered,
        )
        with self.stage("losses"):
            losses = loss_table(
                pd.concat([p.event_losses for p in priced], ignore_index=True),
                codes,
                windows.event_names,
            )
            lost = lost_share_table(
                pd.concat([p.lost_share for p in priced], ignore_index=True), codes
            )
        with self.stage("credits"):
            own = pd.concat([p.own_impact for p in priced], ignore_index=True)
            del priced, m  # the chunks are in the tables now: their memory goes back for credits
            credits = credit_tables(self.credit_context(windows), hits, own)
        with self.stage("insurance"):
            basis = ins.basis_loss(
                match.episodes, covers, revenue=covered.revenue, costs=covered.costs
            )
            rows = CreditRows(
                credits.contract,
                credits.month,
                credits.credits["credit_amount"].to_numpy(np.float64, na_value=np.nan),
                (credits.credits["kind"] == "provider").to_numpy(dtype=bool),
            )
            deducted = credits_deducted(codes, hits, match, covers, basis, rows)
            recoveries = recovery_table(codes, match.episodes, covers, covered, deducted)
        summary = summary_table(
            codes,
            losses=losses.frame,
            loss_company=losses.company,
            credits=credits.credits,
            credit_company=credits.company,
            recoveries=recoveries.frame,
            recovery_company=recoveries.company,
        )
        return Outcome(
            losses=losses.frame,
            credits=credits.credits,
            recoveries=recoveries.frame,
            summary=summary,
            terms=credits.terms,
            tiers=credits.tiers,
            credit_steps=credits.steps,
            recovery_steps=recoveries.steps,
            lost_share=lost,
            inputs=self.inputs,
            as_of=self.as_of,
            dependency_rule=self.rule,
            windows=windows.table,
            ongoing=outage_ids(windows.table, ONGOING),
            timings=self.timings,
        )

    def price_chunks(
        self,
        hits: pd.DataFrame,
        clock: RevenueClock,
        rates: CompanyRates,
        episodes: ins.Episodes,
        covers: ins.CoverTerms,
    ) -> tuple[list[_Priced], LossOver]:
        """Price companies chunk by chunk; also the loss in each insurance episode's covered
        time, in its two parts (its company is in the chunk that prices it)."""
        cover_company = self.codes.contract_company[episodes.cover]
        begin, end = ins.covered_interval(episodes, covers)
        order = np.argsort(hits["company"].to_numpy(), kind="stable")
        hits = hits.iloc[order].reset_index(drop=True)
        company = hits["company"].to_numpy()
        bounds = _chunk_bounds(company, CHUNK_HITS)
        priced = []
        covered = LossOver(np.zeros(len(episodes.cover)), np.zeros(len(episodes.cover)))
        for n, (a, b) in enumerate(bounds):
            with self.stage("timelines"):
                tl = company_timeline(Hits.from_frame(hits.iloc[a:b]), rule=self.rule)
            with self.stage("losses"):
                priced.append(_priced(tl, rates, clock))
                mine = (cover_company >= company[a]) & (cover_company <= company[b - 1])
                if mine.any():
                    part = loss_over(
                        tl,
                        rates,
                        clock,
                        company=cover_company[mine],
                        start=begin[mine],
                        end=end[mine],
                    )
                    covered.revenue[mine], covered.costs[mine] = part.revenue, part.costs
            if self.progress:
                self.progress("companies", n + 1, len(bounds))
        if not priced:
            priced.append(
                _Priced(
                    pd.DataFrame(columns=["company", "event"]),
                    pd.DataFrame(columns=["company", "start", "end", "units"]),
                    pd.DataFrame(columns=["company", "start", "end", "lost_share"]),
                )
            )
        return priced, covered


def _priced(tl: CompanyTimeline, rates: CompanyRates, clock: RevenueClock) -> _Priced:
    segs = tl.segments
    lost = np.flatnonzero(tl.lost_share > 0)
    own = np.flatnonzero(tl.own_units > 0)
    return _Priced(
        event_losses=event_losses(tl, rates, clock),
        own_impact=pd.DataFrame(
            {
                "company": segs.group[own],
                "start": segs.start[own],
                "end": segs.end[own],
                "units": tl.own_units[own],
            },
            copy=False,  # fresh arrays: no copy
        ),
        lost_share=pd.DataFrame(
            {
                "company": segs.group[lost],
                "start": segs.start[lost],
                "end": segs.end[lost],
                "lost_share": tl.lost_share[lost],
            },
            copy=False,  # fresh arrays: no copy
        ),
    )


def _chunk_bounds(company: npt.NDArray[np.int64], size: int) -> list[tuple[int, int]]:
    """Split rows sorted by company into runs of about ``size`` rows, never splitting a company."""
    n = len(company)
    if n == 0:
        return []
    starts = np.flatnonzero(np.r_[True, company[1:] != company[:-1]])
    bounds = []
    a = 0
    while a < n:
        target = a + size
        if target >= n:
            bounds.append((a, n))
            break
        b = int(starts[np.searchsorted(starts, target)]) if target < starts[-1] else n
        b = max(b, int(starts[np.searchsorted(starts, a, side="right")]) if a < starts[-1] else n)
        bounds.append((a, b))
        a = b
    return bounds
