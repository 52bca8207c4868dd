"""The exceedance-probability curves: loss against return period (log axis), one line per EP
type, for one company (or the portfolio) and measure, in its currency."""

from __future__ import annotations

import altair as alt

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
