"""The Recoveries sheet for covers as written (issue 15): every step a formula that
LibreOffice recalculates to the engine's value: the policy period, the basis, the credits
deducted, the deductible, the share, the occurrence and aggregate limits."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import estimator
from tests.conftest import ROOT
from tests.estimator.test_excel import formula_cells, recalculate, same
from tests.test_methodology import insurance_example


def catalog_portfolio() -> estimator.Results:
    inputs = estimator.load_inputs(ROOT / "sample_data" / "catalog-portfolio")
    return estimator.estimate(inputs, as_of="2026-06-01T00:00:00Z")


def policy_example() -> estimator.Results:
    return estimator.estimate(
        insurance_example("2021-12-08T00:00:00Z"), as_of="2023-01-01T00:00:00Z"
    )


@pytest.mark.libreoffice
@pytest.mark.parametrize("build", [policy_example, catalog_portfolio])
def test_every_recoveries_formula_recalculates_to_the_engines_value(
    build: object, tmp_path: Path
) -> None:
    results = build()  # type: ignore[operator]
    path = results.to_excel(tmp_path / "report.xlsx")
    expected = {k: v for k, v in formula_cells(path).items() if k[0] == "Recoveries"}
    book = openpyxl.load_workbook(recalculate(path, tmp_path), data_only=True)
    ws = book["Recoveries"]
    bad = [
        (c, ws[c].value, want) for (_, c), want in expected.items() if not same(ws[c].value, want)
    ]
    assert len(expected) >= 10 * len(results.recoveries) and not bad, bad[:10]
    head = [c.value for c in ws[1]]
    payout = head.index("Payout") + 1
    inside = head.index("In the policy period") + 1
    rows = range(2, len(results.recoveries) + 2)
    assert [ws.cell(r, payout).value for r in rows] == pytest.approx(
        results.recoveries["payout"].tolist(), abs=0.005
    )
    assert [ws.cell(r, inside).value for r in rows] == results.recoveries[
        "in_policy_period"
    ].tolist()
