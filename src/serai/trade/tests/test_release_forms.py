"""A real release must load (issue 17): every country-dictionary header BACI has shipped, the
product dictionaries of HS92 to HS22, one rule for BACI codes that share an ISO3, countries absent
from a year reported as absent, and degenerate input refused in one line (never NaN)."""

from pathlib import Path

import numpy as np
import pytest

from serai.trade import codes, complexity, ingest
from serai.trade.errors import Absent, Degenerate, UnknownCountry
from serai.trade.indicators import Analysis
from serai.trade.store import TradeStore

FIXTURES = Path(__file__).parent / "fixtures"
EDITIONS = ("HS92", "HS96", "HS02", "HS07", "HS12", "HS17", "HS22")


def baci_folder(tmp_path, dictionary: str, rows, *, hs="HS17", year=2020, version="V202501", products=None) -> Path:
    """A release folder: the fixture dictionary under its own name and one yearly file."""
    folder = tmp_path / "baci"
    folder.mkdir(exist_ok=True)
    (folder / dictionary).write_bytes((FIXTURES / dictionary).read_bytes())
    if products:
        (folder / products).write_bytes((FIXTURES / products).read_bytes())
    lines = ['"t","i","j","k","v","q"'] + [f'{year},{i},{j},{k},{v},"{v / 10:>13.3f}"' for i, j, k, v in rows]
    (folder / f"BACI_{hs}_Y{year}_{version}.csv").write_text("\n".join(lines) + "\n", "utf-8")
    return folder


# --- country dictionaries -------------------------------------------------------------------
@pytest.mark.parametrize("name", ["country_codes_V202501.csv", "country_codes_V202201.csv"])
def test_every_country_dictionary_form_reads(name):
    found = codes.read_country_codes(FIXTURES / name)
    by_code = {c.code: c for c in found}
    assert len(found) == 19 + (name == "country_codes_V202501.csv")  # the new file has 535 BES too
    assert (by_code[410].iso3, by_code[860].iso3, by_code[842].iso3) == ("KOR", "UZB", "USA")
    assert by_code[384].name == "Côte d'Ivoire"  # UTF-8 in the new file, Latin-1 in the old one
    # BACI's "N/A" groupings are not one country: each keeps a key of its own.
    assert (by_code[490].iso3, by_code[697].iso3) == ("N490", "N697")


def test_todays_baci_layout_loads(tmp_path):
    """The header country_code,country_name,country_iso2,country_iso3 (V202401 and later) was refused."""
    folder = baci_folder(
        tmp_path, "country_codes_V202501.csv", [(410, 860, 10110, 10.0), (860, 410, 20110, 5.0), (842, 410, 20110, 7.0)]
    )
    store = TradeStore(tmp_path / "store")
    report = ingest.load(folder, store)
    assert report.status == "loaded" and report.rows_loaded == 3
    assert store.country_codes()["KOR"] == 410 and store.entry("HS17", 2020).version == "V202501"


def test_an_unknown_dictionary_header_names_the_accepted_forms(tmp_path):
    path = tmp_path / "country_codes_V209901.csv"
    path.write_text("code,iso\n410,KOR\n")
    with pytest.raises(ingest.TradeInputError, match="country_code,country_name,country_iso2,country_iso3"):
        codes.read_country_codes(path)


# --- product dictionaries -------------------------------------------------------------------
@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("version", ["V202301", "V202501"])
def test_product_dictionaries_of_every_edition_load(tmp_path, edition, version):
    name = f"product_codes_{edition}_{version}.csv"
    if not (FIXTURES / name).exists():
        pytest.skip("BACI has no HS22 release before V202401")
    names = codes.read_product_codes(FIXTURES / name)
    assert all(len(c) == 6 and c.isdigit() for c in names)
    assert names[min(names)].startswith("Horses: live, pure-bred")  # the leading zero restored
    folder = baci_folder(
        tmp_path,
        "country_codes_V202501.csv",
        [(410, 860, int(min(names)), 3.0)],
        hs=edition,
        year=2015,
        version=version,
        products=name,
    )
    store = TradeStore(tmp_path / "store")
    ingest.load(folder, store)
    entry = store.entry(edition, 2015)
    assert entry.classification == edition and store.product_names()[min(names)] == names[min(names)]


# --- one country, one ISO3 -------------------------------------------------------------------
SHARED = [
    # 2020: Belgium reports under 56, South Africa under 710; old codes 58 / 711 still carry a little.
    (56, 410, 10110, 30.0),
    (58, 410, 10110, 10.0),
    (56, 860, 20110, 5.0),
    (710, 410, 20110, 20.0),
    (711, 860, 30110, 15.0),
    (410, 56, 30110, 8.0),
    (410, 58, 30110, 2.0),
    (410, 860, 10110, 6.0),
    (860, 410, 30110, 9.0),
    (842, 410, 20110, 12.0),
    (410, 842, 10110, 11.0),
]


@pytest.fixture
def shared_store(tmp_path):
    store = TradeStore(tmp_path / "store")
    ingest.load(baci_folder(tmp_path, "country_codes_V202501.csv", SHARED), store)
    return store


def test_codes_sharing_an_iso3_are_merged_everywhere(shared_store):
    assert shared_store.codes_by_iso3()["BEL"] == [56, 58] and shared_store.country_codes()["BEL"] == 56
    c, _, x = shared_store.export_matrix("HS17", 2020, "hs6")
    assert sorted(c.tolist()) == sorted(set(c.tolist()))  # each country once
    assert 58 not in c and 711 not in c
    assert x[list(c).index(56)].sum() == pytest.approx(45.0)  # 30 + 10 + 5
    a = Analysis(shared_store, "HS17")
    assert sum(a.exports_by_product(("BEL",), 2020).values()) == pytest.approx(45.0)
    assert sum(a.exports_by_product(("ZAF",), 2020).values()) == pytest.approx(35.0)
    assert sum(a.exports_by_product(("KOR",), 2020, to=("BEL",)).values()) == pytest.approx(10.0)
    assert a.summary(("KOR",), ("BEL",), 2020)["imports"] == pytest.approx(40.0)


def test_complexity_lists_a_shared_iso3_country_once(shared_store, capsys):
    from serai.trade import cli

    assert (
        cli.main(
            ["--store", str(shared_store.root), "complexity", "--year", "2020", "--level", "hs6", "--format", "csv"]
        )
        == 0
    )
    out = capsys.readouterr().out
    countries = [line.split(",")[1] for line in out.splitlines()[1:]]
    assert countries.count("BEL") == 1 and countries.count("ZAF") == 1


# --- absent countries, no data ---------------------------------------------------------------
def test_a_country_absent_from_the_year_is_reported_absent(shared_store):
    a = Analysis(shared_store, "HS17")
    with pytest.raises(Absent, match="KAZ is absent from HS17 2020"):
        a.summary(("KOR",), ("KAZ",), 2020)
    with pytest.raises(UnknownCountry, match="XXX"):
        a.summary(("KOR",), ("XXX",), 2020)
    trend = a.trend(("KOR",), ("KAZ",))
    assert trend["rows"][0]["exports"] is None and "absent" in trend["rows"][0]["absent"]


def test_a_country_with_no_exports_has_no_tci(tmp_path):
    """USA imports but exports nothing here: its TCI as an exporter is "no data", not 0."""
    store = TradeStore(tmp_path / "store")
    ingest.load(
        baci_folder(
            tmp_path,
            "country_codes_V202501.csv",
            [(410, 842, 10110, 5.0), (860, 842, 20110, 3.0), (410, 860, 20110, 2.0)],
        ),
        store,
    )
    s = Analysis(store, "HS17").summary(("KOR",), ("USA",), 2020)
    assert s["tci_partner_to_reporter"] is None  # USA exports nothing, Korea imports nothing
    assert s["tci_reporter_to_partner"] == pytest.approx(100 * min(5 / 7, 5 / 8) + 100 * min(2 / 7, 3 / 8))


def test_reporter_equal_to_partner_is_refused(shared_store):
    with pytest.raises(ingest.TradeError, match="must differ"):
        Analysis(shared_store, "HS17").summary(("KOR",), ("KOR",), 2020)


# --- degenerate input -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "values, message",
    [
        (np.array([[1.0, 2.0, 3.0]]), "at least two exporting countries"),  # one exporter
        (np.zeros((3, 3)), "world exports are zero"),  # all zero / zero world total
        (np.array([[1.0, 0.0], [2.0, 0.0]]), "products have no exports"),  # a product nobody exports
        (np.array([[1.0, 1.0], [2.0, 2.0]]), "ECI is undefined"),  # everyone alike
        (np.array([[1.0, 0.0], [0.0, 1.0]]), "ECI is undefined"),  # two groups, nothing shared
        (np.array([[1.0, np.nan], [1.0, 2.0]]), "finite, non-negative"),
    ],
)
def test_degenerate_complexity_input_is_one_clear_error(values, message):
    with pytest.raises(Degenerate, match=message) as err:
        complexity.compute(values)
    assert "\n" not in str(err.value)


def test_complexity_cli_on_a_year_with_one_exporter_is_one_line(tmp_path, capsys):
    from serai.trade import cli

    store = TradeStore(tmp_path / "store")
    ingest.load(
        baci_folder(tmp_path, "country_codes_V202501.csv", [(410, 860, 10110, 5.0), (410, 842, 20110, 3.0)]), store
    )
    assert cli.main(["--store", str(store.root), "complexity", "--year", "2020", "--level", "hs6"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "at least two exporting countries" in err and "Traceback" not in err


# --- the fast path of the loader ------------------------------------------------------------
def test_clean_sorted_and_unsorted_files_load_the_same_sorted_flows(tmp_path):
    """BACI ships rows sorted by (i, j, k): such a file skips the row-by-row search; a file in another
    order takes the full path and its flows are sorted all the same (row-group statistics by exporter)."""
    import duckdb

    from .conftest import WORLD, write_year

    flows = {}
    for name, rows in (("sorted", sorted(WORLD)), ("unsorted", list(reversed(sorted(WORLD))))):
        store = TradeStore(tmp_path / name / "store")
        write_year(tmp_path / name / "baci", 2020, rows)
        report = ingest.load(tmp_path / name / "baci", store)
        assert report.years[0].sorted is (name == "sorted") and report.rows_loaded == len(WORLD)
        flows[name] = duckdb.sql(
            f"SELECT i, j, k, v FROM read_parquet('{store.file('HS17', 2020, 'flows')}')"
        ).fetchall()
    assert flows["sorted"] == flows["unsorted"] == sorted(flows["sorted"])
