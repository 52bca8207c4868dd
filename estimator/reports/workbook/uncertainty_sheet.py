"""The Uncertainty sheet of a simulation's workbook: settings and seed, the percentiles of
every measure per company, and the tornado data. The deterministic sheets stay as they are.

Excel compares sheet names without case, so the sheet is called ``Uncertainty results``:
``uncertainty`` is the input table's own sheet, written beside the other inputs so the
workbook can be read back as input."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from estimator.columns import label
from estimator.reports.excel import write_workbook
from estimator.reports.workbook.cells import Book, columns
from estimator.writers import writes

if TYPE_CHECKING:
    from estimator.uncertainty.simulation import Simulation

SHEET = "Uncertainty results"
MONEY = {"mean", "std", "sem", "p5", "p10", "p50", "p90", "p95", "at_centre", "at_p10", "at_p90"}
MONEY |= {"swing"}


@writes("simulation.workbook")
def simulation_workbook(sim: Simulation) -> bytes:
    """The deterministic workbook of the estimate at the input values, plus the sheet."""
    return write_workbook(sim.results, extra=[lambda book: uncertainty_sheet(book, sim)])


def uncertainty_sheet(b: Book, sim: Simulation) -> None:
    ws = b.book.add_worksheet(SHEET)
    ws.set_column(0, 0, 26)
    ws.set_column(1, 3, 24)
    ws.set_column(4, 13, 15)
    ws.write_string(0, 0, "Uncertainty: every figure as a distribution", b.f_title)
    settings: list[tuple[str, Any]] = [
        ("Draws", sim.n_draws),
        ("Seed (same seed, same draws)", sim.seed),
        ("Dependency rule", sim.dependency_rule),
        ("As of (UTC): the valuation time", f"{sim.as_of:%Y-%m-%d %H:%M:%S}"),
        (
            "How values are drawn",
            "each uncertain input's distribution at a quantile drawn from its own stream "
            "(numpy default_rng([seed, stream])); rows sharing a group share one stream; the "
            "uncertain inputs are on the uncertainty sheet",
        ),
        (
            "Percentiles",
            "over the draws, by linear interpolation; sem = standard deviation / sqrt(draws)",
        ),
        (
            "Tornado",
            "each uncertain input alone at its 10th and 90th percentile, every other at its "
            "mode (or median); swing = |at P90 - at P10|",
        ),
    ]
    for i, (key, value) in enumerate(settings, start=2):
        ws.write_string(i, 0, key, b.f_bold)
        b.put(ws, i, 1, value)
    row = len(settings) + 4
    row = _block(b, ws, row, "Percentiles per company and measure", _labelled(sim.quantiles))
    _block(b, ws, row + 2, "Tornado: what moves each measure most", _labelled(sim.sensitivity))


def _labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """The measure as a person reads it (Total loss, not total_loss)."""
    return frame.assign(measure=frame["measure"].map(label))


def _block(b: Book, ws: Any, top: int, title: str, frame: pd.DataFrame) -> int:
    """A titled table; money columns in each row's currency. Returns the next free row."""
    ws.write_string(top, 0, title, b.f_bold)
    names = list(frame.columns)
    for c, name in enumerate(names):
        ws.write_string(top + 1, c, label(name), b.f_head)
    for i, values in enumerate(columns(frame)):
        record = dict(zip(names, values, strict=True))
        money = b.money(str(record["currency"]))
        for c, name in enumerate(names):
            fmt = money if name in MONEY else (b.places(record[name], 6) if c > 3 else None)
            b.put(ws, top + 2 + i, c, record[name], fmt)
    return top + 2 + len(frame)
