"""Stage 3, engine: the result tables of one estimate, from validated inputs.

Takes :class:`~estimator.inputs.scenario.Inputs` and a valuation time; gives an
:class:`~estimator.engine.outcome.Outcome` (losses, credits, recoveries, summary, terms,
tiers, the steps behind each credit and payout, L(t), the windows as priced), which
``results/`` wraps as the public ``Results``.

* ``arrays.py``: the inputs as integer arrays (codes, priced windows, hits, revenue clock);
  ``zone_hits.py``: which zone windows reach a contract.
* ``run.py``: the run itself, companies priced in chunks by the rules of ``pricing/``;
  ``totals.py``: the totals path (per company only the summary's money and each event's
  loss, no table), which ``simulate()`` and ``risk()`` price by.
* ``terms.py``: which SLA terms apply; ``credit_measure.py``: measurement per contract and
  month; ``credit_lines.py``: each contract-month's credit as arrays (shared by the credits
  table and the totals path); ``other_recoveries.py``: credits deducted from insurance.
* One module per result table: ``loss_table.py``, ``credit_table.py``, ``terms_table.py``,
  ``recovery_table.py``, ``summary_table.py``; ``empty_tables.py`` the same with no rows.

Computes no rule itself: each rule is a function of ``pricing/``. May import the shared
modules, ``estimator.inputs`` and ``pricing``.
"""
