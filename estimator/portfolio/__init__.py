"""Stage 5, portfolio: many companies at once, over simulated years or in partitions.

Takes ``Inputs`` and an outage catalog or event file; gives :class:`~estimator.portfolio.
results.RiskResults` (stochastic event sets fitted to the catalog, every simulated year priced
with the exact rules, the industry's result tables YLT, ELT, EP, ALT, and the accumulation),
run locally or on a Dask cluster; ``streaming.py`` writes one estimate partition by partition
to Parquet for portfolios too large for memory.

May import the shared modules, ``estimator.inputs``, ``estimator.engine``,
``estimator.results`` and ``pricing``; not ``uncertainty``, ``library``, ``reports`` or
``cli``. ``RiskResults`` writes its workbook and JSON through :mod:`estimator.writers`.
"""

from estimator.inputs.event_files import load_events, load_outages
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
