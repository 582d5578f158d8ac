"""One way to answer with a table as a CSV or XLSX download (project lists, trade opportunities,
the action tracker): the same header and rows in either format, an optional note line first.
Every cell goes through :func:`serai.trade.cells.safe_cell`, so no text becomes a formula.

Neither body is built in memory: a CSV is written while it is sent (a few kilobytes at a time,
reading ``rows`` lazily), an XLSX is written to an anonymous temporary file (openpyxl's write-only
workbook) and sent from there in blocks; the file is gone once the response is closed."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence

from django.http import FileResponse, StreamingHttpResponse
from django.utils import translation

from serai.trade.cells import safe_cell, safe_row

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CHUNK = 32 * 1024  # characters of CSV gathered before they are sent


def table_response(
    fmt: str,
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence],
    *,
    note: str | None = None,
    sheet: str = "data",
    bom: bool = True,
) -> StreamingHttpResponse:
    """``filename`` without extension; ``fmt`` one of FORMATS (callers refuse others first).
    ``bom`` starts a CSV with a byte-order mark, which Excel needs to read UTF-8 (Hangul, Cyrillic).
    A CSV reads ``rows`` only while it is sent, in the language active now."""
    if fmt == "csv":
        chunks = _csv_chunks(safe_row(header), rows, note=note, bom=bom, language=translation.get_language())
        response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
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
    body = tempfile.TemporaryFile(prefix="serai-export-")  # no name on disk; deleted when closed
    try:
        workbook.save(body)
        body.seek(0)
    except BaseException:
        body.close()
        raise
    # FileResponse closes (so deletes) the file when the response is closed, also on a broken download
    return FileResponse(body, content_type=XLSX_TYPE, as_attachment=True, filename=f"{filename}.xlsx")


def _csv_chunks(
    header: list, rows: Iterable[Sequence], *, note: str | None, bom: bool, language: str | None
) -> Iterator[bytes]:
    """The CSV in UTF-8 pieces of about CSV_CHUNK characters. Each piece is written in ``language``:
    the server sends it after the view has returned, and cells may be lazy translations."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    rows = iter(rows)

    def take() -> bytes:
        data = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return data.encode("utf-8")

    with translation.override(language):
        if bom:
            buffer.write("\ufeff")
        if note:
            writer.writerow([f"# {note}"])
        writer.writerow(header)
    while True:
        with translation.override(language):
            for row in rows:
                writer.writerow(safe_row(row))
                if buffer.tell() >= CSV_CHUNK:
                    break
            else:
                break
        yield take()
    if buffer.tell():
        yield take()
