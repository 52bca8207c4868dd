"""The Portfolio risk tab: exchange rates, a run over simulated outage years (fitted to the
bundled outage catalog), the portfolio's AAL and 1-in-100 / 1-in-250 losses, EP curves on a
log axis, and where the loss accumulates. Everything shown comes from ``estimator.risk``."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

import estimator
from app import risk_charts
from app.results_view import table
from app.runs import current_run, workbook_button

CATALOG = estimator.bundled_catalog()
HELP = (
    "Simulated outage years from a model fitted to the bundled catalog of real outages "
    "(METHODOLOGY.md § Portfolio risk), each priced with the exact rules of the estimate for "
    "the companies and contracts of this scenario. Portfolio figures are in the reporting "
    "currency, converted with the exchange rates below (units of the reporting currency per "
    "unit; a missing rate is an error)."
)


def fx_editor() -> tuple[pd.DataFrame, dict[str, Any]]:
    """Draw the exchange-rate editor (before validation)."""
    st.caption(HELP)
    frame = st.data_editor(
        st.session_state["base"]["fx_rates"],
        key=f"editor-fx_rates-{st.session_state['gen']}",
        num_rows="dynamic",
        width="stretch",
        placeholder="",
    )
    return frame, {"fx_rates": st.container(), "risk": st.container()}


@st.cache_data(show_spinner="Pricing simulated years...", max_entries=4)
def run_risk(
    inputs: estimator.Inputs, years: int, seed: int, currency: str, rule: str
) -> estimator.RiskResults:
    events = estimator.stochastic_events(CATALOG, years=years, seed=seed, exposure=inputs)
    result = estimator.risk(inputs, events, reporting_currency=currency, dependency_rule=rule)
    result.settings.update({"catalog": CATALOG.name, "seed": str(seed)})
    return result


@st.cache_data(show_spinner=False, max_entries=4)
def risk_workbook(
    inputs: estimator.Inputs, years: int, seed: int, currency: str, rule: str
) -> bytes:
    return run_risk(inputs, years, seed, currency, rule).excel_bytes()


def risk_view(inputs: estimator.Inputs | None, problems: list[Any], rule: str) -> None:
    if inputs is None or any(i.source == "fx_rates" for i in problems):
        st.info("Fix the problems shown to run the portfolio risk.", icon=":material/block:")
        return
    with st.form("risk"):
        c1, c2, c3 = st.columns(3)
        years = int(
            c1.number_input(
                "Simulated years",
                100,
                100_000,
                10_000,
                step=1_000,
                key="risk-years",
                help="10,000 keeps a run interactive; the command line runs 50,000 by default. "
                "The Convergence chart shows whether more years would change the answer.",
            )
        )
        seed = int(
            c2.number_input("Seed (same seed, same years)", 0, 2**31 - 1, 0, key="risk-seed")
        )
        currency = (
            str(c3.text_input("Reporting currency", "USD", key="risk-currency")).strip().upper()
        )
        run = st.form_submit_button(
            "Run portfolio risk", type="primary", icon=":material/query_stats:"
        )
    options = (years, seed, currency, rule)
    if not current_run("risk_key", run, inputs, *options):
        return
    try:
        result = run_risk(inputs, *options)
    except estimator.InputError as exc:
        st.error(f"Cannot run: {exc}", icon=":material/error:")
        return
    show(result, inputs, options)


def show(r: estimator.RiskResults, inputs: estimator.Inputs, options: tuple[Any, ...]) -> None:
    cur = r.reporting_currency
    st.caption(
        f"{r.n_years:,} simulated years, seed {r.settings.get('seed', '')}, reporting currency "
        f"{cur}. AEP: a year's total; OEP: a year's largest event; 1-in-T: exceeded once in T "
        "years on average."
    )
    workbook_button(
        "Risk workbook (.xlsx)",
        risk_workbook(inputs, *options),
        "sla-risk.xlsx",
        "download_risk_xlsx",
    )
    head = r.headline().assign(measure=lambda f: f["measure"].map(risk_charts.label))
    st.subheader(f"Portfolio ({cur})")
    shown = pd.DataFrame(
        {
            "Measure": head["measure"],
            **{
                name: [estimator.display.format_money(v, cur) for v in head[col]]
                for name, col in (
                    ("AAL", "aal"),
                    ("AAL SE", "aal_se"),
                    ("AEP 1-in-100", "aep_100"),
                    ("SE (AEP 100)", "aep_100_se"),
                    ("AEP 1-in-250", "aep_250"),
                    ("SE (AEP 250)", "aep_250_se"),
                    ("OEP 1-in-100", "oep_100"),
                    ("SE (OEP 100)", "oep_100_se"),
                    ("OEP 1-in-250", "oep_250"),
                    ("SE (OEP 250)", "oep_250_se"),
                )
            },
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch", placeholder="")
    st.subheader("Exceedance curves")
    c1, c2 = st.columns(2)
    companies = ["portfolio", *r.alt.loc[r.alt["company_id"] != "portfolio", "company_id"].unique()]
    company = c1.selectbox("Company", companies, key="risk-company")
    measures = list(estimator.table_columns.SUMMARY_MONEY)
    measure = c2.selectbox("Measure", measures, key="risk-measure", format_func=risk_charts.label)
    st.altair_chart(risk_charts.ep_curves(r, company, measure), width="stretch")
    st.subheader("Convergence")
    st.caption(
        "The portfolio's figures on the first years priced, with one standard error either "
        "side (SE: METHODOLOGY §17). If the last points still move by more than their SE, run "
        "more years."
    )
    st.altair_chart(risk_charts.convergence(r, measure), width="content")
    table(r.convergence)
    st.subheader("Average annual values")
    table(r.alt)
    acc = r.accumulation
    st.subheader("Where the loss accumulates: provider-regions")
    table(acc[acc["level"] == "provider-region"].drop(columns=["level", "year"]))
    st.subheader("Largest simulated events")
    table(acc[acc["level"] == "event"].head(50).drop(columns=["level", "aal_total_loss"]))
