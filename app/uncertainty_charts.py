"""Charts of a simulation: one company's measure as a histogram with P5 / P50 / P95 marked,
and its tornado. Amounts are in the company's own currency, named on the axis."""

from __future__ import annotations

import altair as alt
import pandas as pd

import estimator

label = estimator.columns.label


def distribution(
    sim: estimator.Simulation, company: str, measure: str
) -> alt.LayerChart | alt.FacetChart:
    """The draws of ``measure`` for ``company``, binned, with its percentiles as rules."""
    draws = sim.draws[sim.draws["company_id"] == company]
    currency = str(draws["currency"].iloc[0])
    q = sim.quantiles
    row = q[(q["company_id"] == company) & (q["measure"] == measure)].iloc[0]
    marks = pd.DataFrame(
        {"percentile": ["P5", "P50", "P95"], "value": [row["p5"], row["p50"], row["p95"]]}
    )
    title = f"{label(measure)} ({currency})"
    bars = (
        alt.Chart(draws[[measure]])
        .mark_bar(opacity=0.8)
        .encode(
            x=alt.X(f"{measure}:Q", bin=alt.Bin(maxbins=40), title=title),
            y=alt.Y("count():Q", title="Draws"),
        )
    )
    rules = (
        alt.Chart(marks)
        .mark_rule(strokeDash=[4, 3], strokeWidth=2, color="#c0392b")
        .encode(x="value:Q", tooltip=["percentile", alt.Tooltip("value:Q", format=",.2f")])
    )
    text = (
        alt.Chart(marks)
        .mark_text(align="left", dx=4, dy=-6, color="#c0392b")
        .encode(x="value:Q", y=alt.value(8), text="percentile")
    )
    chart = alt.layer(bars, rules, text).properties(
        title=f"{company}: {label(measure)} over {sim.n_draws:,} draws", height=260
    )
    return chart


def tornado(
    sim: estimator.Simulation, company: str, measure: str
) -> alt.LayerChart | alt.FacetChart | None:
    """Each uncertain input alone at its P10 and P90 (every other at its centre): bars from
    the centre to each end, the largest swing at the top. None when nothing moves it."""
    s = sim.sensitivity
    mine = s[(s["company_id"] == company) & (s["measure"] == measure) & (s["swing"] > 0)]
    if mine.empty:
        return None
    currency = str(mine["currency"].iloc[0])
    ends = pd.concat(
        [
            mine.assign(end="input at its P10", value=mine["at_p10"]),
            mine.assign(end="input at its P90", value=mine["at_p90"]),
        ]
    )[["input", "end", "value", "at_centre", "swing"]]
    order = mine["input"].tolist()
    bars = (
        alt.Chart(ends)
        .mark_bar()
        .encode(
            y=alt.Y("input:N", sort=order, title=None, axis=alt.Axis(labelLimit=360)),
            x=alt.X("value:Q", title=f"{label(measure)} ({currency})"),
            x2="at_centre:Q",
            color=alt.Color("end:N", title=None, legend=alt.Legend(orient="bottom")),
            tooltip=[
                "input",
                "end",
                alt.Tooltip("value:Q", format=",.2f"),
                alt.Tooltip("swing:Q", format=",.2f"),
            ],
        )
    )
    centre = alt.Chart(mine.head(1)).mark_rule(color="black").encode(x="at_centre:Q")
    chart = alt.layer(bars, centre).properties(
        title=f"{company}: what moves {label(measure).lower()} most",
        height=alt.Step(32),
    )
    return chart
