"""The billing export upload of the Inputs tab (issue 22): an export (FOCUS, AWS CUR, Google
Cloud, Azure) becomes the charges table; its unmapped services and excluded tax lines are
shown, never dropped. The reading is ``estimator.read_export``'s: the app computes nothing."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

import estimator
from app import state as S


def billing_upload(current: dict[str, pd.DataFrame]) -> None:
    """An uploader whose export replaces the charges table (other edits are kept)."""
    with st.expander("Read a billing export into the charges table", expanded=False):
        st.caption(
            "FOCUS 1.0-1.2, AWS Cost and Usage Report (2.0 or legacy), Google Cloud billing "
            "export (CSV) or Azure cost export; CSV, .gz or Parquet. Provider contracts with "
            "a blank monthly_fee take the month's charges as their credit base."
        )
        upload = st.file_uploader("Billing export", key="billing-upload", type=None)
        if upload is None:
            _show_last()
            return
        if st.button("Read into charges", key="billing-read"):
            export = _read(upload)
            if export is None:
                return
            st.session_state["billing_read"] = {
                "name": upload.name,
                "lines": export.lines,
                "unmapped": export.charges[export.charges["service"] == ""],
                "excluded": export.excluded,
            }
            S.replace_table(current, "charges", export.charges)
            st.rerun()
        _show_last()


def _read(upload: Any) -> estimator.BillingExport | None:
    if upload.size >= S.MAX_UPLOAD_BYTES * 20:
        st.error(f"{upload.name} is {upload.size:,} bytes; the app reads exports up to 1 GB.")
        return None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        try:
            return estimator.read_export(path)
        except estimator.InputError as exc:
            st.error(
                f"{upload.name} could not be read:\n\n" + "\n".join(f"- {i}" for i in exc.issues)
            )
            return None


def _show_last() -> None:
    last = st.session_state.get("billing_read")
    if not last:
        return
    st.success(f"Read {last['lines']:,} lines of {last['name']} into the charges table.")
    if len(last["unmapped"]):
        st.markdown("**Unmapped services** (kept with a blank service; no contract takes them):")
        st.dataframe(last["unmapped"], hide_index=True)
    if len(last["excluded"]):
        st.markdown("**Excluded lines** (tax; not a credit base):")
        st.dataframe(last["excluded"], hide_index=True)
