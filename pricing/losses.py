"""Lost revenue, recapture and outage costs (DESIGN §4.3).

rate(t) = revenue_per_hour x profile weight at the company's local hour of t.
Gross lost revenue = integral of rate(t) x L(t) dt, exact over the
piecewise-constant pieces: L(t) is constant on each elementary segment and the
weight integral comes from :class:`pricing.profiles.RevenueClock` in O(1).
Recaptured = gross x recapture_rate. Outage costs = outage_cost_per_hour x
hours with L(t) > 0. Total loss = gross - recaptured + costs.

Where events overlap for one company, each segment's loss goes to the event
with the largest contribution, split evenly on a tie (the attribution cells of
:class:`pricing.timeline.CompanyTimeline`).

Money is rounded once, half-up, to each company's minor unit, per line item;
total_loss is the exact sum of the rounded items.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from pricing.intervals import Float, Int, expand
from pricing.money import round_half_up_float
from pricing.profiles import RevenueClock
from pricing.timeline import CompanyTimeline

HOURS_PER_YEAR = 8760


def hourly_revenue(annual_revenue: Float, revenue_per_hour: Float) -> Float:
    """revenue_per_hour where given, else annual_revenue / 8760 (DESIGN §3.2)."""
    per_hour = np.asarray(revenue_per_hour, dtype=np.float64)
    annual = np.asarray(annual_revenue, dtype=np.float64)
    return np.asarray(
        np.where(np.isnan(per_hour), annual / HOURS_PER_YEAR, per_hour), dtype=np.float64
    )


@dataclass(frozen=True)
class CompanyRates:
    """Per-company figures indexed by company code."""

    revenue_per_hour: Float
    outage_cost_per_hour: Float
    recapture_rate: Float
    clock_combo: Int
    minor_unit: Int


def segment_losses(
    timeline: CompanyTimeline, rates: CompanyRates, clock: RevenueClock
) -> tuple[Float, Float, Float]:
    """Per segment: gross lost revenue, outage costs and impacted seconds (unrounded)."""
    segs = timeline.segments
    company = segs.group
    hit = (timeline.lost_share > 0) & segs.valid
    gross = np.zeros(len(segs))
    idx = np.flatnonzero(hit)
    weight_seconds = clock.integral(rates.clock_combo[company[idx]], segs.start[idx], segs.end[idx])
    gross[idx] = (
        rates.revenue_per_hour[company[idx]] * timeline.lost_share[idx] * weight_seconds / 3600.0
    )
    seconds = np.where(hit, segs.duration, 0).astype(np.float64)
    costs = rates.outage_cost_per_hour[company] * seconds / 3600.0
    return gross, costs, seconds


def event_losses(
    timeline: CompanyTimeline, rates: CompanyRates, clock: RevenueClock
) -> pd.DataFrame:
    """One row per (company, event) hit: impacted minutes and the money columns, rounded."""
    gross_seg, cost_seg, sec_seg = segment_losses(timeline, rates, clock)
    n = len(timeline.group_company)
    frac = timeline.cell_frac
    gross = np.zeros(n)
    costs = np.zeros(n)
    seconds = np.zeros(n)
    np.add.at(gross, timeline.cell_group, frac * gross_seg[timeline.cell_seg])
    np.add.at(costs, timeline.cell_group, frac * cost_seg[timeline.cell_seg])
    np.add.at(seconds, timeline.cell_group, frac * sec_seg[timeline.cell_seg])
    company = timeline.group_company
    places = rates.minor_unit[company]
    recaptured = gross * rates.recapture_rate[company]
    gross_r = round_half_up_float(gross, places)
    recaptured_r = round_half_up_float(recaptured, places)
    costs_r = round_half_up_float(costs, places)
    total = round_half_up_float(gross_r - recaptured_r + costs_r, places)  # exact sum
    return pd.DataFrame(
        {
            "company": company,
            "event": timeline.group_event,
            "impacted_minutes": seconds / 60.0,
            "gross_lost_revenue": gross_r,
            "recaptured_revenue": recaptured_r,
            "outage_costs": costs_r,
            "total_loss": total,
        },
        copy=False,  # fresh arrays: no copy
    )


class LossOver(NamedTuple):
    """A company's loss accrued in an interval, in its two parts (currency units, unrounded)."""

    revenue: Float
    """Lost revenue after recapture."""
    costs: Float
    """Outage costs."""


def loss_over(
    timeline: CompanyTimeline,
    rates: CompanyRates,
    clock: RevenueClock,
    *,
    company: Int,
    start: Int,
    end: Int,
) -> LossOver:
    """A company's loss accrued in ``[start, end)``: lost revenue after recapture, and outage
    costs (their sum is the total loss of §4.3).

    Unrounded; for intervals that need not align with segments (insurance cover).
    """
    segs = timeline.segments
    company = np.asarray(company, dtype=np.int64)
    start = np.asarray(start, dtype=np.int64)
    end = np.asarray(end, dtype=np.int64)
    revenue, costs = np.zeros(len(start)), np.zeros(len(start))
    if len(start) == 0 or len(segs) == 0:
        return LossOver(revenue, costs)
    k0 = segs.containing(company, start)
    k0 = np.where(
        (k0 >= 0) & (segs.group[np.maximum(k0, 0)] == company), k0, segs.locate(company, start)
    )
    k1 = segs.locate(company, end)
    count = np.maximum(k1 - k0, 0)
    owner, seg = expand(k0, count)
    ok = segs.valid[seg] & (segs.group[seg] == company[owner]) & (timeline.lost_share[seg] > 0)
    owner, seg = owner[ok], seg[ok]
    a = np.maximum(segs.start[seg], start[owner])
    b = np.minimum(segs.end[seg], end[owner])
    pos = b > a
    owner, seg, a, b = owner[pos], seg[pos], a[pos], b[pos]
    c = segs.group[seg]
    w = clock.integral(rates.clock_combo[c], a, b)
    lost = rates.revenue_per_hour[c] * timeline.lost_share[seg] * w / 3600.0
    np.add.at(revenue, owner, lost * (1.0 - rates.recapture_rate[c]))
    np.add.at(costs, owner, rates.outage_cost_per_hour[c] * (b - a) / 3600)
    return LossOver(revenue, costs)
