"""One way to answer with a table as a CSV or XLSX download (project lists, trade opportunities,
the action tracker): the same header and rows in either format, an optional note line first.
Every cell goes through :func:`serai.core.cells.safe_cell`, so no text becomes a formula."""

from __future__ import annotations

import csv
import io
from typing import Iterable, Sequence

from django.http import HttpResponse

from .cells import safe_cell, safe_row

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_response(fmt: str, filename: str, header: Sequence[str], rows: Iterable[Sequence], *,
                   note: str | None = None, sheet: str = "data", bom: bool = True) -> HttpResponse:
    """``filename`` without extension; ``fmt`` one of FORMATS (callers refuse others first).
    ``bom`` starts a CSV with a byte-order mark, which Excel needs to read UTF-8 (Hangul, Cyrillic)."""
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        if bom:
            response.write("\ufeff")
        writer = csv.writer(response)
        if note:
            writer.writerow([f"# {note}"])
        writer.writerow(safe_row(header))
        writer.writerows(safe_row(row) for row in rows)
        return response
    if fmt != "xlsx":
        raise ValueError(f"unknown table format {fmt!r}")
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(sheet)
    if note:
        ws.append([safe_cell(note)])
    ws.append(safe_row(header))
    for row in rows:
        ws.append(safe_row(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
