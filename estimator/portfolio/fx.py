"""Exchange rates for portfolio figures: every company's currency converted to the reporting
currency with the ``fx_rates`` table (``rate`` = units of the reporting currency per unit);
the reporting currency itself has rate 1. A currency without a rate is an input error:
amounts in different currencies are never added raw."""

from __future__ import annotations

import pandas as pd

from estimator import errors as E
from estimator.errors import InputError, ValidationIssue
from estimator.inputs.scenario import Inputs


def rates_to(inputs: Inputs, reporting: str) -> dict[str, float]:
    """Each company currency's rate to ``reporting``."""
    given = dict(zip(inputs.fx_rates["currency"], inputs.fx_rates["rate"], strict=True))
    given[reporting] = 1.0
    needed = pd.unique(inputs.companies["currency"].astype(str))
    missing = [c for c in needed if c not in given]
    if missing:
        raise InputError(
            [
                ValidationIssue(
                    "fx_rates",
                    None,
                    "currency",
                    c,
                    E.MISSING_FX_RATE.format(currency=c, reporting=reporting),
                )
                for c in missing
            ]
        )
    return {c: float(given[c]) for c in needed}
