"""Stage 5, uncertainty: every figure as a distribution over drawn inputs.

Takes ``Inputs`` with an uncertainty table; gives :class:`~estimator.uncertainty.simulation.
Simulation` (draws, percentiles, the tornado). ``targets.py``: one target per uncertain cell
and its seeded quantile stream; ``replicate.py``: many draws as one scenario priced by the
engine; ``simulation.py``: ``simulate()``; ``draw_statistics.py``: statistics over draws;
``presets.py``: one-click ranges (``suggested_ranges``).

May import the shared modules, ``estimator.inputs``, ``estimator.engine``,
``estimator.results`` and ``pricing``; not ``portfolio``, ``library``, ``reports`` or ``cli``.
"""
