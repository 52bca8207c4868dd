"""Insurance recoveries (DESIGN §4.7): parametric and indemnity cloud-outage cover.

An insurance contract's episodes are the maximal continuous periods in which
the largest impact of the windows hitting it is at or above its
``downtime_threshold``. Of an episode of h hours, what lies after the first
``waiting_hours`` is covered:

* parametric: hourly_payout x max(0, h - waiting_hours), exact;
* indemnity: max(0, loss accrued in the covered time - deductible), where the
  loss is the company's total loss (lost revenue after recapture, plus outage
  costs) over that time.

Payouts are summed over the contract's episodes in date order and capped at
``limit``; the running total is rounded half-up to the minor unit and each
episode's payout is the step of the rounded running total, so the episodes add
up exactly to the capped, rounded total (and the limit is used up by the
earliest episodes first).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from pricing.intervals import Bool, Float, Int, expand, merge, segment
from pricing.money import round_half_up_float, round_half_up_ratio
from pricing.timeline import PPM


class Episodes(NamedTuple):
    """Insurance episodes, sorted by cover then start (UTC seconds)."""

    cover: Int
    start: Int
    end: Int


def episodes(*, group: Int, start: Int, end: Int, impact_ppm: Int, threshold_ppm: Int) -> Episodes:
    """The episodes of each group of windows (``cover`` = the group): the maximal continuous
    periods in which the largest impact is at or above the group's threshold."""
    group, start, end = (np.asarray(a, dtype=np.int64) for a in (group, start, end))
    if len(start) == 0:
        z = np.zeros(0, np.int64)
        return Episodes(z, z, z)
    segs, first, count = segment(group, start, end)
    who, seg = expand(first, count)
    imp = np.zeros(len(segs), dtype=np.int64)
    np.maximum.at(imp, seg, np.asarray(impact_ppm, dtype=np.int64)[who])
    out = np.flatnonzero(segs.valid & (imp > 0) & (imp >= threshold_ppm[segs.group]))
    _, run_group, run_start, run_end = merge(segs.group[out], segs.start[out], segs.end[out])
    return Episodes(run_group, run_start, run_end)


@dataclass(frozen=True)
class CoverTerms:
    """Per cover (indexed by cover code)."""

    parametric: Bool
    waiting_s: Int
    hourly_minor: Int
    deductible_minor: Int
    limit_minor: Int  # -1 = no limit
    places: Int


def covered_interval(episodes: Episodes, terms: CoverTerms) -> tuple[Int, Int]:
    """The covered part of each episode: after the waiting period (may be empty)."""
    begin = np.minimum(episodes.start + terms.waiting_s[episodes.cover], episodes.end)
    return begin, episodes.end


def payouts(episodes: Episodes, terms: CoverTerms, indemnity_loss: Float) -> pd.DataFrame:
    """Per episode: hours, covered hours and payout (minor units, after the limit).

    ``indemnity_loss``: the company's loss accrued in each episode's covered
    time (currency units, unrounded); ignored for parametric covers.
    """
    g = np.asarray(episodes.cover, dtype=np.int64)
    ep_start, ep_end = episodes.start, episodes.end
    begin, end = covered_interval(episodes, terms)
    covered_s = end - begin
    parametric = terms.parametric[g]
    # parametric, exact: hourly_minor * covered_s / 3600 (Python ints)
    p_num = terms.hourly_minor[g].astype(object) * covered_s.astype(object)
    # indemnity, estimated: loss in minor units less the deductible
    scale = np.power(10.0, terms.places[g])
    i_amt = np.maximum(
        0.0, np.asarray(indemnity_loss, np.float64) * scale - terms.deductible_minor[g]
    )
    first_of_group = np.ones(len(g), dtype=np.bool_)
    first_of_group[1:] = g[1:] != g[:-1]
    run_id = np.cumsum(first_of_group) - 1
    limit = terms.limit_minor[g]
    capped = limit >= 0

    p_cum = _group_cumsum(np.where(parametric, p_num, 0).astype(object), run_id)
    p_running = p_cum.astype(np.float64) / 3600
    p_cum = np.where(
        capped & (p_cum > limit.astype(object) * 3600), limit.astype(object) * 3600, p_cum
    )
    p_round = round_half_up_ratio(p_cum, 3600)

    i_cum = _group_cumsum(np.where(parametric, 0.0, i_amt), run_id)
    i_running = i_cum.copy()
    i_cum = np.where(capped, np.minimum(i_cum, limit.astype(np.float64)), i_cum)
    i_round = round_half_up_float(i_cum, 0)

    cum = np.where(parametric, p_round.astype(np.float64), i_round).astype(np.int64)
    prev = np.empty_like(cum)
    prev[0:1] = 0
    prev[1:] = cum[:-1]
    prev[first_of_group] = 0
    return pd.DataFrame(
        {
            "cover": g,
            "episode_start": np.asarray(ep_start, np.int64),
            "episode_end": np.asarray(ep_end, np.int64),
            "hours": (np.asarray(ep_end) - np.asarray(ep_start)) / 3600.0,
            "covered_hours": covered_s / 3600.0,
            "payout_minor": cum - prev,
            # the steps, in minor units, for an audit (the workbook shows them)
            "before_limit_minor": np.where(parametric, p_num.astype(np.float64) / 3600, i_amt),
            "running_minor": np.where(parametric, p_running, i_running),
            "capped_minor": np.where(parametric, p_cum.astype(np.float64) / 3600, i_cum),
            "rounded_minor": cum,
        }
    )


def _group_cumsum(values: npt.NDArray[Any], run_id: Int) -> npt.NDArray[Any]:
    """Cumulative sums restarting at each run (values sorted by run)."""
    total = np.cumsum(values)
    start = np.flatnonzero(np.r_[True, run_id[1:] != run_id[:-1]])
    before = np.r_[0, total[start[1:] - 1]] if len(start) else np.zeros(0)
    counts = np.diff(np.r_[start, len(values)])
    return total - np.repeat(before, counts)  # type: ignore[no-any-return]


__all__ = ["PPM", "CoverTerms", "Episodes", "covered_interval", "episodes", "payouts"]
