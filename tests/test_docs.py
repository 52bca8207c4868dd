"""The documents stay true: the methodology's worked example, the README's Python example,
the README's quick start, the public API, the architecture's import rule."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pandas as pd
import pytest

import estimator
from tests.conftest import ROOT


def worked_example() -> estimator.Inputs:
    return estimator.Inputs.from_frames(
        outages=pd.DataFrame(
            [
                {
                    "outage_id": "x",
                    "provider": "aws",
                    "region": "us-east-1",
                    "service": "*",
                    "start": "2022-06-14T10:00:00Z",
                    "end": "2022-06-14T14:00:00Z",
                    "impact": 0.8,
                }
            ]
        ),
        companies=pd.DataFrame(
            [
                {
                    "company_id": "acme",
                    "currency": "USD",
                    "revenue_per_hour": 10000,
                    "recapture_rate": 0.2,
                    "outage_cost_per_hour": 1000,
                }
            ]
        ),
        contracts=pd.DataFrame(
            [
                {
                    "contract_id": "acme-ec2",
                    "company_id": "acme",
                    "provider": "aws",
                    "region": "us-east-1",
                    "service": "ec2",
                    "sla": "aws/ec2-region",
                    "monthly_fee": 20000,
                    "revenue_share": 0.6,
                    "failover_minutes": 60,
                    "failover_share": 0.75,
                },
                {
                    "contract_id": "acme-s3",
                    "company_id": "acme",
                    "provider": "aws",
                    "region": "us-east-1",
                    "service": "s3",
                    "sla": "aws/s3-standard",
                    "monthly_fee": 5000,
                    "revenue_share": 0.3,
                },
                {
                    "contract_id": "acme-sla",
                    "company_id": "acme",
                    "kind": "customer",
                    "sla": "custom",
                    "tiers": "99.9:10, 99:25",
                    "downtime_threshold": 0.5,
                    "monthly_fee": 50000,
                },
                {
                    "contract_id": "acme-cover",
                    "company_id": "acme",
                    "kind": "insurance",
                    "provider": "aws",
                    "region": "us-east-1",
                    "service": "*",
                    "cover": "parametric",
                    "downtime_threshold": 0.5,
                    "waiting_hours": 2,
                    "hourly_payout": 2000,
                    "limit": 10000,
                },
            ]
        ),
    )


def test_methodology_worked_example() -> None:
    text = (ROOT / "METHODOLOGY.md").read_text()
    r = estimator.estimate(worked_example(), as_of="2023-01-01T00:00:00Z")
    loss = r.losses.iloc[0]
    assert (
        loss.gross_lost_revenue,
        loss.recaptured_revenue,
        loss.outage_costs,
        loss.total_loss,
    ) == (12000.0, 2400.0, 4000.0, 13600.0)
    c = r.credits.set_index("contract_id")
    assert c.loc["acme-ec2", "credit_amount"] == 0.0
    assert c.loc["acme-s3", "credit_amount"] == 500.0
    assert c.loc["acme-s3", "uptime_pct"] == pytest.approx(99.5556, abs=5e-5)
    assert c.loc["acme-s3", "claim_deadline"] == pd.Timestamp("2022-08-31")
    assert c.loc["acme-sla", "uptime_pct"] == pytest.approx(99.4444, abs=5e-5)
    assert c.loc["acme-sla", "credit_amount"] == 5000.0
    assert r.recoveries["payout"].tolist() == [4000.0]
    s = r.summary.iloc[0]
    assert s.net_impact == 14100.0
    assert round(s.recovery_ratio, 3) == 0.331
    indep = estimator.estimate(
        worked_example(), dependency_rule="independent", as_of="2023-01-01T00:00:00Z"
    )
    assert indep.losses["gross_lost_revenue"].iloc[0] == 15984.0
    for figure in (
        "12,000.00",
        "2,400.00",
        "4,000.00",
        "13,600.00",
        "15,984.00",
        "500.00",
        "5,000.00",
        "14,100.00",
        "33.1 %",
        "31 August 2022",
    ):
        assert figure in text, figure


def test_readme_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (ROOT / "README.md").read_text()
    code = re.search(r"## Python API\s+```python\n(.*?)```", text, re.S)
    assert code
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sample_data").symlink_to(ROOT / "sample_data")
    namespace: dict[str, object] = {}
    exec(compile(code.group(1), "README.md", "exec"), namespace)
    assert (tmp_path / "report.xlsx").stat().st_size > 0
    assert (tmp_path / "results.json").stat().st_size > 0


def quick_start() -> list[str]:
    text = (ROOT / "README.md").read_text()
    block = re.search(r"## Quick start.*?```bash\n(.*?)```", text, re.S)
    assert block
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_is_two_commands_and_ci_runs_the_second() -> None:
    commands = quick_start()
    assert len(commands) == 2
    assert "streamlit run streamlit_app.py" in commands[0]
    assert commands[1].endswith("pytest")
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert commands[1] in ci


@pytest.mark.slow
def test_quick_start_first_command_serves_the_app(tmp_path: Path) -> None:
    """Run the README's first command as written (install, then streamlit run) and load the app."""
    import os
    import socket
    import subprocess
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "STREAMLIT_SERVER_PORT": str(port),
        "STREAMLIT_SERVER_HEADLESS": "true",
        "STREAMLIT_SERVER_ADDRESS": "127.0.0.1",
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
        "STREAMLIT_SERVER_SCRIPT_HEALTH_CHECK_ENABLED": "true",
        "PIP_QUIET": "1",
    }
    proc = subprocess.Popen(
        ["bash", "-c", quick_start()[0]],
        cwd=ROOT,
        env=env,
        stdout=(tmp_path / "out.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 300
        health = b""
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/_stcore/health", timeout=2
                ) as r:
                    health = r.read()
                    break
            except OSError:
                time.sleep(1)
        assert health == b"ok", (tmp_path / "out.log").read_text()[-2000:]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as r:
            assert b"<title>Streamlit</title>" in r.read()  # the app's page, not another server
        # the app script itself loads and runs (Streamlit runs it and answers 503 if it fails)
        check = f"http://127.0.0.1:{port}/_stcore/script-health-check"
        with urllib.request.urlopen(check, timeout=120) as r:
            assert r.read() == b"ok"
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)


def issue11_example() -> estimator.Inputs:
    def w(outage_id: str, service: str, start: str, end: str, **extra: str) -> dict[str, object]:
        return {
            "outage_id": outage_id,
            "provider": "aws",
            "region": "us-east-1",
            "service": service,
            "start": start,
            "end": end,
            "impact": 1,
            **extra,
        }

    def c(
        contract_id: str, service: str, sla: str, fee: int, share: float = 0.0
    ) -> dict[str, object]:
        return {
            "contract_id": contract_id,
            "company_id": "acme",
            "provider": "aws",
            "region": "us-east-1",
            "service": service,
            "sla": sla,
            "monthly_fee": fee,
            "revenue_share": share,
        }

    return estimator.Inputs.from_frames(
        outages=pd.DataFrame(
            [
                w(
                    "z",
                    "ec2",
                    "2022-06-14T10:00:00Z",
                    "2022-06-14T14:00:00Z",
                    scope="zone",
                    zone="use1-az4",
                ),
                w("later", "ec2", "2022-06-14T20:00:00Z", "2022-06-14T21:00:00Z"),
                w("s3", "lambda", "2017-02-28T17:37:00Z", "2017-02-28T21:54:00Z"),
                w("s3-2019", "lambda", "2019-02-28T17:37:00Z", "2019-02-28T21:54:00Z"),
            ]
        ),
        companies=pd.DataFrame([{"company_id": "acme", "revenue_per_hour": 10000}]),
        contracts=pd.DataFrame(
            [
                c("acme-ec2", "ec2", "aws/ec2-region", 20000, 0.6),
                c("acme-vm", "ec2", "aws/ec2-instance", 2000),
                c("acme-lambda", "lambda", "aws/lambda", 1000),
            ]
        ),
    )


def test_methodology_worked_examples_of_scope_start_date_valuation_and_claim_status() -> None:
    text = " ".join((ROOT / "METHODOLOGY.md").read_text().split())
    inputs = issue11_example()
    r = estimator.estimate(inputs, as_of="2022-07-01T00:00:00Z")
    c = r.credits.set_index(["contract_id", "month"])
    ec2, vm = c.loc[("acme-ec2", "2022-06")], c.loc[("acme-vm", "2022-06")]
    assert (ec2.downtime_minutes, ec2.credit_amount) == (60.0, 2000.0)
    assert ec2.uptime_pct == pytest.approx(99.8611, abs=5e-5)
    assert ec2.outside_scope == "z (zone use1-az4)"
    assert (vm.downtime_minutes, vm.credit_amount) == (300.0, 200.0)
    assert vm.uptime_pct == pytest.approx(99.3056, abs=5e-5)
    losses = r.losses.set_index("outage_id")["gross_lost_revenue"]
    assert (losses["z"], losses["later"]) == (24000.0, 6000.0)
    feb17, feb19 = c.loc[("acme-lambda", "2017-02")], c.loc[("acme-lambda", "2019-02")]
    assert pd.isna(feb17.credit_amount) and feb17.claim_status == ""
    quote = "aws/lambda did not exist on 2017-02-28: it was introduced on 2018-10-17"
    assert quote in feb17.review_reason and quote in text
    assert feb19.credit_amount == 100.0 and feb19.uptime_pct == pytest.approx(99.3626, abs=5e-5)
    assert vm.claim_deadline == pd.Timestamp("2022-08-31")
    assert vm.claim_status == ec2.claim_status == "open (61 days left)"
    late = estimator.estimate(inputs, as_of="2022-09-01T00:00:00Z").credits
    assert set(late.loc[late["month"] == "2022-06", "claim_status"]) == {"expired"}
    noon = estimator.estimate(inputs, as_of="2022-06-14T12:00:00Z")
    assert noon.after_as_of == ["later"] and noon.cut_at_as_of == ["z"]
    assert noon.losses.set_index("outage_id").loc["z", "gross_lost_revenue"] == 12000.0
    at_noon = noon.credits.set_index("contract_id")
    assert at_noon.loc["acme-vm", "downtime_minutes"] == 120.0
    assert at_noon.loc["acme-vm", "uptime_pct"] == pytest.approx(99.7222, abs=5e-5)
    assert at_noon.loc["acme-vm", "credit_amount"] == 0.0
    assert at_noon.loc["acme-ec2", "downtime_minutes"] == 0.0
    for figure in (
        "2,000.00",
        "200.00",
        "24,000.00",
        "6,000.00",
        "100.00",
        "12,000.00",
        "99.8611 %",
        "99.3056 %",
        "99.3626 %",
        "99.7222 %",
        "31 August 2022",
        "open (61 days left)",
    ):
        assert figure in text, figure


def test_public_api_is_pinned() -> None:
    assert estimator.__all__ == [
        "InputError",
        "Inputs",
        "Results",
        "Simulation",
        "ValidationIssue",
        "columns",
        "dependency_rules",
        "display",
        "distributions",
        "estimate",
        "input_columns",
        "load_inputs",
        "load_uploaded",
        "range_questions",
        "read_tables",
        "simulate",
        "sla_catalog",
        "suggested_ranges",
        "uncertain_inputs",
    ]


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_pricing_imports_nothing_from_estimator_or_ui() -> None:
    for path in (ROOT / "pricing").rglob("*.py"):
        bad = imports_of(path) & {"estimator", "streamlit", "openpyxl", "xlsxwriter", "app"}
        assert not bad, (path, bad)


def test_report_writers_and_app_compute_no_rule() -> None:
    """Writers and the app use estimator's public API or Results; never pricing directly,
    except the money module for formatting."""
    paths = [
        *(ROOT / "estimator" / "reports").rglob("*.py"),
        ROOT / "streamlit_app.py",
        *(ROOT / "app").glob("*.py"),
    ]
    for path in paths:
        if not path.exists():
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("pricing")
            ):
                assert node.module in {"pricing.money", "pricing.tiers"}, (path, node.module)
    for path in [ROOT / "streamlit_app.py", *(ROOT / "app").glob("*.py")]:
        if path.exists():
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and node.module:
                    assert not node.module.startswith("pricing"), path
                    # the app reaches estimator through its public API only
                    assert not node.module.startswith("estimator"), (path, node.module)
                    if node.module.startswith("estimator"):
                        assert node.module in {"estimator", "estimator.labels"}, (path, node.module)


def module_imports() -> dict[str, set[str]]:
    """Every project module -> the project modules it imports, at any depth of the file
    (imports inside functions count), except type-only imports (``if TYPE_CHECKING:``)."""
    files = {
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
        for package in ("estimator", "pricing", "app")
        for p in (ROOT / package).rglob("*.py")
    }
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        tree = ast.parse(path.read_text())
        type_only = {
            id(n)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for n in ast.walk(node)
        }
        found: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in type_only:
                continue
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                # ``from package import submodule`` imports the submodule; other names come
                # from the module itself
                subs = {f"{node.module}.{a.name}" for a in node.names} & set(files)
                found |= subs or {node.module}
                if len(subs) < len(node.names):
                    found.add(node.module)
        graph[name] = {m for m in found if m in files and m != name}
    return graph


def test_the_package_has_no_import_circle() -> None:
    graph = module_imports()
    assert "estimator.engine" in graph and "estimator.results" in graph
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt) :], nxt]
                raise AssertionError("import circle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


def test_every_file_the_docs_name_exists() -> None:
    docs = ["README.md", "METHODOLOGY.md", "ARCHITECTURE.md", "bench/README.md"]
    docs += [str(p.relative_to(ROOT)) for p in (ROOT / "sample_data").glob("*/README.md")]
    named: set[str] = set()
    for doc in docs:
        text = (ROOT / doc).read_text()
        named |= set(re.findall(r"\b(?:estimator|pricing|app|bench|tests)/[\w/]*\.py\b", text))
        assert "../shared" not in text, doc  # sources are cited, not files outside the repo
    assert len(named) > 30
    missing = sorted(n for n in named if not (ROOT / n).exists())
    assert not missing, missing
