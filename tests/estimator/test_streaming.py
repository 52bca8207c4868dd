"""An estimate streamed partition by partition to Parquet (issue 14): the same rows as the
whole estimate, and the command line's totals."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import estimator
from estimator.portfolio.streaming import estimate_to_parquet
from tests.conftest import ROOT
from tests.estimator.test_cli import cli

PORTFOLIO = ROOT / "sample_data" / "catalog-portfolio"
AS_OF = "2026-06-01T00:00:00Z"


def test_partitions_written_to_parquet_hold_the_whole_estimates_rows(tmp_path: Path) -> None:
    inputs = estimator.load_inputs(PORTFOLIO)
    whole = estimator.estimate(inputs, as_of=AS_OF)
    done = estimate_to_parquet(inputs, tmp_path, as_of=AS_OF, companies_per_partition=2)
    assert len(list((tmp_path / "credits").glob("part-*.parquet"))) == 3
    pd.testing.assert_frame_equal(done.summary, whole.summary)
    for name, frame in (
        ("losses", whole.losses),
        ("credits", whole.credits),
        ("recoveries", whole.recoveries),
        ("claims", whole.claims()),
    ):
        back = pd.read_parquet(tmp_path / name)
        keys = [
            c
            for c in ("company_id", "contract_id", "outage_id", "month", "episode_start")
            if c in back
        ]
        local = ["credits_row"]  # a claim's row in its own partition's credits file
        want = frame.drop(columns=local, errors="ignore").sort_values(keys, ignore_index=True)
        back = back.drop(columns=local, errors="ignore")
        got = back.sort_values(keys, ignore_index=True).astype(want.dtypes.to_dict())
        pd.testing.assert_frame_equal(got, want, obj=name)
        assert done.rows[name] == len(frame)


def test_the_command_streams_and_prints_the_totals(tmp_path: Path) -> None:
    out = cli("run", str(PORTFOLIO), "--as-of", AS_OF, "--out-dir", str(tmp_path))
    assert out.returncode == 0, out.stderr
    totals = estimator.estimate(estimator.load_inputs(PORTFOLIO), as_of=AS_OF).totals()
    usd = totals.set_index("currency").loc["USD"]
    line = next(ln for ln in out.stdout.splitlines() if ln.strip().startswith("USD"))
    assert f"{usd['total_loss']:,.2f}" in line and f"{usd['net_impact']:,.2f}" in line
    assert (tmp_path / "summary.parquet").exists()
    refused = cli("run", str(PORTFOLIO), "--out-dir", str(tmp_path), "--out", "x.xlsx")
    assert refused.returncode == 2 and "leave out --out and --json" in refused.stderr
