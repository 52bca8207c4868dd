"""The Inputs tab: an editable table per input, forms to add a company or a contract.

The editors keep the user's changes in their own widget state on top of the
loaded tables; validation never writes to either, so an edit survives a failed
validation.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

import estimator
from app import state as S
from app.billing_view import billing_upload
from app.outage_import import outage_import

TABLE_HELP = {
    "outages": "One row per impact window: provider, region and service (* = all), start and "
    "end with a UTC offset (blank end = ongoing), impact = share of requests failing, scope "
    "(region, zone or control_plane; which SLAs count the window).",
    "companies": "One row per company: currency, annual_revenue or revenue_per_hour, time "
    "zone, revenue profile, recapture rate, outage cost per hour.",
    "contracts": "Cloud services bought (provider), SLAs sold (customer) and outage covers "
    "(insurance).",
    "exclusions": "Windows a contract excludes from SLA measurement (maintenance).",
    "revenue_profiles": "Custom weekly revenue profiles: profile_id, day (mon..sun or *), hour, "
    "weight.",
    "charges": "Monthly charges from billing exports (read one below): the credit base of "
    "provider contracts with a blank monthly_fee. A blank service is a line no catalog "
    "service maps to (kept, never a base).",
    "claim_log": "Claims filed with providers: contract_id, month (YYYY-MM), filed_on "
    "(YYYY-MM-DD), case_id, status (filed, approved, rejected, paid), amount_approved.",
}


def editors() -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    base: dict[str, pd.DataFrame] = st.session_state["base"]
    gen = st.session_state["gen"]
    current: dict[str, pd.DataFrame] = {}
    slots: dict[str, Any] = {}
    st.info(
        "Edit any cell, add or delete rows; results follow. Problems appear under each "
        "table with the row number shown at the left of the table. Your edits are kept "
        "while you fix them.",
        icon=":material/edit:",
    )
    read_slot = st.container()
    slots["_files"] = read_slot
    for name in S.EDITABLE:
        st.subheader(name)
        st.caption(TABLE_HELP[name])
        current[name] = st.data_editor(
            base[name],
            key=f"editor-{name}-{gen}",
            num_rows="dynamic",
            width="stretch",
            hide_index=False,
            placeholder="",  # an empty cell shows blank, not None
        )
        slots[name] = st.container()
        if name == "companies":
            company_form()
        if name == "contracts":
            contract_form(current)
        if name == "charges":
            billing_upload(current)
        if name == "outages":
            outage_import(current)
    return current, slots


def company_form() -> None:
    with st.expander("Add a company"), st.form("add-company", clear_on_submit=True):
        c1, c2, c3 = st.columns(3)
        company_id = c1.text_input("company_id")
        name = c2.text_input("name")
        currency = c3.text_input("currency", value="USD")
        annual = c1.number_input("annual_revenue", min_value=0.0, value=0.0, step=1e6)
        timezone = c2.text_input("timezone", value="UTC")
        profile = c3.text_input("revenue_profile", value="flat")
        if st.form_submit_button("Add company"):
            S.add_row(
                "companies",
                {
                    "company_id": company_id,
                    "name": name,
                    "currency": currency,
                    "annual_revenue": annual,
                    "timezone": timezone,
                    "revenue_profile": profile,
                },
            )


def contract_form(current: dict[str, pd.DataFrame]) -> None:
    with st.expander("Add a contract"), st.form("add-contract", clear_on_submit=True):
        c1, c2, c3 = st.columns(3)
        contract_id = c1.text_input("contract_id")
        ids = [str(x) for x in current["companies"]["company_id"].dropna().tolist()]
        company_id = c2.selectbox("company_id", ids) if ids else c2.text_input("company_id")
        kind = c3.selectbox("kind", ["provider", "customer"])
        provider = c1.text_input("provider", value="aws")
        region = c2.text_input("region", value="us-east-1")
        service = c3.text_input("service", value="ec2")
        templates = ["custom", *estimator.sla_catalog()["template_id"].unique().tolist()]
        sla = c1.selectbox(
            "sla",
            templates,
            index=templates.index("aws/ec2-region") if "aws/ec2-region" in templates else 0,
        )
        tiers = c2.text_input("tiers (custom)", placeholder="99.9:10, 99:25, 95:100")
        fee = c3.number_input("monthly_fee", min_value=0.0, value=1000.0)
        share = c1.number_input("revenue_share", min_value=0.0, max_value=1.0, value=0.5)
        if st.form_submit_button("Add contract"):
            row = {
                "contract_id": contract_id,
                "company_id": company_id,
                "kind": kind,
                "sla": sla,
                "tiers": tiers,
                "monthly_fee": fee,
            }
            if kind == "provider":
                row |= {
                    "provider": provider,
                    "region": region,
                    "service": service,
                    "revenue_share": share,
                }
            S.add_row("contracts", row)


def validate(
    current: dict[str, pd.DataFrame],
) -> tuple[estimator.Inputs | None, list[estimator.ValidationIssue]]:
    """The inputs and every problem. When the only problems are in the uncertainty or
    exchange-rate tables, the inputs are those without them, so the deterministic results
    stay on screen while they are fixed (their tabs show the problems and run nothing)."""
    frames = {name: frame.reset_index(drop=True) for name, frame in current.items()}
    for optional in (
        "exclusions",
        "revenue_profiles",
        "uncertainty",
        "fx_rates",
        "charges",
        "claim_log",
    ):
        if frames[optional].dropna(how="all").empty:
            frames[optional] = None  # type: ignore[assignment]
    inputs, problems = _checked(frames)
    side = ("uncertainty", "fx_rates")
    if problems and all(i.source in side for i in problems):
        inputs, _ = _checked({**frames, **dict.fromkeys(side)})  # type: ignore[dict-item]
    return inputs, problems


def _checked(
    frames: dict[str, pd.DataFrame],
) -> tuple[estimator.Inputs | None, list[estimator.ValidationIssue]]:
    try:
        inputs = estimator.Inputs.from_frames(
            **frames,
            source=st.session_state["source"],
            notes=st.session_state.get("notes", []),
        )
        return inputs, []
    except estimator.InputError as exc:
        return None, exc.issues
