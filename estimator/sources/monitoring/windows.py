"""Samples -> step windows of the ``outages`` table (issue 23.2, METHODOLOGY §20).

Each sample holds from its time until the next sample's, unless the next one comes more than
three steps later (a gap): then it holds one step and the window ends. The step is the series'
own: the most common interval between its samples (stated in each row's description). The
impact of a sample is the share failing: ``error_rate`` as measured, ``availability`` and
``success_rate`` as 1 - value; a series whose values exceed 1 is read as percent (divided by
100, said in a note); impacts are clipped to [0, 1] (noted) and rounded half-up to the 6
decimals the outages table takes. Samples with no impact make no window; consecutive samples of
equal impact merge into one.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from estimator.errors import InputError, ValidationIssue
from estimator.sources.monitoring.series import read_samples

MEASURES = ("error_rate", "availability", "success_rate")
GAP_STEPS = 3
BAD_MEASURE = "unknown measure '{measure}': the measures are error_rate, availability, success_rate"


def read_monitoring(
    path: str | Path,
    *,
    outage_id: str,
    provider: str,
    region: str,
    service: str,
    measure: str = "error_rate",
    scope: str = "region",
    format: str | None = None,
) -> pd.DataFrame:
    """A monitoring series as ``outages`` rows: one window per run of equal measured impact.

    ``df.attrs["notes"]`` says what was read as percent or clipped. Raises
    :class:`~estimator.errors.InputError` listing every problem (file, sample, column).
    """
    file = Path(path)
    if measure not in MEASURES:
        raise InputError(
            [
                ValidationIssue(
                    file.name, None, "measure", measure, BAD_MEASURE.format(measure=measure)
                )
            ]
        )
    s = read_samples(file, format)
    notes: list[str] = []
    value = s.values.copy()
    if np.nanmax(value, initial=0.0) > 1.0:
        value = value / 100.0
        notes.append(f"{file.name}: values above 1 were read as percent (divided by 100)")
    impact = value if measure == "error_rate" else 1.0 - value
    clipped = (impact < 0) | (impact > 1)
    if clipped.any():
        notes.append(f"{file.name}: {int(clipped.sum())} values outside [0, 1] were clipped to it")
    impact = np.floor(np.clip(impact, 0.0, 1.0) * 1e6 + 0.5) / 1e6
    step = _step(s.seconds)
    start = s.seconds
    nxt = np.append(s.seconds[1:], s.seconds[-1] + step)
    end = np.where(nxt - start <= GAP_STEPS * step, nxt, start + step)
    keep = impact > 0
    start, end, impact = start[keep], end[keep], impact[keep]
    new = np.ones(len(start), dtype=bool)
    new[1:] = (start[1:] != end[:-1]) | (impact[1:] != impact[:-1])
    run = np.cumsum(new) - 1
    first = np.flatnonzero(new)
    last = np.append(first[1:] - 1, len(start) - 1) if len(first) else first
    times = pd.to_datetime(np.concatenate([start[first], end[last]]), unit="s", utc=True)
    text = times.strftime("%Y-%m-%dT%H:%M:%SZ").to_numpy(object)
    n = len(first)
    out = pd.DataFrame(
        {
            "outage_id": np.full(n, outage_id, dtype=object),
            "provider": provider,
            "region": region,
            "service": service,
            "start": text[:n],
            "end": text[n:],
            "impact": impact[first],
            "scope": scope,
            "description": f"monitoring: {file.name} ({s.format}, {measure}, step {step} s, "
            + pd.Series(np.bincount(run, minlength=n) if n else [], dtype="int64").astype(str)
            + " samples)",
        }
    )
    out.attrs["notes"] = notes
    return out


def _step(seconds: np.ndarray) -> int:
    """The most common interval between samples (60 s for a single sample)."""
    if len(seconds) < 2:
        return 60
    gaps, counts = np.unique(np.diff(seconds), return_counts=True)
    return int(gaps[np.argmax(counts)])
