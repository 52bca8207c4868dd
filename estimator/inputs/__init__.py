"""Stage 1, inputs: what the user typed, read and checked.

Takes a folder of CSV files, an .xlsx workbook, a JSON file, uploaded bytes or DataFrames;
gives :class:`~estimator.inputs.scenario.Inputs` (typed tables with the schema's defaults
filled in) or one :class:`~estimator.errors.InputError` listing every problem at once.

* ``schema.py``: the input tables, their columns, kinds and defaults; ``uncertain_columns.py``
  the columns an uncertainty row may draw.
* ``readers/``: files -> raw text tables, rows as the user sees them (size and zip limits,
  defusedxml); ``validation/``: raw tables -> typed tables, or every problem.
* ``scenario.py``: ``Inputs``, ``load_inputs``, ``read_tables``, ``load_uploaded``.
* ``valuation.py``: the valuation time ``as_of`` and what it does to windows.
* ``event_files.py``: outage catalogs and event files for risk runs; ``what_if.py``: one
  outage replayed (Inputs -> Inputs).

May import the shared modules (``estimator.errors``, ``columns``, ``display``, ``writers``,
``version``) and ``pricing``; no other stage.
"""
