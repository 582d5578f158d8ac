"""Complexity: a hand case, and agreement with ecomplexity 0.5.3 (the oracle) to 1e-9."""

import warnings

import numpy as np
import pytest

from serai.core.testing import shared_data_path
from serai.trade import complexity, ingest, synth
from serai.trade.store import TradeStore


def test_rca_proximity_density_by_hand():
    values = np.array([[10.0, 30.0], [30.0, 30.0]])
    r = complexity.balassa_rca(values)
    assert r[0].tolist() == pytest.approx([(10 / 40) / (40 / 100), (30 / 40) / (60 / 100)])  # 0.625, 1.25
    m = np.array([[1.0, 1.0, 0.0], [1.0, 0.0, 1.0], [0.0, 1.0, 1.0], [1.0, 0.0, 0.0]])
    u = m.sum(axis=0)  # 3, 2, 2
    phi = complexity.proximity(m, u)
    # C(0,1) = 1 country exports both; max ubiquity 3 → 1/3. C(1,2) = 1; max(2, 2) → 1/2.
    assert phi[0, 1] == pytest.approx(1 / 3) and phi[1, 2] == pytest.approx(1 / 2) and phi[0, 0] == 1.0
    res = complexity.compute(np.array([[5.0, 5.0, 0.1], [5.0, 0.1, 5.0], [0.1, 5.0, 5.0], [9.0, 0.1, 0.1]]))
    assert res.mcp.tolist() == m.tolist()
    # Density of product 2 for country 0: (φ(2,0) + φ(2,1)) / Σ_q φ(2,q) = (1/3 + 1/2) / (1/3 + 1/2 + 1).
    assert res.density[0, 2] == pytest.approx((1 / 3 + 1 / 2) / (1 / 3 + 1 / 2 + 1))
    # ECI is standardised and rises with diversity in the convention.
    assert res.eci.mean() == pytest.approx(0.0, abs=1e-12) and res.eci.std() == pytest.approx(1.0)


def oracle(values: np.ndarray, countries: np.ndarray, products: np.ndarray) -> dict[str, np.ndarray]:
    import pandas as pd  # the oracle's own dependency (dev extra), used only here
    from ecomplexity import ecomplexity

    rows, cols = np.nonzero(values)
    frame = pd.DataFrame({"time": 2020, "loc": countries[rows], "prod": products[cols], "val": values[rows, cols]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = ecomplexity(
            frame,
            {"time": "time", "loc": "loc", "prod": "prod", "val": "val"},
            check_logsupermodularity=False,
            verbose=False,
        )
    out = out.sort_values(["loc", "prod"])
    grid = {
        name: out.pivot(index="loc", columns="prod", values=name).to_numpy()
        for name in ("eci", "pci", "density", "coi", "cog", "rca", "mcp")
    }
    assert grid["eci"].shape == values.shape
    return {
        "eci": grid["eci"][:, 0],
        "pci": grid["pci"][0],
        "coi": grid["coi"][:, 0],
        "density": grid["density"],
        "cog": grid["cog"],
        "rca": grid["rca"],
        "mcp": grid["mcp"],
    }


def assert_agrees(store: TradeStore, dataset: str, year: int, level: str) -> None:
    countries, products, values = store.export_matrix(dataset, year, level)
    ours = complexity.compute(values, countries, products)
    theirs = oracle(values, countries, products)
    for name in ("eci", "pci", "coi", "density", "cog", "rca", "mcp"):
        np.testing.assert_allclose(getattr(ours, name), theirs[name], rtol=0, atol=1e-9, err_msg=name)


@pytest.mark.shared_data
def test_agrees_with_ecomplexity_on_the_real_hs2_panel(tmp_path):
    panel = shared_data_path("trade/baci_hs92_exporter_hs2_2011_2020.csv.gz")
    store = TradeStore(tmp_path / "store")
    ingest.load(panel, store)
    for year in (2011, 2020):
        assert_agrees(store, "HS92-X2", year, "hs2")


def test_agrees_with_ecomplexity_on_a_synthetic_year(tmp_path):
    folder = tmp_path / "syn"
    synth.generate(folder, [2020], n_countries=80, n_products=900, rows=250_000, seed=11)
    store = TradeStore(tmp_path / "store")
    ingest.load(folder, store)
    assert store.entries()[0].synthetic
    assert_agrees(store, "SYN-HS17", 2020, "hs6")
    assert_agrees(store, "SYN-HS17", 2020, "hs4")
