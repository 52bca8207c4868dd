"""Billing exports -> the charges table (issue 22.1): formats, exact sums, mapping, streaming,
and every bad input an error naming file, row and column."""

from __future__ import annotations

import csv
import gzip
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import estimator
from estimator.sources.billing import reader

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "billing"
SAME = [
    "provider",
    "service",
    "region",
    "month",
    "account",
    "currency",
    "charges",
    "credits_received",
]


def _lines(path: Path) -> list[dict[str, str]]:
    text = [line for line in path.read_text().splitlines() if not line.startswith("#")]
    return list(csv.DictReader(text))


def _expected_focus(path: Path) -> dict[tuple[str, str, str, str], tuple[Decimal, Decimal]]:
    """The FOCUS fixture summed by hand with Decimal, the rules of METHODOLOGY §22: Usage and
    Purchase are charges, Credit and negative Adjustment are credits, Tax is left out."""
    out: dict[tuple[str, str, str, str], list[Decimal]] = {}
    for line in _lines(path):
        key = (
            line["ServiceName"],
            line["RegionId"],
            line["BillingPeriodStart"][:7],
            line["SubAccountId"],
        )
        cost = Decimal(line["BilledCost"])
        sums = out.setdefault(key, [Decimal(0), Decimal(0)])
        category = line["ChargeCategory"]
        if category in ("Usage", "Purchase") or (category == "Adjustment" and cost >= 0):
            sums[0] += cost
        elif category == "Credit" or category == "Adjustment":
            sums[1] -= cost
    cent = Decimal("0.01")
    return {
        k: (v[0].quantize(cent, ROUND_HALF_UP), v[1].quantize(cent, ROUND_HALF_UP))
        for k, v in out.items()
    }


def test_focus_and_cur2_exports_of_the_same_charges_give_the_same_table() -> None:
    focus = estimator.read_billing(FIXTURES / "focus_small.csv")
    cur2 = estimator.read_billing(FIXTURES / "cur2_small.csv")
    pd.testing.assert_frame_equal(focus[SAME], cur2[SAME])
    assert set(focus["source"]) == {"focus_small.csv (FOCUS 1.0-1.2)"}
    assert set(cur2["source"]) == {"cur2_small.csv (AWS Cost and Usage Report 2.0)"}
    expected = _expected_focus(FIXTURES / "focus_small.csv")
    got = {
        (r.source_service, r.region, r.month, r.account): (r.charges, r.credits_received)
        for r in focus.itertuples()
    }
    assert got == {k: (float(a), float(b)) for k, (a, b) in expected.items()}


def test_sub_cent_lines_sum_exactly_before_the_one_rounding() -> None:
    table = estimator.read_billing(FIXTURES / "focus_small.csv")
    ec2 = table[(table["service"] == "ec2") & (table["month"] == "2021-12")]
    # 0.004999999 + 9999.995000001 + 500 is exactly 10500; float sums would not be exact
    assert ec2.set_index("account")["charges"].to_dict() == {
        "111100000001": 10500.0,
        "111100000002": 2500.0,
    }


def test_unmapped_services_are_kept_and_tax_is_left_out_and_totalled() -> None:
    export = estimator.read_export(FIXTURES / "cur2_small.csv")
    unmapped = export.charges[export.charges["service"] == ""]
    assert unmapped[["source_service", "charges"]].values.tolist() == [["AmazonGuardDuty", 75.25]]
    assert export.excluded["amount"].sum() == 800.0
    assert export.lines == 11
    route53 = export.charges[export.charges["service"] == "route53"]
    assert route53["region"].tolist() == [""]  # a global service: no region


def test_legacy_cur_google_and_azure() -> None:
    legacy = estimator.read_billing(FIXTURES / "cur_legacy_small.csv")
    cur2 = estimator.read_billing(FIXTURES / "cur2_small.csv")
    december = cur2[(cur2["month"] == "2021-12") & cur2["service"].isin(["ec2", "s3"])]
    december = december[december["account"] == "111100000001"].reset_index(drop=True)
    pd.testing.assert_frame_equal(legacy[SAME], december[SAME])
    gcp = estimator.read_billing(FIXTURES / "gcp_small.csv")
    rows = {(r.service, r.month): (r.charges, r.credits_received) for r in gcp.itertuples()}
    # 2023-10-31T20:00-07:00 is 2023-11-01 03:00 UTC: November; tax left out; credits positive
    assert rows == {
        ("compute-engine", "2023-11"): (1500.0, 100.0),
        ("cloud-storage", "2023-11"): (40.5, 0.0),
    }
    assert set(gcp["region"]) == {"us-central1", ""}
    azure = estimator.read_billing(FIXTURES / "azure_small.csv")
    rows = {(r.region, r.month): (r.charges, r.credits_received) for r in azure.itertuples()}
    assert rows == {("eastus", "2023-11"): (1000.0, 0.0), ("eastus", "2023-12"): (0.0, 50.0)}
    assert set(azure["currency"]) == {"EUR"}


def test_gzip_parquet_and_small_chunks_read_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = estimator.read_billing(FIXTURES / "focus_small.csv")
    packed = tmp_path / "focus.csv.gz"
    with (FIXTURES / "focus_small.csv").open("rb") as src, gzip.open(packed, "wb") as dst:
        shutil.copyfileobj(src, dst)
    pd.testing.assert_frame_equal(estimator.read_billing(packed)[SAME], plain[SAME])
    frame = pd.DataFrame(_lines(FIXTURES / "focus_small.csv"))
    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.set_column(
        table.schema.get_field_index("BillingPeriodStart"),
        "BillingPeriodStart",
        pa.array(pd.to_datetime(frame["BillingPeriodStart"], utc=True)),
    )
    pq.write_table(table, tmp_path / "focus.parquet")
    pd.testing.assert_frame_equal(
        estimator.read_billing(tmp_path / "focus.parquet")[SAME], plain[SAME]
    )
    monkeypatch.setattr(reader, "BLOCK_BYTES", 600)  # many chunks of a few lines each
    pd.testing.assert_frame_equal(
        estimator.read_billing(FIXTURES / "focus_small.csv")[SAME], plain[SAME]
    )


def test_an_unknown_format_says_which_headers_were_expected(tmp_path: Path) -> None:
    path = tmp_path / "costs.csv"
    path.write_text("date,amount\n2021-12-01,5\n")
    with pytest.raises(estimator.InputError) as err:
        estimator.read_billing(path)
    (issue,) = err.value.issues
    assert issue.source == "costs.csv" and issue.row == 1
    assert "BilledCost, ChargeCategory, BillingPeriodStart" in issue.message
    assert "line_item_product_code" in issue.message and "CostInBillingCurrency" in issue.message


def test_bad_lines_are_all_reported_with_file_row_and_column(tmp_path: Path) -> None:
    text = (FIXTURES / "cur2_small.csv").read_text().splitlines()
    text[3] = text[3].replace(",0.004999999,", ",12,5,")  # a comma decimal: one column more
    lines = [*text[:3], text[4].replace("9999.995000001", "abc"), text[5].replace("RIFee", "Gift")]
    lines.append(text[6].replace("USD", "dollars"))
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(estimator.InputError) as err:
        estimator.read_billing(path)
    found = {(i.row, i.column) for i in err.value.issues}
    # the header is row 2 (after the comment line), so the first line is row 3
    assert (4, "line_item_unblended_cost") in found
    assert (5, "line_item_line_item_type") in found
    assert (6, "line_item_currency_code") in found
    gift = next(i for i in err.value.issues if i.column == "line_item_line_item_type")
    assert "unknown line type 'gift'" in gift.message and gift.source == "bad.csv"


def test_the_cli_writes_charges_and_lists_the_unmapped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from estimator.cli import main

    out = tmp_path / "charges.csv"
    assert main(["billing", str(FIXTURES / "focus_small.csv"), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Amazon GuardDuty" in printed and "Excluded (tax lines" in printed
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(written.columns) == reader.CHARGES_COLUMNS
    assert len(written) == len(estimator.read_billing(FIXTURES / "focus_small.csv"))
    bad = tmp_path / "x.csv"
    bad.write_text("a,b\n1,2\n")
    assert main(["billing", str(bad), "--out", str(out)]) == 2
    assert "not a billing export" in capsys.readouterr().err
