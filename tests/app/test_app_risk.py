"""The app's Portfolio risk tab under AppTest (issue 14): a run shows the portfolio's AAL and
1-in-100 losses of estimator.risk, the EP curves on a log axis, the accumulation; a missing
exchange rate is shown in the tab while the estimate stays."""

from __future__ import annotations

import json

import estimator
from estimator.display import format_money
from tests.app.test_app import (
    AS_OF,
    clear_caches,  # noqa: F401 - an autouse fixture
    editor_key,
    metrics,
    start,
)
from tests.app.test_app_uncertainty import vega


def run_risk(at: object, years: int) -> None:
    at.number_input(key="risk-years").set_value(years)  # type: ignore[attr-defined]
    form = next(f for f in at.form if f.proto.form.form_id == "risk")  # type: ignore[attr-defined]
    form.form_submit_button[0].click()
    at.run()  # type: ignore[attr-defined]
    assert not at.exception, at.exception  # type: ignore[attr-defined]


def test_a_run_shows_the_portfolio_figures_and_the_ep_curves(
    sample_inputs: estimator.Inputs,
) -> None:
    at = start()
    run_risk(at, 300)
    events = estimator.stochastic_events(
        estimator.bundled_catalog(), years=300, seed=0, exposure=sample_inputs
    )
    want = estimator.risk(sample_inputs, events).headline().set_index("measure")
    table = next(d.value for d in at.dataframe if "AEP 1-in-100" in d.value.columns)
    row = table.set_index("Measure").loc["Total loss"]
    assert row["AAL"] == format_money(want.loc["total_loss", "aal"], "USD")
    assert row["AEP 1-in-100"] == format_money(want.loc["total_loss", "aep_100"], "USD")
    assert row["AEP 1-in-250"] == format_money(want.loc["total_loss", "aep_250"], "USD")
    assert row["SE (AEP 100)"] == format_money(want.loc["total_loss", "aep_100_se"], "USD")
    assert row["AAL SE"] == format_money(want.loc["total_loss", "aal_se"], "USD")
    converging = [json.loads(c.proto.spec) for c in vega(at) if "Convergence" in c.proto.spec]
    assert converging and converging[0]["spec"]["layer"][0]["mark"]["type"] == "area"
    assert any("AEP 1-in-100 SE" in d.value.columns for d in at.dataframe)  # convergence rows
    curves = [json.loads(c.proto.spec) for c in vega(at) if "exceedance curves" in c.proto.spec]
    assert curves and curves[0]["encoding"]["x"]["scale"]["type"] == "log"
    assert any("Provider-region" in d.value.columns for d in at.dataframe)
    assert [d for d in at.download_button if d.key == "download_risk_xlsx"]


def test_a_missing_exchange_rate_is_shown_in_the_tab_and_the_estimate_stays(
    sample_results: estimator.Results,
) -> None:
    at = start()
    key = editor_key(at, "fx_rates")
    at.session_state[key] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [0]}
    at.run()
    assert metrics(at)  # the estimate does not need exchange rates
    run_risk(at, 100)
    errors = [e.value for e in at.error]
    assert any("no exchange rate from EUR to the reporting currency USD" in e for e in errors)
    assert sample_results.as_of.strftime("%Y-%m-%dT%H:%M:%SZ") == AS_OF
