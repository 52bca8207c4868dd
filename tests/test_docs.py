"""The documents stay true: the README's Python example and quick start, the public API, the
architecture's import rules, every file the docs name (worked examples: test_methodology.py)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import estimator
from tests.conftest import ROOT


def test_readme_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Python API", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) == 3  # the estimate, the simulation, the portfolio risk
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sample_data").symlink_to(ROOT / "sample_data")
    namespace: dict[str, object] = {}
    for code in blocks:
        exec(compile(code, "README.md", "exec"), namespace)
    assert (tmp_path / "report.xlsx").stat().st_size > 0
    assert (tmp_path / "results.json").stat().st_size > 0
    assert (tmp_path / "simulation.xlsx").stat().st_size > 0
    risk = namespace["risk"]
    assert isinstance(risk, estimator.RiskResults) and risk.n_years == 1_000


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


def test_public_api_is_pinned() -> None:
    assert estimator.__all__ == [
        "BillingExport",
        "Comparison",
        "InputError",
        "Inputs",
        "Library",
        "LibraryError",
        "Results",
        "RiskResults",
        "Simulation",
        "ValidationIssue",
        "bundled_catalog",
        "columns",
        "compare",
        "dependency_rules",
        "display",
        "distributions",
        "estimate",
        "input_columns",
        "load_events",
        "load_inputs",
        "load_outages",
        "load_uploaded",
        "range_questions",
        "read_billing",
        "read_export",
        "read_incidents",
        "read_monitoring",
        "read_tables",
        "risk",
        "simulate",
        "sla_catalog",
        "stochastic_events",
        "suggested_ranges",
        "table_columns",
        "uncertain_inputs",
        "what_if",
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
    assert "estimator.engine.run" in graph and "estimator.results.results" in graph
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
