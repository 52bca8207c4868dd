"""Portfolio risk (issue 14): stochastic event sets fitted to an outage catalog, every
simulated year priced with the exact rules, and the industry's result tables (YLT, ELT, EP,
ALT) with the portfolio's accumulation; partitions run locally or on a Dask cluster."""

from estimator.portfolio.event_files import load_events, load_outages
from estimator.portfolio.events import EventModel, event_model, stochastic_events
from estimator.portfolio.results import RiskResults
from estimator.portfolio.run import risk

__all__ = [
    "EventModel",
    "RiskResults",
    "event_model",
    "load_events",
    "load_outages",
    "risk",
    "stochastic_events",
]
