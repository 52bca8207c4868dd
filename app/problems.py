"""Input problems beside the tables they concern: a copyable list and a table.

Rows are numbered as the user sees them: in an editor the first data row is 1
(``InputError.report_table(row_offset=-1)``); problems reading a file keep the
file's numbering (header = row 1).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

import estimator
from app import state as S

SHOWN = {
    "source": "Table",
    "row": "Row",
    "column": "Column",
    "value": "Value",
    "message": "Problem",
}
EDITOR_ROWS = -1
"""Editor rows start at 1 where a file's first data row is 2."""


def issue_table(issues: list[estimator.ValidationIssue], row_offset: int) -> pd.DataFrame:
    """The problems as a table with the app's column names and blanks for missing cells."""
    frame = estimator.InputError(issues).report_table(row_offset=row_offset).rename(columns=SHOWN)
    for column in ("Column", "Value"):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), "")
    return frame


def issue_list(issues: list[estimator.ValidationIssue], row_offset: int, limit: int = 12) -> str:
    """The problems as a Markdown list (copyable text), the first ``limit`` of them."""
    table = issue_table(issues, row_offset)
    lines = []
    row: Any
    for row in table.head(limit).itertuples():
        where = [] if pd.isna(row.Row) else [f"row {row.Row}"]
        where += [f"column {row.Column}"] if row.Column else []
        value = f" (value: `{row.Value}`)" if row.Value else ""
        lines.append(f"- {', '.join(where) or row.Table}: {row.Problem}{value}")
    if len(table) > limit:
        lines.append(f"- ... and {len(table) - limit} more in the table below")
    return "\n".join(lines)


def show_problems(problems: list[estimator.ValidationIssue], slots: dict[str, Any]) -> None:
    """Problems reading the files at the top of the Inputs tab, the others under their table."""
    read = st.session_state.get("read_issues", [])
    if read:
        with slots["_files"]:
            st.warning(
                "Problems reading the uploaded files:\n\n" + issue_list(read, 0),
                icon=":material/warning:",
            )
            st.dataframe(issue_table(read, 0), hide_index=True, width="stretch", placeholder="")
    for name in S.TABLES:
        mine = [i for i in problems if i.source == name]
        if mine:
            with slots[name]:
                st.error(
                    f"{len(mine)} problem{'s' if len(mine) > 1 else ''} in {name}:\n\n"
                    + issue_list(mine, EDITOR_ROWS),
                    icon=":material/error:",
                )
                st.dataframe(
                    issue_table(mine, EDITOR_ROWS), hide_index=True, width="stretch", placeholder=""
                )


def inputs_invalid(problems: list[estimator.ValidationIssue]) -> None:
    """On the Results tab: why there are no results, and every problem."""
    read = st.session_state.get("read_issues", [])
    n = len(problems) + len(read)
    st.error(
        f"The inputs have {n} problem{'s' if n != 1 else ''}. Fix them in the Inputs tab "
        "(your edits are kept); the results appear as soon as the inputs are valid.\n\n"
        + issue_list(read, 0, limit=6)
        + ("\n" if read else "")
        + issue_list(problems, EDITOR_ROWS, limit=6),
        icon=":material/error:",
    )
    shown = pd.concat([issue_table(read, 0), issue_table(problems, EDITOR_ROWS)], ignore_index=True)
    st.dataframe(shown, hide_index=True, width="stretch", placeholder="")
