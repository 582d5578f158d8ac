"""Export potential with a gravity ease (serai.trade.potential): pure tests on small panels built here."""

from __future__ import annotations

import math

import numpy as np
import pytest

from serai.trade import potential as P
from serai.trade.errors import Degenerate


def panel(**over) -> P.Inputs:
    """Exporter E, market M, two base years, four products.
    E→M in 2020: product 10101 = 5, 20202 = 7; 30303 exported by E but never to M; 40404 sold to M only in 2019."""
    years = [2019, 2020]
    supply = {
        2019: {10101: 40.0, 20202: 50.0, 30303: 20.0, 40404: 10.0},
        2020: {10101: 44.0, 20202: 50.0, 30303: 25.0, 40404: 10.0},
    }
    world = {
        2019: {10101: 400.0, 20202: 500.0, 30303: 100.0, 40404: 100.0},
        2020: {10101: 400.0, 20202: 500.0, 30303: 100.0, 40404: 100.0},
    }
    demand = {
        2019: {10101: 50.0, 20202: 80.0, 30303: 30.0, 40404: 10.0},
        2020: {10101: 55.0, 20202: 80.0, 30303: 36.0, 40404: 10.0},
    }
    actual = {2019: {10101: 4.0, 40404: 1.0}, 2020: {10101: 5.0, 20202: 7.0}}
    base = {
        "exporter": "EEE",
        "market": "MMM",
        "years": years,
        "supply": supply,
        "world": world,
        "demand": demand,
        "actual": actual,
        "exporter_total": 129.0,
        "market_imports": 181.0,
        "world_total": 1100.0,
        "expected_pair": 30.0,
        "distance_km": 4000.0,
    }
    base.update(over)
    return P.Inputs(**base)


def test_a_pair_with_no_trade_gets_non_zero_explained_potential():
    inp = panel(actual={2019: {}, 2020: {}})
    ease, neutral, rows = P.score(inp)
    assert neutral == pytest.approx(129.0 * 181.0 / 1100.0)
    assert ease == pytest.approx(30.0 / neutral)
    assert all(r["realised"] == 0 and r["new"] for r in rows)
    row = next(r for r in rows if r["code"] == "030303")
    # supply 25/100, its share grew 20 % → 25 % in one year (capped at +20 %); demand 36 (30 → 36, +20 %)
    assert row["supply_share"] == pytest.approx(0.25) and row["supply_trend"] == pytest.approx(0.20)
    assert row["demand"] == 36.0 and row["demand_trend"] == pytest.approx(0.20)
    assert row["potential"] == pytest.approx(0.25 * 1.2 * 36 * 1.2 * ease) and row["potential"] > 0
    assert row["untapped"] == row["potential"]
    for key in ("supply_share", "demand", "ease", "distance_km", "expected_pair"):
        assert row[key] is not None


def test_the_old_score_gave_this_pair_zero():
    """The legacy score's ease is the pair's trade intensity: 0 when the pair does not trade."""
    from serai.trade.indicators import intensity

    assert intensity(0.0, 129.0, 181.0, 1100.0) == 0.0


def test_new_product_for_this_market_flag():
    _, _, rows = P.score(panel())
    flags = {r["code"]: r["new"] for r in rows}
    assert flags == {"010101": False, "020202": False, "030303": True, "040404": False}  # 040404: sold in 2019


def test_rollup_realised_totals_are_real_bilateral_exports():
    _, _, rows = P.score(panel())
    by_hs2 = P.rollup(rows, "hs2")
    assert sum(r["realised"] for r in by_hs2) == pytest.approx(12.0)  # 5 + 7: every product, not only RCA > 1
    assert {r["code"]: r["realised"] for r in by_hs2} == {"01": 5.0, "02": 7.0, "03": 0.0, "04": 0.0}
    assert {r["code"]: r["new_products"] for r in by_hs2}["03"] == 1


def test_ease_is_bounded():
    ease, _, _ = P.score(panel(expected_pair=1e9))
    assert ease == P.EASE_MAX
    ease, _, _ = P.score(panel(expected_pair=1e-9))
    assert ease == P.EASE_MIN


@pytest.mark.parametrize(
    "over, message",
    [
        ({"world_total": 0.0}, "world trade is zero in 2020: no data"),
        ({"exporter_total": 0.0}, "EEE exports nothing in 2020: no data"),
        ({"market_imports": 0.0}, "MMM imports nothing in 2020: no data"),
        ({"expected_pair": None}, "no gravity expectation for EEE → MMM in 2020"),
    ],
)
def test_degenerate_input_is_one_clear_line(over, message):
    with pytest.raises(Degenerate) as err:
        P.score(panel(**over))
    assert message in str(err.value) and "\n" not in str(err.value)


def test_degenerate_gravity_input():
    with pytest.raises(Degenerate, match="at least two exporters"):
        P.fit_gravity(np.array([1, 1]), np.array([2, 3]), np.array([5.0, 6.0]), np.array([100.0, 200.0]))
    with pytest.raises(Degenerate, match="at least two exporters"):
        P.fit_gravity(np.array([1, 2]), np.array([2, 1]), np.array([0.0, 0.0]), np.array([100.0, 200.0]))


def gravity_world(n=30, beta=-1.2, seed=3):
    """Trade drawn from a gravity model: E[x_ij] = exp(a_i + b_j + beta·ln d_ij), Poisson noise (long format)."""
    rng = np.random.default_rng(seed)
    lon, lat = rng.uniform(-150, 150, n), rng.uniform(-50, 60, n)
    a, b = rng.normal(0, 1, n), rng.normal(0, 1, n)
    i, j, d, v = [], [], [], []
    for p in range(n):
        for q in range(n):
            if p == q:
                continue
            dist = P.great_circle_km((lon[p], lat[p]), (lon[q], lat[q]))
            mu = math.exp(20 + a[p] + b[q] + beta * math.log(dist))
            i.append(p), j.append(q), d.append(dist), v.append(rng.poisson(mu))
    return np.array(i), np.array(j), np.array(v, dtype=float), np.array(d)


def test_ppml_gravity_recovers_the_distance_elasticity():
    i, j, v, d = gravity_world()
    fit = P.fit_gravity(i, j, v, d)
    assert fit.beta == pytest.approx(-1.2, abs=0.05)
    # the expectation of a pair is the model's, present in the data or not
    k = 5
    assert fit.expected(i[k], j[k], d[k]) == pytest.approx(v[k], rel=0.05)


def test_ppml_gives_an_expectation_to_a_pair_that_never_traded():
    i, j, v, d = gravity_world()
    gone = (i == 0) & (j == 1)
    fit = P.fit_gravity(i[~gone], j[~gone], v[~gone], d[~gone])
    assert fit.expected(0, 1, float(d[gone][0])) > 0


def test_great_circle_and_centroids():
    assert P.great_circle_km((0.0, 0.0), (180.0, 0.0)) == pytest.approx(math.pi * 6371.0)
    from serai.core.testing import shared_data_path

    points = P.centroids(str(shared_data_path("geo/world-atlas_countries-50m.topo.json")))
    seoul_side, astana_side = P.point_of(410, points), P.point_of(398, points)
    assert 126 < seoul_side[0] < 129 and 35 < seoul_side[1] < 38  # Korea's centroid
    assert 4000 < P.great_circle_km(seoul_side, astana_side) < 6000  # Korea–Kazakhstan
    assert P.point_of(842, points) == points[840]  # BACI's USA code maps to ISO numeric 840
