"""Input problems: one record per problem, one exception that carries them all.

Every message text is a constant here, so that tests can match it and the app
can show it. A message is formatted with ``str.format`` keywords.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

# tier texts belong to the tier parser that raises them
from pricing.tiers import (  # noqa: F401
    BAD_TIERS,
    TIER_BOUND_RANGE,
    TIER_CREDIT_RANGE,
    TIER_DUPLICATE,
    TIER_NOT_MONOTONE,
)

# --- files -------------------------------------------------------------------
NOT_FOUND = "no such file or folder: {path}"
UNKNOWN_FORMAT = (
    "cannot read {name}: expected a folder of CSV files, an .xlsx workbook or a .json file"
)
SINGLE_CSV = (
    "{name} is a single CSV file: give the folder that holds outages.csv, companies.csv "
    "and contracts.csv"
)
OLD_EXCEL = "{name} is an old or macro-enabled Excel file ({suffix}): save it as .xlsx"
TOO_LARGE = "the file is {size:,} bytes; the limit is {limit:,} bytes (50 MB)"
EMPTY_FILE = "the file is empty: expected a header row with the columns {columns}"
NOT_UTF8 = (
    "the file is not UTF-8 text (byte 0x{byte:02X} on line {line}); save it as "
    "'CSV UTF-8' (Excel) or UTF-8 (other editors)"
)
CSV_PARSE = "cannot read the CSV text: {detail}"
RAGGED_ROW = "the row has {found} values but the header has {expected} columns"
SHORT_ROW = (
    "the row has {found} values but the header names {expected} columns (nothing for "
    "{missing}); give every column a value or an empty field (a comma)"
)
MISSING_TABLE_FILE = "required file {name} is missing from the folder{hint}"
MISSING_TABLE = "required table '{name}' is missing"
MISSING_SHEET = "required sheet '{name}' is missing from the workbook{hint}"
MISSING_JSON_TABLE = "required table '{name}' is missing from the JSON object{hint}"
UNKNOWN_JSON_TABLE = "unknown table '{name}'{hint}; the tables are {tables}"
NOT_XLSX = "not an Excel .xlsx workbook ({detail}); was it saved as CSV or .xls?"
UNSAFE_XLSX = "the workbook was refused: {detail}"
BAD_JSON = "not valid JSON: {detail} (line {line}, column {col})"
JSON_SHAPE = "expected {expected}"
XLSX_BAD_SHEET = (
    "the sheet is damaged and could not be read past this row ({detail}); re-save the workbook "
    "in Excel or LibreOffice"
)
XLSX_MISSING_STRING = (
    "the cell refers to text number {index} of the workbook's shared strings, which has {count}: "
    "the file is damaged; re-save it in Excel or LibreOffice"
)
JSON_TOO_DEEP = "the JSON is nested more than {limit} levels deep (the limit)"
JSON_TABLE_TWICE = "the table '{name}' is given twice in the document; give each table once"
JSON_KEY_TWICE = "the record gives '{key}' twice ({values}); give each column once"
HEADER_ONLY = "the table has a header but no rows; at least one row is required"
BLANK_HEADER = "a column has no name in the header row"
DUPLICATE_COLUMN = "the column appears more than once in the header"

# --- columns -----------------------------------------------------------------
MISSING_COLUMN = "required column '{column}' is missing"
UNKNOWN_COLUMN = "unknown column '{column}'{hint}; the columns are {columns}"

# --- values ------------------------------------------------------------------
REQUIRED = "a value is required"
REQUIRED_FOR_KIND = "a value is required for a {kind} contract"
NOT_FOR_KIND = "does not apply to a {kind} contract: leave it blank"
NOT_FOR_COVER = "does not apply to {cover} cover: leave it blank"
REQUIRED_FOR_COVER = "a value is required for {cover} cover"
REQUIRED_FOR_CUSTOM = "a value is required when sla is 'custom'"
NOT_A_NUMBER = "expected a number, like 1250000 or 0.25"
NUMBER_TOO_LARGE = "the number is too large to be read (the largest is about 1.8e308)"
NOT_AN_INTEGER = "expected a whole number from {low} to {high}"
NEGATIVE_MONEY = "expected an amount of 0 or more"
BAD_MONTH = "expected a month as YYYY-MM, like 2021-12"
BAD_DATE = "expected a day as YYYY-MM-DD, like 2022-01-15"
CHARGES_TWICE = (
    "these charges (provider, service, region, month, account, currency, source) are given "
    "twice: first on row {first}"
)
CHARGES_CURRENCY = (
    "contract {contract} takes these charges as its credit base, but its company reports in "
    "{currency}: give the contract a monthly_fee in {currency}, or charges in {currency}"
)
CLAIM_TWICE = "a claim for this contract and month is logged twice: first on row {first}"
CLAIM_NOT_PROVIDER = "claims are logged for provider contracts only (credits the company is owed)"
CLAIM_AMOUNT_NOT_APPROVED = "an approved amount is given only for status approved or paid"
FEE_OR_CHARGES = (
    "a value is required for a provider contract (or leave it blank and give the month's "
    "charges in a charges table)"
)
WILDCARD_NEEDS_FEE = (
    "a value is required: a contract for every service or region (*) never takes its credit "
    "base from the charges table"
)
NO_FEE_FOR_MONTH = (
    "contract {contract} has no monthly_fee and the charges table has no charges of "
    "{provider}/{service} in {region}{account} for {month}, a month it is credited: give a "
    "monthly_fee or that month's charges"
)
CLAIM_NO_CREDIT = (
    "contract {contract} is owed no credit for {month} (no credit row): a claim cannot be "
    "reconciled; check the contract and month"
)
TOO_MANY_DECIMALS = "{currency} amounts have at most {places} decimal places"
SHARE_RANGE = "expected a share from 0 to 1 (0.25 means 25 %)"
INSURER_SHARE_RANGE = "expected the insurer's share, above 0 and at most 1 (0.25 means 25 %)"
MISSING_FX_RATE = (
    "no exchange rate from {currency} to the reporting currency {reporting}: add a row "
    "'{currency},<rate>' to fx_rates (units of {reporting} per {currency})"
)
RATE_RANGE = "expected an exchange rate above 0 (units of the reporting currency per unit)"
YEAR_RANGE = "expected a simulated year: a whole number, 1 or more"
MARGIN_RANGE = "expected a gross margin above 0 and at most 1 (0.4 means 40 % of revenue)"
EXPIRY_BEFORE_INCEPTION = "the policy expires at or before its inception ({inception})"
PERIOD_ONE_BOUND = (
    "a risk run lays the policy period onto every simulated year: give both inception and "
    "expiry (at most one year apart), or leave both blank to cover the whole of every year"
)
PERIOD_OVER_A_YEAR = (
    "a risk run lays the policy period onto every simulated year: the period from "
    "{inception} to {expiry} is longer than a year (its expiry is after {anniversary}); give "
    "a period of at most one year, or leave both blank to cover the whole of every year"
)
OCCURRENCE_ABOVE_AGGREGATE = "the occurrence limit is above the aggregate limit ({limit})"
GROSS_PROFIT_NEEDS_MARGIN = (
    "the gross_profit basis needs the company's gross_margin: company '{company}' has none "
    "(add it to companies, or use basis revenue)"
)
IMPACT_RANGE = "expected an impact above 0 and at most 1 (0.25 means 25 % of requests fail)"
IMPACT_DECIMALS = "expected at most 6 decimal places"
NOT_NEGATIVE = "expected a number of 0 or more"
NOT_A_TIME = "expected a date and time in ISO 8601 with a UTC offset, like 2021-12-07T15:30:00Z"
NO_OFFSET = (
    "the time has no UTC offset: add Z for UTC or an offset like -08:00 "
    "(for example 2021-12-07T15:30:00Z)"
)
SUBSECOND = "times are counted to the second: remove the fraction of a second"
TIME_RANGE = "expected a time between 1970 and 2200"
END_NOT_AFTER_START = "end must be after start ({start})"
BLANK_END_EXCLUSION = "an exclusion needs an end"
NOT_WHOLE_SECONDS = "counted to the second: {column} x {factor} must be a whole number of seconds"
TOO_LARGE_AMOUNT = "the amount is too large to be held exactly"
UNCERTAIN_COLUMN = "'{table}' has no uncertain column of that name: expected {columns}{hint}"
UNCERTAIN_KIND = "{column} applies to {kind} contracts only"
UNCERTAIN_NEEDS_MODE = "a {dist} distribution needs a mode (the most likely value)"
UNCERTAIN_NO_MODE = "a {dist} distribution has no mode: leave it blank"
UNCERTAIN_ORDER = "expected low <= mode <= high"
UNCERTAIN_LOGNORMAL = "a lognormal cannot be used here: {why}; use pert, triangular or uniform"
UNCERTAIN_RANGE = "{column} values must be {bound}"
UNCERTAIN_REPEAT = (
    "this input already has a distribution in row {first} (a '*' row covers every row of its "
    "table; revenue_per_hour and annual_revenue are one input)"
)
ZONE_NOT_ZONE_SCOPE = (
    "a zone names the zone of a window with scope 'zone'; this window's scope is '{scope}' "
    "(set scope to zone, or leave zone blank)"
)
BAD_SLUG = "expected a lower-case name of letters, digits, '-', '_' or '.'{hint}"
BAD_CHOICE = "expected one of {choices}"
DUPLICATE_ID = "duplicate {column}: first used on row {first}"
UNKNOWN_REFERENCE = "no {table} has {column} '{value}'{hint}"
UNKNOWN_CURRENCY = "not an ISO 4217 currency code{hint}"
UNKNOWN_TIMEZONE = "not an IANA time zone name like Europe/London or America/New_York{hint}"
UNKNOWN_PROFILE = (
    "no revenue profile '{value}': the built-ins are {builtins}, "
    "or define it in revenue_profiles{hint}"
)
BOTH_REVENUES = "give annual_revenue or revenue_per_hour, not both"
NO_REVENUE = "give annual_revenue or revenue_per_hour"
NOT_AN_AWS_ZONE = (
    "'{zone}' is not an AWS zone id (like use1-az4) or zone name (like us-east-1a) of a known "
    "region"
)
ZONE_OTHER_REGION = "{zone} is a zone of {home}, not of this contract's region {region}"
TEMPLATE_ELSEWHERE = (
    "the SLA template '{sla}' is for {for_}, not for this contract's {here}; choose a template "
    "of its provider and service, or 'custom' with tiers"
)
UNKNOWN_TEMPLATE = "no SLA template '{value}' in the catalog{hint}; or use 'custom' with tiers"
EXCLUSION_KIND = "exclusions apply to provider and customer contracts, not to {kind}"
PROFILE_BUILTIN_NAME = "'{value}' is a built-in profile name; choose another profile_id"
PROFILE_DUPLICATE = "profile '{profile}' sets {day} hour {hour} twice (first on row {first})"
PROFILE_MISSING_HOURS = (
    "profile '{profile}' does not cover {count} hours of the week, e.g. {examples}"
)
PROFILE_ALL_ZERO = "profile '{profile}' has only zero weights"


@dataclass(frozen=True)
class ValidationIssue:
    """One problem in the inputs, located as the user sees it.

    ``row`` counts the header as row 1, so the first data row is row 2 (for a
    JSON list, the record's position counted the same way). ``row`` is ``None``
    for a problem with a whole file or sheet, 1 for a problem with the header.
    """

    source: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    row_label: str = "row"
    """``row`` for tables; ``record`` for a JSON list (its position, counted from 1)."""

    def location(self) -> str:
        parts = [self.source]
        if self.row is not None:
            parts.append(f"{self.row_label} {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)


REPORT_COLUMNS = ["source", "row", "column", "value", "message"]


class InputError(ValueError):
    """Raised when inputs are invalid. Carries every problem found, not only the first."""

    def __init__(self, issues: Iterable[ValidationIssue]):
        self.issues: list[ValidationIssue] = sorted(
            issues, key=lambda i: (i.source, i.row or 0, i.column or "", i.message)
        )
        super().__init__(self._text())

    @property
    def report(self) -> pd.DataFrame:
        """The problems as a table: source, row, column, value, message."""
        return self.report_table()

    def report_table(self, *, row_offset: int = 0) -> pd.DataFrame:
        """The problems as a table, rows shifted by ``row_offset`` (-1 numbers them as an
        editor does, first data row = 1, where the file counts the header as row 1)."""
        frame = pd.DataFrame(
            [
                [
                    i.source,
                    None if i.row is None else max(i.row + row_offset, 0),
                    i.column,
                    i.value,
                    i.message,
                ]
                for i in self.issues
            ],
            columns=REPORT_COLUMNS,
        )
        frame["row"] = frame["row"].astype("Int64")
        return frame

    def _text(self) -> str:
        n = len(self.issues)
        lines = [f"{n} problem{'s' if n != 1 else ''} in the inputs:"]
        for issue in self.issues:
            value = "" if issue.value is None else f" [value: {_clip(issue.value)}]"
            lines.append(f"- {issue.location()}: {issue.message}{value}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self._text()


def _clip(text: str, limit: int = 60) -> str:
    text = text.replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """A ``"; did you mean 'x'?"`` hint naming close matches, or an empty string."""
    import difflib

    options = list(choices)
    matches = difflib.get_close_matches(value, options, n=3, cutoff=0.6)
    if not matches:
        lowered = {c.lower(): c for c in options}
        if value.lower() in lowered:
            matches = [lowered[value.lower()]]
    if not matches:
        return ""
    quoted = ", ".join(f"'{m}'" for m in matches)
    return f"; did you mean {quoted}?"


class LibraryError(Exception):
    """A fault of the scenario library (unreachable, refused, a missing id, a name taken):
    a message for the user, never a traceback."""
