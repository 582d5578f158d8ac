"""Spreadsheet cells that cannot turn into formulas (CSV and XLSX formula injection, OWASP).

A text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or the full-width
``＝ ＋ － ＠`` some spreadsheets also accept) is read by Excel, LibreOffice and Google Sheets as a
formula: ``=HYPERLINK(...)`` in a project title becomes a live link, ``@SUM(...)`` runs. Such
text gets a leading single quote, which every spreadsheet shows as text. Numbers, dates, booleans
and empty cells stay what they are (a negative number given as a number is a number, not text).

Part of the plain trade library (no Django): its CLI writes CSV and XLSX through this, and so do
the web exports (``serai.core.downloads``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from numbers import Number
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_KEPT = (Number, Decimal, dt.date, dt.time, dt.timedelta)  # bool is a Number; datetime is a date


def safe_text(text: str) -> str:
    """``text`` with a leading quote when a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_cell(value: Any) -> Any:
    """One cell as written to a CSV or XLSX: numbers, dates, booleans and None as they are,
    anything else as text that no spreadsheet runs."""
    if value is None or isinstance(value, _KEPT):
        return value
    return safe_text(value if isinstance(value, str) else str(value))


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]
