"""estimator/ is a few stages, and imports run one way between them (ARCHITECTURE.md):
shared modules -> inputs -> sources -> engine -> results -> uncertainty / portfolio / library
-> reports -> cli. Imports inside functions count; ``if TYPE_CHECKING:`` imports (types only)
may point back. The package's ``__init__`` (the public API) imports every stage; only the
command line imports it back."""

from __future__ import annotations

import ast

from tests.conftest import ROOT
from tests.test_docs import module_imports

SHARED = {"errors", "columns", "table_columns", "display", "writers", "version"}
"""Top-level modules every stage may import; they import only each other."""
RANK = {
    "inputs": 1,
    "sources": 2,
    "engine": 3,
    "results": 4,
    "uncertainty": 5,
    "portfolio": 5,
    "library": 5,
    "reports": 6,
    "cli": 7,
}


def stage(module: str) -> str | None:
    """The stage of an ``estimator.*`` module: a subpackage name, ``shared`` or None (the
    package's own ``__init__``, the public API, which may import everything)."""
    parts = module.split(".")
    if parts[0] != "estimator" or len(parts) == 1:
        return None
    return "shared" if parts[1] in SHARED else parts[1]


def against_direction(graph: dict[str, set[str]]) -> list[str]:
    """Every import of an estimator module that runs against the stages' direction."""
    bad = []
    for source, targets in sorted(graph.items()):
        s = stage(source)
        if s is None:
            continue
        for target in sorted(targets):
            t = stage(target)
            if not target.startswith("estimator") or t == s:
                continue
            if t is None:  # the public API: only the command line stands above it
                if s != "cli":
                    bad.append(f"{source} imports the public API package itself")
            elif s == "shared" and t != "shared":
                bad.append(f"{source} (shared) imports {target} (stage {t})")
            elif t != "shared" and RANK[t] >= RANK[s]:
                bad.append(f"{source} (stage {s}) imports {target} (stage {t})")
    return bad


def test_imports_run_one_way_between_stages() -> None:
    graph = module_imports()
    assert "estimator.engine.run" in graph and "estimator.cli.main" in graph
    assert against_direction(graph) == []


def test_the_direction_check_catches_an_import_back() -> None:
    graph = {
        "estimator.engine.run": {"estimator.results.results", "estimator.inputs.scenario"},
        "estimator.uncertainty.simulation": {"estimator.portfolio.run"},
        "estimator.errors": {"estimator.inputs.schema"},
        "estimator.reports.excel": {"estimator.results.results", "estimator.columns"},
        "estimator.cli.main": {"estimator", "estimator.reports.console"},
        "estimator.library.store": {"estimator"},
    }
    assert against_direction(graph) == [
        "estimator.engine.run (stage engine) imports estimator.results.results (stage results)",
        "estimator.errors (shared) imports estimator.inputs.schema (stage inputs)",
        "estimator.library.store imports the public API package itself",
        "estimator.uncertainty.simulation (stage uncertainty) imports estimator.portfolio.run "
        "(stage portfolio)",
    ]


def test_function_level_imports_are_seen() -> None:
    """The graph the direction test reads counts an import inside a function body."""
    graph = module_imports()
    tree = ast.parse((ROOT / "estimator" / "portfolio" / "results.py").read_text())
    inner = {
        n.module
        for f in ast.walk(tree)
        if isinstance(f, ast.FunctionDef)
        for n in ast.walk(f)
        if isinstance(n, ast.ImportFrom) and n.module
    }
    assert inner and inner <= graph["estimator.portfolio.results"] | {"estimator.portfolio"}


def test_the_top_level_holds_a_handful_of_modules() -> None:
    top = sorted(p.stem for p in (ROOT / "estimator").glob("*.py"))
    assert top == sorted({"__init__", *SHARED}) and len(top) <= 8
    packages = {p.name for p in (ROOT / "estimator").iterdir() if (p / "__init__.py").exists()}
    assert packages == set(RANK)


def test_each_stage_says_what_it_takes_gives_and_may_import() -> None:
    for name, rank in RANK.items():
        doc = ast.get_docstring(ast.parse((ROOT / "estimator" / name / "__init__.py").read_text()))
        assert doc, name
        assert doc.startswith(f"Stage {rank}, {name}:"), (name, doc[:40])
        assert "Takes" in doc and ("gives" in doc or "Gives" in doc), name
        assert "May import" in doc, name
