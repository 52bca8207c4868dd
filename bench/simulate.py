"""The simulation benchmark: wall time and peak memory of ``estimator.simulate``.

    python -m bench.simulate             # the targets (issue 13)
    python -m bench.simulate --quick     # a small run (CI smoke, a few seconds)

Three runs, each in a fresh process so its peak memory is its own:

* the founding sample with its uncertainty table, 10,000 draws (target: under 10 s);
* a generated 1,000-company portfolio with every outage's duration and impact and every
  company's recapture rate uncertain, 1,000 draws (target: under 60 s);
* the same portfolio with three times the draws: the working memory (the peak less the
  memory before the run and the result, whose draws table grows with draws x companies by
  its nature) stays that of one chunk (``estimator.uncertainty.simulation.CHUNK_ROWS``).
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pandas as pd

import estimator
from bench.generate import generate
from bench.run import Sampler, machine, rss

ROOT = Path(__file__).resolve().parents[1]
FOUNDING = ROOT / "sample_data" / "aws-2021-12-07"
PORTFOLIO_UNCERTAINTY = pd.DataFrame(
    [
        ("outages", "*", "duration_hours", "pert", 0.5, 2.0, 8.0, None),
        ("outages", "*", "impact", "pert", 0.1, 0.4, 0.9, None),
        ("companies", "*", "recapture_rate", "triangular", 0.0, 0.2, 0.5, "recapture"),
    ],
    columns=["table", "id", "column", "distribution", "low", "mode", "high", "group"],
)


def portfolio(folder: Path, companies: int, windows: int) -> Path:
    generate(folder, companies, windows, seed=5)
    PORTFOLIO_UNCERTAINTY.to_csv(folder / "uncertainty.csv", index=False)
    return folder


def run(folder: Path, draws: int, as_of: str, engine: str = "totals") -> dict[str, Any]:
    inputs = estimator.load_inputs(folder)
    before = rss() / 2**20
    sampler = Sampler()
    try:
        with sampler.stage("simulate"):
            sim = estimator.simulate(inputs, draws=draws, seed=0, as_of=as_of, engine=engine)
    finally:
        sampler.close()
    stage = sampler.rows[0]
    result = (sim.draws.memory_usage(deep=True).sum() + sim.draws.shape[0] * 5 * 8) / 2**20
    return {
        "companies": len(inputs.companies),
        "contracts": len(inputs.contracts),
        "windows": len(inputs.outages),
        "uncertain inputs": len(inputs.uncertainty),
        "draws": draws,
        "engine": engine,
        "seconds": stage["seconds"],
        "draws s": sim.timings["draws_seconds"],
        "tornado s": sim.timings["sensitivity_seconds"],
        "peak MB": stage["peak_rss_mb"],
        "result MB": result,
        "working MB": stage["peak_rss_mb"] - before - result,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.simulate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="a small smoke run")
    parser.add_argument("--companies", type=int, default=1000)
    parser.add_argument("--windows", type=int, default=100, help="portfolio windows (100)")
    parser.add_argument(
        "--engine",
        action="append",
        choices=["totals", "full"],
        help="the engine path to measure (repeatable; default: both, the totals path first)",
    )
    args = parser.parse_args(argv)
    founding, draws = (500, 50) if args.quick else (10_000, 1000)
    companies = 50 if args.quick else args.companies
    print(f"machine: {machine()}")
    rows = []
    spawn = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="sla-simbench-") as tmp:
        folder = portfolio(Path(tmp) / "portfolio", companies, args.windows)
        runs = [
            ("founding sample", FOUNDING, founding, "2022-01-01T00:00:00Z"),
            ("portfolio", folder, draws, "2026-06-01T00:00:00Z"),
            ("portfolio x3 draws", folder, 3 * draws, "2026-06-01T00:00:00Z"),
        ]
        for name, path, n, as_of in runs:
            for engine in args.engine or ["totals", "full"]:
                with ProcessPoolExecutor(1, mp_context=spawn, max_tasks_per_child=1) as pool:
                    job = pool.submit(run, path, n, as_of, engine)
                    rows.append({"run": name, **job.result()})
                print(", ".join(f"{k}: {v}" for k, v in rows[-1].items()), flush=True)
    table = pd.DataFrame(rows)
    print(table.to_string(index=False, float_format=lambda v: f"{v:,.2f}"))
    wide = table.pivot_table(index="run", columns="engine", values="seconds", sort=False)
    if {"totals", "full"} <= set(wide.columns):
        for name, row in wide.iterrows():
            print(f"speed-up of the totals path ({name}): {row['full'] / row['totals']:.2f}x")
    memory = table[table["engine"] == table["engine"].iloc[0]].set_index("run")["working MB"]
    print(
        f"working memory (peak - before - the draws table and its array): "
        f"{memory['portfolio']:.0f} MB at {draws:,} draws, "
        f"{memory['portfolio x3 draws']:.0f} MB at {3 * draws:,} draws"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
