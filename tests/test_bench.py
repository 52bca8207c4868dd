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
