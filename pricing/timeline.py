"""Impact timelines (DESIGN §4.2): contract impact, failover, the company's lost share.

For each provider contract c, its impact i_c(t) is the largest impact of the
windows hitting it at t (overlapping windows never add up). Its impact
episodes are the maximal continuous periods with i_c(t) > 0; once an episode
has lasted ``failover_minutes``, the impact is multiplied by
``1 - failover_share``. The company's lost share L(t) combines
``revenue_share_c * i_c(t)`` over its contracts by a dependency rule (``max``
or ``independent``). Its own service impact I(t) is the largest i_c(t) over
contracts with revenue_share > 0.

Everything is computed on elementary segments of each company's time line
(:mod:`pricing.intervals`), so L(t) and I(t) are exact step functions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pricing.intervals import (
    Float,
    Int,
    Segments,
    Slab,
    expand,
    merge,
    segment,
    unique_inverse,
)

PPM = 1_000_000
"""Impacts and failover shares are held as integer parts per million (exact)."""
UNIT = PPM * PPM
"""Exact own-impact units: impact_ppm * (1e6 - failover_share_ppm) is in 1e-12."""
NEVER = np.iinfo(np.int64).max


@dataclass(frozen=True)
class DependencyRule:
    """How per-contract lost shares combine into the company's lost share.

    Values are mapped with ``encode``, combined with ``ufunc`` (starting from
    ``identity``) and mapped back with ``decode``.
    """

    name: str
    description: str
    ufunc: np.ufunc
    identity: float
    encode: Callable[[Float], Float]
    decode: Callable[[Float], Float]
    over_rows: bool = False
    """The rule may combine windows directly (max is associative and idempotent, so the
    max over a contract's windows, then over contracts, is the max over all windows)."""


def _same(x: Float) -> Float:
    return x


def _complement(x: Float) -> Float:
    return np.asarray(1.0 - x, dtype=np.float64)


DEPENDENCY_RULES: dict[str, DependencyRule] = {
    "max": DependencyRule(
        "max",
        "L(t) = max over contracts of revenue_share x impact (never double counts)",
        np.maximum,
        0.0,
        _same,
        _same,
        over_rows=True,
    ),
    "independent": DependencyRule(
        "independent",
        "L(t) = 1 - product over contracts of (1 - revenue_share x impact)",
        np.multiply,
        1.0,
        _complement,
        _complement,
    ),
}


def dependency_rule(name: str) -> DependencyRule:
    """The registered rule of that name; an unknown name lists the valid ones."""
    try:
        return DEPENDENCY_RULES[name]
    except KeyError:
        valid = ", ".join(sorted(DEPENDENCY_RULES))
        raise ValueError(f"unknown dependency rule '{name}'; valid rules: {valid}") from None


@dataclass(frozen=True)
class Hits:
    """One row per (window, provider contract) hit, as integer codes and numbers."""

    company: Int
    contract: Int
    event: Int
    start: Int
    end: Int
    impact_ppm: Int
    share: Float
    failover_s: Int  # -1 when the contract has no failover
    failover_ppm: Int

    def __len__(self) -> int:
        return len(self.start)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> Hits:
        return cls(*(frame[f].to_numpy() for f in cls.__dataclass_fields__))


@dataclass(frozen=True)
class CompanyTimeline:
    """Step functions per company on its elementary segments, plus event attribution.

    * ``lost_share[k]``: L(t) on segment k.
    * ``own_units[k]``: I(t) on segment k, exactly, in units of 1e-12.
    * attribution cells: company-event group ``cell_group``, segment ``cell_seg``,
      share ``cell_frac`` of the segment's loss that goes to that event.
    """

    segments: Segments
    lost_share: Float
    own_units: Int
    group_company: Int
    group_event: Int
    cell_group: Int
    cell_seg: Int
    cell_frac: Float


def contract_episodes(hits: Hits) -> tuple[Int, Int, Int, Int]:
    """Impact episodes per contract and when failover starts in each.

    Returns (episode of each hit, episode start, episode end, failover time;
    ``NEVER`` where failover does not start within the episode).
    """
    run_of, _run_contract, run_start, run_end = merge(hits.contract, hits.start, hits.end)
    fo = np.full(len(run_start), -1, dtype=np.int64)
    fo[run_of] = hits.failover_s
    switch = np.where(fo >= 0, run_start + fo, NEVER)
    switch = np.where(switch < run_end, switch, NEVER)
    return run_of, run_start, run_end, switch


def company_timeline(hits: Hits, *, rule: str = "max") -> CompanyTimeline:
    """Build L(t), I(t) and the per-event attribution for every company hit."""
    dep = dependency_rule(rule)
    run_of, _, _, switch = contract_episodes(hits)
    has_switch = switch != NEVER
    run_company = np.zeros(len(switch), dtype=np.int64)
    run_company[run_of] = hits.company
    segs, first, count = segment(
        hits.company, hits.start, hits.end, run_company[has_switch], switch[has_switch]
    )
    hit, seg = expand(first, count)
    after = segs.start[seg] >= switch[run_of[hit]]
    keep_ppm = np.where(after, PPM - hits.failover_ppm[hit], PPM)
    units = hits.impact_ppm[hit] * keep_ppm  # exact, <= 1e12
    value = hits.share[hit] * (units / UNIT)

    # L(t): the rule over contracts of i_c (the max over each contract's windows)
    if dep.over_rows:
        lost = np.zeros(len(segs))
        np.maximum.at(lost, seg, value)
    else:
        contract_ids, contract_of_hit = unique_inverse(hits.contract)
        crow = contract_of_hit[hit]
        cslab = Slab.of(crow, seg, len(contract_ids))
        c_val = cslab.reduce(np.maximum, crow, seg, value, 0.0)
        _, c_seg = cslab.cells()
        lost = np.full(len(segs), dep.identity)
        dep.ufunc.at(lost, c_seg, dep.encode(c_val))
        lost = dep.decode(lost)

    # own impact I(t): contracts that carry revenue
    own = np.zeros(len(segs), dtype=np.int64)
    carries = hits.share[hit] > 0
    np.maximum.at(own, seg[carries], units[carries])

    # per event: contribution of each event's windows alone, per (contract, event) then rule
    n_events = int(hits.event.max()) + 1 if len(hits) else 1
    if dep.over_rows:  # each event's own max, straight from its windows
        ge_codes, ge_of_hit = unique_inverse(hits.company * n_events + hits.event)
        ge_row = ge_of_hit[hit]
        ge_slab = Slab.of(ge_row, seg, len(ge_codes))
        contrib = ge_slab.reduce(np.maximum, ge_row, seg, value, 0.0)
    else:  # per (contract, event) first, then the rule over contracts
        ce_codes, ce_of_hit = unique_inverse(hits.contract * n_events + hits.event)
        ce_row = ce_of_hit[hit]
        ce_slab = Slab.of(ce_row, seg, len(ce_codes))
        ce_val = ce_slab.reduce(np.maximum, ce_row, seg, value, 0.0)
        ce_grp, ce_seg = ce_slab.cells()
        ce_company = np.zeros(len(ce_codes), dtype=np.int64)
        ce_company[ce_of_hit] = hits.company
        ge_codes, ge_of_ce = unique_inverse(ce_company * n_events + ce_codes % n_events)
        ge_row = ge_of_ce[ce_grp]
        ge_slab = Slab.of(ge_row, ce_seg, len(ge_codes))
        contrib = dep.decode(
            ge_slab.reduce(dep.ufunc, ge_row, ce_seg, dep.encode(ce_val), dep.identity)
        )
    g_grp, g_seg = ge_slab.cells()
    top = np.zeros(len(segs))
    np.maximum.at(top, g_seg, contrib)
    is_top = (contrib == top[g_seg]) & (contrib > 0)
    n_top = np.bincount(g_seg, weights=is_top, minlength=len(segs)).astype(np.int64)
    frac = np.where(is_top, 1.0 / np.maximum(n_top[g_seg], 1), 0.0)
    return CompanyTimeline(
        segments=segs,
        lost_share=np.where(segs.valid, lost, 0.0),
        own_units=own,
        group_company=ge_codes // n_events,
        group_event=ge_codes % n_events,
        cell_group=g_grp,
        cell_seg=g_seg,
        cell_frac=frac,
    )
