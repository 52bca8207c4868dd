"""Stage 4, results: the public ``Results`` and what is read off it.

Takes the engine's :class:`~estimator.engine.outcome.Outcome`; gives
:class:`~estimator.results.results.Results` (``estimate.py`` holds the public
``estimate()``), the claims to send in urgency order (``claims.py``), the review list
(``review.py``) and two estimates side by side (``compare.py``). ``Results`` and
``Comparison`` write their workbooks and JSON through :mod:`estimator.writers`.

May import the shared modules, ``estimator.inputs``, ``estimator.engine`` and ``pricing``.
"""
