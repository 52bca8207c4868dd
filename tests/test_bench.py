"""The benchmark still runs (a smoke test: it checks the report is complete, never timings)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_benchmark_command_runs_and_reports_every_stage() -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.run",
            "--companies",
            "300",
            "--workbook-companies",
            "150",
            "--windows",
            "120",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    text = out.stdout
    for stage in (
        "load (read files)",
        "validate",
        "matching",
        "timelines",
        "losses",
        "credits",
        "insurance",
        "estimate (total)",
        "workbook",
        "peak_rss_mb",
    ):
        assert stage in text, stage
    assert "timing: " in text
    assert "faster" in text  # the reference comparison ran


@pytest.mark.slow
def test_simulation_benchmark_runs_and_reports_time_and_memory() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bench.simulate", "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    for run in ("founding sample", "portfolio", "portfolio x3 draws"):
        assert run in out.stdout, run
    for column in ("seconds", "peak MB", "working MB"):
        assert column in out.stdout, column
    assert "working memory" in out.stdout
    for run in ("founding sample", "portfolio"):  # both engine paths ran, side by side
        assert f"speed-up of the totals path ({run}): " in out.stdout, run


def _bench(*args: str) -> str:
    out = subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


@pytest.mark.slow
def test_risk_benchmark_runs_locally_and_on_a_local_cluster_with_the_same_numbers() -> None:
    text = _bench("bench.risk", "--quick")
    for shown in ("where: local", "where: LocalCluster, 2 workers", "peak MB", "total s"):
        assert shown in text, shown
    for engine in ("engine: totals", "engine: full"):
        assert engine in text, engine
    assert "speed-up of the totals path (300, 300, 'local'): " in text
    assert "every run (local, cluster, both engines) gives the same portfolio AAL: True" in text


@pytest.mark.slow
def test_streamed_run_benchmark_reports_rows_written_and_peak_memory() -> None:
    text = _bench("bench.run", "--stream", "500", "--windows", "60")
    assert "streamed run ('run --out-dir'): 500 companies" in text
    assert "estimate to Parquet" in text and "peak " in text
    assert "'losses': 0" not in text  # the run priced something


@pytest.mark.slow
def test_billing_benchmark_runs_and_reports_time_and_memory() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bench.billing", "--lines", "20000"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "wrote 20,000 FOCUS lines" in out.stdout
    assert "read_export: 20,000 lines ->" in out.stdout and "peak" in out.stdout
