"""``estimate()``: the engine's tables for one scenario, as ``Results``."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from estimator.engine.run import Progress, price
from estimator.inputs.scenario import Inputs
from estimator.results.results import Results


def estimate(
    inputs: Inputs,
    *,
    dependency_rule: str = "max",
    as_of: str | dt.datetime | pd.Timestamp | None = None,
    progress: Progress | None = None,
    policy_years: bool = False,
) -> Results:
    """Price every company's loss, the SLA credits both ways and insurance recoveries.

    Parameters
    ----------
    inputs
        Validated inputs (:func:`estimator.load_inputs` or ``Inputs.from_frames``).
    dependency_rule
        How a company's contracts combine into its lost share: ``"max"``
        (default) or ``"independent"`` (DESIGN §4.2).
    as_of
        The valuation time, with a UTC offset (default: now): nothing after it is
        counted. Windows are cut at it, ongoing ones (blank end) run to it, windows
        that start at or after it are left out; claim statuses are read on its date.
    progress
        Optional callback ``(stage, done, total)`` for long runs.
    policy_years
        Lay every insurance cover's policy period onto every year (risk runs, where each
        simulated year is a policy year: :mod:`pricing.policy_years`).
    """
    outcome = price(
        inputs,
        dependency_rule=dependency_rule,
        as_of=as_of,
        progress=progress,
        policy_years=policy_years,
    )
    return Results.of(outcome)
