"""``python -m estimator.cli``: the ``sla-estimator`` command."""

import sys

from estimator.cli.main import main

sys.exit(main())
