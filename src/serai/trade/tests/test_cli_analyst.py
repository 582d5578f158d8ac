"""The analyst's command line (issue 17): real data by default and SYNTHETIC on every synthetic
output; Finger–Kreinin, supplier HHI, the bloc and the cooperation matrix reachable; ranks, product
names and units; unknown codes and reporter = partner refused; help on every option."""

import argparse
import csv
import io

import pytest

from serai.core.testing import shared_data_path
from serai.trade import cli, ingest, synth
from serai.trade.store import TradeStore

from .conftest import WORLD, write_year

PANEL = "t,i,i_iso3c,i_name,k,v\n" + "".join(
    f"2020,{i},{iso},{iso},{k:02d},{v}\n"
    for i, iso, k, v in [
        (410, "KOR", 84, 50.0),
        (410, "KOR", 85, 40.0),
        (410, "KOR", 1, 3.0),
        (410, "KOR", 52, 5.0),
        (860, "UZB", 1, 9.0),
        (860, "UZB", 52, 6.0),
        (860, "UZB", 85, 1.0),
        (398, "KAZ", 27, 30.0),
        (398, "KAZ", 1, 2.0),
        (398, "KAZ", 52, 4.0),
        (842, "USA", 84, 20.0),
        (842, "USA", 1, 8.0),
        (842, "USA", 27, 5.0),
        (842, "USA", 85, 10.0),
    ]
)


def run(*args) -> int:
    return cli.main([str(a) for a in args])


@pytest.fixture
def mixed(tmp_path):
    """A real exporter × HS2 panel beside a synthetic bilateral year (as `serai trade demo` leaves it)."""
    store = TradeStore(tmp_path / "store")
    panel = tmp_path / "panel.csv"
    panel.write_text(PANEL)
    ingest.load(panel, store)
    write_year(tmp_path / "syn", 2020, [*WORLD, (410, 398, 10110, 40.0)], version=synth.SYNTHETIC_VERSION)
    ingest.load(tmp_path / "syn", store)
    return store


def test_complexity_defaults_to_real_data_and_labels_synthetic(mixed, capsys):
    assert {e.dataset: e.synthetic for e in mixed.entries()} == {"HS92-X2": False, "SYN-HS17": True}
    assert run("--store", mixed.root, "complexity", "--year", 2020, "--format", "csv") == 0
    out, err = capsys.readouterr()
    assert "SYNTHETIC" not in out + err
    header = next(csv.reader(io.StringIO(out)))
    assert header[:3] == ["rank", "country", "name"] and header[3] == "eci (standard deviations)"
    # Asked for the synthetic dataset, every format says so: first line of the table and of the CSV.
    for fmt in ("table", "csv"):
        assert (
            run(
                "--store",
                mixed.root,
                "complexity",
                "--year",
                2020,
                "--dataset",
                "SYN-HS17",
                "--level",
                "hs6",
                "--format",
                fmt,
            )
            == 0
        )
        out, err = capsys.readouterr()
        assert "SYNTHETIC" in out.splitlines()[0] and "SYNTHETIC" in err


def test_a_year_with_no_real_data_is_refused_rather_than_synthetic(mixed, tmp_path, capsys):
    write_year(tmp_path / "syn2", 2021, WORLD, version=synth.SYNTHETIC_VERSION)
    ingest.load(tmp_path / "syn2", mixed)
    assert run("--store", mixed.root, "complexity", "--year", 2021) == 2
    assert "no real data for 2021" in capsys.readouterr().err


def test_bilateral_commands_on_synthetic_data_say_synthetic(mixed, capsys, tmp_path):
    out_file = tmp_path / "o.xlsx"
    for args in (
        ["indicators", "--reporter", "KOR", "--partner", "UZB", "--year", 2020],
        ["opportunities", "--from", "UZB", "--to", "KOR"],
        ["similarity", "--countries", "KOR+UZB+KAZ"],
        ["suppliers", "--headings", "0101,0201"],
        ["bloc", "--reporter", "USA"],
    ):
        assert run("--store", mixed.root, *args, "--format", "csv") == 0, args
        out, err = capsys.readouterr()
        assert out.startswith("SYNTHETIC DATA") and "SYNTHETIC" in err, args
    assert (
        run(
            "--store",
            mixed.root,
            "indicators",
            "--reporter",
            "KOR",
            "--partner",
            "UZB",
            "--year",
            2020,
            "--format",
            "xlsx",
            "--output",
            out_file,
        )
        == 0
    )
    from openpyxl import load_workbook

    assert "SYNTHETIC" in load_workbook(out_file).active["A1"].value


@pytest.fixture
def real(tmp_path):
    folder = tmp_path / "baci"
    write_year(folder, 2020, WORLD)
    (folder / "product_codes_HS17_V202501.csv").write_text(
        "code,description\n010110,Horses: live\n020110,Bovine meat\n030110,Ornamental fish\n"
    )
    store = tmp_path / "store"
    assert run("--store", store, "load", folder) == 0
    return store


def rows_of(capsys) -> list[dict]:
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def test_finger_kreinin_suppliers_bloc_reachable_with_ranks_and_units(real, capsys):
    capsys.readouterr()
    assert run("--store", real, "similarity", "--countries", "KOR+UZB+USA", "--format", "csv") == 0
    rows = rows_of(capsys)
    assert [r["rank"] for r in rows] == ["1", "2", "3"] and "similarity (index 0-100)" in rows[0]
    # KOR exports 010110 25 % and 020110 75 %; USA only 030110: no overlap; UZB 33 % / 17 % / 50 %.
    by_pair = {(r["country_a"], r["country_b"]): float(r["similarity (index 0-100)"]) for r in rows}
    assert by_pair[("KOR", "UZB")] == pytest.approx(100 * (min(10 / 100, 20 / 70) + min(90 / 100, 10 / 70)))
    assert by_pair[("KOR", "USA")] == pytest.approx(100 * min(10 / 100, 10 / 60))
    assert run("--store", real, "suppliers", "--importer", "UZB", "--headings", "0101,0301", "--format", "csv") == 0
    rows = rows_of(capsys)
    assert [(r["rank"], r["heading"]) for r in rows] == [("1", "0301"), ("2", "0101")]  # by HHI, highest first
    assert float(rows[1]["hhi (index 0-1)"]) == pytest.approx(0.5)  # KOR 10, USA 10
    assert float(rows[0]["hhi (index 0-1)"]) == 1.0 and rows[0]["top_supplier"] == "KAZ"
    assert run("--store", real, "bloc", "--reporter", "KOR", "--format", "csv") == 0
    rows = rows_of(capsys)
    assert [r["partner"] for r in rows][-1] == "CA5" and rows[-1]["rank"] == "bloc"
    assert "exports (thousand USD)" in rows[0]
    assert next(r for r in rows if r["partner"] == "UZB")["exports (thousand USD)"] == "40.0"
    # TKM, KGZ, TJK are not in this store's dictionary: their rows say so rather than show zeros
    assert "not in the store's country dictionary" in next(r for r in rows if r["partner"] == "TJK")["note"]


def test_opportunities_show_product_names_and_rank(real, capsys):
    capsys.readouterr()
    assert run("--store", real, "opportunities", "--from", "UZB", "--to", "KOR", "--format", "csv") == 0
    rows = rows_of(capsys)
    assert rows[0]["rank"] == "1" and rows[0]["code"] == "030110" and rows[0]["product"] == "Ornamental fish"
    assert any(k.startswith("untapped (thousand USD)") for k in rows[0])


@pytest.mark.parametrize(
    "args, message",
    [
        (["indicators", "--reporter", "KOR", "--partner", "XXX", "--year", 2020], "unknown country code XXX"),
        (["indicators", "--reporter", "KOR", "--partner", "KOR", "--year", 2020], "must differ"),
        (["opportunities", "--from", "UZB", "--to", "UZB"], "must differ"),
        (["opportunities", "--from", "UZB", "--to", "QQQ"], "unknown country code QQQ"),
        (["complexity", "--year", 2020, "--only", "KOR+ZZZ"], "unknown country code ZZZ"),
        (["similarity", "--countries", "KOR+YYY"], "unknown country code YYY"),
        (["suppliers", "--importer", "WWW"], "unknown country code WWW"),
        (["suppliers", "--headings", "12x4"], "not an HS4 heading"),
        (["bloc", "--reporter", "KAZ"], "outside the bloc"),
        (["indicators", "--reporter", "KOR", "--partner", "UZB", "--year", 1999], "no real data for 1999"),
    ],
)
def test_unknown_codes_and_reporter_equal_partner_are_one_line_errors(real, capsys, args, message):
    capsys.readouterr()
    assert run("--store", real, *args) == 2
    out, err = capsys.readouterr()
    assert message in err and err.count("\n") == 1 and out == ""


def test_complexity_lists_a_country_absent_from_the_year_as_absent(mixed, capsys):
    capsys.readouterr()
    assert run("--store", mixed.root, "complexity", "--year", 2020, "--only", "KOR+CIV", "--format", "csv") == 0
    rows = rows_of(capsys)
    civ = next(r for r in rows if r["country"] == "CIV")
    assert civ["eci (standard deviations)"] == "" and "absent" in civ["note"]


def test_every_option_of_every_command_has_help():
    p = cli.parser()
    sub = next(a for a in p._actions if isinstance(a, argparse._SubParsersAction))
    missing = [
        f"{name} {' '.join(action.option_strings) or action.dest}"
        for name, sp in sub.choices.items()
        for action in sp._actions
        if not isinstance(action, argparse._HelpAction) and not action.help
    ]
    assert missing == []
    assert {"similarity", "suppliers", "bloc", "matrix"} <= set(sub.choices)


@pytest.mark.shared_data
def test_korea_eci_on_the_real_panel_by_default(tmp_path, capsys):
    """The issue's case: `complexity` without --dataset gave Korea 0.43 from the synthetic year."""
    store = TradeStore(tmp_path / "store")
    ingest.load(shared_data_path("trade/baci_hs92_exporter_hs2_2011_2020.csv.gz"), store)
    write_year(tmp_path / "syn", 2020, WORLD, version=synth.SYNTHETIC_VERSION)
    ingest.load(tmp_path / "syn", store)
    capsys.readouterr()
    assert run("--store", store.root, "complexity", "--year", 2020, "--only", "KOR", "--format", "csv") == 0
    rows = rows_of(capsys)
    assert rows[0]["country"] == "KOR" and float(rows[0]["eci (standard deviations)"]) > 1.5


def test_all_years_of_a_release_load_in_one_command_with_progress(tmp_path, capsys):
    folder = tmp_path / "baci"
    for year in (2019, 2020, 2021):
        write_year(folder, year, WORLD)
    assert run("--store", tmp_path / "store", "load", folder, "--progress", "plain") == 0
    out, err = capsys.readouterr()
    assert [line.split(":")[0] for line in err.splitlines()] == ["HS17 2019", "HS17 2020", "HS17 2021", "HS17 done"]
    assert "3 years, 27 rows in" in out and TradeStore(tmp_path / "store").years("HS17") == [2019, 2020, 2021]
