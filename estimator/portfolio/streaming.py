"""An estimate written partition by partition: for portfolios whose result tables do not fit
in memory (a million companies has some 23 million loss and credit rows).

Companies are split into partitions of ``companies_per_partition`` with their contracts and
exclusions; each partition is estimated with every window and its losses, credits, recoveries
and claims are written to Parquet (``losses/part-00000.parquet``, ...) before the next one
starts; only the summary is kept. A company's rows are the ones the whole-portfolio estimate
gives: companies do not interact, so pricing them apart changes nothing (a claim's
``credits_row`` counts the rows of its own partition's credits file).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from estimator.inputs.scenario import Inputs
from estimator.inputs.valuation import as_of_time
from estimator.portfolio.partition import write_part
from estimator.portfolio.run import partitions
from estimator.results.estimate import estimate

Progress = Callable[[str, int, int], None]
TABLES = ("losses", "credits", "recoveries", "claims")


class Streamed(NamedTuple):
    summary: pd.DataFrame
    """One row per company, as ``Results.summary``."""
    rows: dict[str, int]
    """Rows written per table."""
    folder: Path
    as_of: pd.Timestamp


def estimate_to_parquet(
    inputs: Inputs,
    out_dir: str | Path,
    *,
    dependency_rule: str = "max",
    as_of: str | pd.Timestamp | None = None,
    companies_per_partition: int = 50_000,
    progress: Progress | None = None,
) -> Streamed:
    """Estimate partition by partition, writing each table to Parquet under ``out_dir``."""
    folder = Path(out_dir)
    when = as_of_time(as_of)
    summaries = []
    rows = dict.fromkeys(TABLES, 0)
    parts = partitions(inputs, companies_per_partition)
    for i, part in enumerate(parts):
        r = estimate(part, dependency_rule=dependency_rule, as_of=when)
        frames = {
            "losses": r.losses,
            "credits": r.credits,
            "recoveries": r.recoveries,
            "claims": r.claims(),
        }
        for name, frame in frames.items():
            write_part(frame, folder / name, i)
            rows[name] += len(frame)
        summaries.append(r.summary)
        del r, frames
        if progress:
            progress("partitions", i + 1, len(parts))
    summary = pd.concat(summaries, ignore_index=True)
    summary.to_parquet(folder / "summary.parquet", index=False)
    return Streamed(summary, rows, folder, when)
