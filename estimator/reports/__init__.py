"""Stage 6, reports: read what the earlier stages return and write it for people.

Takes ``Results``, ``Simulation``, ``RiskResults`` and ``Comparison``; gives the auditable
workbook (``excel.py`` and ``workbook/``), JSON (``json_report.py``), the console report
(``console.py``, ``console_risk.py``) and the claim pack (``claims_pack.py``). Writers compute
no rule: every figure they show was computed before them.

May import the shared modules (``estimator.errors``, ``columns``, ``display``, ``writers``,
``version``) and every earlier stage; those stages reach their writers only through
:mod:`estimator.writers`, where each writer registers itself when this package is imported.
"""

from estimator.reports import claims_pack, excel, json_report
from estimator.reports.workbook import compare_sheet, risk_sheets, uncertainty_sheet

__all__ = [
    "claims_pack",
    "compare_sheet",
    "excel",
    "json_report",
    "risk_sheets",
    "uncertainty_sheet",
]
