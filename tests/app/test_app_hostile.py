"""Hostile uploads in the app (issue 26): the problems the command line reports are shown,
no exception, and the previous results stay on screen."""

from __future__ import annotations

import pytest

from tests.app.test_app import metrics, shown_anywhere, start
from tests.estimator.test_hostile_inputs import CASES


@pytest.mark.parametrize(
    "case",
    [
        "arabic_digits",
        "short_row",
        "missing_shared_string",
        "key_twice",
        "nan_literals",
        "deep_cell",
    ],
)
def test_an_upload_shows_the_problems_of_the_hostile_file(case: str) -> None:
    make, wanted = CASES[case]
    at = start()
    before = metrics(at)
    at.radio(key="scenario").set_value("Upload your own files").run()
    kinds = {"csv": "text/csv", "json": "application/json", "xlsx": "application/vnd.ms-excel"}
    files = [(name, data, kinds[name.rsplit(".", 1)[1]]) for name, data in make().items()]
    at.file_uploader(key="upload").set_value(files if len(files) > 1 else files[0]).run()
    at.button(key="load_upload").click().run()
    assert not at.exception, at.exception
    for _source, _row, _column, text in wanted:
        assert shown_anywhere(at, text) or any(text in e.value for e in [*at.warning, *at.error])
    assert metrics(at) == before or not metrics(at)  # no figures from the bad input
