"""The Uncertainty tab: the uncertainty table with one-click ranges, a run, and every figure
as a range (percentiles, a histogram with P5 / P50 / P95, a tornado), per company in its
currency. Everything shown comes from ``estimator.simulate``; nothing is computed here."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

import estimator
from app import state as S
from app import uncertainty_charts as charts
from app.results_view import table
from app.runs import current_run, workbook_button

PRESETS = {"duration": "Duration range", "impact": "Impact range", "revenue": "Revenue range"}
SHOWN = ["company_id", "currency", "measure", "mean", "p5", "p50", "p95", "sem"]
HELP = (
    "One row per uncertain input: table (outages, companies or contracts), id (an outage_id, "
    "company_id or contract_id; * = every row, each with its own draw), column, distribution "
    "(uniform: low, high; triangular and pert: low, mode, high; lognormal: low and high are "
    "its 5th and 95th percentiles), and an optional group: rows in one group move together."
)


def uncertainty_editor() -> tuple[pd.DataFrame, dict[str, Any]]:
    """Draw the editor (before validation); returns the table as edited and the places to
    draw into after validation."""
    st.caption(HELP)
    slots = {"presets": st.container()}
    options = estimator.uncertain_inputs()
    frame = st.data_editor(
        st.session_state["base"]["uncertainty"],
        key=f"editor-uncertainty-{st.session_state['gen']}",
        num_rows="dynamic",
        width="stretch",
        placeholder="",
        column_config={
            "table": st.column_config.SelectboxColumn(
                options=sorted(set(options["table"]), key=list(options["table"]).index)
            ),
            "column": st.column_config.SelectboxColumn(options=list(options["column"])),
            "distribution": st.column_config.SelectboxColumn(
                options=list(estimator.distributions())
            ),
        },
    )
    slots["uncertainty"] = st.container()
    slots["run"] = st.container()
    return frame, slots


def presets(inputs: estimator.Inputs | None, current: dict[str, pd.DataFrame], as_of: str) -> None:
    """One button per usual question; each adds (or replaces) rows of the table."""
    st.markdown("**One-click ranges** (each adds editable rows; see the Methodology tab)")
    for cell, (key, name) in zip(st.columns(len(PRESETS)), PRESETS.items(), strict=True):
        clicked = cell.button(
            name,
            key=f"preset-{key}",
            help=estimator.range_questions()[key],
            disabled=inputs is None,
        )
        if clicked and inputs is not None:
            try:
                found = estimator.suggested_ranges(inputs, key, as_of=as_of)
            except estimator.InputError as exc:
                st.error(str(exc), icon=":material/error:")
                return
            S.replace_table(current, "uncertainty", found.added_to(current["uncertainty"]))
            st.session_state["preset_notes"] = found.notes
            st.rerun()
    for note in st.session_state.get("preset_notes", []):
        st.info(note, icon=":material/info:")


@st.cache_data(show_spinner="Simulating...", max_entries=4)
def run_simulation(
    inputs: estimator.Inputs, draws: int, seed: int, rule: str, as_of: str
) -> estimator.Simulation:
    return estimator.simulate(inputs, draws=draws, seed=seed, dependency_rule=rule, as_of=as_of)


@st.cache_data(show_spinner=False, max_entries=4)
def simulation_workbook(
    inputs: estimator.Inputs, draws: int, seed: int, rule: str, as_of: str
) -> bytes:
    return run_simulation(inputs, draws, seed, rule, as_of).excel_bytes()


def simulation_view(
    inputs: estimator.Inputs | None,
    problems: list[estimator.ValidationIssue],
    rule: str,
    as_of: str,
) -> None:
    if inputs is None or any(i.source == "uncertainty" for i in problems):
        st.info(
            "Fix the problems shown (here or in the Inputs tab) to run a simulation.",
            icon=":material/block:",
        )
        return
    if inputs.uncertainty.empty:
        st.info("Add a row, or a one-click range, to run a simulation.", icon=":material/info:")
        return
    with st.form("simulate"):
        c1, c2 = st.columns(2)
        draws = int(c1.number_input("Draws", 100, 100_000, 10_000, step=1_000, key="sim-draws"))
        seed = int(c2.number_input("Seed (same seed, same draws)", 0, 2**31 - 1, 0, key="sim-seed"))
        run = st.form_submit_button("Run simulation", type="primary", icon=":material/casino:")
    if not current_run("sim_key", run, inputs, draws, seed, rule, as_of):
        return
    try:
        sim = run_simulation(inputs, draws, seed, rule, as_of)
    except (estimator.InputError, ValueError) as exc:
        st.error(f"Cannot simulate: {exc}", icon=":material/error:")
        return
    show(sim, inputs, (draws, seed, rule, as_of))


def show(sim: estimator.Simulation, inputs: estimator.Inputs, options: tuple[Any, ...]) -> None:
    st.caption(
        f"{sim.n_draws:,} draws, seed {sim.seed}, as of {sim.as_of:%Y-%m-%d %H:%M} UTC, "
        f"dependency rule '{sim.dependency_rule}'. Every draw is priced with the exact rules "
        "of the estimate (tiers, caps, insurance terms); amounts in each company's currency."
    )
    workbook_button(
        "Simulation workbook (.xlsx)",
        simulation_workbook(inputs, *options),
        "sla-simulation.xlsx",
        "download_simulation_xlsx",
    )
    st.subheader("Percentiles per company")
    shown = sim.quantiles[SHOWN].assign(measure=sim.quantiles["measure"].map(charts.label))
    table(shown)
    st.subheader("One company's range and what moves it")
    companies = sim.quantiles["company_id"].unique().tolist()
    c1, c2 = st.columns(2)
    company = c1.selectbox("Company", companies, key="sim-company")
    measures = list(estimator.table_columns.SUMMARY_MONEY)
    measure = c2.selectbox(
        "Measure", measures, index=measures.index("net_impact"), key="sim-measure",
        format_func=charts.label,
    )  # fmt: skip
    st.altair_chart(charts.distribution(sim, company, measure), width="stretch")
    tornado = charts.tornado(sim, company, measure)
    if tornado is None:
        st.caption("No uncertain input moves this figure between its P10 and P90.")
    else:
        st.altair_chart(tornado, width="stretch")
