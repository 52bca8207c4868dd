"""``simulate()``: every figure as a distribution, and which uncertain input matters most.

Draws go through the vectorised engine as replicated scenarios, in chunks of draws
(``estimator.uncertainty.replicate``), so every draw is priced with the exact rules of ``estimate()``:
tiers, credits, caps, minimums, insurance terms. Memory is bounded by the chunk, not by the
number of draws.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from estimator.engine.known_matches import Matches, matches_of, tiled
from estimator.engine.lineage import Lineage, tiled_lineage
from estimator.engine.totals import check_engine, price_totals
from estimator.inputs.scenario import Inputs
from estimator.inputs.valuation import as_of_time
from estimator.results.estimate import estimate
from estimator.results.results import Results
from estimator.table_columns import SUMMARY_MONEY
from estimator.uncertainty.draw_statistics import draws_table, quantiles
from estimator.uncertainty.replicate import replicate
from estimator.uncertainty.targets import Targets, centres, drawn, largest, targets, values_at
from estimator.writers import WritesJson, WritesWorkbook
from pricing.distributions import DISTRIBUTIONS

Float = npt.NDArray[np.float64]
Progress = Callable[[str, int, int], None]
MEASURES = [*SUMMARY_MONEY]
"""total_loss, credits_receivable, credits_payable, insurance_recoveries, net_impact."""
CHUNK_ROWS = 150_000
"""Companies and contracts priced at once (a chunk of draws is replicated up to this)."""
SENSITIVITY_COLUMNS = [
    "company_id",
    "currency",
    "measure",
    "input",
    "at_centre",
    "input_p10",
    "input_p90",
    "at_p10",
    "at_p90",
    "swing",
]


@dataclass
class Simulation(WritesWorkbook, WritesJson):
    """The outcome of :func:`simulate`.

    * ``draws``: one row per draw and company: the summary's money columns.
    * ``quantiles``: per company, currency and measure: mean, standard deviation, standard
      error of the mean, and the 5th, 10th, 50th, 90th and 95th percentiles.
    * ``sensitivity``: per company and measure, each uncertain input moved alone to its own
      10th and 90th percentile with every other at its mode (or median): the measure at
      each end and the swing between them, largest swing first (a tornado).
    * ``results``: the deterministic estimate at the input values.
    * ``timings``: seconds spent pricing the draws and the tornado.
    """

    writer_kind: ClassVar[str] = "simulation"

    draws: pd.DataFrame
    quantiles: pd.DataFrame
    sensitivity: pd.DataFrame
    results: Results
    n_draws: int
    seed: int
    dependency_rule: str
    as_of: pd.Timestamp
    timings: dict[str, float] = field(default_factory=dict)


def simulate(
    inputs: Inputs,
    *,
    draws: int = 10_000,
    seed: int = 0,
    dependency_rule: str = "max",
    as_of: str | dt.datetime | pd.Timestamp | None = None,
    progress: Progress | None = None,
    engine: str = "totals",
) -> Simulation:
    """Draw every uncertain input (``inputs.uncertainty``) ``draws`` times and price each draw.

    ``as_of`` is the valuation time as in :func:`estimate`; by default it is the latest end
    of any drawn window (at least now), so drawn durations count in full. ``engine``: each
    draw is priced by the engine's totals path (``"totals"``, the default) or by building
    every table of :func:`estimate` and summing it (``"full"``); both give the same numbers.
    """
    if draws < 1:
        raise ValueError("draws must be 1 or more")
    check_engine(engine)
    t = targets(inputs)
    when = _valuation(inputs, t, as_of)
    base = estimate(inputs, dependency_rule=dependency_rule, as_of=when)
    clock = time.perf_counter()

    def chunk(first: int, stop: int) -> Float:
        return drawn(t, first, stop, seed)

    how = _How(dependency_rule, when, engine)
    per_draw = _price(inputs, t, (draws, chunk), how, progress, "draws")
    timings = {"draws_seconds": time.perf_counter() - clock}
    clock = time.perf_counter()
    sensitivity = _sensitivity(inputs, t, how, progress)
    timings["sensitivity_seconds"] = time.perf_counter() - clock
    return Simulation(
        draws=draws_table(inputs.companies, MEASURES, per_draw),
        quantiles=quantiles(inputs.companies, MEASURES, per_draw),
        sensitivity=sensitivity,
        results=base,
        n_draws=draws,
        seed=seed,
        dependency_rule=dependency_rule,
        as_of=when,
        timings=timings,
    )


def _valuation(
    inputs: Inputs, t: Targets, as_of: str | dt.datetime | pd.Timestamp | None
) -> pd.Timestamp:
    """``as_of`` as given; by default now, or later if a drawn duration could end later
    (the latest start plus the largest duration any draw can take), so no draw is cut."""
    if as_of is not None:
        return as_of_time(as_of)
    now = as_of_time(None)
    out = inputs.outages
    latest = out["end"].max() if out["end"].notna().any() else now
    hours = np.array([c == "duration_hours" for c in t.column], dtype=bool)
    if hours.any():
        longest = float(largest(t)[hours].max()) * 3600
        latest = max(latest, out["start"].max() + pd.Timedelta(seconds=int(np.ceil(longest))))
    return max(now, pd.Timestamp(latest).ceil("s"))


class _How(NamedTuple):
    rule: str
    as_of: pd.Timestamp
    engine: str


def _money(many: Inputs, how: _How, known: tuple[Matches, Lineage]) -> Float:
    """(companies x measures) summary money of a replicated scenario, by either path (the
    totals path takes the draws' matches and lineage instead of reading their text again)."""
    if how.engine == "full":
        summary = estimate(many, dependency_rule=how.rule, as_of=how.as_of).summary
        out: Float = summary[MEASURES].to_numpy(np.float64)
        return out
    matches, lineage = known
    money = price_totals(
        many, dependency_rule=how.rule, as_of=how.as_of, matches=matches, lineage=lineage
    ).money
    return np.column_stack([money[m] for m in MEASURES]).reshape(len(many.companies), len(MEASURES))


def _price(
    inputs: Inputs,
    t: Targets,
    scenarios: tuple[int, Callable[[int, int], Float]],
    how: _How,
    progress: Progress | None,
    stage: str,
) -> Float:
    """(measures x scenarios x companies) summary money of each scenario. ``scenarios`` is
    their number and a function giving the values of scenarios ``a`` to ``b - 1``, called
    once per chunk, so only one chunk's values and copies are in memory at a time."""
    n_rows = max(1, len(inputs.companies) + len(inputs.contracts) + len(inputs.outages))
    chunk = max(1, CHUNK_ROWS // n_rows)
    n, values_of = scenarios
    c, m = len(inputs.companies), len(MEASURES)
    out = np.empty((m, n, c))
    base = matches_of(inputs)
    for a in range(0, n, chunk):
        b = min(n, a + chunk)
        many = replicate(inputs, t, values_of(a, b), how.as_of)
        known = (
            tiled(base, b - a, len(inputs.outages), len(inputs.contracts)),
            tiled_lineage(inputs, b - a),
        )
        out[:, a:b] = _money(many, how, known).reshape(b - a, c, m).transpose(2, 0, 1)
        if progress:
            progress(stage, b, n)
    return out


def _sensitivity(inputs: Inputs, t: Targets, how: _How, progress: Progress | None) -> pd.DataFrame:
    """Each uncertainty row (an input) alone at its P10 and its P90, the others at centre."""
    items = sorted(set(t.item.tolist()))
    centre = centres(t)
    scenarios = np.tile(centre, (1 + 2 * len(items), 1))
    ends: list[tuple[float, float]] = []
    for k, item in enumerate(items):
        mine = t.item == item
        for s, q in ((1 + 2 * k, 0.1), (2 + 2 * k, 0.9)):
            at = np.full((1, len(t)), q)
            scenarios[s, mine] = values_at(t, at)[0, mine]
        first = int(np.flatnonzero(mine)[0])
        ends.append((float(scenarios[1 + 2 * k, first]), float(scenarios[2 + 2 * k, first])))
    priced = _price(
        inputs, t, (len(scenarios), lambda a, b: scenarios[a:b]), how, progress, "sensitivity",
    )  # fmt: skip
    c, m, k = len(inputs.companies), len(MEASURES), len(items)
    low = priced[:, 1::2].transpose(2, 0, 1)  # companies x measures x inputs
    high = priced[:, 2::2].transpose(2, 0, 1)
    co = inputs.companies
    frame = pd.DataFrame(
        {
            "company_id": np.repeat(co["company_id"].to_numpy(object), m * k),
            "currency": np.repeat(co["currency"].to_numpy(object), m * k),
            "measure": np.tile(np.repeat(np.array(MEASURES, dtype=object), k), c),
            "input": np.tile(np.array([t.labels[i] for i in items], dtype=object), c * m),
            "at_centre": np.repeat(priced[:, 0].T.ravel(), k),
            "input_p10": np.tile(np.array([e[0] for e in ends]), c * m),
            "input_p90": np.tile(np.array([e[1] for e in ends]), c * m),
            "at_p10": low.ravel(),
            "at_p90": high.ravel(),
            "swing": np.abs(high - low).ravel(),
        },
        columns=SENSITIVITY_COLUMNS,
    ).astype({"company_id": "str", "currency": "str", "measure": "str", "input": "str"})
    block = np.repeat(np.arange(c * m), k)  # companies in input order, then measures
    order = np.lexsort((-frame["swing"].to_numpy(), block))
    return frame.iloc[order].reset_index(drop=True)


__all__ = ["DISTRIBUTIONS", "MEASURES", "Simulation", "simulate"]
