"""``python -m bench.billing``: read a generated FOCUS export of N lines (default 10 million)
with ``estimator.read_export``, in a fresh process, and report wall time and peak memory.

The export is written in the shape of FOCUS 1.2 (seeded): 3 providers, 40 services, 8
regions, 20 sub-accounts, 12 billing months (at most 230,400 charges rows), usage, purchase, tax and credit lines with
amounts of up to 10 decimals. Options: ``--lines N``, ``--gzip``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from bench.run import Sampler, machine

PROVIDERS = ["AWS", "Microsoft", "Google Cloud"]
SERVICES = [
    "Amazon Elastic Compute Cloud", "Amazon Simple Storage Service", "AWS Lambda",
    "Amazon DynamoDB", "Amazon Relational Database Service", "Virtual Machines", "Storage",
    "Compute Engine", "Cloud Storage", "BigQuery",
    *[f"Other Service {i}" for i in range(30)],
]  # fmt: skip
CATEGORIES = np.array(["Usage"] * 85 + ["Purchase"] * 5 + ["Tax"] * 7 + ["Credit"] * 3)


def write_export(path: Path, lines: int, *, seed: int = 11, batch: int = 1_000_000) -> int:
    """Write ``lines`` FOCUS lines to ``path`` (gzip when it ends in .gz); its size in bytes."""
    rng = np.random.default_rng(seed)
    regions = np.array([f"region-{i}" for i in range(8)])
    accounts = np.array([f"{100000000000 + i}" for i in range(20)])
    months = np.array([f"2025-{m:02d}-01T00:00:00Z" for m in range(1, 13)])
    compression = "gzip" if path.suffix == ".gz" else None
    with (
        pa.CompressedOutputStream(str(path), "gzip")
        if compression
        else pa.OSFile(str(path), "wb") as out
    ):
        writer = None
        for start in range(0, lines, batch):
            n = min(batch, lines - start)
            category = CATEGORIES[rng.integers(0, len(CATEGORIES), n)]
            cost = np.round(rng.gamma(1.2, 8.0, n), 10)
            cost = np.where(category == "Credit", -cost, cost)
            table = pa.table(
                {
                    "BilledCost": pa.array([f"{v:.10f}" for v in cost]),
                    "BillingCurrency": pa.array(np.full(n, "USD")),
                    "BillingPeriodStart": pa.array(months[rng.integers(0, 12, n)]),
                    "ChargeCategory": pa.array(category),
                    "ProviderName": pa.array(np.array(PROVIDERS)[rng.integers(0, 3, n)]),
                    "RegionId": pa.array(regions[rng.integers(0, len(regions), n)]),
                    "ServiceName": pa.array(np.array(SERVICES)[rng.integers(0, len(SERVICES), n)]),
                    "SubAccountId": pa.array(accounts[rng.integers(0, len(accounts), n)]),
                }
            )
            if writer is None:
                writer = pacsv.CSVWriter(out, table.schema)
            writer.write_table(table)
        if writer is not None:
            writer.close()
    return path.stat().st_size


def read_once(path: str) -> dict[str, Any]:
    import estimator

    sampler = Sampler()
    with sampler.stage("read_export"):
        export = estimator.read_export(path)
    sampler.close()
    row = sampler.rows[0]
    return {"seconds": row["seconds"], "peak_mb": row["peak_rss_mb"], "rows": len(export.charges),
            "lines": export.lines}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.billing")
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--gzip", action="store_true")
    args = parser.parse_args(argv)
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="sla-bench-billing-") as tmp:
        path = Path(tmp) / ("focus.csv.gz" if args.gzip else "focus.csv")
        t0 = time.perf_counter()
        size = write_export(path, args.lines)
        print(
            f"wrote {args.lines:,} FOCUS lines, {size / 2**20:,.0f} MB, in {time.perf_counter() - t0:.1f} s"
        )
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=1, mp_context=spawn, max_tasks_per_child=1) as pool:
            got = pool.submit(read_once, str(path)).result()
    print(
        f"read_export: {got['lines']:,} lines -> {got['rows']:,} charges rows in "
        f"{got['seconds']:.1f} s; peak {got['peak_mb']:,.0f} MB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
