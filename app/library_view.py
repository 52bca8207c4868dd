"""The Library tab: save the scenario being edited (with an estimate), open a saved one and see
its estimates, build a what-if from an outage (the scenario's or the bundled catalog's), and
compare two scenarios side by side. Everything comes from ``estimator``."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

import estimator
from app import state as S
from app.results_view import table

CURRENT = "the scenario being edited"


def library_view(inputs: estimator.Inputs | None, rule: str, as_of: str) -> None:
    url = st.text_input(
        "Library",
        value=st.session_state.get("library_url") or estimator.Library.default_url(),
        key="library_url",
        help="sqlite:///PATH (the default is a file in your data folder) or "
        "postgresql+psycopg://USER:PASSWORD@HOST/DB; the password is never shown in messages.",
    )
    try:
        lib = estimator.Library(url)
    except estimator.LibraryError as exc:
        st.error(str(exc), icon=":material/database:")
        return
    st.caption(f"Library: {lib.shown}")
    try:
        _save(lib, inputs, rule, as_of)
        saved = lib.list()
        _open(lib, saved)
        _what_if(inputs)
        _compare(lib, saved, inputs, rule, as_of)
    except (estimator.LibraryError, estimator.InputError) as exc:
        st.error(str(exc), icon=":material/error:")


def _save(lib: estimator.Library, inputs: estimator.Inputs | None, rule: str, as_of: str) -> None:
    st.subheader("Save this scenario")
    with st.form("library-save", clear_on_submit=True):
        c1, c2 = st.columns(2)
        name = c1.text_input("Name")
        note = c2.text_input("Note", placeholder="what this version is, and why")
        parent = c1.number_input("New version of scenario id (0: a new name)", 0, step=1)
        with_estimate = c2.checkbox("Save its estimate too", value=True)
        pressed = st.form_submit_button("Save", icon=":material/save:")
    if not pressed:
        return
    if inputs is None:
        st.error("Fix the inputs first: only valid inputs are saved.", icon=":material/block:")
        return
    sid = lib.save(inputs, name, note, parent=int(parent) or None)
    if with_estimate:
        lib.save_estimate(sid, estimator.estimate(inputs, dependency_rule=rule, as_of=as_of))
    st.success(f"Saved as scenario {sid}.", icon=":material/check:")


def _label(row: Any) -> str:
    note = f" ({row.note})" if row.note else ""
    return f"{row.id} · {row.name} v{row.version}{note}"


def _open(lib: estimator.Library, saved: pd.DataFrame) -> None:
    st.subheader("Saved scenarios")
    if saved.empty:
        st.caption("Nothing saved yet.")
        return
    table(saved.astype({"created_at": "str"}))
    choices = {_label(r): int(str(r.id)) for r in saved.itertuples()}
    pick = st.selectbox("Scenario", list(choices), key="library-pick")
    sid = choices[str(pick)]
    estimates = lib.estimates(sid)
    st.caption(f"Estimates of scenario {sid}")
    if estimates.empty:
        st.caption("none saved")
    else:
        table(estimates.astype({"created_at": "str", "as_of": "str"}))
    if st.button("Open in the editors", key="library-open", icon=":material/folder_open:"):
        S.set_tables(lib.load(sid).to_frames(), f"library scenario {sid}")
        st.rerun()


def _what_if(inputs: estimator.Inputs | None) -> None:
    st.subheader("What if")
    if inputs is None:
        st.caption("Fix the inputs to build a what-if.")
        return
    own = list(pd.unique(inputs.outages["outage_id"]))
    catalog = estimator.load_outages(estimator.bundled_catalog())
    extra = [o for o in pd.unique(catalog["outage_id"]) if o not in own]
    with st.form("what-if"):
        outage = st.selectbox(
            "Outage (this scenario's, then the bundled catalog's)", [*own, *extra]
        )
        c1, c2 = st.columns(2)
        shift = c1.text_input("Replay starting at (UTC, ISO)", placeholder="2025-11-28T14:30:00Z")
        factor = c2.number_input("Duration factor (1 = as it was)", 0.01, 100.0, 1.0)
        region = c1.text_input("Move to region", placeholder="eu-west-1")
        impact = c2.number_input("Impact (0 = as it was)", 0.0, 1.0, 0.0)
        pressed = st.form_submit_button("Build the what-if", icon=":material/replay:")
    if pressed:
        replay = estimator.what_if(
            inputs,
            str(outage),
            shift_to=shift.strip() or None,
            duration_factor=None if factor == 1.0 else float(factor),
            region=region.strip() or None,
            impact=float(impact) or None,
        )
        st.session_state["what_if_base"] = inputs
        S.set_tables(replay.to_frames(), replay.source)
        st.rerun()
    if "what_if_base" in st.session_state:
        st.caption(
            "The editors hold the what-if; 'Compare' below can set it against the scenario it "
            "came from."
        )


def _compare(
    lib: estimator.Library,
    saved: pd.DataFrame,
    inputs: estimator.Inputs | None,
    rule: str,
    as_of: str,
) -> None:
    st.subheader("Compare two scenarios")
    sources: dict[str, Any] = {}
    if "what_if_base" in st.session_state:
        sources["the scenario the what-if came from"] = st.session_state["what_if_base"]
    if inputs is not None:
        sources[CURRENT] = inputs
    sources |= {_label(r): int(str(r.id)) for r in saved.itertuples()}
    if len(sources) < 2:
        st.caption("Save or open scenarios to compare them.")
        return
    names = list(sources)
    c1, c2 = st.columns(2)
    a = c1.selectbox("A", names, index=0, key="compare-a")
    b = c2.selectbox("B", names, index=1, key="compare-b")
    if not st.button("Compare", key="compare-run", icon=":material/compare_arrows:"):
        return

    def results(name: str) -> estimator.Results:
        value = sources[name]
        chosen = lib.load(value) if isinstance(value, int) else value
        return estimator.estimate(chosen, dependency_rule=rule, as_of=as_of)

    result = estimator.compare(results(str(a)), results(str(b)), names=(str(a), str(b)))
    st.session_state["comparison"] = result
    show_comparison(result)


def show_comparison(c: estimator.Comparison) -> None:
    s = c.summary
    shown = estimator.display.display_frame(
        s.assign(measure=s["measure"].map(estimator.columns.label))
    )
    names = {"a": c.a_name, "b": c.b_name, "difference": f"Difference: {c.b_name} - {c.a_name}"}
    st.dataframe(
        shown.rename(columns=names).rename(columns=estimator.columns.label),
        hide_index=True,
        width="stretch",
        placeholder="",
    )
    for currency, part in s[s["measure"].isin(["total_loss", "net_impact"])].groupby("currency"):
        chart = (
            alt.Chart(part.assign(measure=part["measure"].map(estimator.columns.label)))
            .mark_bar()
            .encode(
                y=alt.Y("company_id:N", title=None, sort=None),
                x=alt.X("difference:Q", title=f"{c.b_name} - {c.a_name} ({currency})"),
                color=alt.Color("measure:N", title=None),
                yOffset="measure:N",
                tooltip=["company_id", "measure", alt.Tooltip("difference:Q", format=",.2f")],
            )
            .properties(title=f"Differences in {currency}")
        )
        st.altair_chart(chart, width="stretch")
    if len(c.changes):
        st.caption("Inputs that changed")
        st.dataframe(c.changes, hide_index=True, width="stretch", placeholder="")
