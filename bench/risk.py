"""The portfolio-risk benchmark: wall time and peak memory of ``estimator.risk``.

    python -m bench.risk            # the targets (issue 14)
    python -m bench.risk --quick    # a small run (CI smoke, under a minute)

The portfolio is ``bench/generate.py``'s (seed 7), its provider contracts and covers moved onto
the (provider, region, service) triples of the bundled outage catalog, so the events fitted to
the catalog reach it; rates for its currencies in ``fx_rates.csv``. Runs, each in a fresh
process: 1,000 companies x 10,000 years (target: under 2 minutes) and 100,000 companies x
1,000 years (target: completes under 8 GB peak, YLT and ELT written to Parquet), locally and on
a two-worker ``LocalCluster`` on 127.0.0.1. Peak memory is the largest resident set of the
process and every process it started (the workers), summed, sampled every 10 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import psutil

import estimator
from bench.generate import generate
from bench.run import machine
from estimator.portfolio.cluster import local_cluster

FX = pd.DataFrame({"currency": ["EUR", "GBP", "JPY"], "rate": [1.08, 1.27, 0.0066]})


def portfolio(folder: Path, companies: int) -> Path:
    generate(folder, companies, 10, seed=7)
    catalog = estimator.load_outages(estimator.bundled_catalog())
    triples = catalog[["provider", "region", "service"]].drop_duplicates().to_numpy(object)
    rng = np.random.default_rng(11)
    con = pd.read_csv(folder / "contracts.csv", dtype=str, keep_default_na=False)
    reach = (con["kind"] != "customer").to_numpy()
    pick = triples[rng.integers(0, len(triples), int(reach.sum()))]
    con.loc[reach, "provider"] = pick[:, 0]
    con.loc[reach, "region"] = pick[:, 1]
    con.loc[reach & (con["kind"] == "provider").to_numpy(), "service"] = pick[
        (con["kind"][reach] == "provider").to_numpy(), 2
    ]
    con.to_csv(folder / "contracts.csv", index=False)
    FX.to_csv(folder / "fx_rates.csv", index=False)
    return folder


class TreeSampler:
    """The summed resident memory of this process and its children, at its peak."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.wait(0.01):
            total = me.memory_info().rss
            for child in me.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    total += child.memory_info().rss
            self.peak = max(self.peak, total)

    def close(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak / 2**20


def run(
    folder: Path, years: int, cluster: bool, out_dir: str | None, engine: str = "totals"
) -> dict[str, Any]:
    inputs = estimator.load_inputs(folder)
    sampler = TreeSampler()
    t0 = time.perf_counter()
    events = estimator.stochastic_events(
        estimator.bundled_catalog(), years=years, seed=0, exposure=inputs
    )
    t_events = time.perf_counter() - t0
    if cluster:
        with local_cluster(2, memory_limit="6GiB") as client:
            result = estimator.risk(inputs, events, client=client, out_dir=out_dir, engine=engine)
    else:
        result = estimator.risk(inputs, events, out_dir=out_dir, engine=engine)
    wall = time.perf_counter() - t0
    peak = sampler.close()
    return {
        "companies": len(inputs.companies),
        "contracts": len(inputs.contracts),
        "years": years,
        "event windows": len(events),
        "where": "LocalCluster, 2 workers" if cluster else "local",
        "engine": engine,
        "events s": t_events,
        "total s": wall,
        "peak MB": peak,
        "portfolio AAL": result.alt.set_index(["company_id", "measure"]).loc[
            ("portfolio", "total_loss"), "aal"
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.risk", description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--size",
        nargs=2,
        type=int,
        action="append",
        metavar=("COMPANIES", "YEARS"),
        help="run this size only (repeatable)",
    )
    parser.add_argument("--local-only", action="store_true", help="skip the LocalCluster runs")
    parser.add_argument("--cluster-only", action="store_true", help="skip the local runs")
    parser.add_argument(
        "--engine",
        action="append",
        choices=["totals", "full"],
        help="the engine path to measure (repeatable; default: both, the totals path first)",
    )
    args = parser.parse_args(argv)
    sizes = [(300, 300)] if args.quick else [(1_000, 10_000), (100_000, 1_000)]
    sizes = [tuple(s) for s in args.size] if args.size else sizes
    print(f"machine: {machine()}")
    rows = []
    spawn = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="sla-riskbench-") as tmp:
        for companies, years in sizes:
            folder = portfolio(Path(tmp) / f"p{companies}", companies)
            wheres = [w for w in (False, True) if not (args.local_only and w)]
            for cluster in [w for w in wheres if w or not args.cluster_only]:
                for engine in args.engine or ["totals", "full"]:
                    out = (
                        str(Path(tmp) / f"out-{companies}-{cluster}") if companies > 1000 else None
                    )
                    with ProcessPoolExecutor(1, mp_context=spawn, max_tasks_per_child=1) as pool:
                        job = pool.submit(run, folder, years, cluster, out, engine)
                        rows.append(job.result())
                    print(", ".join(f"{k}: {v}" for k, v in rows[-1].items()), flush=True)
    table = pd.DataFrame(rows)
    print(table.to_string(index=False, float_format=lambda v: f"{v:,.2f}"))
    _speed_ups(table)
    same = table.groupby(["companies", "years"])["portfolio AAL"].nunique().eq(1).all()
    print(f"every run (local, cluster, both engines) gives the same portfolio AAL: {bool(same)}")
    return 0


def _speed_ups(table: pd.DataFrame) -> None:
    """The totals path's speed-up over the full path, per size and place, where both ran."""
    wide = table.pivot_table(
        index=["companies", "years", "where"], columns="engine", values="total s"
    )
    if {"totals", "full"} <= set(wide.columns):
        for key, row in wide.iterrows():
            print(f"speed-up of the totals path {key}: {row['full'] / row['totals']:.2f}x")


if __name__ == "__main__":
    sys.exit(main())
