"""A slow, obvious reference implementation of DESIGN §4, written with plain loops.

It shares no code with the engine: local time comes from ``zoneinfo`` for each
15-minute piece (every time zone's offsets and changes fall on quarter hours
in UTC), impacts are evaluated piece by piece, and credits use ``Fraction``.
Tests compare the vectorised engine with it on random inputs.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

UTC = dt.UTC
QUARTER = 900


@dataclass
class Window:
    event: str
    provider: str
    region: str
    service: str
    start: int  # UTC seconds
    end: int
    impact: float


@dataclass
class Contract:
    contract_id: str
    company: str
    provider: str
    region: str
    service: str
    share: float
    failover_s: int | None = None
    failover_share: float = 1.0


@dataclass
class Company:
    company_id: str
    revenue_per_hour: float
    timezone: str = "UTC"
    weights: list[float] | None = None  # 168 normalised weights, Monday 00:00 first
    recapture: float = 0.0
    cost_per_hour: float = 0.0


def hits(w: Window, c: Contract) -> bool:
    return (
        w.provider == c.provider
        and (w.region == c.region or "*" in (w.region, c.region))
        and (w.service == c.service or "*" in (w.service, c.service))
    )


def episodes(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    runs: list[list[int]] = []
    for s, e in sorted(intervals):
        if runs and s <= runs[-1][1]:
            runs[-1][1] = max(runs[-1][1], e)
        else:
            runs.append([s, e])
    return [(a, b) for a, b in runs]


def weight_at(company: Company, t: int) -> float:
    if company.weights is None:
        return 1.0
    local = dt.datetime.fromtimestamp(t, tz=ZoneInfo(company.timezone))
    return company.weights[local.weekday() * 24 + local.hour]


def contract_impact(
    c: Contract, windows: list[Window], t: int, only_event: str | None = None
) -> tuple[float, int]:
    """(impact after failover, impact in exact units) of contract c at time t."""
    mine = [w for w in windows if hits(w, c)]
    active = [
        w for w in mine if w.start <= t < w.end and (only_event is None or w.event == only_event)
    ]
    if not active:
        return 0.0, 0
    imp = max(w.impact for w in active)
    ppm = max(round(w.impact * 1_000_000) for w in active)
    factor, keep_ppm = 1.0, 1_000_000
    if c.failover_s is not None:
        for a, b in episodes([(w.start, w.end) for w in mine]):
            if a <= t < b and t >= a + c.failover_s:
                factor = 1.0 - c.failover_share
                keep_ppm = 1_000_000 - round(c.failover_share * 1_000_000)
    return imp * factor, ppm * keep_ppm


def combine(values: list[float], rule: str) -> float:
    if not values:
        return 0.0
    if rule == "max":
        return max(values)
    prod = 1.0
    for v in values:
        prod *= 1.0 - v
    return 1.0 - prod


def breakpoints(windows: list[Window], contracts: list[Contract], lo: int, hi: int) -> list[int]:
    points = {lo, hi}
    for w in windows:
        points |= {w.start, w.end}
    for c in contracts:
        if c.failover_s is not None:
            mine = [w for w in windows if hits(w, c)]
            for a, _ in episodes([(w.start, w.end) for w in mine]):
                points.add(a + c.failover_s)
    t = lo - lo % QUARTER
    while t < hi:
        points.add(t)
        t += QUARTER
    return sorted(p for p in points if lo <= p <= hi)


def losses(
    companies: list[Company], contracts: list[Contract], windows: list[Window], rule: str = "max"
) -> dict[tuple[str, str], dict[str, float]]:
    """Per (company, event): impacted seconds, gross, recaptured, costs (unrounded)."""
    out: dict[tuple[str, str], dict[str, float]] = defaultdict(
        lambda: {"seconds": 0.0, "gross": 0.0, "recaptured": 0.0, "costs": 0.0}
    )
    for co in companies:
        mine = [c for c in contracts if c.company == co.company_id]
        relevant = [w for w in windows if any(hits(w, c) for c in mine)]
        if not relevant:
            continue
        events = sorted({w.event for w in relevant})
        for e in events:
            out[(co.company_id, e)]  # a row for every event that hits
        lo = min(w.start for w in relevant)
        hi = max(w.end for w in relevant)
        pts = breakpoints(relevant, mine, lo, hi)
        for a, b in itertools.pairwise(pts):
            share = combine([c.share * contract_impact(c, relevant, a)[0] for c in mine], rule)
            if share <= 0:
                continue
            gross = co.revenue_per_hour * share * weight_at(co, a) * (b - a) / 3600
            contrib = {
                e: combine([c.share * contract_impact(c, relevant, a, e)[0] for c in mine], rule)
                for e in events
            }
            top = max(contrib.values())
            winners = [e for e, v in contrib.items() if v == top and v > 0]
            for e in winners:
                row = out[(co.company_id, e)]
                row["seconds"] += (b - a) / len(winners)
                row["gross"] += gross / len(winners)
                row["recaptured"] += gross * co.recapture / len(winners)
                row["costs"] += co.cost_per_hour * (b - a) / 3600 / len(winners)
    return dict(out)


def own_impact_units(co: Company, contracts: list[Contract], windows: list[Window], t: int) -> int:
    carriers = [c for c in contracts if c.company == co.company_id and c.share > 0]
    return max((contract_impact(c, windows, t)[1] for c in carriers), default=0)


# --- credits ---------------------------------------------------------------------------


def month_bounds(t: int) -> tuple[int, int]:
    d = dt.datetime.fromtimestamp(t, tz=UTC)
    first = dt.datetime(d.year, d.month, 1, tzinfo=UTC)
    nxt = dt.datetime(d.year + (d.month == 12), d.month % 12 + 1, 1, tzinfo=UTC)
    return int(first.timestamp()), int(nxt.timestamp())


def monthly_downtime(
    impact_at,
    excluded_at,
    lo: int,
    hi: int,
    *,
    threshold_units: int,
    error_metric: bool,
    min_period: int,
) -> dict[int, tuple[int, int]]:
    """month start -> (seconds in month, measured downtime in units of 1e-12 seconds).

    ``impact_at(t)`` gives the exact impact units at t; ``excluded_at(t)`` says
    whether t is excluded. Walks second by second.
    """
    down = [False] * (hi - lo)
    err = [0] * (hi - lo)
    for i, t in enumerate(range(lo, hi)):
        u = impact_at(t)
        if u > 0 and not excluded_at(t):
            err[i] = u
            down[i] = u >= threshold_units
    # minimum period: drop runs shorter than it
    i = 0
    while i < len(down):
        if down[i]:
            j = i
            while j < len(down) and down[j]:
                j += 1
            if j - i < min_period:
                for k in range(i, j):
                    down[k] = False
            i = j
        else:
            i += 1
    result: dict[int, tuple[int, int]] = {}
    for i, t in enumerate(range(lo, hi)):
        m0, m1 = month_bounds(t)
        total = result.get(m0, (m1 - m0, 0))
        add = err[i] if error_metric else (10**12 if down[i] else 0)
        result[m0] = (total[0], total[1] + add)
    return result


def credit(
    seconds_in_month: int,
    measured_units: int,
    tiers: list[tuple[str, str]],
    fee: str,
    cap_pct: str | None = "100",
    min_credit: str | None = None,
    min_exclusive: bool = False,
    places: int = 2,
) -> tuple[Fraction, Decimal]:
    """(credit %, credit amount) with Fractions and Decimal, from the words of DESIGN §4.5."""
    uptime = (
        100 * (Fraction(seconds_in_month * 10**12) - measured_units) / (seconds_in_month * 10**12)
    )
    pct = Fraction(0)
    for bound, c in tiers:
        if uptime < Fraction(Decimal(bound)) and Fraction(Decimal(c)) > pct:
            pct = Fraction(Decimal(c))
    amount = Fraction(Decimal(fee)) * pct / 100
    if cap_pct is not None:
        amount = min(amount, Fraction(Decimal(fee)) * Fraction(Decimal(cap_pct)) / 100)
    value = Decimal(amount.numerator) / Decimal(amount.denominator)
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if min_credit is not None:
        m = Decimal(min_credit)
        if (min_exclusive and rounded <= m) or (not min_exclusive and rounded < m):
            rounded = Decimal(0).quantize(Decimal(1).scaleb(-places))
    return pct, rounded


# --- insurance ----------------------------------------------------------------------------


def loss_between(
    co: Company, contracts: list[Contract], windows: list[Window], a: int, b: int, rule: str = "max"
) -> float:
    """The company's loss (after recapture, plus costs) accrued in [a, b)."""
    mine = [c for c in contracts if c.company == co.company_id]
    pts = [p for p in breakpoints(windows, mine, a, b) if a <= p <= b]
    total = 0.0
    for s, e in itertools.pairwise(pts):
        share = combine([c.share * contract_impact(c, windows, s)[0] for c in mine], rule)
        if share > 0:
            lost = co.revenue_per_hour * share * weight_at(co, s) * (e - s) / 3600
            total += lost * (1 - co.recapture) + co.cost_per_hour * (e - s) / 3600
    return total


def cover_episodes(
    cover: Contract, windows: list[Window], threshold: float
) -> list[tuple[int, int]]:
    """Maximal periods where the largest impact of the windows hitting the cover >= threshold."""
    mine = [w for w in windows if hits(w, cover)]
    points = sorted({p for w in mine for p in (w.start, w.end)})
    runs: list[list[int]] = []
    for s, e in itertools.pairwise(points):
        imp = max((w.impact for w in mine if w.start <= s < w.end), default=0.0)
        if imp > 0 and round(imp * 1e6) >= round(threshold * 1e6):
            if runs and runs[-1][1] == s:
                runs[-1][1] = e
            else:
                runs.append([s, e])
    return [(a, b) for a, b in runs]


def insurance_payouts(
    episodes_: list[tuple[int, int]],
    *,
    waiting_h: float,
    parametric: bool,
    hourly: str = "0",
    deductible: str = "0",
    limit: str | None = None,
    loss_in: Callable[[int, int], float] | None = None,
    share: str = "1",
    occurrence: str | None = None,
    inception: int | None = None,
    expiry: int | None = None,
) -> list[Decimal]:
    """Payout per episode: episodes starting outside [inception, expiry) pay nothing; each
    amount times the share, at most the occurrence limit; the aggregate limit used up in
    date order; the running total rounded."""
    paid: list[Decimal] = []
    running = Fraction(0)
    prev_rounded = Decimal(0)
    for a, b in episodes_:
        covered_from = min(a + round(waiting_h * 3600), b)
        if parametric:
            amount = Fraction(Decimal(hourly)) * Fraction(b - covered_from, 3600)
        else:
            assert loss_in is not None
            loss = Fraction(Decimal(repr(loss_in(covered_from, b))))
            amount = max(Fraction(0), loss - Fraction(Decimal(deductible)))
        amount *= Fraction(Decimal(share))
        if occurrence is not None:
            amount = min(amount, Fraction(Decimal(occurrence)))
        if (inception is not None and a < inception) or (expiry is not None and a >= expiry):
            amount = Fraction(0)
        running += amount
        capped = running if limit is None else min(running, Fraction(Decimal(limit)))
        value = Decimal(capped.numerator) / Decimal(capped.denominator)
        rounded = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        paid.append(rounded - prev_rounded)
        prev_rounded = rounded
    return paid
