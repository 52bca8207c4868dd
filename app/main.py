"""The web app: load or upload a scenario, edit it, see validation, results, charts, downloads.

It only reads widgets, calls the public API of ``estimator`` and draws; no rule
is computed here. Views: :mod:`app.sidebar`, :mod:`app.editors`, :mod:`app.problems`,
:mod:`app.results_view`, :mod:`app.uncertainty_view`.
"""

from __future__ import annotations

import streamlit as st

from app import state as S
from app.editors import editors, validate
from app.library_view import library_view
from app.problems import show_problems
from app.results_view import results_view
from app.risk_view import fx_editor, risk_view
from app.sidebar import sidebar
from app.uncertainty_view import presets, simulation_view, uncertainty_editor

TITLE = "Outage loss & SLA credit estimator"


def main() -> None:
    st.set_page_config(page_title=TITLE, page_icon=":material/bolt:", layout="wide")
    try:
        run()
    except Exception as exc:  # never a traceback in front of the user
        st.error(
            f"Something went wrong: {type(exc).__name__}: {exc}. Your edits are kept; "
            "please report this with the inputs that caused it.",
            icon=":material/error:",
        )


def run() -> None:
    S.ensure_loaded()
    rule, as_of = sidebar()
    st.title(TITLE)
    st.caption(
        f"Scenario: **{st.session_state['source']}**. What the outage cost, which SLA "
        "credits are owed both ways and by when, what insurance pays, and the loss "
        "that is left. Every rule is in the Methodology tab."
    )
    names = ["Results", "Inputs", "Uncertainty", "Portfolio risk", "Library", "Methodology"]
    results_tab, inputs_tab, uncertainty_tab, risk_tab, library_tab, method_tab = st.tabs(names)
    with inputs_tab:
        current, slots = editors()
    with uncertainty_tab:
        current["uncertainty"], more = uncertainty_editor()
    with risk_tab:
        current["fx_rates"], risk_slots = fx_editor()
    if S.apply_pending(current):
        st.rerun()
    inputs, problems = validate(current)
    show_problems(problems, {**slots, **more, **risk_slots})
    with more["presets"]:
        presets(inputs, current, as_of)
    with more["run"]:
        simulation_view(inputs, problems, rule, as_of)
    with risk_slots["risk"]:
        risk_view(inputs, problems, rule)
    with results_tab:
        results_view(inputs, problems, rule, as_of)
    with library_tab:
        library_view(inputs, rule, as_of)
    with method_tab:
        methodology()


def methodology() -> None:
    path = S.ROOT / "METHODOLOGY.md"
    st.markdown(
        path.read_text(encoding="utf-8")
        if path.exists()
        else "METHODOLOGY.md is not installed with this copy of the app."
    )
