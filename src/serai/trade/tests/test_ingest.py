"""The loader: the real BACI sample, bad rows with file/line/field, refusal, atomicity, zip input."""

import json
import os
import zipfile

import duckdb
import pytest

from serai.core.testing import shared_data_path
from serai.trade import codes, ingest
from serai.trade.errors import TooManyBadRows, TradeInputError
from serai.trade.store import TradeStore

from .conftest import WORLD, write_year


def baci_sample_folder(tmp_path):
    """The real sample and the real (Latin-1) dictionary, under BACI's own file names."""
    sample = shared_data_path("trade/baci_hs92_y2021_v202301_sample_exporters_afg_zaf.csv.gz")
    dictionary = shared_data_path("trade/baci_country_codes_V202201.csv")
    folder = tmp_path / "baci"
    folder.mkdir()
    os.symlink(sample, folder / "BACI_HS92_Y2021_V202301.csv.gz")
    os.symlink(dictionary, folder / "country_codes_V202201.csv")
    return folder


@pytest.mark.shared_data
def test_real_sample_is_refused_at_the_default_threshold_and_leaves_nothing(tmp_path):
    folder = baci_sample_folder(tmp_path)
    store = TradeStore(tmp_path / "store")
    with pytest.raises(TooManyBadRows) as err:
        ingest.load(folder, store)
    # The V202301 data uses 380 for Italy; the V202201 dictionary has 381: real mismatch, 661 rows.
    assert err.value.bad == 661 and err.value.read == 71192
    assert store.entries() == []
    assert not [p for p in store.root.iterdir() if p.name not in {"reports"}]
    report = json.loads(next((store.root / "reports").glob("*refused*.json")).read_text())
    assert report["status"] == "refused" and report["rows_rejected"] == 661


@pytest.mark.shared_data
def test_real_sample_loads_with_bad_rows_reported_by_line(tmp_path):
    folder = baci_sample_folder(tmp_path)
    store = TradeStore(tmp_path / "store")
    report = ingest.load(folder, store, max_bad_fraction=0.01)
    year = report.years[0]
    assert (year.rows_read, year.rows_loaded, year.rows_rejected) == (71192, 70531, 661)
    assert year.rejected_by_field == {"j": 661}
    first = year.bad_rows[0]
    assert first["line"] == 1216 and first["field"] == "j" and "380" in first["error"]
    assert first["text"].startswith("2021,4,380,80212,")
    entry = store.entry("HS92", 2021)
    assert (entry.version, entry.classification, entry.synthetic) == ("V202301", "HS92", False)
    assert len(entry.sha256) == 64
    con = duckdb.connect()
    flows = store.file("HS92", 2021, "flows")
    n, exporters, q_null = con.execute(
        f"SELECT count(*), count(DISTINCT i), count(*) FILTER (q IS NULL) FROM read_parquet('{flows}')"
    ).fetchone()
    assert n == 70531 and exporters == 2
    # q was space-padded text ("       13.235", "           NA"); it is a number now, NULL only for NA.
    import gzip

    with gzip.open(folder / "BACI_HS92_Y2021_V202301.csv.gz", "rt") as fh:
        na = sum(1 for line in fh if line.rstrip().endswith('NA"') and ",380," not in line)
    assert q_null == na > 0
    encodings = {
        r[0]: r[1] for r in con.execute(f"SELECT path_in_schema, encodings FROM parquet_metadata('{flows}')").fetchall()
    }
    assert "DICTIONARY" in encodings["i"] and "DICTIONARY" in encodings["j"]
    names = {c.iso3: c.name for c in store.countries_list()}
    assert names["CIV"] == "Côte d'Ivoire"  # the Latin-1 dictionary read right
    assert store.country_codes()["USA"] == 842 and store.country_codes()["IND"] == 699


def test_each_kind_of_bad_row_is_named_by_line_and_field(tmp_path, store):
    good = [f'2020,410,860,{k},1.5,"        0.100"' for k in range(10110, 10130)]
    rows = [
        *good[:5],
        '2020,410,860,20110,abc,"1"',  # line 7: non-numeric value
        "2020,410,860",  # line 8: wrong column count
        '2020,410,999,20120,2.0,"1"',  # line 9: unknown importer
        '2019,410,860,20130,2.0,"1"',  # line 10: wrong year
        '2020,410,860,10110,9.0,"1"',  # line 11: duplicate of line 2
        '2020,410,860,20140,2.0,"x"',  # line 12: quantity not a number
        '2020,410,860,123,2.0,"1"',  # line 13: not an HS6 code
        '2020,410,860,20150,-4.0,"1"',  # line 14: negative value
        *good[5:],
    ]
    folder = tmp_path / "bad"
    write_year(folder, 2020, rows)
    report = ingest.load(folder, store, max_bad_fraction=0.5)
    year = report.years[0]
    found = {(b["line"], b["field"]) for b in year.bad_rows}
    assert found == {(7, "v"), (8, "columns"), (9, "j"), (10, "t"), (11, "k"), (12, "q"), (13, "k"), (14, "v")}
    assert all(b["file"] == "BACI_HS17_Y2020_V202501.csv" for b in year.bad_rows)
    assert (year.rows_read, year.rows_loaded, year.rows_rejected) == (28, 20, 8)
    # Refused at a lower threshold, and the first load is untouched.
    write_year(folder, 2020, rows[:5] + ['2020,410,999,20120,2.0,"1"'] * 3)
    with pytest.raises(TooManyBadRows):
        ingest.load(folder, store, max_bad_fraction=0.1)
    assert store.entry("HS17", 2020).rows_read == 28


def test_zip_input_and_publish_of_all_years_at_once(tmp_path, store):
    folder = tmp_path / "src"
    write_year(folder, 2019, WORLD)
    write_year(folder, 2020, WORLD)
    archive = tmp_path / "BACI_HS17_V202501.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for p in folder.iterdir():
            z.write(p, f"BACI_HS17_V202501/{p.name}")
    report = ingest.load(archive, store)
    assert [y.year for y in report.years] == [2019, 2020] and store.years("HS17") == [2019, 2020]
    assert store.entry("HS17", 2020).source.startswith("BACI_HS17_V202501.zip:")


def test_a_failing_year_publishes_none_of_the_load(tmp_path, store):
    folder = tmp_path / "src"
    write_year(folder, 2019, WORLD)
    write_year(folder, 2020, ['2020,410,999,10110,1,"1"'] * 3)
    with pytest.raises(TooManyBadRows):
        ingest.load(folder, store)
    assert store.entries() == []


def test_wrong_header_and_missing_dictionary_are_clear(tmp_path, store):
    folder = tmp_path / "h"
    write_year(folder, 2020, WORLD, header="year,exporter,importer,product,value,qty")
    with pytest.raises(TradeInputError) as err:
        ingest.load(folder, store)
    assert err.value.line == 1 and err.value.field == "header"
    lone = tmp_path / "lone"
    lone.mkdir()
    (lone / "BACI_HS17_Y2020_V202501.csv").write_text("t,i,j,k,v,q\n2020,410,860,10110,1,1\n")
    with pytest.raises(TradeInputError, match="country dictionary"):
        ingest.load(lone, TradeStore(tmp_path / "empty"))


def test_country_dictionary_errors_name_the_line(tmp_path):
    path = tmp_path / "country_codes_V1.csv"
    path.write_text("country_code,country_name_abbreviation,iso_3digit_alpha\n4,Afghanistan,AFG\nx,Bad,BAD\n")
    with pytest.raises(TradeInputError) as err:
        codes.read_country_codes(path)
    assert (err.value.line, err.value.field) == (3, "country_code")


def test_product_codes_are_zero_padded(tmp_path):
    path = tmp_path / "product_codes_HS17_V202301.csv"
    path.write_text('"code","description"\n"10121","Horses: live, pure-bred"\n"847130","Laptops"\n')
    assert codes.read_product_codes(path) == {"010121": "Horses: live, pure-bred", "847130": "Laptops"}


@pytest.mark.shared_data
def test_real_exporter_hs2_panel(tmp_path):
    panel = shared_data_path("trade/baci_hs92_exporter_hs2_2011_2020.csv.gz")
    store = TradeStore(tmp_path / "store")
    report = ingest.load(panel, store)
    assert report.rows_loaded == 193930 and store.years("HS92-X2") == list(range(2011, 2021))
    entry = store.entry("HS92-X2", 2020)
    assert entry.level == "hs2" and not entry.bilateral
    con = duckdb.connect()
    total = con.execute(f"SELECT sum(v) FROM read_parquet('{store.file('HS92-X2', 2020, 'exports')}')").fetchone()[0]
    assert 16.0e9 < total < 17.5e9  # ≈ 16.75 trillion USD, now in thousand USD
    assert {"KOR", "KAZ", "UZB", "TKM", "KGZ", "TJK"} <= set(store.country_codes())
