"""Hold-out validation of the export potential (issue 17): does the score, computed on the years
before a held-out year, rank the held-out year's export growth?

Part 1, real data: the CEPII BACI exporter × HS2 panel in ../shared/data (2011–2020, million USD).
It has no importer dimension, so the market is the world: for Korea and each Central Asian state,
over HS2 chapters, the score of T = held-out − 1 (base years T−2 … T) against the growth of
exports x(T+1) − x(T). With the world as the market the pair-specific parts (the market's demand,
the gravity ease) are constant and cannot be tested here; the legacy score's potential is the
exporter's own exports where RCA > 1 (untapped 0 everywhere), so only its potential is ranked.

Part 2, bilateral (product × market): Korea → each Central Asian state and back, by HS6, from a
trade store with at least base years + 1 bilateral years. Real BACI when the store holds it
(SERAI_TRADE_DIR, --store); otherwise a small synthetic store, labelled SYNTHETIC: a check of the
machinery, not evidence about the method.

    bench/run trade-potential            or    .venv/bin/python bench/trade_potential.py [--store DIR]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
SHARED = Path(os.environ.get("SERAI_SHARED_DATA", ROOT.parent / "shared" / "data"))
PANEL = SHARED / "trade" / "baci_hs92_exporter_hs2_2011_2020.csv.gz"
ATLAS = SHARED / "geo" / "world-atlas_countries-50m.topo.json"
SIX = ("KOR", "KAZ", "KGZ", "TJK", "TKM", "UZB")
CA = SIX[1:]


def spearman(score: list[float], target: list[float]) -> float | None:
    from scipy.stats import spearmanr

    if len(score) < 3 or len(set(score)) < 2 or len(set(target)) < 2:
        return None
    return float(spearmanr(score, target).statistic)


def fmt(r: float | None) -> str:
    return "  n/a" if r is None else f"{r:+.3f}"


# --- part 1: the real exporter × HS2 panel, the world as the market ------------------------------
def read_panel() -> dict[int, dict[str, dict[int, float]]]:
    """year → ISO3 → HS2 chapter → value (million USD)."""
    out: dict[int, dict[str, dict[int, float]]] = {}
    with gzip.open(PANEL, "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            v = float(row["v"] or 0)
            if v > 0:
                by = out.setdefault(int(row["t"]), {}).setdefault(row["i_iso3c"], {})
                by[int(row["k"])] = by.get(int(row["k"]), 0.0) + v
    return out


def world_holdout(panel, iso: str, held: int, base_years: int = 3) -> dict:
    from serai.trade import potential as P

    T = held - 1
    years = [t for t in range(T - base_years + 1, T + 1) if t in panel]
    world = {t: {} for t in years}
    for t in years:
        for by in panel[t].values():
            for k, v in by.items():
                world[t][k * 10000] = world[t].get(k * 10000, 0.0) + v
    mine = {t: {k * 10000: v for k, v in panel[t].get(iso, {}).items()} for t in years}
    x_w = sum(world[T].values())
    x_e = sum(mine[T].values())
    inp = P.Inputs(
        iso,
        "WLD",
        years,
        mine,
        world,
        world,
        mine,
        exporter_total=x_e,
        market_imports=x_w,
        world_total=x_w,
        expected_pair=x_e,
        distance_km=None,
    )  # the world: ease 1
    _, _, rows = P.score(inp)
    nxt = {k * 10000: v for k, v in panel[held].get(iso, {}).items()}
    growth = [nxt.get(r["k"], 0.0) - r["realised"] for r in rows]
    legacy = [(r["realised"] if (r["realised"] / x_e) / (world[T][r["k"]] / x_w) > 1 else 0.0) for r in rows]
    return {
        "n": len(rows),
        "new_potential": spearman([r["potential"] for r in rows], growth),
        "new_untapped": spearman([r["untapped"] for r in rows], growth),
        "legacy_potential": spearman(legacy, growth),
    }


def part1() -> None:
    if not PANEL.exists():
        print(f"part 1 skipped: {PANEL} not found (the real HS2 panel; see ../shared/data/SOURCES.md)")
        return
    panel = read_panel()
    print(
        f"Part 1 — real CEPII BACI exporter × HS2 panel ({min(panel)}–{max(panel)}), market = the world, "
        "Spearman ρ of the score with the held-out year's export growth x(T+1) − x(T) over HS2 chapters"
    )
    print(
        f"{'exporter':<9}{'held out':>9}{'chapters':>9}{'new potential':>15}{'new untapped':>14}{'legacy potential':>18}"
    )
    for held in (max(panel), max(panel) - 1):
        for iso in SIX:
            r = world_holdout(panel, iso, held)
            print(
                f"{iso:<9}{held:>9}{r['n']:>9}{fmt(r['new_potential']):>15}{fmt(r['new_untapped']):>14}"
                f"{fmt(r['legacy_potential']):>18}"
            )


# --- part 2: bilateral, product × market ---------------------------------------------------------
def bilateral_store(given: str | None):
    from serai.trade import codes, ingest, synth
    from serai.trade.store import TradeStore

    for root in filter(None, [given, os.environ.get("SERAI_TRADE_DIR")]):
        s = TradeStore(root)
        for name, entries in s.datasets().items():
            real = [e for e in entries if e.bilateral and not e.synthetic]
            if len(real) >= 4:
                return s, name, False
    tmp = Path(tempfile.mkdtemp(prefix="serai-potential-bench-"))
    six = [
        codes.Country(410, "KOR", "Korea"),
        codes.Country(398, "KAZ", "Kazakhstan"),
        codes.Country(417, "KGZ", "Kyrgyzstan"),
        codes.Country(762, "TJK", "Tajikistan"),
        codes.Country(795, "TKM", "Turkmenistan"),
        codes.Country(860, "UZB", "Uzbekistan"),
    ]
    others = [
        codes.Country(c, iso, iso)
        for c, iso in (
            (156, "CHN"),
            (392, "JPN"),
            (643, "RUS"),
            (842, "USA"),
            (276, "DEU"),
            (792, "TUR"),
            (699, "IND"),
            (251, "FRA"),
            (381, "ITA"),
            (76, "BRA"),
            (36, "AUS"),
            (124, "CAN"),
            (484, "MEX"),
            (764, "THA"),
            (704, "VNM"),
            (360, "IDN"),
            (458, "MYS"),
            (682, "SAU"),
            (784, "ARE"),
            (364, "IRN"),
        )
    ]
    synth.generate(
        tmp / "csv",
        [2017, 2018, 2019, 2020],
        countries=six + others,
        n_countries=26,
        n_products=600,
        rows=150_000,
        seed=7,
    )
    s = TradeStore(tmp / "store")
    ingest.load(tmp / "csv", s)
    return s, "SYN-HS17", True


def pair_holdout(a, e: str, m: str, T: int) -> dict:
    from serai.trade import opportunities
    from serai.trade import potential as P
    from serai.trade.errors import TradeError

    try:
        new = P.potential(a, e, m, T, ATLAS, top=None)
    except TradeError as exc:
        return {"error": str(exc)}
    old = {r["code"]: r["untapped"] for r in opportunities.untapped(a, e, m, T, top=None).rows}
    nxt = a.exports_by_product((e,), T + 1, to=(m,))
    growth = [nxt.get(r["k"], 0.0) - r["realised"] for r in new.rows]
    flagged = [r for r in new.rows if r["new"]]
    return {
        "n": len(new.rows),
        "new_products": len(flagged),
        "ease": new.ease,
        "new": spearman([r["untapped"] for r in new.rows], growth),
        "legacy": spearman([old.get(r["code"], 0.0) for r in new.rows], growth),
        "new_on_new": spearman([r["untapped"] for r in flagged], [nxt.get(r["k"], 0.0) for r in flagged]),
        "legacy_zero": sum(1 for r in new.rows if old.get(r["code"], 0.0) == 0),
    }


def part2(store_dir: str | None) -> None:
    from serai.trade.indicators import Analysis

    t0 = time.perf_counter()
    store, dataset, synthetic = bilateral_store(store_dir)
    years = store.years(dataset)
    T = years[-2]
    label = "SYNTHETIC (machinery check only, no evidence about the method)" if synthetic else "real"
    print(
        f"\nPart 2 — bilateral, HS6 × market, {dataset} [{label}]: score of {T} (base years {years[-4]}–{T}) "
        f"against the growth of exports to the market in {T + 1}; Spearman ρ over the products the exporter sells"
    )
    print(
        f"{'pair':<11}{'products':>9}{'new here':>9}{'ease':>7}{'new untapped':>14}{'legacy untapped':>17}"
        f"{'legacy = 0':>11}{'new, new products':>19}"
    )
    a = Analysis(store, dataset)
    for iso in CA:
        for e, m in (("KOR", iso), (iso, "KOR")):
            r = pair_holdout(a, e, m, T)
            if "error" in r:
                print(f"{e}→{m:<6} {r['error']}")
                continue
            print(
                f"{e}→{m:<6}{r['n']:>9}{r['new_products']:>9}{r['ease']:>7.2f}{fmt(r['new']):>14}{fmt(r['legacy']):>17}"
                f"{r['legacy_zero']:>11}{fmt(r['new_on_new']):>19}"
            )
    print(f"(part 2 took {time.perf_counter() - t0:.1f} s)")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--store", help="a trade store holding a real bilateral BACI release (default SERAI_TRADE_DIR)")
    args = p.parse_args()
    part1()
    if not ATLAS.exists():
        print(f"part 2 skipped: {ATLAS} not found (distances need the world-atlas geometry)")
        return 0
    part2(args.store)
    return 0


if __name__ == "__main__":
    sys.exit(main())
