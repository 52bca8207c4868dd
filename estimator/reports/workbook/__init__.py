"""The auditable workbook, written by XlsxWriter from ``Results`` alone (see ``excel.py``)."""
