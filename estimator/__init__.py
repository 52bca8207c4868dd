"""Outage loss and SLA credit estimator: the public API.

>>> import estimator
>>> inputs = estimator.load_inputs("sample_data/aws-2021-12-07")
>>> results = estimator.estimate(inputs, as_of="2022-01-01T00:00:00Z")
>>> sorted(results.summary.columns)[:3]
['company_id', 'credits_payable', 'credits_receivable']
"""

from pathlib import Path

import pandas as pd

from estimator import columns, display, table_columns
from estimator import reports as _reports  # noqa: F401  (the writers register: estimator/writers.py)
from estimator.errors import InputError, LibraryError, ValidationIssue
from estimator.inputs.event_files import BUNDLED_CATALOG
from estimator.inputs.scenario import Inputs, input_columns, load_inputs, load_uploaded, read_tables
from estimator.inputs.uncertain_columns import UNCERTAIN
from estimator.inputs.what_if import what_if
from estimator.library import Library
from estimator.portfolio import RiskResults, load_events, load_outages, risk, stochastic_events
from estimator.results.compare import Comparison, compare
from estimator.results.estimate import estimate
from estimator.results.results import Results
from estimator.sources.billing import BillingExport, read_billing, read_export
from estimator.sources.incidents import read_incidents
from estimator.sources.monitoring import read_monitoring
from estimator.uncertainty.presets import QUESTIONS, suggested_ranges
from estimator.uncertainty.simulation import Simulation, simulate
from estimator.version import VERSION
from pricing.catalog import load_catalog
from pricing.distributions import DISTRIBUTIONS
from pricing.timeline import DEPENDENCY_RULES


def sla_catalog() -> pd.DataFrame:
    """The SLA catalog: one row per template version, every field (source, verified, ...)."""
    return load_catalog().frame()


def dependency_rules() -> dict[str, str]:
    """The dependency rules ``estimate`` accepts, with what each computes."""
    return {name: rule.description for name, rule in DEPENDENCY_RULES.items()}


def uncertain_inputs() -> pd.DataFrame:
    """The input columns the uncertainty table may draw, with the range a drawn value keeps."""
    return pd.DataFrame(
        [
            {
                "table": u.table,
                "column": u.column,
                "lowest": u.low,
                "lowest_excluded": u.low_open,
                "highest": u.high,
                "contract_kind": u.kind,
                "meaning": u.meaning,
            }
            for u in UNCERTAIN.values()
        ]
    )


def bundled_catalog() -> Path:
    """The bundled outage catalog (``sample_data/outage_catalog.csv``): real outages, in the
    outages format, for :func:`stochastic_events`."""
    return BUNDLED_CATALOG


def range_questions() -> dict[str, str]:
    """The questions :func:`suggested_ranges` answers, with the range each proposes."""
    return dict(QUESTIONS)


def distributions() -> dict[str, str]:
    """The distributions the uncertainty table accepts, with what each takes."""
    return {name: d.description for name, d in DISTRIBUTIONS.items()}


__all__ = [
    "BillingExport",
    "Comparison",
    "InputError",
    "Inputs",
    "Library",
    "LibraryError",
    "Results",
    "RiskResults",
    "Simulation",
    "ValidationIssue",
    "bundled_catalog",
    "columns",
    "compare",
    "dependency_rules",
    "display",
    "distributions",
    "estimate",
    "input_columns",
    "load_events",
    "load_inputs",
    "load_outages",
    "load_uploaded",
    "range_questions",
    "read_billing",
    "read_export",
    "read_incidents",
    "read_monitoring",
    "read_tables",
    "risk",
    "simulate",
    "sla_catalog",
    "stochastic_events",
    "suggested_ranges",
    "table_columns",
    "uncertain_inputs",
    "what_if",
]
__version__ = VERSION
