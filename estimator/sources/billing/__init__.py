"""Cloud billing exports (FOCUS, AWS CUR, Google Cloud, Azure) -> the ``charges`` table.

``read_billing(path, format=None)`` reads one export; :mod:`.formats` says which columns
each format is read from and how its line types count; :mod:`.names` maps the names the
exports write to the catalog's provider, service and region slugs (``data/names.csv``).
"""

from estimator.sources.billing.formats import FORMATS
from estimator.sources.billing.reader import (
    CHARGES_COLUMNS,
    BillingExport,
    read_billing,
    read_export,
)

__all__ = ["CHARGES_COLUMNS", "FORMATS", "BillingExport", "read_billing", "read_export"]
