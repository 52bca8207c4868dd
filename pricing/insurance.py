"""Insurance recoveries (DESIGN §4.7, issue 15): parametric and indemnity cloud-outage
cover, as policies are written.

An insurance contract's episodes are the maximal continuous periods in which the largest
impact of the windows hitting it is at or above its ``downtime_threshold``. An episode is
covered when it starts inside the policy period (``inception`` <= start < ``expiry``; in a
risk run the period is laid onto every simulated year, :mod:`pricing.policy_years`); of
its h hours, what lies after the first ``waiting_hours`` is covered. Each covered episode's
payout, in this order:

1. parametric: hourly_payout x covered hours (exact). Indemnity: the covered loss on the
   cover's basis (``revenue``: lost revenue after recapture plus outage costs in the covered
   time; ``gross_profit``: that lost revenue x the company's gross margin, plus the outage
   costs), less the other recoveries deducted (SLA credits for the same loss), less the
   deductible, at least zero;
2. times the insurer's ``share``;
3. at most the ``occurrence_limit``;
4. the episodes of the policy, in date order, are summed and the running total is capped at
   the aggregate ``limit``; the capped running total is rounded half-up to the minor unit
   (once) and each episode's payout is its step, so the payouts add up exactly to the
   rounded total and the limit is used up by the earliest episodes first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from pricing.intervals import Bool, Float, Int, expand, merge, segment
from pricing.money import round_half_up_float, round_half_up_ratio
from pricing.policy_years import in_recurring_period
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


NO_TIME_LOW = np.iinfo(np.int64).min
NO_TIME_HIGH = np.iinfo(np.int64).max
SHARE_UNIT = 1_000_000
"""The insurer's share is held in millionths (exact: at most 6 decimals are accepted)."""
BOUND_OCCURRENCE, BOUND_AGGREGATE = 1, 2
"""Bits of ``limit_bound``: which limits reduced an episode's payout."""


@dataclass(frozen=True)
class CoverTerms:
    """Per cover (indexed by cover code)."""

    parametric: Bool
    waiting_s: Int
    hourly_minor: Int
    deductible_minor: Int
    limit_minor: Int  # the aggregate limit; -1 = none
    places: Int
    occurrence_minor: Int  # -1 = none
    inception_s: Int  # NO_TIME_LOW = no inception
    expiry_s: Int  # NO_TIME_HIGH = no expiry
    share_ppm: Int  # the insurer's share, in millionths
    gross_profit: Bool  # indemnity on the gross-profit basis
    margin: Float  # the company's gross margin (NaN when it has none)
    deduct: Bool  # indemnity less the other recoveries (SLA credits) for the same loss
    recurs: Bool  # the period is laid onto every year (risk runs, pricing.policy_years)


def covered_interval(episodes: Episodes, terms: CoverTerms) -> tuple[Int, Int]:
    """The covered part of each episode: after the waiting period (may be empty)."""
    begin = np.minimum(episodes.start + terms.waiting_s[episodes.cover], episodes.end)
    return begin, episodes.end


def in_period(episodes: Episodes, terms: CoverTerms) -> Bool:
    """Whether each episode starts inside its cover's policy period (for a cover whose period
    recurs, the period laid onto the episode's year)."""
    g = np.asarray(episodes.cover, dtype=np.int64)
    start = np.asarray(episodes.start, dtype=np.int64)
    inside = (start >= terms.inception_s[g]) & (start < terms.expiry_s[g])
    yearly = np.flatnonzero(terms.recurs[g])
    if len(yearly):
        inside[yearly] = in_recurring_period(
            start[yearly], terms.inception_s[g[yearly]], terms.expiry_s[g[yearly]]
        )
    return np.asarray(inside, dtype=bool)


def basis_loss(episodes: Episodes, terms: CoverTerms, *, revenue: Float, costs: Float) -> Float:
    """Each episode's covered loss on its cover's basis (currency units, unrounded; NaN for
    parametric covers). ``revenue``: lost revenue after recapture in the covered time;
    ``costs``: outage costs in it."""
    g = episodes.cover
    margin = np.where(terms.gross_profit[g], terms.margin[g], 1.0)
    loss = np.asarray(revenue, np.float64) * margin + np.asarray(costs, np.float64)
    return np.asarray(np.where(terms.parametric[g], np.nan, loss), dtype=np.float64)


def pro_rata(*, owner: Int, member: Int, amount: Float, weight: Float, size: int) -> Float:
    """Each owner's ``amount`` spread over its members in proportion to their ``weight``
    (links ``owner[i] -> member[i]``); returns the total each member receives (``size``
    members). An owner whose members weigh nothing spreads nothing."""
    owner, member = np.asarray(owner, np.int64), np.asarray(member, np.int64)
    out = np.zeros(size)
    if len(owner) == 0:
        return out
    w = np.asarray(weight, np.float64)[member]
    total = np.zeros(int(owner.max()) + 1)
    np.add.at(total, owner, w)
    with np.errstate(invalid="ignore", divide="ignore"):
        part = np.where(
            total[owner] > 0, np.asarray(amount, np.float64)[owner] * w / total[owner], 0
        )
    np.add.at(out, member, part)
    return out


def payouts(
    episodes: Episodes, terms: CoverTerms, *, basis: Float, deducted: Float
) -> pd.DataFrame:
    """Per episode: hours, covered hours, whether it is in the policy period, which limits
    bound, the payout (minor units) and the steps behind it (minor units, for an audit).

    ``basis``: the covered loss on the cover's basis (:func:`basis_loss`); ``deducted``:
    the other recoveries deducted from it (currency units). Both ignored for parametric.
    """
    g = np.asarray(episodes.cover, dtype=np.int64)
    begin, end = covered_interval(episodes, terms)
    covered_s = end - begin
    parametric = terms.parametric[g]
    inside = in_period(episodes, terms)
    run_id, first_of_run = _runs(g)
    exact = _parametric(g, covered_s, terms, inside & parametric, run_id)
    scale = np.power(10.0, terms.places[g])
    net = np.nan_to_num(basis) - np.where(terms.deduct[g], np.nan_to_num(deducted), 0.0)
    indemnity = np.maximum(0.0, net * scale - terms.deductible_minor[g])
    estimated = _indemnity(g, indemnity, terms, inside & ~parametric, run_id)
    steps = {
        name: np.where(parametric, exact[name], estimated[name])
        for name in ("before_limit_minor", "occurrence_minor", "running_minor", "capped_minor")
    }
    rounded = np.where(parametric, exact["rounded"], estimated["rounded"]).astype(np.int64)
    prev = np.r_[0, rounded[:-1]] if len(rounded) else rounded
    prev = np.where(first_of_run, 0, prev)
    step_occ = steps["occurrence_minor"]
    capped_before = np.where(first_of_run, 0.0, np.r_[0.0, steps["capped_minor"][:-1]])
    aggregate = steps["capped_minor"] - capped_before < step_occ - 1e-9
    bound = np.where(steps["before_limit_minor"] > step_occ + 1e-9, BOUND_OCCURRENCE, 0)
    bound = bound | np.where(aggregate, BOUND_AGGREGATE, 0)
    return pd.DataFrame(
        {
            "cover": g,
            "episode_start": np.asarray(episodes.start, np.int64),
            "episode_end": np.asarray(episodes.end, np.int64),
            "hours": (np.asarray(episodes.end) - np.asarray(episodes.start)) / 3600.0,
            "covered_hours": covered_s / 3600.0,
            "in_period": inside,
            "limit_bound": bound.astype(np.int8),
            "payout_minor": rounded - prev,
            **steps,
            "rounded_minor": rounded,
        }
    )


def _runs(g: Int) -> tuple[Int, Bool]:
    """Each episode's run (its cover's episodes, in order) and whether it opens the run."""
    first = np.ones(len(g), dtype=np.bool_)
    first[1:] = g[1:] != g[:-1]
    return np.cumsum(first) - 1, first


def _parametric(
    g: Int, covered_s: Int, terms: CoverTerms, paid: Bool, run_id: Int
) -> dict[str, npt.NDArray[Any]]:
    """Exact: amounts in units of 1 / (3600 x SHARE_UNIT) of the minor unit. A cover's
    episodes are computed in int64 when its amounts' sum (which bounds its running total),
    doubled for the rounding, is known to fit, else as Python ints; both give the same
    integers."""
    amounts = (
        terms.hourly_minor[g].astype(np.float64)
        * covered_s.astype(np.float64)
        * terms.share_ppm[g].astype(np.float64)
    )
    run_sum = np.bincount(run_id, weights=np.where(paid, amounts, 0.0))
    small = (2 * run_sum + 4 * _DEN < _FITS / 2)[run_id]  # a factor-of-two margin on floats
    out = {name: np.zeros(len(g)) for name in _EXACT_STEPS}
    for rows, kind in ((small, np.int64), (~small, object)):
        if rows.any():
            part = _exact(g[rows], covered_s[rows], terms, paid[rows], run_id[rows], kind)
            for name in _EXACT_STEPS:
                out[name][rows] = part[name]
    return out


_DEN = 3600 * SHARE_UNIT
_FITS = 2**62
_EXACT_STEPS = (
    "before_limit_minor",
    "occurrence_minor",
    "running_minor",
    "capped_minor",
    "rounded",
)


def _exact(
    g: Int, covered_s: Int, terms: CoverTerms, paid: Bool, run_id: Int, kind: type
) -> dict[str, Float]:
    """The steps of :func:`_parametric` for whole runs, in ``kind`` (np.int64 or object). In
    int64 a limit beyond the range is held as ``_FITS``: above every running total, so the
    minimum is the same."""

    def scaled(minor: Int) -> npt.NDArray[Any]:
        if kind is np.int64:
            return np.minimum(minor, _FITS // _DEN) * _DEN
        return minor.astype(object) * _DEN

    amount: npt.NDArray[Any] = (
        terms.hourly_minor[g].astype(kind)
        * covered_s.astype(kind)
        * terms.share_ppm[g].astype(kind)
    )
    amount = np.where(paid, amount, 0).astype(kind)
    occ = scaled(terms.occurrence_minor[g])
    after_occ = np.where(terms.occurrence_minor[g] >= 0, np.minimum(amount, occ), amount)
    running = _group_cumsum(after_occ.astype(kind), run_id)
    cap = scaled(terms.limit_minor[g])
    capped: npt.NDArray[Any] = np.where(
        terms.limit_minor[g] >= 0, np.minimum(running, cap), running
    ).astype(kind)
    if kind is np.int64:
        rounded = (2 * capped + _DEN) // (2 * _DEN)
    else:
        rounded = round_half_up_ratio(capped, _DEN)
    return {
        "before_limit_minor": amount.astype(np.float64) / _DEN,
        "occurrence_minor": after_occ.astype(np.float64) / _DEN,
        "running_minor": running.astype(np.float64) / _DEN,
        "capped_minor": capped.astype(np.float64) / _DEN,
        "rounded": rounded.astype(np.float64),
    }


def _indemnity(
    g: Int, amount: Float, terms: CoverTerms, paid: Bool, run_id: Int
) -> dict[str, Float]:
    """Estimated (float, minor units): share, occurrence limit, running total, aggregate."""
    shared = np.where(paid, amount * terms.share_ppm[g] / SHARE_UNIT, 0.0)
    occ = terms.occurrence_minor[g]
    after_occ = np.where(occ >= 0, np.minimum(shared, occ.astype(np.float64)), shared)
    running = _group_cumsum(after_occ, run_id).astype(np.float64)
    limit = terms.limit_minor[g]
    capped = np.where(limit >= 0, np.minimum(running, limit.astype(np.float64)), running)
    return {
        "before_limit_minor": shared,
        "occurrence_minor": after_occ,
        "running_minor": running,
        "capped_minor": capped,
        "rounded": round_half_up_float(capped, 0),
    }


def _group_cumsum(values: npt.NDArray[Any], run_id: Int) -> npt.NDArray[Any]:
    """Cumulative sums restarting at each run (values sorted by run)."""
    total = np.cumsum(values)
    start = np.flatnonzero(np.r_[True, run_id[1:] != run_id[:-1]])
    before = np.r_[0, total[start[1:] - 1]] if len(start) else np.zeros(0)
    counts = np.diff(np.r_[start, len(values)])
    return total - np.repeat(before, counts)  # type: ignore[no-any-return]


__all__ = [
    "PPM",
    "CoverTerms",
    "Episodes",
    "basis_loss",
    "covered_interval",
    "episodes",
    "in_period",
    "payouts",
    "pro_rata",
]
