"""The benchmark: wall time and peak memory of loading, estimating (by stage) and the workbook.

    python -m bench.run                      # the targets: 100,000 and 1,000,000 companies
    python -m bench.run --companies 10000    # one size only
    python -m bench.run --quick              # a small run (CI smoke, a few seconds)

Peak memory is the process's resident set size, sampled every 10 ms by a thread
and reported per stage (the largest RSS seen while the stage ran).
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import multiprocessing
import os
import platform
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import estimator
from bench.generate import generate
from estimator.cli.progress import ProgressBar
from estimator.inputs.readers import read_path
from estimator.inputs.scenario import Inputs

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


class Sampler:
    """Samples RSS in the background; ``stage`` records the wall time and peak of a block."""

    def __init__(self) -> None:
        self.peak = rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        self.rows: list[dict[str, Any]] = []

    def _run(self) -> None:
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, rss())

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self.peak = rss()
        t0 = time.perf_counter()
        yield
        wall = time.perf_counter() - t0
        self.peak = max(self.peak, rss())
        self.rows.append({"stage": name, "seconds": wall, "peak_rss_mb": self.peak / 2**20})

    def close(self) -> None:
        self._stop.set()
        self._thread.join()


def run_size(
    companies: int, windows: int, workdir: Path, *, workbook: bool, seed: int = 7
) -> tuple[pd.DataFrame, dict[str, Any]]:
    folder = workdir / f"portfolio-{companies}-{windows}"
    size = generate(folder, companies, windows, seed=seed)
    sampler = Sampler()
    progress = ProgressBar(
        f"{companies:,} companies", force=os.environ.get("BENCH_PROGRESS") == "1"
    )
    try:
        gc.collect()
        with sampler.stage("load (read files)"):
            progress("loading", 0, 1)
            raw = read_path(folder, max_bytes=2**40)
        with sampler.stage("validate"):
            progress("validating", 0, 1)
            inputs = Inputs._validated(raw)
        start_rows = len(sampler.rows)
        with sampler.stage("estimate (total)"):
            results = estimator.estimate(inputs, as_of="2026-06-01T00:00:00Z", progress=progress)
        for name, seconds in results.timings.items():
            sampler.rows.insert(
                start_rows, {"stage": f"  {name}", "seconds": seconds, "peak_rss_mb": np.nan}
            )
            start_rows += 1
        if workbook:
            with sampler.stage("workbook"):
                progress("writing", 0, 1)
                data = results.excel_bytes()
            size["workbook_mb"] = len(data) / 2**20
        progress.close()
    finally:
        sampler.close()
    size |= {
        "loss_rows": len(results.losses),
        "credit_rows": len(results.credits),
        "recovery_rows": len(results.recoveries),
    }
    return pd.DataFrame(sampler.rows), size


def run_streamed(companies: int, windows: int, workdir: Path) -> dict[str, Any]:
    """``sla-estimator run --out-dir``: load, then estimate partition by partition to Parquet."""
    from estimator.portfolio.streaming import estimate_to_parquet

    folder = workdir / f"portfolio-{companies}-{windows}"
    size = generate(folder, companies, windows, seed=7)
    sampler = Sampler()
    try:
        with sampler.stage("load and validate"):
            inputs = estimator.load_inputs(folder, max_bytes=2**40)
        with sampler.stage("estimate to Parquet"):
            done = estimate_to_parquet(inputs, workdir / "streamed", as_of="2026-06-01T00:00:00Z")
    finally:
        sampler.close()
    return size | {"stages": sampler.rows, "rows": done.rows}


def reference_speedup(workdir: Path, companies: int = 300) -> dict[str, float]:
    """Time the tests' loop-based reference on a small slice against the engine."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests import reference as ref

    folder = workdir / "slice"
    generate(folder, companies, 200, seed=11)
    inputs = estimator.load_inputs(folder)
    t0 = time.perf_counter()
    results = estimator.estimate(inputs, as_of="2026-06-01T00:00:00Z")
    engine = time.perf_counter() - t0
    out, co, con = inputs.outages, inputs.companies, inputs.contracts
    windows = [
        ref.Window(
            r.outage_id,
            r.provider,
            r.region,
            r.service,
            int(r.start.timestamp()),
            int(r.end.timestamp()),
            float(r.impact),
        )
        for r in out.itertuples()
    ]
    prov = con[con["kind"] == "provider"]
    contracts = [
        ref.Contract(
            r.contract_id,
            r.company_id,
            r.provider,
            r.region,
            r.service,
            float(r.revenue_share),
            None if pd.isna(r.failover_minutes) else int(r.failover_minutes * 60),
            1.0 if pd.isna(r.failover_share) else float(r.failover_share),
        )
        for r in prov.itertuples()
    ]
    comps = [
        ref.Company(
            r.company_id,
            float(r.annual_revenue) / 8760,
            r.timezone,
            None,
            float(r.recapture_rate),
            float(r.outage_cost_per_hour),
        )
        for r in co.itertuples()
    ]
    flat = [dataclasses.replace(c, timezone="UTC") for c in comps]
    t0 = time.perf_counter()
    ref.losses(flat, contracts, windows)
    reference = time.perf_counter() - t0
    return {
        "companies": companies,
        "loss_rows": len(results.losses),
        "engine_s": engine,
        "reference_s": reference,
        "speedup": reference / engine,
    }


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            names = [ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB; Python {platform.python_version()}, "
        f"numpy {np.__version__}, pandas {pd.__version__}"
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--companies",
        type=int,
        action="append",
        help="portfolio size (repeatable); default 100,000 and 1,000,000",
    )
    parser.add_argument("--windows", type=int, default=1000, help="outage windows (1,000)")
    parser.add_argument(
        "--workbook-companies",
        type=int,
        default=None,
        help="size of the run whose workbook is written (default: the run "
        "closest to 100,000 loss rows is chosen among the sizes)",
    )
    parser.add_argument("--quick", action="store_true", help="a small smoke run")
    parser.add_argument(
        "--stream",
        type=int,
        default=None,
        metavar="N",
        help="run 'run --out-dir' on N companies (partitions to Parquet), e.g. 1000000, "
        "instead of the other runs",
    )
    parser.add_argument("--no-reference", action="store_true")
    return parser


def _streamed(args: argparse.Namespace, work: Path, spawn: Any) -> None:
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn, max_tasks_per_child=1) as pool:
        streamed = pool.submit(run_streamed, args.stream, args.windows, work).result()
    stages = pd.DataFrame(streamed["stages"])
    print(
        f"streamed run ('run --out-dir'): {args.stream:,} companies, "
        f"{streamed['contracts']:,} contracts; rows written: {streamed['rows']}"
    )
    print(stages.to_string(index=False))
    print(f"peak {stages['peak_rss_mb'].max():.0f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    sizes = args.companies or ([2000] if args.quick else [100_000, 1_000_000])
    book = args.workbook_companies or (2000 if args.quick else 8_500)
    print(f"machine: {machine()}")
    if args.stream:
        with tempfile.TemporaryDirectory(prefix="sla-bench-") as tmp:
            _streamed(args, Path(tmp), multiprocessing.get_context("spawn"))
        return 0
    figures: list[tuple[str, pd.DataFrame, dict[str, Any]]] = []
    with tempfile.TemporaryDirectory(prefix="sla-bench-") as tmp:
        work = Path(tmp)
        # each run in a fresh process, so its peak memory is its own
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=1, mp_context=spawn, max_tasks_per_child=1) as pool:
            for n in sizes:
                rows, size = pool.submit(run_size, n, args.windows, work, workbook=False).result()
                figures.append((f"{n:,} companies x {args.windows:,} windows", rows, size))
        with ProcessPoolExecutor(max_workers=1, mp_context=spawn, max_tasks_per_child=1) as pool:
            rows, size = pool.submit(
                run_size, book, args.windows, work, workbook=True, seed=3
            ).result()
        figures.append((f"workbook run: {book:,} companies", rows, size))
        speed = None if args.no_reference else reference_speedup(work)
    for title, rows, size in figures:
        print(
            f"\n{title}: {size['contracts']:,} contracts, {size['windows']:,} windows, "
            f"{size['bytes'] / 2**20:.0f} MB of CSV; {size['loss_rows']:,} loss rows, "
            f"{size['credit_rows']:,} credit rows, {size['recovery_rows']:,} insurance episodes"
            + (f"; workbook {size['workbook_mb']:.1f} MB" if "workbook_mb" in size else "")
        )
        shown = rows.copy()
        shown["seconds"] = shown["seconds"].map(lambda v: f"{v:8.2f}")
        shown["peak_rss_mb"] = shown["peak_rss_mb"].map(lambda v: "" if pd.isna(v) else f"{v:8.0f}")
        print(shown.to_string(index=False))
        total = rows[~rows["stage"].str.startswith(" ")]
        print(
            f"timing: {' + '.join(f'{r.stage} {r.seconds:.1f} s' for r in total.itertuples())}"
            f"; peak {total['peak_rss_mb'].max():.0f} MB"
        )
    if speed:
        print(
            f"\nreference (tests/reference.py, loops) on {speed['companies']} companies "
            f"({speed['loss_rows']} loss rows): {speed['reference_s']:.1f} s against the "
            f"engine's {speed['engine_s']:.3f} s: {speed['speedup']:.0f}x faster"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
