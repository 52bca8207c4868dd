"""Hostile inputs (issue 26): eight files that gave an internal error or were accepted without
a word. Each must be an input error naming the file, the row or record and the column, through
the command line (exit 2), the API (InputError) and the app's upload (the same problems)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import estimator
from estimator import errors as E
from tests.conftest import SAMPLE
from tests.estimator.test_cli import cli

TABLES = ("outages", "companies", "contracts")


def csv_files(edit: Callable[[str, str], str] = lambda name, text: text) -> dict[str, bytes]:
    return {f"{n}.csv": edit(n, (SAMPLE / f"{n}.csv").read_text()).encode() for n in TABLES}


def sample_doc() -> dict[str, list[dict[str, object]]]:
    frames = {n: pd.read_csv(SAMPLE / f"{n}.csv", dtype=str) for n in TABLES}
    return {
        n: [{k: v for k, v in r.items() if pd.notna(v)} for r in f.to_dict("records")]
        for n, f in frames.items()
    }


def arabic_digits() -> dict[str, bytes]:
    """companies row 3 (kindling): annual_revenue in Arabic-Indic digits."""
    return csv_files(
        lambda n, t: t.replace("1650000000", "١٦٥٠٠٠٠٠٠٠", 1) if n == "companies" else t
    )


def short_row() -> dict[str, bytes]:
    """outages row 4 with its last four values left out (no trailing commas)."""

    def edit(name: str, text: str) -> str:
        if name != "outages":
            return text
        lines = text.split("\n")
        lines[3] = ",".join(lines[3].split(",")[:6])
        return "\n".join(lines)

    return csv_files(edit)


def missing_shared_string() -> dict[str, bytes]:
    """A workbook (written by XlsxWriter, which keeps text in a shared strings table) whose
    companies sheet has cell C3 pointing past the shared strings."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="xlsxwriter") as writer:
        for n in TABLES:
            frame = pd.read_csv(SAMPLE / f"{n}.csv", dtype=str, keep_default_na=False)
            frame.to_excel(writer, sheet_name=n, index=False)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    assert "xl/sharedStrings.xml" in src.namelist()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":  # companies
                data, n = re.subn(rb'(<c r="C3"[^>]*t="s"[^>]*><v>)\d+', rb"\g<1>99999", data)
                assert n == 1
            dst.writestr(item, data)
    return {"scenario.xlsx": out.getvalue()}


def json_text(doc: object) -> dict[str, bytes]:
    return {"scenario.json": (doc if isinstance(doc, str) else json.dumps(doc)).encode()}


def deep_file() -> dict[str, bytes]:
    return json_text("[" * 100_000 + "]" * 100_000)


def deep_cell() -> dict[str, bytes]:
    text = json.dumps(sample_doc())
    nested = "[" * 100_000 + "]" * 100_000
    return json_text(text.replace('"description": ', f'"description": {nested}, "x": ', 1))


def long_integer() -> dict[str, bytes]:
    text = json.dumps(sample_doc())
    return json_text(
        text.replace('"annual_revenue": "29700000000"', f'"annual_revenue": {"9" * 5000}', 1)
    )


def key_twice() -> dict[str, bytes]:
    text = json.dumps(sample_doc())
    return json_text(text.replace('"impact": "0.65"', '"impact": 0.5, "impact": 1', 1))


def table_twice() -> dict[str, bytes]:
    doc = sample_doc()
    body = ", ".join(f'"{n}": {json.dumps(doc[n])}' for n in TABLES)
    return json_text("{" + body + f', "companies": {json.dumps(doc["companies"][:2])}' + "}")


def nan_literals() -> dict[str, bytes]:
    text = json.dumps(sample_doc())
    text = text.replace('"impact": "0.65"', '"impact": NaN', 1)
    return json_text(text.replace('"revenue_share": "0.4"', '"revenue_share": Infinity', 1))


# case, files, expected (source, row, column, message) per problem
CASES: dict[str, tuple[Callable[[], dict[str, bytes]], list[tuple[str, int, str, str]]]] = {
    "arabic_digits": (arabic_digits, [("companies.csv", 3, "annual_revenue", E.NOT_A_NUMBER)]),
    "short_row": (
        short_row,
        [("outages.csv", 4, "", "the row has 6 values but the header names 10")],
    ),
    "missing_shared_string": (
        missing_shared_string,
        [("scenario.xlsx › companies", 3, "currency", "shared strings")],
    ),
    "deep_file": (deep_file, [("scenario.json", 0, "", "nested more than 20 levels")]),
    "deep_cell": (
        deep_cell,
        [("scenario.json › outages", 1, "description", "nested more than 20")],
    ),
    "long_integer": (
        long_integer,
        [("scenario.json › companies", 1, "annual_revenue", E.NUMBER_TOO_LARGE)],
    ),
    "key_twice": (
        key_twice,
        [("scenario.json › outages", 1, "impact", "gives 'impact' twice (0.5, then 1)")],
    ),
    "table_twice": (
        table_twice,
        [("scenario.json", 0, "", "the table 'companies' is given twice")],
    ),
    "nan_literals": (
        nan_literals,
        [
            ("scenario.json › outages", 1, "impact", E.NOT_A_NUMBER),
            ("scenario.json › contracts", 1, "revenue_share", E.NOT_A_NUMBER),
        ],
    ),
}


def matches(issue: estimator.ValidationIssue, want: tuple[str, int, str, str]) -> bool:
    source, row, column, text = want
    return (
        issue.source == source
        and (issue.row or 0) == row
        and (issue.column or "") == column
        and text in issue.message
    )


def write(tmp_path: Path, files: dict[str, bytes]) -> Path:
    if len(files) == 1:
        ((name, data),) = files.items()
        path = tmp_path / name
        path.write_bytes(data)
        return path
    folder = tmp_path / "scenario"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


@pytest.mark.parametrize("case", CASES)
def test_the_api_raises_input_error_naming_file_row_and_column(case: str, tmp_path: Path) -> None:
    make, wanted = CASES[case]
    with pytest.raises(estimator.InputError) as info:
        estimator.load_inputs(write(tmp_path, make()))
    for want in wanted:
        assert any(matches(i, want) for i in info.value.issues), (want, info.value.issues)


@pytest.mark.parametrize("case", CASES)
def test_uploaded_files_give_the_same_problems(case: str) -> None:
    make, wanted = CASES[case]
    files = make()
    read = estimator.read_tables(files)
    try:
        estimator.Inputs.from_frames(**{n: f for n, f in read.frames.items()})
        shown: list[estimator.ValidationIssue] = list(read.issues)
    except estimator.InputError as exc:
        shown = [*read.issues, *exc.issues]
    with pytest.raises(estimator.InputError) as info:
        estimator.load_uploaded(files)
    for want in wanted:
        assert any(matches(i, want) for i in info.value.issues)
        # the app shows reading problems by file row and editor problems by table row
        assert any(want[3] in i.message and (i.column or "") == want[2] for i in shown)


@pytest.mark.parametrize(
    "case",
    [
        "arabic_digits",
        "short_row",
        "missing_shared_string",
        "deep_file",
        "key_twice",
        "nan_literals",
    ],
)
def test_the_command_line_exits_2_with_the_message(case: str, tmp_path: Path) -> None:
    make, wanted = CASES[case]
    out = cli("run", str(write(tmp_path, make())))
    assert out.returncode == 2, out.stderr
    assert "internal error" not in out.stderr and "Traceback" not in out.stderr
    for source, row, column, text in wanted:
        assert source in out.stderr and text in out.stderr
        if row:
            assert f"{'record' if '.json ›' in source else 'row'} {row}" in out.stderr
        if column:
            assert f"column {column}" in out.stderr


def test_other_scripts_digits_are_refused_in_tiers_too() -> None:
    from pricing.tiers import TierError, parse_tiers

    assert parse_tiers("99.9:10")
    with pytest.raises(TierError):
        parse_tiers("٩٩.٩:١٠")
