"""Claims: urgency order, the claim pack's drafts and CSV, the claims command (issue 11)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pandas as pd

import estimator
from estimator.reports.claims_pack import pack_files
from tests.conftest import SAMPLE, SAMPLE_AS_OF, window


def with_november_outage(as_of: str) -> estimator.Results:
    """The founding sample plus an S3 outage in November 2021 (its claim is due 31 Jan)."""
    frames = estimator.load_inputs(SAMPLE).to_frames()
    nov = window("2021-11-10T10:00:00Z", "2021-11-10T18:00:00Z", outage_id="nov", service="s3")
    frames["outages"] = pd.concat([frames["outages"], pd.DataFrame([nov])], ignore_index=True)
    return estimator.estimate(estimator.Inputs.from_frames(**frames), as_of=as_of)


def test_claims_are_owed_provider_credits_most_urgent_first() -> None:
    r = with_november_outage("2022-01-15T00:00:00Z")
    c = r.claims()
    assert set(c["contract_id"]) >= {"streamflix-s3", "kindling-lambda", "paywave-ec2"}
    assert (c["credit_amount"] > 0).all()  # every claim of the sample is priced
    assert "streamflix-ec2" not in set(c["contract_id"])  # nothing owed: no claim
    assert "ledgerly-customers" not in set(c["contract_id"])  # owed by the company, not to it
    assert c["claim_deadline"].is_monotonic_increasing
    first = c.iloc[0]
    assert (first["contract_id"], first["month"]) == ("streamflix-s3", "2021-11")
    assert first["claim_status"] == "open (16 days left)"
    late = with_november_outage("2022-02-15T00:00:00Z").claims()
    logged = late["claim_status"].isin(["filed", "approved", "rejected", "paid"])
    assert logged.iloc[-3:].all() and not logged.iloc[:-3].any()  # the claim log's come last
    unlogged = late[~logged]
    assert (
        unlogged["claim_status"].iloc[-1] == "expired" and unlogged["month"].iloc[-1] == "2021-11"
    )
    assert late["claim_status"].iloc[0] == "open (13 days left)"


def test_the_pack_drafts_open_claims_and_lists_expired_ones_apart() -> None:
    r = with_november_outage("2022-02-15T00:00:00Z")
    files = pack_files(r)
    drafts = sorted(n for n in files if n.startswith("claim-"))
    assert drafts == [
        "claim-kindling-aws-210000000001-2021-12.md",
        "claim-paywave-aws-2021-12.md",
        "claim-streamflix-aws-110000000001-2021-12.md",
    ]  # November's claim has expired: listed, not drafted
    index = files["README.md"]
    assert "## Expired (1): listed, not drafted" in index
    assert "| streamflix | aws | 110000000001 |  | 2021-11 | 2022-01-31 |" in index
    # filed by 15 Feb per the claim log: listed, not drafted again
    assert "## Filed (3): from the claim log, not drafted" in index
    assert "| streamflix | aws | 110000000001 |  | 2021-12 | paid | 2022-02-28 | no |" in index
    draft = files["claim-streamflix-aws-110000000001-2021-12.md"]
    # what AWS asks a claim to contain, filled in where the tool knows it
    assert "**Subject:** SLA Credit Request - streamflix - December 2021" in draft
    assert "open (13 days left)" in draft and "2022-02-28 (UTC)" in draft
    assert "| aws-use1-2021-12-07 |  | us-east-1 | * | region | 2021-12-07 15:30:00 |" in draft
    assert "90,000.00 USD" in draft and "390,000.00" not in draft  # DynamoDB; S3 was filed
    assert "the affected resource IDs and the AWS region" in draft
    assert "Open a case in the AWS Support Center" in draft
    # the control-plane windows were not counted, so they are not claimed
    assert "control_plane" not in draft


def test_the_csv_lists_every_claim_line_with_exact_money() -> None:
    r = with_november_outage("2022-02-15T00:00:00Z")
    rows = list(csv.DictReader(io.StringIO(pack_files(r)["claims.csv"])))
    assert len(rows) == len(r.claims())
    s3 = next(x for x in rows if x["contract_id"] == "streamflix-s3" and x["month"] == "2021-12")
    assert s3["credit_amount"] == "300000.00" and s3["claim_deadline"] == "2022-02-28"
    total = sum(Decimal(x["credit_amount"]) for x in rows if x["month"] == "2021-12")
    assert total == Decimal("476500.00")


def test_the_pack_as_a_zip_and_in_a_folder(tmp_path: Path) -> None:
    r = estimator.estimate(estimator.load_inputs(SAMPLE), as_of=SAMPLE_AS_OF)
    with zipfile.ZipFile(io.BytesIO(r.claims_zip())) as z:
        names = set(z.namelist())
    written = {p.name for p in r.write_claims(tmp_path / "claims")}
    assert names == {f"claims/{n}" for n in written}
    assert "README.md" in written and "claims.csv" in written


def test_claims_command_prints_the_index_and_writes_the_pack(tmp_path: Path) -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "estimator.cli",
            "claims",
            str(SAMPLE),
            "--as-of",
            SAMPLE_AS_OF,
            "--out",
            str(tmp_path / "pack"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert "3 claims to send" in out.stdout and "open (58 days left)" in out.stdout
    assert (tmp_path / "pack" / "claim-streamflix-aws-110000000001-2021-12.md").exists()
    bad = subprocess.run(
        [sys.executable, "-m", "estimator.cli", "claims", str(tmp_path / "nowhere")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
