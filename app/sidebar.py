"""The sidebar: scenario choice (samples or uploads) and the estimate's options."""

from __future__ import annotations

import streamlit as st

import estimator
from app import state as S


def sidebar() -> tuple[str, str]:
    """Draw the sidebar; returns the dependency rule and the valuation time as typed."""
    with st.sidebar:
        st.header("Scenario")
        choices = [*S.SAMPLES, S.UPLOAD]
        loaded = st.session_state.get("loaded", S.DEFAULT)
        choice = st.radio(
            "Scenario",
            choices,
            index=choices.index(loaded),
            key="scenario",
            label_visibility="collapsed",
        )
        if choice in S.SAMPLES and choice != loaded:
            S.load_sample(choice)
        if choice == S.UPLOAD:
            uploads()
        st.header("Options")
        rules = estimator.dependency_rules()
        rule = st.selectbox(
            "Dependency rule",
            list(rules),
            key="rule",
            help="How a company's services combine into its lost share. "
            + " ".join(f"{k}: {v}." for k, v in rules.items()),
        )
        as_of = st.text_input(
            "As of (UTC)",
            key="as_of",
            help="The valuation time: nothing after it is counted: windows are cut at it, ongoing ones "
            "(blank end) run to it, windows that start later are left out, and claim "
            "statuses are read on its date. ISO 8601 with a UTC offset, e.g. "
            "2022-01-01T00:00:00Z.",
        )
        st.caption("Samples are illustrative: fictional companies, real outage windows.")
    return str(rule), str(as_of)


def uploads() -> None:
    files = st.file_uploader(
        "CSV files, one .xlsx workbook or one .json file",
        type=["csv", "xlsx", "json"],
        accept_multiple_files=True,
        key="upload",
        max_upload_size=60,
        help="CSV files named outages.csv, companies.csv, contracts.csv (and optional "
        "exclusions.csv, revenue_profiles.csv); or one workbook with sheets of those names; "
        "or one JSON object holding the tables. Limit 50 MB per file.",
    )
    if st.button("Load these files", key="load_upload", type="primary"):
        message = S.load_files(list(files or []))
        if message:
            st.error(message, icon=":material/block:")
        else:
            st.success("Loaded. Check the Inputs tab for any problem.")
