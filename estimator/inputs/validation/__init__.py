"""Validation: raw text tables -> typed tables, or every problem at once.

Each column is parsed by the parser of its kind (:mod:`.parsers`), on the whole
column at once; a parser returns the typed values and a message for each value it
could not read. Then come the rules that span columns, the rules within a table
and the references between tables (:mod:`.tables`, :mod:`.contracts`). Every
problem becomes one :class:`~estimator.errors.ValidationIssue` collected by
:class:`.collector.Collector`; nothing stops at the first.

Blank cells take the defaults declared on the schema's columns, so the typed tables
say exactly what will be priced.
"""

from __future__ import annotations

import pandas as pd

from estimator.errors import ValidationIssue
from estimator.inputs.readers import RawInputs
from estimator.inputs.schema import TABLES_BY_NAME, Table
from estimator.inputs.validation.billing import check_charges, check_claim_log
from estimator.inputs.validation.collector import (
    Collector,
    as_dtype,
    check_table,
    duplicates,
    references,
)
from estimator.inputs.validation.contracts import check_contracts
from estimator.inputs.validation.tables import (
    check_companies,
    check_exclusions,
    check_outages,
    check_profile_references,
    check_profiles,
)
from estimator.inputs.validation.uncertainty import check_uncertainty


def validate(raw: RawInputs) -> tuple[dict[str, pd.DataFrame], list[ValidationIssue]]:
    """Typed tables and every problem found (an empty list when the inputs are valid)."""
    out = Collector()
    out.issues += raw.issues
    checked = {name: check_table(t, out) for name, t in raw.tables.items()}
    typed = {name: c.typed for name, c in checked.items()}
    for name, table in TABLES_BY_NAME.items():
        if name not in typed:
            typed[name] = _empty(table)
    if "outages" in checked:
        check_outages(checked["outages"], out)
    if "companies" in checked:
        check_companies(checked["companies"], out)
    if "revenue_profiles" in checked:
        check_profiles(checked["revenue_profiles"], out)
    companies = typed["companies"]
    if "contracts" in checked:
        check_contracts(checked["contracts"], companies, out, charges_given="charges" in checked)
        if "companies" in checked:
            references(
                checked["contracts"],
                "company_id",
                companies["company_id"],
                "company",
                "company_id",
                out,
            )
    if "exclusions" in checked:
        check_exclusions(checked["exclusions"], typed["contracts"], out)
        if "contracts" in checked:
            references(
                checked["exclusions"],
                "contract_id",
                typed["contracts"]["contract_id"],
                "contract",
                "contract_id",
                out,
            )
    if "companies" in checked:
        check_profile_references(checked["companies"], typed["revenue_profiles"], out)
    if "fx_rates" in checked:
        duplicates(checked["fx_rates"], "currency", out)
    if "charges" in checked:
        check_charges(checked["charges"], typed["contracts"], companies, out)
    if "claim_log" in checked:
        check_claim_log(checked["claim_log"], typed["contracts"], out, "contracts" in checked)
    if "uncertainty" in checked:
        read = {name for name, c in checked.items() if len(c.typed)}
        check_uncertainty(checked["uncertainty"], typed, read, out)
    return typed, out.issues


def _empty(table: Table) -> pd.DataFrame:
    return pd.DataFrame(
        {c.name: as_dtype(pd.Series([], dtype=object), c.kind, 0) for c in table.columns}
    )
