"""The sla-estimator command line: results, every problem with exit status 2, options."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd

from tests.conftest import SAMPLE, SAMPLE_AS_OF


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "estimator.cli", *args], capture_output=True, text=True, timeout=300
    )


def test_run_prints_losses_credits_with_deadlines_and_the_summary() -> None:
    out = cli("run", str(SAMPLE), "--as-of", SAMPLE_AS_OF)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    for company in (
        "streamflix",
        "kindling",
        "paywave",
        "blue-air",
        "southbound-air",
        "pacific-air",
        "ledgerly",
    ):
        assert company in text
    assert "Claim by (UTC date)" in text and "2022-02-28" in text
    assert "Recovery ratio" in text and "Insurance recoveries" in text
    assert "300,000.00" in text  # streamflix-s3 credit


def test_bad_input_prints_every_problem_and_exits_2(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    shutil.copytree(SAMPLE, folder)
    companies = pd.read_csv(folder / "companies.csv", dtype=str, keep_default_na=False)
    companies.loc[0, "currency"] = "dollars"
    companies.loc[1, "timezone"] = "Mars/Base"
    companies.to_csv(folder / "companies.csv", index=False)
    out = cli("run", str(folder))
    assert out.returncode == 2
    assert "Traceback" not in out.stderr + out.stdout
    assert "2 problems in the inputs" in out.stderr
    assert "companies.csv, row 2, column currency" in out.stderr
    assert "companies.csv, row 3, column timezone" in out.stderr


def test_missing_input_and_bad_as_of_are_input_errors(tmp_path: Path) -> None:
    missing = cli("run", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "no such file or folder" in missing.stderr
    bad_time = cli("run", str(SAMPLE), "--as-of", "tomorrow")
    assert bad_time.returncode == 2 and "Traceback" not in bad_time.stderr


def test_help_documents_every_option() -> None:
    text = cli("run", "--help").stdout
    for option in ("--as-of", "--rule", "--out", "--json", "INPUT"):
        assert option in text
    assert "catalog" in cli("--help").stdout


def test_out_and_json_write_the_reports(tmp_path: Path) -> None:
    out = cli(
        "run",
        str(SAMPLE),
        "--as-of",
        SAMPLE_AS_OF,
        "--out",
        str(tmp_path / "r.xlsx"),
        "--json",
        str(tmp_path / "r.json"),
    )
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "r.xlsx").stat().st_size > 10_000
    assert json.loads((tmp_path / "r.json").read_text())["as_of"] == SAMPLE_AS_OF


def test_catalog_lists_the_templates() -> None:
    out = cli("catalog", "--provider", "azure")
    assert out.returncode == 0
    assert "azure/sql-database@2026-09 edition" in out.stdout
    assert "aws/" not in out.stdout


def test_console_script_is_installed() -> None:
    exe = shutil.which("sla-estimator")
    assert exe, "pip install -e . installs the sla-estimator command"
    out = subprocess.run([exe, "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "sla-estimator" in out.stdout
