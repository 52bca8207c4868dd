"""Shared fixtures and helpers: build inputs from small lists, run estimates, find tools."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, settings

import estimator

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "aws-2021-12-07"
SAMPLE_AS_OF = "2022-01-01T00:00:00Z"

settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "dev", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REQUIRE_TOOLS = os.environ.get("SLA_ESTIMATOR_REQUIRE_TOOLS") == "1"
"""Set by .ci/run: a missing Chromium or LibreOffice is then an error, not a skip."""


def need_tool(*names: str) -> str:
    """The first executable found of ``names``; skip (locally) or fail (in CI) otherwise."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    message = f"none of {', '.join(names)} is installed"
    if REQUIRE_TOOLS:
        pytest.fail(message + " (.ci/run installs it)")
    pytest.skip(message)


def frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(rows)


def make_inputs(
    outages: list[dict[str, Any]],
    companies: list[dict[str, Any]],
    contracts: list[dict[str, Any]],
    exclusions: list[dict[str, Any]] | None = None,
    profiles: list[dict[str, Any]] | None = None,
) -> estimator.Inputs:
    return estimator.Inputs.from_frames(
        outages=frame(outages),
        companies=frame(companies),
        contracts=frame(contracts),
        exclusions=frame(exclusions) if exclusions else None,
        revenue_profiles=frame(profiles) if profiles else None,
    )


def window(
    start: str,
    end: str | None,
    impact: float = 1.0,
    *,
    outage_id: str = "o1",
    provider: str = "aws",
    region: str = "us-east-1",
    service: str = "ec2",
) -> dict[str, Any]:
    return {
        "outage_id": outage_id,
        "provider": provider,
        "region": region,
        "service": service,
        "start": start,
        "end": end,
        "impact": impact,
    }


def company(company_id: str = "acme", *, per_hour: float = 3600.0, **extra: Any) -> dict[str, Any]:
    return {"company_id": company_id, "revenue_per_hour": per_hour, **extra}


def provider_contract(
    contract_id: str = "c1",
    company_id: str = "acme",
    *,
    share: float = 1.0,
    sla: str = "custom",
    tiers: str | None = "99.9:10, 99:25, 95:100",
    fee: float = 1000.0,
    region: str = "us-east-1",
    service: str = "ec2",
    **extra: Any,
) -> dict[str, Any]:
    row = {
        "contract_id": contract_id,
        "company_id": company_id,
        "kind": "provider",
        "provider": "aws",
        "region": region,
        "service": service,
        "sla": sla,
        "monthly_fee": fee,
        "revenue_share": share,
        **extra,
    }
    if sla == "custom":
        row["tiers"] = tiers
    return row


def parametric_cover(
    contract_id: str = "cover", company_id: str = "acme", *, hourly: float = 100, **extra: Any
) -> dict[str, Any]:
    """A parametric insurance cover on every AWS us-east-1 service."""
    return {
        "contract_id": contract_id,
        "company_id": company_id,
        "kind": "insurance",
        "provider": "aws",
        "region": "us-east-1",
        "service": "*",
        "cover": "parametric",
        "hourly_payout": hourly,
        **extra,
    }


MINIMAL_TABLES = {
    "outages": "outage_id,provider,region,service,start,end,impact\n"
    "o1,aws,us-east-1,ec2,2021-12-07T15:30:00Z,2021-12-07T20:30:00Z,1\n",
    "companies": "company_id,annual_revenue\nacme,8760000\n",
    "contracts": "contract_id,company_id,provider,region,service,sla,monthly_fee,revenue_share\n"
    "c1,acme,aws,us-east-1,ec2,aws/ec2-region,1000,0.5\n",
}
"""The smallest scenario a new user types: the three required tables and nothing else."""


def write_minimal(folder: Path) -> Path:
    """The three-table scenario as CSV files in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in MINIMAL_TABLES.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def sample_inputs() -> estimator.Inputs:
    return estimator.load_inputs(SAMPLE)


@pytest.fixture(scope="session")
def sample_results(sample_inputs: estimator.Inputs) -> estimator.Results:
    return estimator.estimate(sample_inputs, as_of=SAMPLE_AS_OF)


@pytest.fixture(scope="session", autouse=True)
def library_in_a_temporary_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The app and the command line open the default scenario library; in tests it is a
    throw-away file, never the user's own."""
    path = tmp_path_factory.mktemp("library") / "library.sqlite"
    os.environ["SLA_ESTIMATOR_LIBRARY"] = f"sqlite:///{path}"
