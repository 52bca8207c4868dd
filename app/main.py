"""The web app: load or upload a scenario, edit it, see validation, results, charts, downloads.

It only reads widgets, calls the public API of ``estimator`` and draws; no rule
is computed here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

import estimator
from app import charts
from app import state as S
from estimator.labels import format_money, format_money_columns, format_ratio, label

TITLE = "Outage loss & SLA credit estimator"
TABLE_HELP = {
    "outages": "One row per impact window: provider, region and service (* = all), start and "
    "end with a UTC offset (blank end = ongoing), impact = share of requests failing.",
    "companies": "One row per company: currency, annual_revenue or revenue_per_hour, time "
    "zone, revenue profile, recapture rate, outage cost per hour.",
    "contracts": "Cloud services bought (provider), SLAs sold (customer) and outage covers "
    "(insurance).",
    "exclusions": "Windows a contract excludes from SLA measurement (maintenance).",
    "revenue_profiles": "Custom weekly revenue profiles: profile_id, day (mon..sun or *), hour, "
    "weight.",
}


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
    results_tab, inputs_tab, method_tab = st.tabs(["Results", "Inputs", "Methodology"])
    with inputs_tab:
        current, slots = editors()
    inputs, problems = validate(current)
    show_problems(problems, slots)
    with results_tab:
        results_view(inputs, problems, rule, as_of)
    with method_tab:
        methodology()


# --- sidebar ----------------------------------------------------------------------------


def sidebar() -> tuple[str, str]:
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
            files = st.file_uploader(
                "CSV files, one .xlsx workbook or one .json file",
                type=["csv", "xlsx", "json"],
                accept_multiple_files=True,
                key="upload",
                max_upload_size=60,
                help="CSV files named outages.csv, companies.csv, contracts.csv (and optional "
                "exclusions.csv, revenue_profiles.csv); or one workbook with sheets of "
                "those names; or one JSON object holding the tables. Limit 50 MB per file.",
            )
            if st.button("Load these files", key="load_upload", type="primary"):
                message = S.load_files(list(files or []))
                if message:
                    st.error(message, icon=":material/block:")
                else:
                    st.success("Loaded. Check the Inputs tab for any problem.")
        st.header("Options")
        rules = estimator.dependency_rules()
        rule = st.selectbox(
            "Dependency rule",
            list(rules),
            key="rule",
            help="How a company's services combine into its lost share. "
            + " ".join(f"{k}: {v}." for k, v in rules.items()),
        )
        default = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:00Z")
        as_of = st.text_input(
            "As of (UTC)",
            value=default,
            key="as_of",
            help="Ongoing outages (blank end) run to this time. ISO 8601 "
            "with a UTC offset, e.g. 2022-01-01T00:00:00Z.",
        )
        st.caption("Samples are illustrative: fictional companies, real outage windows.")
    return str(rule), str(as_of)


# --- inputs ------------------------------------------------------------------------------


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
        )
        slots[name] = st.container()
        if name == "companies":
            company_form(current[name])
        if name == "contracts":
            contract_form(current[name], current["companies"])
    return current, slots


def company_form(current: pd.DataFrame) -> None:
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
                current,
                {
                    "company_id": company_id,
                    "name": name,
                    "currency": currency,
                    "annual_revenue": annual,
                    "timezone": timezone,
                    "revenue_profile": profile,
                },
            )
            st.rerun()


def contract_form(current: pd.DataFrame, companies: pd.DataFrame) -> None:
    with st.expander("Add a contract"), st.form("add-contract", clear_on_submit=True):
        c1, c2, c3 = st.columns(3)
        contract_id = c1.text_input("contract_id")
        ids = [str(x) for x in companies["company_id"].dropna().tolist()]
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
            S.add_row("contracts", current, row)
            st.rerun()


def validate(
    current: dict[str, pd.DataFrame],
) -> tuple[estimator.Inputs | None, list[estimator.ValidationIssue]]:
    frames = {name: frame.reset_index(drop=True) for name, frame in current.items()}
    for optional in ("exclusions", "revenue_profiles"):
        if frames[optional].dropna(how="all").empty:
            frames[optional] = None  # type: ignore[assignment]
    try:
        return estimator.Inputs.from_frames(**frames, source=st.session_state["source"]), []
    except estimator.InputError as exc:
        return None, exc.issues


def show_problems(problems: list[estimator.ValidationIssue], slots: dict[str, Any]) -> None:
    read = st.session_state.get("read_issues", [])
    if read:
        with slots["_files"]:
            st.warning(
                "Problems reading the uploaded files:\n\n" + issue_list(read, file_rows=True),
                icon=":material/warning:",
            )
            st.dataframe(issue_table(read, file_rows=True), hide_index=True, width="stretch")
    for name in S.EDITABLE:
        mine = [i for i in problems if i.source == name]
        if mine:
            with slots[name]:
                st.error(
                    f"{len(mine)} problem{'s' if len(mine) > 1 else ''} in {name}:\n\n"
                    + issue_list(mine),
                    icon=":material/error:",
                )
                st.dataframe(issue_table(mine), hide_index=True, width="stretch")


def issue_list(
    issues: list[estimator.ValidationIssue], file_rows: bool = False, limit: int = 12
) -> str:
    """The problems as a Markdown list (copyable text), the first ``limit`` of them."""
    lines = []
    for i in issues[:limit]:
        where = [] if i.row is None else [f"row {i.row if file_rows else max(i.row - 1, 0)}"]
        where += [f"column {i.column}"] if i.column else []
        value = f" (value: `{i.value}`)" if i.value else ""
        lines.append(f"- {', '.join(where) or i.source}: {i.message}{value}")
    if len(issues) > limit:
        lines.append(f"- ... and {len(issues) - limit} more in the table below")
    return "\n".join(lines)


def issue_table(issues: list[estimator.ValidationIssue], file_rows: bool = False) -> pd.DataFrame:
    """Problems as a table; rows as numbered in the editor (first data row = 1)."""

    def row(i: estimator.ValidationIssue) -> Any:
        if i.row is None:
            return None
        return i.row if file_rows else max(i.row - 1, 0)

    return pd.DataFrame(
        {
            "Table": [i.source for i in issues],
            "Row": pd.array([row(i) for i in issues], dtype="Int64"),
            "Column": [i.column or "" for i in issues],
            "Value": [i.value or "" for i in issues],
            "Problem": [i.message for i in issues],
        }
    )


# --- results -----------------------------------------------------------------------------


@st.cache_data(show_spinner="Estimating...", max_entries=8)
def run_estimate(inputs: estimator.Inputs, rule: str, as_of: str) -> estimator.Results:
    return estimator.estimate(inputs, dependency_rule=rule, as_of=as_of)


@st.cache_data(show_spinner=False, max_entries=8)
def workbook_bytes(inputs: estimator.Inputs, rule: str, as_of: str) -> bytes:
    return run_estimate(inputs, rule, as_of).excel_bytes()


@st.cache_data(show_spinner=False, max_entries=8)
def json_bytes(inputs: estimator.Inputs, rule: str, as_of: str) -> bytes:
    return run_estimate(inputs, rule, as_of).json_text().encode("utf-8")


def results_view(
    inputs: estimator.Inputs | None,
    problems: list[estimator.ValidationIssue],
    rule: str,
    as_of: str,
) -> None:
    if inputs is None:
        read = st.session_state.get("read_issues", [])
        n = len(problems) + len(read)
        st.error(
            f"The inputs have {n} problem{'s' if n != 1 else ''}. Fix them in the Inputs "
            "tab (your edits are kept); the results appear as soon as the inputs are "
            "valid.\n\n"
            + issue_list(read, file_rows=True, limit=6)
            + ("\n" if read else "")
            + issue_list(problems, limit=6),
            icon=":material/error:",
        )
        shown = pd.concat(
            [issue_table(read, file_rows=True), issue_table(problems)], ignore_index=True
        )
        st.dataframe(shown, hide_index=True, width="stretch")
        return
    try:
        results = run_estimate(inputs, rule, as_of)
    except estimator.InputError as exc:
        st.error("Cannot estimate with these options:", icon=":material/error:")
        st.dataframe(issue_table(exc.issues, file_rows=True), hide_index=True, width="stretch")
        return
    if results.ongoing:
        st.warning(
            f"Ongoing outages (no end) run to the as-of time "
            f"{results.as_of:%Y-%m-%d %H:%M} UTC: {', '.join(results.ongoing)}. The "
            "results change with the as-of time.",
            icon=":material/schedule:",
        )
    headline(results)
    downloads(inputs, rule, as_of)
    st.subheader("Timeline")
    events = charts.events_by_loss(results)
    event = st.selectbox(
        "Outage event",
        events,
        key="event",
        help="Events ordered by the loss they caused, largest first.",
    )
    st.altair_chart(charts.outage_timeline(results, event), width="stretch")
    share_chart = charts.lost_share(results, event)
    if share_chart is not None:
        st.altair_chart(share_chart)
    else:
        st.caption("No company lost revenue in this event.")
    st.subheader("Loss against credits and insurance")
    st.altair_chart(charts.loss_against_recoveries(results), width="stretch")
    tables(results)


HEADLINE = [
    ("total_loss", "Total loss", "lost revenue after recapture, plus outage costs"),
    ("credits_receivable", "Credits receivable", "SLA credits the providers owe"),
    ("insurance_recoveries", "Insurance recoveries", "what outage cover pays back"),
    ("credits_payable", "Credits payable", "SLA credits owed to the company's own customers"),
    ("net_impact", "Net impact", "loss + credits payable - credits receivable - insurance"),
]


def headline(results: estimator.Results) -> None:
    for row in results.totals().to_dict(orient="records"):
        cur = str(row["currency"])
        with st.container(border=True, key=f"totals-{cur}"):
            st.markdown(f"**Totals in {cur}**")
            cells = [*st.columns(3), *st.columns(3)]
            for cell, (field, name, tip) in zip(cells, HEADLINE, strict=False):
                cell.metric(f"{name} ({cur})", format_money(float(row[field]), cur), help=tip)
            ratio = float(row["recovery_ratio"])
            cells[5].metric(
                "Recovery ratio",
                "n/a" if pd.isna(ratio) else f"{ratio:.1%}",
                help="(credits receivable + insurance recoveries) / total loss",
            )
    review = int(results.credits["needs_review"].sum()) if len(results.credits) else 0
    if review:
        st.info(
            f"{review} credit row{'s' if review > 1 else ''} need review: the SLA terms "
            "behind them are unverified or unknown (see 'Why review').",
            icon=":material/fact_check:",
        )


def downloads(inputs: estimator.Inputs, rule: str, as_of: str) -> None:
    c1, c2, _ = st.columns([1, 1, 2])
    c1.download_button(
        "Workbook (.xlsx)",
        data=workbook_bytes(inputs, rule, as_of),
        file_name="sla-estimate.xlsx",
        key="download_xlsx",
        type="primary",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        icon=":material/download:",
    )
    c2.download_button(
        "Results (.json)",
        data=json_bytes(inputs, rule, as_of),
        file_name="sla-estimate.json",
        key="download_json",
        mime="application/json",
        on_click="ignore",
        icon=":material/download:",
    )


def tables(results: estimator.Results) -> None:
    st.subheader("Summary by company")
    s = format_money_columns(results.summary)
    s["recovery_ratio"] = results.summary["recovery_ratio"].map(format_ratio)
    st.dataframe(s.rename(columns=label), hide_index=True, width="stretch")

    st.subheader("SLA credits")
    st.caption(
        "Provider rows are owed to the company (claim them by the deadline); customer "
        "rows are owed by it to its customers. Credit % is the tier the uptime fell "
        "into."
    )
    c = format_money_columns(results.credits)
    c["claim_deadline"] = results.credits["claim_deadline"].dt.strftime("%Y-%m-%d").fillna("")
    st.dataframe(
        c.rename(columns=label),
        hide_index=True,
        width="stretch",
        column_config={
            label("uptime_pct"): st.column_config.NumberColumn(format="%.4f"),
            label("credit_pct"): st.column_config.NumberColumn(format="%g"),
            label("needs_review"): st.column_config.CheckboxColumn(),
        },
    )

    st.subheader("Losses by company and outage")
    lo = format_money_columns(results.losses)
    st.dataframe(lo.rename(columns=label), hide_index=True, width="stretch")

    st.subheader("Insurance recoveries")
    if results.recoveries.empty:
        st.caption("No insurance episode: no cover, or no impact at or above a cover's threshold.")
    else:
        rec = format_money_columns(results.recoveries)
        for col in ("episode_start", "episode_end"):
            rec[col] = results.recoveries[col].dt.strftime("%Y-%m-%d %H:%M")
        st.dataframe(rec.rename(columns=label), hide_index=True, width="stretch")


def methodology() -> None:
    path = S.ROOT / "METHODOLOGY.md"
    st.markdown(
        path.read_text(encoding="utf-8")
        if path.exists()
        else "METHODOLOGY.md is not installed with this copy of the app."
    )
