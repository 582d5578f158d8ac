"""`serai trade potential`: the gravity-based export potential from the command line."""

from __future__ import annotations

import csv
import io

import pytest

from serai.core.testing import shared_data_path
from serai.evidence.tests.helpers import build_store
from serai.trade import cli


@pytest.fixture(scope="module")
def store_root(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("potential")).root


def run(store_root, *args):
    atlas = shared_data_path("geo/world-atlas_countries-50m.topo.json")
    return cli.main(["--store", str(store_root), "potential", "--atlas", str(atlas), *map(str, args)])


def test_potential_lists_realised_untapped_inputs_and_the_flag(store_root, capsys):
    assert run(store_root, "--from", "KOR", "--to", "KAZ", "--level", "hs2", "--top", 0, "--format", "csv") == 0
    out, err = capsys.readouterr()
    assert "SYNTHETIC" in out and "SYNTHETIC" in err
    assert "ease" in err and "gravity expectation" in err and "distance" in err
    rows = list(csv.DictReader(io.StringIO(out.split("\n", 1)[1])))
    assert {"realised (thousand USD)", "untapped (thousand USD)", "new_products (count)"} <= set(rows[0])
    from serai.trade.indicators import Analysis
    from serai.trade.store import TradeStore

    a = Analysis(TradeStore(store_root), "SYN-HS17")
    real = sum(a.exports_by_product(("KOR",), 2020, to=("KAZ",)).values())
    assert sum(float(r["realised (thousand USD)"]) for r in rows) == pytest.approx(real)  # every product counted


def test_potential_hs6_columns_carry_each_scores_inputs(store_root, capsys):
    assert run(store_root, "--from", "KAZ", "--to", "KOR", "--top", 5, "--only-new", "--format", "csv") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out.split("\n", 1)[1])))
    assert len(rows) == 5
    for r in rows:
        assert r["new (flag: not sold to this market in the base years)"] == "True"
        assert float(r["realised (thousand USD)"]) == 0 and float(r["untapped (thousand USD)"]) > 0
        assert float(r["distance_km (km)"]) > 1000 and float(r["expected_pair (thousand USD)"]) > 0


@pytest.mark.parametrize(
    "args, message",
    [
        (("--from", "KOR", "--to", "KOR"), "must differ"),
        (("--from", "KOR", "--to", "ZZZ"), "unknown country code ZZZ"),
        (("--from", "KOR", "--to", "XAA"), "no gravity expectation for KOR → XAA"),
    ],
)
def test_potential_refusals_are_one_line(store_root, capsys, args, message):
    assert run(store_root, *args) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("serai trade:") == 1
