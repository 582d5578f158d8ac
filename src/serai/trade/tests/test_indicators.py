"""Indicators from the store on the hand-checkable world in conftest.WORLD (values worked out in
the comments), opportunities both ways, and blocs that leave intra-bloc trade out."""

import pytest

from serai.trade import opportunities
from serai.trade.indicators import Analysis

KOR, UZB, BLOC = ("KOR",), ("UZB",), ("KAZ", "UZB")


@pytest.fixture
def a(world):
    return Analysis(world, "HS17")


def test_pair_summary(a):
    s = a.summary(KOR, UZB, 2020)
    assert (s["exports"], s["imports"], s["balance"], s["turnover"]) == (40, 20, 20, 60)
    assert s["export_share"] == pytest.approx(40 / 100) and s["import_share"] == pytest.approx(20 / 70)
    # Korea's export shares .1/.9/0 against Uzbekistan's import shares .25/.375/.375.
    assert s["tci_reporter_to_partner"] == pytest.approx(100 * (0.1 + 0.375))
    # Uzbekistan's 20/70, 10/70, 40/70 against Korea's import shares 20/70, 0, 50/70.
    assert s["tci_partner_to_reporter"] == pytest.approx(100 * 60 / 70)
    assert s["intensity_reporter_to_partner"] == pytest.approx((40 / 100) / (80 / 260))
    assert s["intensity_partner_to_reporter"] == pytest.approx((20 / 70) / (70 / 260))
    assert s["grubel_lloyd"] == pytest.approx(20 / 60)
    assert s["specialisation"] == pytest.approx(1 / 3)


def test_bloc_leaves_intra_bloc_trade_out(a):
    s = a.summary(KOR, BLOC, 2020)
    assert (s["exports"], s["imports"]) == (40, 20)
    assert s["partner_exports_world"] == 60 and s["partner_imports_world"] == 50  # not KAZ↔UZB's 40
    assert s["tci_reporter_to_partner"] == pytest.approx(100 * (0.1 + 0.6))


def test_trend_and_cagr(a):
    t = a.trend(KOR, UZB)
    assert t["years"] == [2019, 2020]
    assert [r["exports"] for r in t["rows"]] == [20, 40]
    assert t["cagr"]["exports"] == pytest.approx(1.0)


def test_complementarity_decomposes_exactly(a):
    total = a.summary(KOR, UZB, 2020)["tci_reporter_to_partner"]
    for by in ("section", "hs2", "field"):
        rows = a.tci_by(KOR, UZB, 2020, by)
        assert sum(r["reporter_to_partner"] for r in rows) == pytest.approx(total)
    chapters = {r["group"]: r["reporter_to_partner"] for r in a.tci_by(KOR, UZB, 2020, "hs2")}
    assert chapters["01"] == pytest.approx(10.0) and chapters["02"] == pytest.approx(37.5)


def test_export_similarity_in_the_world_and_in_a_market(a):
    world = a.similarity(("KOR", "UZB"), 2020)
    assert world["matrix"][("KOR", "UZB")] == pytest.approx(100 * (0.1 + 10 / 70))
    # In the US market: Korea sells only 020110, Uzbekistan only 030110.
    usa = a.similarity(("KOR", "UZB"), 2020, market="USA")
    assert usa["matrix"][("KOR", "UZB")] == pytest.approx(0.0)


def test_supplier_concentration(a):
    rows = {r["heading"]: r for r in a.supplier_concentration("KOR", 2020, {101: "live animals", 301: "fish"})}
    assert rows["0101"]["hhi"] == 1.0 and rows["0101"]["top_supplier"] == "UZB"
    assert rows["0101"]["central_asia_share"] == 1.0 and rows["0301"]["central_asia_share"] == 0.0


def test_untapped_potential_both_directions(a):
    out = opportunities.untapped(a, "KOR", "UZB", 2020)
    # Only 020110 has RCA > 1 for Korea: supply .9, demand 30, ease 1.3 → potential 35.1, actual 30.
    assert [r["code"] for r in out.rows] == ["020110"]
    row = out.rows[0]
    assert row["supply_share"] == pytest.approx(0.9) and row["demand"] == 30 and row["ease"] == pytest.approx(1.3)
    assert row["potential"] == pytest.approx(35.1) and row["actual"] == 30 and row["untapped"] == pytest.approx(5.1)
    back = {r["code"]: r for r in opportunities.untapped(a, "UZB", "KOR", 2020).rows}
    ease = (20 / 70) / (70 / 260)
    assert back["030110"]["untapped"] == pytest.approx(40 / 120 * 50 * ease)
    assert back["010110"]["untapped"] == 0.0  # potential 10.6 < actual 20
    rolled = opportunities.untapped(a, "UZB", "KOR", 2020, level="section")
    assert rolled.rows[0]["code"] == "I" and rolled.rows[0]["untapped"] == pytest.approx(out_total(back))


def out_total(rows):
    return sum(r["untapped"] for r in rows.values())
