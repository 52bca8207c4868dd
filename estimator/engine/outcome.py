"""``Outcome``: the tables one estimate gives, as the engine hands them to ``results/``.

The public :class:`estimator.Results` is this with the methods that read and write it
(claims, review, totals, workbook, JSON); its docstring describes every field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from estimator.inputs.scenario import Inputs


@dataclass
class Outcome:
    """Every table of one estimate (see :class:`estimator.Results` for each field)."""

    losses: pd.DataFrame
    credits: pd.DataFrame
    recoveries: pd.DataFrame
    summary: pd.DataFrame
    terms: pd.DataFrame
    tiers: pd.DataFrame
    credit_steps: pd.DataFrame
    recovery_steps: pd.DataFrame
    lost_share: pd.DataFrame
    inputs: Inputs
    as_of: pd.Timestamp
    dependency_rule: str
    windows: pd.DataFrame = field(default_factory=pd.DataFrame)
    ongoing: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
