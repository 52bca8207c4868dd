"""The exceedance-probability curves: loss against return period (log axis), one line per EP
type, for one company (or the portfolio) and measure, in its currency."""

from __future__ import annotations

import altair as alt
import pandas as pd

import estimator

label = estimator.columns.label


def ep_curves(r: estimator.RiskResults, company: str, measure: str) -> alt.Chart:
    e = r.ept
    mine = e[(e["company_id"] == company) & (e["measure"] == measure)]
    currency = str(mine["currency"].iloc[0]) if len(mine) else r.reporting_currency
    chart: alt.Chart = (
        alt.Chart(mine)
        .mark_line(point=True)
        .encode(
            x=alt.X("return_period:Q", scale=alt.Scale(type="log"), title="Return period (years)"),
            y=alt.Y("loss:Q", title=f"{label(measure)} ({currency})"),
            color=alt.Color("ep_type:N", title=None, legend=alt.Legend(orient="bottom")),
            tooltip=["ep_type", "return_period", alt.Tooltip("loss:Q", format=",.2f")],
        )
        .properties(
            title=f"{company}: {label(measure)}, exceedance curves over {r.n_years:,} years",
            height=320,
        )
    )
    return chart


def convergence(r: estimator.RiskResults, measure: str) -> alt.Chart:
    """The portfolio's AAL and 1-in-100 / 1-in-250 AEP on the first n years, each with a band
    of one standard error either side: flat lines with narrow bands mean more years would
    not change the answer."""
    c = r.convergence
    c = c[c["measure"] == measure]
    parts = []
    for name, column in (("AAL", "aal"), ("AEP 1-in-100", "aep_100"), ("AEP 1-in-250", "aep_250")):
        part = c[["years"]].assign(
            statistic=name,
            value=c[column],
            low=c[column] - c[f"{column}_se"],
            high=c[column] + c[f"{column}_se"],
        )
        parts.append(part[part["value"].notna()])
    data = pd.concat(parts, ignore_index=True)
    x = alt.X("years:Q", scale=alt.Scale(type="log"), title="Years priced")
    base = alt.Chart(data).encode(x=x)
    band = base.mark_area(opacity=0.25).encode(y="low:Q", y2="high:Q")
    line = base.mark_line(point=True).encode(
        y=alt.Y("value:Q", title=f"{label(measure)} ({r.reporting_currency})"),
        tooltip=["statistic", "years", alt.Tooltip("value:Q", format=",.2f")],
    )
    chart: alt.Chart = (
        alt.layer(band, line, data=data)
        .properties(height=220, width=220)
        .facet(column=alt.Column("statistic:N", title=None, sort=["AAL"]))
        .resolve_scale(y="independent")
        .properties(title=f"Convergence: {label(measure)} on the first years priced")
    )
    return chart
