"""The claims pack: a ready-to-send draft per company, provider and month, as Markdown and CSV.

Each draft says what that provider's SLA asks a claim to contain (for AWS the
subject words it requires, each incident's dates and times, the affected regions
and services, the credit requested), the deadline and its status on the
valuation date. Expired claims are listed apart, not drafted. The writer
computes nothing: claims and their incidents come from :mod:`estimator.results.claims`.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from estimator.display import format_money, format_number
from estimator.reports.json_report import money_text
from estimator.results.claims import Claim, claim_pack, claims
from estimator.table_columns import CLAIM_COLUMNS
from estimator.writers import writes

if TYPE_CHECKING:
    from estimator.results.results import Results

CSV_COLUMNS = [c for c in CLAIM_COLUMNS if c != "credits_row"]


def pack_files(results: Results) -> dict[str, str]:
    """File name -> text: ``README.md`` (the index), one Markdown draft per open claim, and
    ``claims.csv`` (every claim line, expired ones included, with its status)."""
    drafts = claim_pack(results)
    files: dict[str, str] = {}
    open_claims = [c for c in drafts if c.to_send]
    for claim in open_claims:
        files[draft_name(claim)] = draft(claim, results)
    expired = [c for c in drafts if c.expired]
    files["README.md"] = index(results, open_claims, expired, [c for c in drafts if c.logged])
    lines = [c.lines[CSV_COLUMNS] for c in drafts]
    table = pd.concat(lines, ignore_index=True) if lines else claims(results)[CSV_COLUMNS]
    buf = io.StringIO()
    money = [
        money_text(v, c) for v, c in zip(table["credit_amount"], table["currency"], strict=True)
    ]
    table.assign(
        credit_amount=pd.Series(money, dtype=object, index=table.index),
        claim_deadline=table["claim_deadline"].dt.strftime("%Y-%m-%d"),
    ).to_csv(buf, index=False, lineterminator="\n")
    files["claims.csv"] = buf.getvalue()
    return files


@writes("results.claims_folder")
def write_pack(results: Results, folder: str | Path) -> list[Path]:
    """Write the pack's files into a folder; returns their paths."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in pack_files(results).items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


@writes("results.claims_zip")
def pack_zip(results: Results) -> bytes:
    """The pack as one zip archive (for a download)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in pack_files(results).items():
            z.writestr(f"claims/{name}", text)
    return buf.getvalue()


def draft_name(claim: Claim) -> str:
    parts = [claim.company_id, claim.provider, claim.account, claim.service, claim.month]
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", "-".join(p for p in parts if p))
    return f"claim-{slug}.md"


def _total(lines: pd.DataFrame) -> str:
    parts = []
    for currency, group in lines.groupby("currency", sort=True):
        known = group["credit_amount"].dropna()
        text = format_money(float(known.sum()), str(currency)) + f" {currency}"
        if len(known) < len(group):
            text += " plus credits the terms could not price (see below)"
        parts.append(text)
    return "; ".join(parts)


def draft(claim: Claim, results: Results) -> str:
    """The Markdown draft of one claim: what the provider reads. The tool's own labels and
    review notes stay in the index, for the analyst."""
    req = claim.requirements
    month = pd.Timestamp(f"{claim.month}-01").strftime("%B %Y")
    subject = req.claim_subject + " - " if req and req.claim_subject else "SLA credit claim - "
    subject += " - ".join(p for p in (claim.company_id, claim.service, month) if p)
    deadline = claim.deadline
    when = "not known: check the contract" if deadline is None else f"{deadline:%Y-%m-%d} (UTC)"
    account = (
        claim.account
        or "not given: add the account (AWS account id, Azure subscription, Google project)"
    )
    title = ", ".join(
        p for p in (claim.company_id, claim.provider.upper(), claim.service, month) if p
    )
    out = [
        f"# SLA credit claim: {title}",
        "",
        f"* **Account:** {account}",
        f"* **Status on {results.as_of:%Y-%m-%d}:** {claim.status or 'no deadline known'}",
        f"* **Claim by:** {when}",
        f"* **How:** {req.claim_channel if req and req.claim_channel else 'as the contract says'}",
        f"* **Subject:** {subject}",
        f"* **Credit requested:** {_total(claim.lines)}",
        "",
        *_incident_table(claim),
        "",
        "## Services, measured downtime and credits requested",
        "",
        "| service | region | resources | our measured downtime (minutes) | credit requested |",
        "|---|---|---|---|---|",
    ]
    line: Any
    for line in claim.lines.itertuples():
        amount = format_money(line.credit_amount, line.currency)
        shown = f"{amount} {line.currency}" if amount else "to be computed by the provider"
        resources = line.resources or "add the resource IDs"
        out.append(
            f"| {line.service} | {line.region} | {resources} "
            f"| {format_number(line.downtime_minutes, 2)} | {shown} |"
        )
    contents = list(req.claim_contents) if req else []
    out += ["", "## What the provider asks a claim to contain", ""]
    out += [f"* {c}" for c in contents] or [
        "* not in the catalog for this provider: check its SLA terms"
    ]
    out += ["", "Attach the request logs or monitoring records that show the downtime."]
    return "\n".join(out) + "\n"


def _incident_table(claim: Claim) -> list[str]:
    out = [
        "## Incidents",
        "",
        "| outage | provider incident id | region | service | scope | start (UTC) | end (UTC) "
        "| impact |",
        "|---|---|---|---|---|---|---|---|",
    ]
    w: Any
    for w in claim.incidents.itertuples():
        where = f"{w.scope} {w.zone}" if isinstance(w.zone, str) and w.zone else w.scope
        incident = w.incident_id if isinstance(w.incident_id, str) else ""
        out.append(
            f"| {w.outage_id} | {incident} | {w.region} | {w.service} | {where} "
            f"| {w.start:%Y-%m-%d %H:%M:%S} | {w.end:%Y-%m-%d %H:%M:%S} "
            f"| {format_number(w.impact, 6)} |"
        )
    return out


def index(
    results: Results,
    open_claims: list[Claim],
    expired: list[Claim],
    logged: list[Claim] | None = None,
) -> str:
    """The pack's README: open claims by deadline, then expired ones (not drafted), then those
    the claim log says were filed (not drafted), then what the analyst checks before sending
    (the terms behind each line and its review notes)."""
    out = [
        f"# SLA credit claims as of {results.as_of:%Y-%m-%d %H:%M:%S} UTC",
        "",
        f"{len(open_claims)} claim{'s' if len(open_claims) != 1 else ''} to send, most "
        "urgent first; each has its draft in this folder. Money in each company's currency.",
        "",
        "| company | provider | account | service | month | status | claim by "
        "| credit requested | draft |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for c in open_claims:
        by = "" if c.deadline is None else f"{c.deadline:%Y-%m-%d}"
        out.append(
            f"| {c.company_id} | {c.provider} | {c.account} | {c.service} | {c.month} "
            f"| {c.status or 'no deadline known'} | {by} | {_total(c.lines)} "
            f"| [{draft_name(c)}]({draft_name(c)}) |"
        )
    out += ["", f"## Expired ({len(expired)}): listed, not drafted", ""]
    if expired:
        out += [
            "| company | provider | account | service | month | claim by | credit lost |",
            "|---|---|---|---|---|---|---|",
        ]
        for c in expired:
            by = "" if c.deadline is None else f"{c.deadline:%Y-%m-%d}"
            out.append(
                f"| {c.company_id} | {c.provider} | {c.account} | {c.service} | {c.month} "
                f"| {by} | {_total(c.lines)} |"
            )
    else:
        out.append("None.")
    out += _logged(logged or [])
    out += _checks(open_claims)
    return "\n".join(out) + "\n"


def _logged(logged: list[Claim]) -> list[str]:
    """The claims the claim log says were filed, with their status and any late filing."""
    out = ["", f"## Filed ({len(logged)}): from the claim log, not drafted", ""]
    if not logged:
        return [*out, "None."]
    out += [
        "| company | provider | account | service | month | status | claim by | filed late "
        "| credit owed |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for c in logged:
        by = "" if c.deadline is None else f"{c.deadline:%Y-%m-%d}"
        late = "yes" if bool(c.lines["filed_late"].any()) else "no"
        out.append(
            f"| {c.company_id} | {c.provider} | {c.account} | {c.service} | {c.month} "
            f"| {c.status} | {by} | {late} | {_total(c.lines)} |"
        )
    return out


def _checks(open_claims: list[Claim]) -> list[str]:
    """For the analyst, per draft: each line's terms, and its review notes."""
    out = ["", "## Check before sending (not for the provider)", ""]
    for c in open_claims:
        for line in c.lines.itertuples():
            note = f"; review: {line.review_reason}" if line.needs_review else ""
            out.append(f"* {draft_name(c)}: {line.contract_id}, terms {line.sla_version}{note}")
    return out if open_claims else []
