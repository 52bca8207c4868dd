"""The outages editor's "import from a feed or a monitoring export" (issue 23.3): the file is
read by ``estimator.read_incidents`` or ``estimator.read_monitoring`` into a preview; its rows
are added to the outages table only when the user says so (nothing is replaced). The app
computes nothing itself."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

import estimator
from app import state as S

MEASURES = ("error_rate", "availability", "success_rate")
"""As ``estimator.read_monitoring`` takes them."""
KINDS = (
    "Incident feed (Statuspage, Google Cloud, AWS Health, Azure Service Health)",
    "Monitoring series (CSV, Prometheus, CloudWatch)",
)


def outage_import(current: dict[str, pd.DataFrame]) -> None:
    with st.expander("Import outages from an incident feed or a monitoring export", expanded=False):
        kind = st.radio("What the file is", KINDS, key="import-kind", horizontal=True)
        upload = st.file_uploader("Feed or series", key="import-upload")
        monitoring = kind == KINDS[1]
        where: dict[str, Any] = {}
        if monitoring:
            c1, c2, c3, c4, c5 = st.columns(5)
            where = {
                "outage_id": c1.text_input("outage_id", "measured", key="import-outage"),
                "provider": c2.text_input("provider", "aws", key="import-provider"),
                "region": c3.text_input("region", "us-east-1", key="import-region"),
                "service": c4.text_input("service", "ec2", key="import-service"),
                "measure": c5.selectbox("measure", MEASURES, key="import-measure"),
            }
        if upload is not None and st.button("Preview", key="import-preview"):
            st.session_state["import_rows"] = _read(upload, monitoring, where)
        rows = st.session_state.get("import_rows")
        if rows is None:
            return
        st.dataframe(rows, hide_index=True)
        for note in rows.attrs.get("notes", []) + [
            f"unmapped service: {name}" for name in rows.attrs.get("unmapped", [])
        ]:
            st.caption(note)
        if st.button(f"Add these {len(rows)} rows to outages", key="import-add"):
            added = pd.concat(
                [current["outages"].astype(object), rows.astype(object)], ignore_index=True
            )
            st.session_state.pop("import_rows")
            S.replace_table(current, "outages", added[list(current["outages"].columns)])
            st.rerun()


def _read(upload: Any, monitoring: bool, where: dict[str, Any]) -> pd.DataFrame | None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        try:
            if monitoring:
                return estimator.read_monitoring(path, **where)
            return estimator.read_incidents(path)
        except estimator.InputError as exc:
            st.error(
                f"{upload.name} could not be read:\n\n" + "\n".join(f"- {i}" for i in exc.issues)
            )
            return None
