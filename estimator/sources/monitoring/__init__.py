"""A company's own monitoring series (CSV, Prometheus ``query_range``, CloudWatch
``GetMetricData``) -> ``outages`` rows whose impact is the measured share failing (issue 23.2).

:mod:`.series` reads the three formats into (time, value) samples; :mod:`.windows` turns the
samples into step windows.
"""

from estimator.sources.monitoring.windows import MEASURES, read_monitoring

__all__ = ["MEASURES", "read_monitoring"]
