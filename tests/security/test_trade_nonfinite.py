"""Non-finite trade values: refused by the loader, and never a 500 on a store that holds them
(issue 13, defect 6). A store written before the loader refused them shows "no data" instead."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from serai.core.testing import body as body_of
from serai.trade import ingest
from serai.trade.store import TradeStore
from serai.trade.tests.conftest import DICTIONARY, WORLD, write_year

# The small hand-checkable world, with every member state in the dictionary (as in BACI's own).
SIX = (
    DICTIONARY + '417,"Kyrgyzstan","Kyrgyzstan","KG","KGZ"\n762,"Tajikistan","Tajikistan","TJ","TJK"\n'
    '795,"Turkmenistan","Turkmenistan","TM","TKM"\n'
)


def poison(store: TradeStore, dataset: str, year: int, value: str) -> None:
    """Write ``value`` (inf, -inf, nan) into the stored flows, exports and imports of Korea and
    Uzbekistan, as a loader that let it through would have."""
    con = duckdb.connect()
    for table in ("flows", "exports", "imports"):
        path = Path(store.file(dataset, year, table))
        side = "j" if table == "imports" else "i"
        tmp = path.with_suffix(".tmp.parquet")
        con.execute(f"""COPY (SELECT * REPLACE (CASE WHEN {side} IN (410, 860) THEN '{value}'::DOUBLE ELSE v END AS v)
                              FROM read_parquet('{path}')) TO '{tmp}' (FORMAT parquet)""")
        tmp.replace(path)
    con.close()


@pytest.fixture(params=["inf", "nan"])
def poisoned(request, settings, tmp_path, reference):
    folder = tmp_path / "baci"
    write_year(folder, 2019, WORLD)
    write_year(folder, 2020, WORLD)
    (folder / "country_codes_V202501.csv").write_bytes(SIX.encode("latin-1"))
    store = TradeStore(tmp_path / "store")
    ingest.load(folder, store)
    poison(store, "HS17", 2020, request.param)
    settings.SERAI_TRADE_DIR = store.root
    return store


PAGES = [
    "/en/trade/",
    "/en/trade/UZB/",
    "/en/trade/UZB/?year=2020&direction=in",
    "/en/trade/UZB/?level=hs2",
    "/en/trade/KAZ/",
    "/en/trade/CA5/",
    "/en/?map=trade",
    "/en/",
    "/en/countries/UZ/",
    "/en/fields/energy/",
    "/en/trade/UZB/opportunities.csv",
    "/en/trade/UZB/opportunities.xlsx",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_pages_over_a_store_with_non_finite_values_answer(client, poisoned, url):
    response = client.get(url)
    assert response.status_code == 200, url
    if url.endswith(".xlsx"):
        sheet = load_workbook(__import__("io").BytesIO(body_of(response))).active
        values = [c.value for row in sheet.iter_rows() for c in row]
        assert not any(isinstance(v, float) and not math.isfinite(v) for v in values)
        return
    body = body_of(response).decode()
    for word in ("Infinity", ">inf<", ">nan<", "NaN"):
        assert word not in body, f"{word} shown on {url}"


@pytest.mark.django_db
def test_a_store_whose_every_year_holds_non_finite_values_shows_no_data(client, poisoned):
    poison(poisoned, "HS17", 2019, "inf")
    html = client.get("/en/trade/").content.decode()
    assert client.get("/en/trade/UZB/").status_code == 200
    assert client.get("/en/trade/UZB/opportunities.csv").status_code == 404
    assert 'class="map-focus"' not in html
    assert client.get("/en/?map=trade").status_code == 200


def test_charts_draw_non_finite_values_as_gaps():
    from serai.evidence import charts

    figure = charts.line([2019, 2020], {"a": [1.0, math.inf]}, "t")
    assert figure["data"][0]["y"] == [1.0, None]
    assert charts.bars(["x", "y"], {"a": [math.nan, 2]}, "t")["data"][0]["y"] == [None, 2]
    the_map = charts.choropleth({"860": math.inf, "398": 2.0}, {}, "410", lambda v: f"{v:.1f}")
    assert {s["id"]: s["value"] for s in the_map["focus"]}.get("860") in ("–", None)


# --- the loader ---------------------------------------------------------------------------------
def test_the_loader_refuses_non_finite_values_by_file_line_and_field(tmp_path):
    good = [f'2020,410,860,{k},1.5,"0.1"' for k in range(10110, 10130)]
    rows = [
        *good[:5],
        '2020,410,860,20110,inf,"1"',  # line 7
        '2020,410,860,20120,Infinity,"1"',  # line 8
        '2020,410,860,20130,1e309,"1"',  # line 9: overflows to infinity
        '2020,410,860,20140,NaN,"1"',  # line 10
        '2020,410,860,20150,-inf,"1"',  # line 11
        '2020,410,860,20160,2.0,"inf"',  # line 12: a quantity
        '2020,410,860,20170,2.0,"-Infinity"',  # line 13
        *good[5:],
    ]
    folder = tmp_path / "baci"
    write_year(folder, 2020, rows)
    store = TradeStore(tmp_path / "store")
    report = ingest.load(folder, store, max_bad_fraction=0.5)
    year = report.years[0]
    found = {(b["line"], b["field"]) for b in year.bad_rows}
    assert found == {(7, "v"), (8, "v"), (9, "v"), (10, "v"), (11, "v"), (12, "q"), (13, "q")}
    assert all(b["file"] == "BACI_HS17_Y2020_V202501.csv" for b in year.bad_rows)
    assert (year.rows_loaded, year.rows_rejected) == (20, 7)
    con = duckdb.connect()
    for table in ("flows", "exports", "imports"):
        path = store.file("HS17", 2020, table)
        assert con.execute(f"SELECT count(*) FROM read_parquet('{path}') WHERE NOT isfinite(v)").fetchone()[0] == 0
    assert (
        con.execute(
            f"SELECT count(*) FROM read_parquet('{store.file('HS17', 2020, 'flows')}') "
            "WHERE q IS NOT NULL AND NOT isfinite(q)"
        ).fetchone()[0]
        == 0
    )


def test_the_panel_loader_refuses_non_finite_values(tmp_path):
    panel = tmp_path / "panel.csv"
    panel.write_text("t,i,i_iso3c,i_name,k,v\n2020,410,KOR,Korea,1,2.5\n2020,860,UZB,Uzbekistan,2,inf\n", "utf-8")
    with pytest.raises(ingest.TradeInputError, match=r"panel\.csv:3: .*v"):
        ingest.load(panel, TradeStore(tmp_path / "store"))


@pytest.mark.parametrize("limit", ["nan", "inf", "-1", "2"])
def test_the_bad_row_limit_must_be_a_fraction(tmp_path, limit):
    write_year(tmp_path / "baci", 2020, WORLD)
    with pytest.raises(ingest.TradeError, match="max_bad_fraction"):
        ingest.load(tmp_path / "baci", TradeStore(tmp_path / "store"), max_bad_fraction=float(limit))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/en/trade/", "/en/trade/KGZ/", "/en/trade/CA5/", "/en/countries/KG/", "/en/?map=trade", "/en/trade/UZB/"]
)
def test_pages_over_a_store_whose_dictionary_lacks_a_member_state_answer(client, settings, tmp_path, reference, url):
    write_year(tmp_path / "baci", 2020, WORLD)  # a dictionary without Kyrgyzstan, Tajikistan, Turkmenistan
    store = TradeStore(tmp_path / "store")
    ingest.load(tmp_path / "baci", store)
    settings.SERAI_TRADE_DIR = store.root
    assert client.get(url).status_code == 200
    assert client.get("/en/trade/KGZ/opportunities.csv").status_code == 404
