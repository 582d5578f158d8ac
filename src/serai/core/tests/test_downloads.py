"""Table downloads are streamed: a CSV reads its rows while it is sent, an XLSX is sent from a
temporary file; neither body is held in memory (issue 13, soak: worker memory)."""

from __future__ import annotations

import csv
import io

import pytest
from django.http import FileResponse
from django.utils import translation
from django.utils.functional import lazy
from openpyxl import load_workbook

from serai.core import downloads
from serai.core.testing import body


def _counted(rows, read: list):
    for row in rows:
        read.append(row)
        yield row


def test_csv_reads_its_rows_only_while_it_is_sent():
    read = []
    rows = [[f"row {i}", i] for i in range(3000)]
    response = downloads.table_response("csv", "serai-x", ["name", "n"], _counted(rows, read), note="a note")
    assert response.streaming and read == []  # nothing built before the server sends it
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="serai-x.csv"'
    pieces = list(response.streaming_content)
    assert len(pieces) > 1 and max(len(p) for p in pieces) < 2 * downloads.CSV_CHUNK  # sent in pieces
    text = b"".join(pieces).decode("utf-8")
    assert text.startswith("\ufeff# a note\r\nname,n\r\n")
    assert list(csv.reader(io.StringIO(text[1:])))[2:] == [[f"row {i}", str(i)] for i in range(3000)]
    assert len(read) == 3000


def test_streamed_csv_cells_keep_the_language_of_the_request():
    """The server sends the body after the view returned; lazy texts in it are still written in
    the language the request was answered in."""
    language_now = lazy(lambda: translation.get_language(), str)
    with translation.override("ru"):
        response = downloads.table_response(
            "csv", "x", [language_now()], ([language_now()] for _ in range(2)), bom=False
        )
    with translation.override("en"):
        text = body(response).decode()
    assert text == "ru\r\nru\r\nru\r\n"


@pytest.mark.django_db  # closing a response ends the request: Django then checks its connections
def test_xlsx_is_sent_from_a_temporary_file_that_goes_with_the_response():
    response = downloads.table_response(
        "xlsx", "serai-y", ["=name", "n"], ([f"=row {i}", i] for i in range(50)), sheet="data"
    )
    assert isinstance(response, FileResponse)
    assert response["Content-Type"] == downloads.XLSX_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="serai-y.xlsx"'
    file = response.file_to_stream
    content = body(response)
    assert int(response["Content-Length"]) == len(content) and content[:2] == b"PK"
    sheet = load_workbook(io.BytesIO(content)).active
    assert [list(r) for r in sheet.iter_rows(values_only=True)][:2] == [["'=name", "n"], ["'=row 0", 0]]
    response.close()
    assert file.closed  # an anonymous temporary file: closing it deletes it
