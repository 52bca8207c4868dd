"""Outage loss and SLA credit estimator: the public API.

>>> import estimator
>>> inputs = estimator.load_inputs("sample_data/aws-2021-12-07")
>>> results = estimator.estimate(inputs, as_of="2022-01-01T00:00:00Z")
>>> sorted(results.summary.columns)[:3]
['company_id', 'credits_payable', 'credits_receivable']
"""

import pandas as pd

from estimator import columns, display
from estimator.engine import estimate
from estimator.errors import InputError, ValidationIssue
from estimator.inputs import Inputs, input_columns, load_inputs, load_uploaded, read_tables
from estimator.results import Results
from estimator.version import VERSION
from pricing.catalog import load_catalog
from pricing.timeline import DEPENDENCY_RULES


def sla_catalog() -> pd.DataFrame:
    """The SLA catalog: one row per template version, every field (source, verified, ...)."""
    return load_catalog().frame()


def dependency_rules() -> dict[str, str]:
    """The dependency rules ``estimate`` accepts, with what each computes."""
    return {name: rule.description for name, rule in DEPENDENCY_RULES.items()}


__all__ = [
    "InputError",
    "Inputs",
    "Results",
    "ValidationIssue",
    "columns",
    "dependency_rules",
    "display",
    "estimate",
    "input_columns",
    "load_inputs",
    "load_uploaded",
    "read_tables",
    "sla_catalog",
]
__version__ = VERSION
