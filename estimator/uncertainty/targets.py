"""The uncertain inputs as targets (a column of a row) and their drawn values.

Each row of the uncertainty table becomes one target per row it names (``*``: every
row of the table, each with its own draw; for outages, every window of an outage shares
its outage's draw). Each target takes its values from a stream of quantiles in (0, 1);
rows sharing a ``group`` share one stream, so they move together. Stream ``s`` of a
simulation with seed ``S`` is ``numpy.random.default_rng([S, s])``: the same seed gives the
same draws on every machine, whatever the chunking. Values are the distribution's inverse
function at the quantile.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from estimator.inputs.scenario import Inputs
from estimator.inputs.uncertain_columns import EVERY_ROW, ID_COLUMN, UNCERTAIN
from pricing.distributions import DISTRIBUTIONS

Float = npt.NDArray[np.float64]
Int = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Targets:
    """Every uncertain cell, one per position."""

    table: list[str]
    row: Int
    """The row of the table (outages: the position of the outage id among the distinct ids)."""
    column: list[str]
    distribution: list[str]
    low: Float
    mode: Float
    high: Float
    source: Int
    """The quantile stream each target takes its values from."""
    item: Int
    """The uncertainty row it comes from (a tornado moves each row as one input)."""
    labels: list[str]
    """Each uncertainty row as a person reads it: ``outages aws-use1-2021-12-07 impact``."""

    def __len__(self) -> int:
        return len(self.row)

    @property
    def n_sources(self) -> int:
        return int(self.source.max()) + 1 if len(self.source) else 0


def outage_ids(inputs: Inputs) -> pd.Index:
    """The distinct outage ids, in order of first appearance (the rows of outage targets)."""
    ids: pd.Index = pd.Index(pd.unique(inputs.outages["outage_id"].to_numpy(object)))
    return ids


def targets(inputs: Inputs) -> Targets:
    u = inputs.uncertainty
    out: dict[str, list[object]] = {k: [] for k in ("table", "row", "column", "item", "key")}
    for position, rec in enumerate(u.to_dict(orient="records")):
        table, column = str(rec["table"]), str(rec["column"])
        rows = _rows_named(inputs, table, str(rec["id"]), UNCERTAIN[(table, column)].kind)
        group = rec["group"]
        for r in rows:
            out["table"].append(table)
            out["row"].append(r)
            out["column"].append(column)
            out["item"].append(position)
            out["key"].append(("g", str(group)) if isinstance(group, str) else ("t", position, r))
    _, source = np.unique(
        np.array([repr(k) for k in out["key"]], dtype=object), return_inverse=True
    )
    first_use = pd.unique(source)  # streams numbered in order of first use, not by name
    renumber = np.empty(len(first_use), dtype=np.int64)
    renumber[first_use] = np.arange(len(first_use))
    item = np.asarray(out["item"], dtype=np.int64)
    params = u[["low", "mode", "high"]].to_numpy(np.float64)
    return Targets(
        table=[str(x) for x in out["table"]],
        row=np.asarray(out["row"], dtype=np.int64),
        column=[str(x) for x in out["column"]],
        distribution=[str(u["distribution"].iloc[i]) for i in item],
        low=params[item, 0] if len(item) else np.zeros(0),
        mode=params[item, 1] if len(item) else np.zeros(0),
        high=params[item, 2] if len(item) else np.zeros(0),
        source=renumber[source] if len(item) else np.zeros(0, dtype=np.int64),
        item=item,
        labels=[f"{r['table']} {r['id']} {r['column']}" for r in u.to_dict(orient="records")],
    )


def _rows_named(inputs: Inputs, table: str, name: str, kind: str) -> list[int]:
    if table == "outages":
        ids = outage_ids(inputs)
        return list(range(len(ids))) if name == EVERY_ROW else [ids.tolist().index(name)]
    frame = getattr(inputs, table)
    match = (
        np.ones(len(frame), dtype=bool)
        if name == EVERY_ROW
        else (frame[ID_COLUMN[table]] == name).to_numpy()
    )
    if kind:
        match = match & (frame["kind"] == kind).to_numpy()
    return np.flatnonzero(match).tolist()


LOWEST_Q = 1e-12
"""Quantiles are drawn strictly inside (0, 1), in [LOWEST_Q, 1 - LOWEST_Q]: every inverse
function is finite there (a lognormal has no largest value)."""


def quantiles(t: Targets, first: int, stop: int, seed: int) -> Float:
    """(draws x sources) quantiles of draws ``first`` to ``stop - 1``: stream ``s`` is
    ``default_rng([seed, s])``, advanced to draw ``first`` (one step per draw), so a chunk
    of draws gets exactly the values a single run would."""
    out = np.empty((stop - first, t.n_sources))
    for s in range(t.n_sources):
        bits = np.random.PCG64([seed, s])  # what default_rng([seed, s]) uses
        bits.advance(first)
        draws = np.random.Generator(bits).random(stop - first)
        out[:, s] = draws * (1 - 2 * LOWEST_Q) + LOWEST_Q
    return out


def values_at(t: Targets, q: Float) -> Float:
    """(scenarios x targets) values: each target's distribution at its quantiles ``q``
    (scenarios x targets)."""
    out = np.empty_like(q)
    for name in set(t.distribution):
        mine = np.array([d == name for d in t.distribution])
        shape = q[:, mine].shape
        low, mode, high = (np.broadcast_to(a[mine], shape) for a in (t.low, t.mode, t.high))
        out[:, mine] = DISTRIBUTIONS[name].ppf(q[:, mine], low, mode, high)
    return out


def drawn(t: Targets, first: int, stop: int, seed: int) -> Float:
    """(draws x targets) values of draws ``first`` to ``stop - 1`` of a simulation."""
    return values_at(t, quantiles(t, first, stop, seed)[:, t.source])


def largest(t: Targets) -> Float:
    """The largest value each target can take (its value at the highest quantile drawn)."""
    top: Float = values_at(t, np.full((1, len(t)), 1 - LOWEST_Q))[0]
    return top


def centres(t: Targets) -> Float:
    """Each target held at its mode (or its median without one)."""
    out = np.empty(len(t))
    for name in set(t.distribution):
        mine = np.array([d == name for d in t.distribution])
        out[mine] = DISTRIBUTIONS[name].centre(t.low[mine], t.mode[mine], t.high[mine])
    return out
