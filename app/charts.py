"""Charts: the outage timeline with each company's lost share, and loss against recoveries."""

from __future__ import annotations

import altair as alt
import pandas as pd

import estimator


def events_by_loss(results: estimator.Results) -> list[str]:
    """Outage ids, the one that caused the largest loss first (ties by start)."""
    out = results.inputs.outages
    first = out.groupby("outage_id")["start"].min()
    loss = results.losses.groupby("outage_id")["total_loss"].sum().reindex(first.index)
    order = pd.DataFrame({"loss": loss.fillna(0.0), "start": first})
    return order.sort_values(["loss", "start"], ascending=[False, True]).index.tolist()


def _span(results: estimator.Results, event: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    out = results.inputs.outages
    mine = out[out["outage_id"] == event]
    end = mine["end"].fillna(results.as_of).max()
    start = mine["start"].min()
    pad = max((end - start) * 0.05, pd.Timedelta(minutes=10))
    return (start - pad).tz_localize(None), (end + pad).tz_localize(None)


def outage_timeline(results: estimator.Results, event: str) -> alt.Chart:
    """The event's windows as bars, one row per provider, region and service."""
    out = results.inputs.outages
    out = out[out["outage_id"] == event].copy()
    out["end"] = out["end"].fillna(results.as_of)
    out["window"] = out["provider"] + " " + out["region"] + " " + out["service"]
    out["start"] = out["start"].dt.tz_localize(None)
    out["end"] = pd.to_datetime(out["end"], utc=True).dt.tz_localize(None)
    lo, hi = _span(results, event)
    chart: alt.Chart = (
        alt.Chart(out)
        .mark_bar(cornerRadius=2)
        .encode(
            x=alt.X("start:T", title="UTC", scale=alt.Scale(domain=[lo, hi])),
            x2="end:T",
            y=alt.Y("window:N", title=None, sort=None, axis=alt.Axis(labelLimit=320)),
            color=alt.Color(
                "impact:Q", scale=alt.Scale(scheme="orangered", domain=[0, 1]), title="Impact"
            ),
            tooltip=[
                "outage_id",
                "window",
                alt.Tooltip("start:T", format="%Y-%m-%d %H:%M"),
                alt.Tooltip("end:T", format="%Y-%m-%d %H:%M"),
                "impact",
                "description",
            ],
        )
        .properties(height=alt.Step(30), title=f"Windows of {event}")
    )
    return chart


def lost_share(results: estimator.Results, event: str) -> alt.Chart | None:
    """Each company's lost share of revenue L(t) during the event, as steps."""
    steps = results.lost_share
    lo, hi = _span(results, event)
    start = steps["start"].dt.tz_localize(None)
    end = steps["end"].dt.tz_localize(None)
    steps = steps[(end > lo) & (start < hi)]
    if steps.empty:
        return None
    frame = pd.DataFrame(
        {
            "company": steps["company_id"].to_numpy(),
            "start": steps["start"].dt.tz_localize(None).to_numpy(),
            "end": steps["end"].dt.tz_localize(None).to_numpy(),
            "lost_share": steps["lost_share"].to_numpy(),
        }
    )
    chart: alt.Chart = (
        alt.Chart(frame)
        .mark_rect(opacity=0.85)
        .encode(
            x=alt.X("start:T", title="UTC", scale=alt.Scale(domain=[lo, hi])),
            x2="end:T",
            y=alt.Y(
                "lost_share:Q",
                title=None,
                axis=alt.Axis(format="%", tickCount=2),
                scale=alt.Scale(domain=[0, max(0.05, float(frame["lost_share"].max()))]),
            ),
            y2=alt.datum(0),
            color=alt.Color("company:N", legend=None),
            row=alt.Row(
                "company:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")
            ),
            tooltip=[
                "company",
                alt.Tooltip("start:T", format="%Y-%m-%d %H:%M"),
                alt.Tooltip("end:T", format="%Y-%m-%d %H:%M"),
                alt.Tooltip("lost_share:Q", format=".1%"),
            ],
        )
        .properties(height=50, width=820, title="Lost share of revenue L(t), by company")
    )
    return chart


def loss_against_recoveries(results: estimator.Results) -> list[alt.Chart]:
    """One chart per currency, each on its own axis (amounts in two currencies never share one)."""
    s = results.summary
    names = {
        "total_loss": "Total loss",
        "credits_receivable": "Credits receivable",
        "insurance_recoveries": "Insurance",
        "credits_payable": "Credits payable",
    }
    out = []
    for currency, group in s.groupby("currency", sort=True):
        frame = group.melt(
            id_vars=["company_id", "currency"],
            value_vars=list(names),
            var_name="measure",
            value_name="amount",
        )
        frame["measure"] = frame["measure"].map(names)
        chart: alt.Chart = (
            alt.Chart(frame)
            .mark_bar()
            .encode(
                y=alt.Y("company_id:N", title=None, sort=None),
                x=alt.X("amount:Q", title=f"Amount in {currency}"),
                yOffset="measure:N",
                color=alt.Color(
                    "measure:N",
                    title=None,
                    sort=list(names.values()),
                    scale=alt.Scale(range=["#C0504D", "#4F81BD", "#9BBB59", "#F79646"]),
                ),
                tooltip=[
                    "company_id",
                    "currency",
                    "measure",
                    alt.Tooltip("amount:Q", format=",.2f"),
                ],
            )
            .properties(
                height=alt.Step(12), title=f"Loss against credits and insurance, {currency}"
            )
        )
        out.append(chart)
    return out
