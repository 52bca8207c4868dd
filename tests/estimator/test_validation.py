"""Bad input (issue 2): each case gets a clear message naming file, row and column; never a
traceback; a folder with many planted errors gets all of them at once."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import estimator
from estimator import errors as E
from tests.conftest import SAMPLE


def sample_copy(tmp_path: Path) -> Path:
    target = tmp_path / "scenario"
    shutil.copytree(SAMPLE, target)
    return target


def edit_csv(folder: Path, table: str, row: int, column: str, value: str) -> None:
    """Set a cell; ``row`` counts as the user sees it (header = row 1)."""
    path = folder / f"{table}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row - 2, column] = value
    frame.to_csv(path, index=False)


def problems(path: Path) -> list[estimator.ValidationIssue]:
    with pytest.raises(estimator.InputError, match=r"^\d+ problems? in the inputs:") as info:
        estimator.load_inputs(path)
    return info.value.issues


def only(path: Path) -> estimator.ValidationIssue:
    found = problems(path)
    assert len(found) == 1, "\n".join(i.message for i in found)
    return found[0]


def test_sample_scenario_is_valid(sample_inputs: estimator.Inputs) -> None:
    assert len(sample_inputs.companies) == 7


def test_empty_file(tmp_path: Path) -> None:
    folder = sample_copy(tmp_path)
    (folder / "companies.csv").write_bytes(b"")
    issue = only(folder)
    assert issue.source == "companies.csv" and issue.message.startswith("the file is empty")


def test_header_only(tmp_path: Path) -> None:
    folder = sample_copy(tmp_path)
    (folder / "outages.csv").write_text("outage_id,provider,region,service,start,end\n")
    issue = only(folder)
    assert issue.source == "outages.csv" and issue.message == E.HEADER_ONLY


def test_missing_required_column(tmp_path: Path) -> None:
    folder = sample_copy(tmp_path)
    frame = pd.read_csv(folder / "outages.csv", dtype=str).drop(columns=["start"])
    frame.to_csv(folder / "outages.csv", index=False)
    issue = only(folder)
    assert (issue.source, issue.row, issue.column) == ("outages.csv", 1, "start")
    assert issue.message == "required column 'start' is missing"


def test_misspelt_column_suggests_the_right_name(tmp_path: Path) -> None:
    folder = sample_copy(tmp_path)
    frame = pd.read_csv(folder / "companies.csv", dtype=str)
    frame = frame.rename(columns={"annual_revenue": "anual_revenue"})
    frame.to_csv(folder / "companies.csv", index=False)
    found = problems(folder)
    unknown = [i for i in found if i.column == "anual_revenue"]
    assert unknown and "did you mean 'annual_revenue'?" in unknown[0].message
    assert unknown[0].row == 1


@pytest.mark.parametrize(
    ("table", "row", "column", "value", "message"),
    [
        ("companies", 2, "annual_revenue", "abc", E.NOT_A_NUMBER),
        ("companies", 3, "outage_cost_per_hour", "-5", E.NEGATIVE_MONEY),
        ("companies", 4, "recapture_rate", "1.5", E.SHARE_RANGE),
        ("contracts", 2, "revenue_share", "-0.1", E.SHARE_RANGE),
        ("contracts", 3, "monthly_fee", "-100", E.NEGATIVE_MONEY),
        ("outages", 2, "impact", "0", E.IMPACT_RANGE),
        ("outages", 3, "start", "2021-12-07T15:30:00", E.NO_OFFSET),
        ("outages", 4, "end", "07/12/2021 16:00", E.NOT_A_TIME),
        ("companies", 5, "timezone", "America/Chicgo", "not an IANA time zone name"),
        ("companies", 6, "currency", "usd", "not an ISO 4217 currency code; did you mean 'USD'?"),
        ("contracts", 20, "tiers", "99.9-10", E.BAD_TIERS),
        (
            "contracts",
            4,
            "sla",
            "aws/ec2-regoin",
            "no SLA template 'aws/ec2-regoin' in the catalog; did you mean 'aws/ec2-region',",
        ),
        ("contracts", 5, "kind", "Insurance", "expected one of provider, customer, insurance"),
        ("outages", 5, "provider", "AWS", "did you mean 'aws'?"),
    ],
)
def test_one_bad_value(
    tmp_path: Path, table: str, row: int, column: str, value: str, message: str
) -> None:
    folder = sample_copy(tmp_path)
    edit_csv(folder, table, row, column, value)
    found = [i for i in problems(folder) if i.column == column and i.row == row]
    assert found, problems(folder)
    issue = found[0]
    assert issue.source == f"{table}.csv"
    assert issue.value == value
    assert message in issue.message


def test_end_before_start(tmp_path: Path) -> None:
    folder = sample_copy(tmp_path)
    edit_csv(folder, "outages", 2, "end", "2021-12-07T15:00:00Z")
    issue = only(folder)
    assert (issue.row, issue.column) == (2, "end")
    assert issue.message == "end must be after start (2021-12-07T15:30:00Z)"


def test_duplicate_ids_name_the_first_use(tmp_path: Path) -> None:
    folder = sample_copy(tmp_path)
    edit_csv(folder, "companies", 4, "company_id", "streamflix")
    found = [i for i in problems(folder) if i.source == "companies.csv"]
    assert found[0].row == 4 and found[0].message == "duplicate company_id: first used on row 2"


def test_unknown_company_reference(tmp_path: Path) -> None:
    folder = sample_copy(tmp_path)
    edit_csv(folder, "contracts", 2, "company_id", "streamflx")
    issue = only(folder)
    assert (issue.source, issue.row, issue.column) == ("contracts.csv", 2, "company_id")
    assert issue.message == "no company has company_id 'streamflx'; did you mean 'streamflix'?"


def test_unknown_exclusion_contract_and_profile(tmp_path: Path) -> None:
    folder = sample_copy(tmp_path)
    edit_csv(folder, "exclusions", 2, "contract_id", "nobody")
    edit_csv(folder, "companies", 5, "revenue_profile", "airline_bookings")
    found = {(i.source, i.column): i.message for i in problems(folder)}
    assert "no contract has contract_id 'nobody'" in found[("exclusions.csv", "contract_id")]
    assert "did you mean 'airline_booking'" in found[("companies.csv", "revenue_profile")]


def test_utf8_with_bom_loads(tmp_path: Path) -> None:
    folder = sample_copy(tmp_path)
    text = (folder / "companies.csv").read_text(encoding="utf-8")
    (folder / "companies.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert estimator.load_inputs(folder).equals(estimator.load_inputs(SAMPLE))


def test_latin1_file_gets_a_clear_message(tmp_path: Path) -> None:
    folder = sample_copy(tmp_path)
    text = (folder / "companies.csv").read_text(encoding="utf-8")
    text = text.replace("Kindling (fictional dating app)", "Kindling Café")
    (folder / "companies.csv").write_bytes(text.encode("latin-1"))
    issue = only(folder)
    assert issue.source == "companies.csv" and issue.row == 3
    assert "not UTF-8 text (byte 0xE9 on line 3)" in issue.message


def test_xlsx_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "scenario.xlsx"
    path.write_text("outage_id,provider\n")
    issue = only(path)
    assert issue.source == "scenario.xlsx"
    assert "not an Excel .xlsx workbook (it is not a zip archive)" in issue.message


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "scenario.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    assert "without workbook parts" in only(path).message


def write_workbook(inputs: estimator.Inputs, path: Path, drop: str | None = None) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, frame in inputs.to_frames().items():
        if name == drop:
            continue
        sheet = book.create_sheet(name)
        sheet.append(list(frame.columns))
        for row in frame.astype(object).where(frame.notna(), None).itertuples(index=False):
            sheet.append(list(row))
    book.save(path)


def test_workbook_missing_a_sheet(tmp_path: Path, sample_inputs: estimator.Inputs) -> None:
    path = tmp_path / "scenario.xlsx"
    write_workbook(sample_inputs, path, drop="contracts")
    issue = only(path)
    assert issue.message == "required sheet 'contracts' is missing from the workbook"


def test_file_of_50_mb_or_more_is_refused(tmp_path: Path) -> None:
    folder = sample_copy(tmp_path)
    with open(folder / "outages.csv", "ab") as f:
        f.truncate(50_000_000)
    issue = only(folder)
    assert issue.source == "outages.csv"
    assert issue.message == "the file is 50,000,000 bytes; the limit is 50,000,000 bytes (50 MB)"


def test_ragged_row(tmp_path: Path) -> None:
    folder = sample_copy(tmp_path)
    with open(folder / "companies.csv", "a") as f:
        f.write("extra,A,USD,1,,UTC,flat,0,0,surplus\n")
    issue = only(folder)
    assert issue.row == 9 and "the row has 10 values but the header has 9" in issue.message


def test_missing_file_suggests_a_close_name(tmp_path: Path) -> None:
    folder = sample_copy(tmp_path)
    (folder / "outages.csv").rename(folder / "outage.csv")
    issue = only(folder)
    assert issue.message == (
        "required file outages.csv is missing from the folder; did you mean 'outage.csv'?"
    )


def test_path_that_does_not_exist(tmp_path: Path) -> None:
    assert only(tmp_path / "nope").message.startswith("no such file or folder")


def test_contract_kind_rules(tmp_path: Path) -> None:
    folder = sample_copy(tmp_path)
    edit_csv(folder, "contracts", 2, "hourly_payout", "5")  # not for a provider contract
    edit_csv(folder, "contracts", 5, "hourly_payout", "")  # parametric needs it
    edit_csv(folder, "contracts", 20, "tiers", "")  # custom needs tiers
    found = {(i.row, i.column): i.message for i in problems(folder)}
    assert found[(2, "hourly_payout")] == "does not apply to a provider contract: leave it blank"
    assert found[(5, "hourly_payout")] == "a value is required for parametric cover"
    assert found[(20, "tiers")] == "a value is required when sla is 'custom'"


def test_both_or_neither_revenue(tmp_path: Path) -> None:
    folder = sample_copy(tmp_path)
    edit_csv(folder, "companies", 2, "revenue_per_hour", "5")
    edit_csv(folder, "companies", 3, "annual_revenue", "")
    found = {(i.row, i.column): i.message for i in problems(folder)}
    assert found[(2, "revenue_per_hour")] == E.BOTH_REVENUES
    assert found[(3, "annual_revenue")] == E.NO_REVENUE


def test_fee_with_more_decimals_than_the_currency(tmp_path: Path) -> None:
    folder = sample_copy(tmp_path)
    edit_csv(folder, "contracts", 2, "monthly_fee", "100.005")
    issue = only(folder)
    assert issue.message == "USD amounts have at most 2 decimal places"


def test_trailing_zeros_carry_no_decimal_places(tmp_path: Path) -> None:
    """pandas and Excel write whole amounts as 50000.0: fine even for JPY; 0.5 yen is not."""
    folder = sample_copy(tmp_path)
    edit_csv(folder, "companies", 2, "currency", "JPY")
    edit_csv(folder, "contracts", 2, "monthly_fee", "12500000.00")
    assert estimator.load_inputs(folder).contracts.loc[0, "monthly_fee"] == 12_500_000
    edit_csv(folder, "contracts", 2, "monthly_fee", "12500000.50")
    assert only(folder).message == "JPY amounts have at most 0 decimal places"


def test_profile_must_cover_the_week(tmp_path: Path) -> None:
    folder = sample_copy(tmp_path)
    frame = pd.read_csv(folder / "revenue_profiles.csv", dtype=str)
    frame = frame[~((frame["day"] == "*") & (frame["hour"] == "3"))]
    frame.to_csv(folder / "revenue_profiles.csv", index=False)
    issue = only(folder)
    assert issue.message.startswith("profile 'airline_booking' does not cover 7 hours of the week")


def test_twenty_planted_errors_are_all_reported_at_once(tmp_path: Path) -> None:
    folder = sample_copy(tmp_path)
    planted = [
        ("outages", 2, "impact", "2"),
        ("outages", 3, "start", "2021-12-07 17:28"),
        ("outages", 4, "end", "2021-12-07T15:00:00Z"),
        ("outages", 5, "region", "US-East-1"),
        ("outages", 6, "provider", "Amazon Web Services"),
        ("companies", 2, "currency", "dollars"),
        ("companies", 3, "annual_revenue", "abc"),
        ("companies", 4, "timezone", "Mars/Olympus"),
        ("companies", 5, "recapture_rate", "2"),
        ("companies", 6, "outage_cost_per_hour", "-1"),
        ("contracts", 2, "company_id", "ghost"),
        ("contracts", 3, "sla", "aws/s4"),
        ("contracts", 4, "revenue_share", "1.2"),
        ("contracts", 6, "monthly_fee", "-3"),
        ("contracts", 7, "kind", "vendor"),
        ("contracts", 8, "failover_share", "x"),
        ("contracts", 9, "downtime_threshold", "0"),
        ("contracts", 20, "tiers", "99.9-10"),
        ("exclusions", 2, "end", "2021-12-07T20:00:00Z"),
        ("revenue_profiles", 2, "weight", "-1"),
    ]
    for table, row, column, value in planted:
        edit_csv(folder, table, row, column, value)
    found = problems(folder)
    located = {(i.source, i.row, i.column) for i in found}
    for table, row, column, _ in planted:
        assert (f"{table}.csv", row, column) in located, (table, row, column)
    assert len(found) == len(planted), "\n".join(f"{i.location()}: {i.message}" for i in found)
    report = estimator.InputError(found).report
    assert list(report.columns) == ["source", "row", "column", "value", "message"]
    assert len(report) == 20


def test_error_text_is_readable() -> None:
    err = estimator.InputError(
        [
            estimator.ValidationIssue(
                "companies.csv", 3, "currency", "usd", "not an ISO 4217 currency code"
            )
        ]
    )
    assert str(err) == (
        "1 problem in the inputs:\n- companies.csv, row 3, column currency: "
        "not an ISO 4217 currency code [value: usd]"
    )


# --- the three formats ----------------------------------------------------------------------


def test_csv_workbook_json_and_frames_give_identical_inputs(
    tmp_path: Path, sample_inputs: estimator.Inputs
) -> None:
    book = tmp_path / "scenario.xlsx"
    write_workbook(sample_inputs, book)
    doc = tmp_path / "scenario.json"
    doc.write_text(sample_inputs.to_json_text(), encoding="utf-8")
    folder = sample_inputs.write_csv_folder(tmp_path / "csv")
    frames = sample_inputs.to_frames()
    from_frames = estimator.Inputs.from_frames(**frames)
    for other in (
        estimator.load_inputs(book),
        estimator.load_inputs(doc),
        estimator.load_inputs(folder),
        from_frames,
    ):
        assert other.equals(sample_inputs)


def test_json_errors_name_the_record(tmp_path: Path, sample_inputs: estimator.Inputs) -> None:
    doc = json.loads(sample_inputs.to_json_text())
    doc["companies"][2]["currency"] = "EURO"
    doc["contractz"] = []
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    found = problems(path)
    cur = next(i for i in found if i.column == "currency")
    assert cur.location() == "s.json › companies, record 3, column currency"
    assert any("unknown table 'contractz'; did you mean 'contracts'?" in i.message for i in found)


def test_broken_json(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"outages": [}')
    assert only(path).message.startswith("not valid JSON")


def test_uploaded_csv_files_and_their_limit(sample_inputs: estimator.Inputs) -> None:
    files = {}
    for name, frame in sample_inputs.to_frames().items():
        buf = io.StringIO()
        frame.to_csv(buf, index=False)
        files[f"{name}.csv"] = buf.getvalue().encode()
    assert estimator.load_uploaded(files).equals(sample_inputs)
    with pytest.raises(estimator.InputError, match="the limit is 1,000 bytes"):
        estimator.load_uploaded(files, max_bytes=1000)


def test_from_frames_accepts_typed_columns() -> None:
    inputs = estimator.Inputs.from_frames(
        outages=pd.DataFrame(
            {
                "outage_id": ["o"],
                "provider": ["aws"],
                "region": ["*"],
                "service": ["*"],
                "start": [pd.Timestamp("2021-12-07T15:30", tz="UTC")],
                "end": [pd.Timestamp("2021-12-07T10:30", tz="US/Pacific")],
            }
        ),
        companies=pd.DataFrame({"company_id": ["a"], "revenue_per_hour": [10.5]}),
        contracts=pd.DataFrame(
            {
                "contract_id": ["c"],
                "company_id": ["a"],
                "provider": ["aws"],
                "region": ["*"],
                "service": ["*"],
                "sla": ["aws/ec2-region"],
                "monthly_fee": [100],
            }
        ),
    )
    assert inputs.outages.loc[0, "end"] == pd.Timestamp("2021-12-07T18:30", tz="UTC")


def test_naive_timestamps_from_frames_are_refused() -> None:
    with pytest.raises(estimator.InputError, match="no UTC offset"):
        estimator.Inputs.from_frames(
            outages=pd.DataFrame(
                {
                    "outage_id": ["o"],
                    "provider": ["aws"],
                    "region": ["*"],
                    "service": ["*"],
                    "start": [pd.Timestamp("2021-12-07T15:30")],
                }
            ),
            companies=pd.DataFrame({"company_id": ["a"], "revenue_per_hour": [10]}),
            contracts=pd.DataFrame(
                {
                    "contract_id": ["c"],
                    "company_id": ["a"],
                    "sla": ["custom"],
                    "kind": ["customer"],
                    "tiers": ["99:10"],
                    "monthly_fee": [1],
                }
            ),
        )
