"""Claims desk on real events (issue 25, part 1): no traceback when nothing is hit or the
valuation comes before the event; a contract no window could ever hit gets a note with a
"did you mean"; an SLA template of another provider or service is an input error."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import estimator
from estimator.reports.claims_pack import pack_files
from tests.conftest import SAMPLE, SAMPLE_AS_OF, company, make_inputs, provider_contract, window
from tests.estimator.test_cli import cli

W = window("2029-06-01T10:00:00Z", "2029-06-01T12:00:00Z")
TABLES = ("losses", "credits", "credit_steps", "recoveries", "recovery_steps", "terms", "tiers")


def moved_outages(tmp_path: Path) -> Path:
    """The founding sample with every outage moved to a region no contract has."""
    folder = tmp_path / "nothing-hit"
    folder.mkdir()
    for name in ("companies", "contracts", "revenue_profiles", "charges"):
        (folder / f"{name}.csv").write_bytes((SAMPLE / f"{name}.csv").read_bytes())
    outages = pd.read_csv(SAMPLE / "outages.csv", dtype=str, keep_default_na=False)
    outages["region"] = "eu-west-3"
    outages.to_csv(folder / "outages.csv", index=False)
    return folder


@pytest.mark.parametrize("case", ["nothing hit", "valued before the event"])
def test_a_scenario_without_a_credit_runs_everywhere(
    case: str, tmp_path: Path, sample_results: estimator.Results
) -> None:
    path, as_of = (
        (moved_outages(tmp_path), SAMPLE_AS_OF)
        if case == "nothing hit"
        else (SAMPLE, "2020-01-01T00:00:00Z")
    )
    r = estimator.estimate(estimator.load_inputs(path), as_of=as_of)
    assert r.credits.empty and r.review().empty and r.claims().empty
    for name in TABLES:  # typed as when there are rows: they filter and sort alike
        empty, full = getattr(r, name), getattr(sample_results, name)
        assert empty.dtypes.to_dict() == full.dtypes.to_dict(), name
    assert "Expired (0)" in pack_files(r)["README.md"]
    for command in (["run"], ["claims", "--out", str(tmp_path / "pack")]):
        out = cli(*command, str(path), "--as-of", as_of)
        assert out.returncode == 0, out.stderr
        assert "internal error" not in out.stderr
    assert (tmp_path / "pack" / "claims.csv").read_text().startswith("company_id,")


def test_a_contract_no_window_can_hit_gets_a_note_with_a_did_you_mean() -> None:
    contracts = [
        provider_contract("zone-as-region", region="use1"),
        provider_contract("long-name", service="amazon-dynamodb"),
        provider_contract("short-name", service="ddb"),
        provider_contract("fine", service="dynamodb"),
        {**provider_contract("other-name"), "provider": "amazon"},
    ]
    inputs = make_inputs([W], [company()], contracts)
    notes = "\n".join(inputs.notes)
    assert "row 2, column region: 'use1' is not among the aws regions" in notes
    assert "did you mean 'us-east-1'?" in notes
    assert notes.count("did you mean 'dynamodb'?") == 2
    assert "'amazon' is not a provider" in notes and "did you mean 'aws'?" in notes
    assert "'dynamodb' is not" not in notes  # a known service, even with no outage of it
    assert len(inputs.notes) == 4
    out = estimator.estimate(inputs, as_of="2030-01-01T00:00:00Z")
    assert "zone-as-region" not in set(out.credits["contract_id"])  # priced, and not hit


def test_the_sample_scenarios_have_no_reach_notes() -> None:
    for folder in (SAMPLE, SAMPLE.parent / "catalog-portfolio"):
        assert estimator.load_inputs(folder).notes == ()


@pytest.mark.parametrize(
    ("provider", "service", "sla", "expected"),
    [
        (
            "aws",
            "dynamodb",
            "aws/s3-standard",
            "is for aws s3, not for this contract's aws dynamodb",
        ),
        (
            "gcp",
            "compute-engine",
            "aws/dynamodb",
            "is for aws dynamodb, not for this contract's gcp",
        ),
        ("aws", "ddb", "aws/dynamodb", "or did you mean service 'dynamodb'?"),
    ],
)
def test_a_template_of_another_provider_or_service_is_an_input_error(
    provider: str, service: str, sla: str, expected: str
) -> None:
    row = {**provider_contract(sla=sla, service=service), "provider": provider}
    with pytest.raises(estimator.InputError) as info:
        make_inputs([W], [company()], [row])
    (issue,) = info.value.issues
    assert issue.column == "sla" and issue.row == 2 and expected in issue.message


def test_a_template_for_every_service_of_its_provider_fits() -> None:
    row = provider_contract(sla="aws/ec2-region", service="*")
    assert len(make_inputs([W], [company()], [row]).contracts) == 1
