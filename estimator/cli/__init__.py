"""Stage 7, cli: the ``sla-estimator`` command.

Takes command lines; gives console reports, files and exit codes (0 done, 2 bad input,
1 internal error). ``main.py``: the parser and the run, claims, simulate, what-if, compare and
catalog commands; ``risk.py``: the risk command; ``library.py``: the library commands;
``progress.py``: progress bars on long runs.

May import every earlier stage; nothing imports it.
"""

from estimator.cli.main import main

__all__ = ["main"]
