"""Outage loss and SLA credit estimator: the public API.

>>> import estimator
>>> inputs = estimator.load_inputs("sample_data/aws-2021-12-07")
>>> results = estimator.estimate(inputs, as_of="2022-01-01T00:00:00Z")
>>> sorted(results.summary.columns)[:3]
['company_id', 'credits_payable', 'credits_receivable']
"""

from estimator.engine import estimate
from estimator.errors import InputError, ValidationIssue
from estimator.inputs import Inputs, load_inputs, load_uploaded
from estimator.results import Results

__all__ = [
    "InputError",
    "Inputs",
    "Results",
    "ValidationIssue",
    "estimate",
    "load_inputs",
    "load_uploaded",
]
__version__ = "0.1.0"
