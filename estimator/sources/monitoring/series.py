"""Monitoring answers -> samples: UTC seconds and float values, with every problem at once.

* CSV: a header ``time,value``; times in ISO 8601 with a UTC offset (``2021-12-07T15:30:00Z``)
  or unix seconds; rows in time order.
* Prometheus HTTP API ``query_range`` answer
  (https://prometheus.io/docs/prometheus/latest/querying/api/#range-queries):
  ``{"status": "success", "data": {"resultType": "matrix", "result": [{"metric": {...},
  "values": [[unix_time, "value"], ...]}]}}``; one series.
* CloudWatch ``GetMetricData`` answer
  (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html):
  ``{"MetricDataResults": [{"Id", "Label", "Timestamps": [...], "Values": [...]}]}``; one
  result. CloudWatch lists the newest first by default (``ScanBy``): its samples are sorted.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from estimator.errors import InputError, ValidationIssue

FORMATS = ("csv", "prometheus", "cloudwatch")
UNKNOWN = (
    "not a monitoring answer this tool reads: expected a CSV with the header time,value, a "
    "Prometheus query_range answer (keys status, data.result[].values) or a CloudWatch "
    "GetMetricData answer (key MetricDataResults[].Timestamps / Values)"
)
NO_ZONE = "the time has no UTC offset: write it as 2021-12-07T15:30:00Z or with +01:00"
BAD_TIME = "expected a time in ISO 8601 with a UTC offset, or unix seconds"
BAD_VALUE = "expected a number such as 0.25"
OUT_OF_ORDER = "the series is out of time order: this time is not after the one before it"
ONE_SERIES = "the answer holds {n} series; give one (sum or select them in the query)"
NO_SAMPLES = "the series holds no samples"
LENGTHS = "Timestamps has {t} entries and Values {v}: they must pair up"


class Samples(NamedTuple):
    seconds: npt.NDArray[np.int64]
    values: npt.NDArray[np.float64]
    format: str
    labels: list[str]
    """Where each sample came from as the user finds it (a line, an index)."""


def read_samples(path: Path, format: str | None = None) -> Samples:
    text = path.read_text(encoding="utf-8-sig")
    name = format or _detect(text)
    if name == "csv":
        return _csv(path, text)
    if name in ("prometheus", "cloudwatch"):
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                [ValidationIssue(path.name, exc.lineno, None, None, f"not valid JSON: {exc.msg}")]
            ) from None
        return _prometheus(path, doc) if name == "prometheus" else _cloudwatch(path, doc)
    raise InputError([ValidationIssue(path.name, None, None, None, UNKNOWN)])


def _detect(text: str) -> str:
    head = text.lstrip()[:4000]
    if head.startswith("{"):
        if '"MetricDataResults"' in head:
            return "cloudwatch"
        if '"data"' in head and ('"result"' in head or '"resultType"' in head):
            return "prometheus"
        return ""
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    if lines and [c.strip().lower() for c in lines[0].split(",")] == ["time", "value"]:
        return "csv"
    return ""


def _csv(path: Path, text: str) -> Samples:
    comments = 0
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        comments += 1
    frame = pd.read_csv(
        io.StringIO(text), comment=None, skiprows=comments, dtype=str, keep_default_na=False
    )
    frame.columns = [c.strip().lower() for c in frame.columns]
    first = comments + 2  # the header is the first line after the comments
    labels = [f"line {first + i}" for i in range(len(frame))]
    times = frame["time"].str.strip().astype("str")
    values = frame["value"].str.strip().astype("str")
    return _checked(path, times, values, "csv", labels, "time", "value", sort=False)


def _prometheus(path: Path, doc: Any) -> Samples:
    result = doc.get("data", {}).get("result") if isinstance(doc, dict) else None
    if not isinstance(result, list):
        raise InputError([ValidationIssue(path.name, None, None, None, UNKNOWN)])
    if len(result) != 1:
        raise InputError(
            [
                ValidationIssue(
                    path.name, None, "data.result", None, ONE_SERIES.format(n=len(result))
                )
            ]
        )
    values = result[0].get("values", [])
    times = pd.Series([str(v[0]) if isinstance(v, list) and v else "" for v in values], dtype="str")
    vals = pd.Series(
        [str(v[1]) if isinstance(v, list) and len(v) > 1 else "" for v in values], dtype="str"
    )
    labels = [f"data.result[0].values[{i}]" for i in range(len(values))]
    return _checked(path, times, vals, "prometheus", labels, "time", "value", sort=False)


def _cloudwatch(path: Path, doc: Any) -> Samples:
    results = doc.get("MetricDataResults") if isinstance(doc, dict) else None
    if not isinstance(results, list):
        raise InputError([ValidationIssue(path.name, None, None, None, UNKNOWN)])
    if len(results) != 1:
        raise InputError(
            [
                ValidationIssue(
                    path.name, None, "MetricDataResults", None, ONE_SERIES.format(n=len(results))
                )
            ]
        )
    stamps, values = results[0].get("Timestamps", []), results[0].get("Values", [])
    if len(stamps) != len(values):
        raise InputError(
            [
                ValidationIssue(
                    path.name,
                    None,
                    "MetricDataResults[0]",
                    None,
                    LENGTHS.format(t=len(stamps), v=len(values)),
                )
            ]
        )
    labels = [f"MetricDataResults[0].Timestamps[{i}]" for i in range(len(stamps))]
    times = pd.Series([str(t) for t in stamps], dtype="str")
    vals = pd.Series([str(v) for v in values], dtype="str")
    return _checked(path, times, vals, "cloudwatch", labels, "Timestamps", "Values", sort=True)


def _checked(
    path: Path,
    times: pd.Series,
    values: pd.Series,
    fmt: str,
    labels: list[str],
    time_column: str,
    value_column: str,
    *,
    sort: bool,
) -> Samples:
    issues: list[ValidationIssue] = []
    if len(times) == 0:
        raise InputError([ValidationIssue(path.name, None, None, None, NO_SAMPLES)])
    seconds, bad_time, no_zone = _seconds(times)
    number = pd.to_numeric(values, errors="coerce").to_numpy(np.float64)
    bad_value = ~np.isfinite(number)

    def add(mask: np.ndarray, column: str, texts: pd.Series, message: str) -> None:
        for i in np.flatnonzero(mask)[:20]:
            issues.append(
                ValidationIssue(
                    path.name, None, column, str(texts.iloc[i]), f"{labels[i]}: {message}"
                )
            )

    add(no_zone, time_column, times, NO_ZONE)
    add(bad_time & ~no_zone, time_column, times, BAD_TIME)
    add(bad_value, value_column, values, BAD_VALUE)
    if sort and not bad_time.any():
        order = np.argsort(seconds, kind="stable")
        seconds, number, labels = seconds[order], number[order], [labels[i] for i in order]
    ok = ~bad_time
    late = np.zeros(len(seconds), dtype=bool)
    late[1:] = ok[1:] & ok[:-1] & (np.diff(seconds) <= 0)
    add(late, time_column, times if not sort else pd.Series(seconds.astype(str)), OUT_OF_ORDER)
    if issues:
        raise InputError(issues)
    return Samples(seconds, number, fmt, labels)


def _seconds(times: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """UTC seconds of each time (unix seconds or ISO 8601 with an offset), and the masks of
    unreadable times and of ISO times without an offset."""
    numeric = pd.to_numeric(times, errors="coerce").to_numpy(np.float64)
    is_unix = np.isfinite(numeric)
    iso = times.where(~is_unix)
    has_zone = (
        iso.str.contains(r"(?:Z|[+-]\d{2}:?\d{2})$", regex=True).fillna(False).to_numpy(dtype=bool)
    )
    parsed = pd.to_datetime(iso.where(has_zone), utc=True, errors="coerce", format="ISO8601")
    iso_seconds = parsed.dt.as_unit("s").astype("int64").to_numpy()
    seconds = np.where(is_unix, np.rint(np.nan_to_num(numeric)), iso_seconds).astype(np.int64)
    no_zone = ~is_unix & ~has_zone & (times.str.strip() != "").to_numpy(dtype=bool)
    bad = ~is_unix & (parsed.isna().to_numpy() | ~has_zone)
    return seconds, bad, no_zone
