"""What the Uncertainty and Portfolio risk tabs share: a run is shown only for the inputs and
options it was made with, and its workbook is offered for download."""

from __future__ import annotations

import hashlib

import streamlit as st

import estimator

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def current_run(name: str, pressed: bool, inputs: estimator.Inputs, *options: object) -> bool:
    """Whether the last run named ``name`` was made with these inputs and options (a press of
    its button starts one); otherwise say that the inputs changed, once a run exists."""
    key = hashlib.sha256((inputs.to_json_text() + repr(options)).encode("utf-8")).hexdigest()
    if pressed:
        st.session_state[name] = key
    if st.session_state.get(name) == key:
        return True
    if name in st.session_state:
        st.info("The inputs or options changed since the last run: run it again.")
    return False


def workbook_button(label: str, data: bytes, file_name: str, key: str) -> None:
    st.download_button(
        label,
        data=data,
        file_name=file_name,
        mime=XLSX_MIME,
        key=key,
        on_click="ignore",
        icon=":material/download:",
    )
