"""The Results tab: headline figures per currency, valuation notices, review list, claims,
charts, tables and downloads. Everything shown comes from ``estimator``; nothing is computed
here."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import estimator
from app import charts
from app.problems import inputs_invalid, issue_table

display_frame = estimator.display.display_frame
format_money = estimator.display.format_money
format_ratio = estimator.display.format_ratio
label = estimator.columns.label
CREDIT_COLUMNS = estimator.table_columns.CREDIT_COLUMNS

HEADLINE = [
    ("total_loss", "Total loss", "lost revenue after recapture, plus outage costs"),
    ("credits_receivable", "Credits receivable", "SLA credits the providers owe"),
    ("insurance_recoveries", "Insurance recoveries", "what outage cover pays back"),
    ("credits_payable", "Credits payable", "SLA credits owed to the company's own customers"),
    ("net_impact", "Net impact", "loss + credits payable - credits receivable - insurance"),
]
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CLAIM_SHOWN = [
    c
    for c in estimator.table_columns.CLAIM_COLUMNS
    if c not in ("sla_version", "claim_how", "source", "verified", "review_reason", "credits_row")
]


@st.cache_data(show_spinner="Estimating...", max_entries=8)
def run_estimate(inputs: estimator.Inputs, rule: str, as_of: str) -> estimator.Results:
    return estimator.estimate(inputs, dependency_rule=rule, as_of=as_of)


@st.cache_data(show_spinner=False, max_entries=8)
def workbook_bytes(inputs: estimator.Inputs, rule: str, as_of: str) -> bytes:
    return run_estimate(inputs, rule, as_of).excel_bytes()


@st.cache_data(show_spinner=False, max_entries=8)
def json_bytes(inputs: estimator.Inputs, rule: str, as_of: str) -> bytes:
    return run_estimate(inputs, rule, as_of).json_text().encode("utf-8")


@st.cache_data(show_spinner=False, max_entries=8)
def claims_bytes(inputs: estimator.Inputs, rule: str, as_of: str) -> bytes:
    return run_estimate(inputs, rule, as_of).claims_zip()


def results_view(
    inputs: estimator.Inputs | None,
    problems: list[estimator.ValidationIssue],
    rule: str,
    as_of: str,
) -> None:
    if inputs is None:
        inputs_invalid(problems)
        return
    if problems:  # only the uncertainty or exchange-rate tables': the estimate uses neither
        st.warning(
            f"The uncertainty or exchange-rate tables have {len(problems)} problem"
            f"{'s' if len(problems) > 1 else ''} (see the Uncertainty and Portfolio risk "
            "tabs); these results do not use them.",
            icon=":material/warning:",
        )
    try:
        results = run_estimate(inputs, rule, as_of)
    except estimator.InputError as exc:
        st.error("Cannot estimate with these options:", icon=":material/error:")
        st.dataframe(issue_table(exc.issues, 0), hide_index=True, width="stretch", placeholder="")
        return
    notices(results)
    headline(results)
    downloads(inputs, rule, as_of)
    review(results)
    st.subheader("Timeline")
    events = charts.events_by_loss(results)
    if events:
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
    st.caption("One chart per currency: amounts in different currencies never share an axis.")
    for chart in charts.loss_against_recoveries(results):
        st.altair_chart(chart, width="stretch")
    tables(results)


def notices(results: estimator.Results) -> None:
    """What the valuation time did, and what reading the inputs did."""
    at = f"{results.as_of:%Y-%m-%d %H:%M} UTC"
    for note in results.inputs.notes:
        st.info(note, icon=":material/schedule:")
    if results.ongoing:
        st.warning(
            f"Ongoing outages (no end) run to the as-of time {at}: "
            f"{', '.join(results.ongoing)}. The results change with the as-of time.",
            icon=":material/schedule:",
        )
    if results.cut_at_as_of:
        st.warning(
            f"Outages cut at the as-of time {at} (what came after is not counted): "
            f"{', '.join(results.cut_at_as_of)}.",
            icon=":material/content_cut:",
        )
    if results.after_as_of:
        st.warning(
            f"Outages starting after the as-of time {at} are left out: "
            f"{', '.join(results.after_as_of)}.",
            icon=":material/event_busy:",
        )


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
                "n/a" if pd.isna(ratio) else format_ratio(ratio),
                help="(credits receivable + insurance recoveries) / total loss",
            )


def review(results: estimator.Results) -> None:
    """How many rows need review, those whose credit depends on it listed first."""
    rows = results.review()
    if rows.empty:
        return
    st.info(results.review_summary() + " See 'Why review'.", icon=":material/fact_check:")
    with st.expander("Rows to review, those whose credit depends on it first"):
        rows.insert(0, "depends_text", rows.pop("depends").map({True: "yes", False: ""}))
        table(rows.rename(columns={"depends_text": "Credit depends on it"}))


DOWNLOADS = [
    # label, bytes, file name, mime, help
    ("Workbook (.xlsx)", "workbook", "sla-estimate.xlsx", XLSX_MIME, None),
    ("Results (.json)", "json", "sla-estimate.json", "application/json", None),
    (
        "Claims (.zip)",
        "claims",
        "sla-claims.zip",
        "application/zip",
        "A ready-to-send Markdown draft per open claim (per company, provider and month), an "
        "index and claims.csv; expired claims are listed apart, not drafted.",
    ),
]


def downloads(inputs: estimator.Inputs, rule: str, as_of: str) -> None:
    makers = {"workbook": workbook_bytes, "json": json_bytes, "claims": claims_bytes}
    for cell, (name, key, file_name, mime, tip) in zip(st.columns(4), DOWNLOADS, strict=False):
        cell.download_button(
            name,
            data=makers[key](inputs, rule, as_of),
            file_name=file_name,
            key=f"download_{'xlsx' if key == 'workbook' else key}",
            type="primary" if key == "workbook" else "secondary",
            mime=mime,
            on_click="ignore",
            icon=":material/download:",
            help=tip,
        )


def table(frame: pd.DataFrame, columns: list[str] | None = None) -> None:
    """A result table as text, with labels, blanks for missing values."""
    names = list(frame.columns) if columns is None else columns
    st.dataframe(
        display_frame(frame, names).rename(columns=label),
        hide_index=True,
        width="stretch",
        placeholder="",
    )


def tables(results: estimator.Results) -> None:
    st.subheader("Summary by company")
    table(results.summary)
    st.subheader("SLA credits")
    st.caption(
        "Provider rows are owed to the company (claim them by the deadline); customer rows are "
        "owed by it to its customers. Downtime minutes are clock minutes for the downtime metric "
        "and error-weighted minutes (impact x minutes) for the error_rate metric."
    )
    table(results.credits, CREDIT_COLUMNS)
    st.subheader("Claims, most urgent first")
    claims = results.claims()
    if claims.empty:
        st.caption("No SLA credit to claim from a provider.")
    else:
        table(claims, CLAIM_SHOWN)
    st.subheader("Claim reconciliation")
    recon = results.reconciliation()
    if recon.empty:
        st.caption("No provider credit owed.")
    else:
        st.caption(
            "Per provider, account, service, region and month: the credit owed, claimed and "
            "approved (claim log), received (billing export's credits), and why (METHODOLOGY §19)."
        )
        table(recon)
    st.subheader("Losses by company and outage")
    table(results.losses)
    st.subheader("Insurance recoveries")
    if results.recoveries.empty:
        st.caption("No insurance episode: no cover, or no impact at or above a cover's threshold.")
    else:
        table(results.recoveries)
