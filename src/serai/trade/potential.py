"""Export potential that reaches new markets: the structure of ITC's Export Potential Indicator
(Decreux & Spies 2016), on the data Serai holds. docs/methods.md#potential.

For exporter e, market m, product k, base year T and the base years B = T−n+1 … T:

  supply   s_ek   = x_ek / x_wk           e's share of world exports of k in T, projected by the
                                          trend of that share over B (annual growth capped ±CAP)
  demand   d_mk   = m_mk                  m's imports of k in T, projected by their growth over B
                                          (capped ±CAP), ``horizon`` years ahead
  ease     g_em   = clip(E[x_em] / N_em, EASE_MIN, EASE_MAX)
           E[x_em] = exp(α_e + γ_m + β·ln dist_em): the gravity expectation of the pair's total
                     trade, PPML with exporter and importer fixed effects (pyfixest ``fepois``)
                     on the country-pair totals of T;
           N_em    = x_e · m_m / m_w: what e would sell to m if it sold in proportion to m's share
                     of world imports (so g = 1 is "as easy as an average market").
  potential p = s_ek · d_mk · g_em ;  realised a = x_emk (T) ;  untapped u = max(p − a, 0)

Because ease comes from the gravity expectation and not from the pair's actual trade, a pair with
little or no trade gets an expected value, not zero, and complementarity is not counted twice.
Every product e exports in T is scored (not only RCA > 1), so the roll-ups' realised totals add
up to e's real exports to m. ``new`` flags a product e did not export to m in any base year.

Distance: great-circle kilometres between the area-weighted centroids of each country's largest
polygon in the Natural Earth admin-0 geometry of npm's world-atlas (no population-weighted or
capital points are on hand). Pandas appears only as pyfixest's input: a long-format frame of
the observed (non-zero) country pairs, never a rectangular table.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import codes
from .errors import Degenerate, NotLoaded, TradeError
from .indicators import Analysis, group_of

CAP = 0.20  # cap on the annual growth of a supply share or of demand, both ways
EASE_MIN, EASE_MAX = 0.1, 10.0
BASE_YEARS = 3
LEGACY = "untapped (legacy)"
METHOD = "export potential (gravity ease)"

COLUMNS_HS6 = [
    "code",
    "new",
    "supply_share",
    "supply_trend",
    "demand",
    "demand_trend",
    "ease",
    "distance_km",
    "expected_pair",
    "potential",
    "realised",
    "untapped",
]
COLUMNS_ROLLUP = ["code", "products", "new_products", "demand", "potential", "realised", "untapped"]

# BACI (UN Comtrade) codes that differ from ISO 3166 numeric, for the map's ids.
BACI_TO_ISO_NUMERIC = {
    58: 56,
    251: 250,
    280: 276,
    381: 380,
    490: 158,
    579: 578,
    699: 356,
    711: 710,
    736: 729,
    757: 756,
    842: 840,
    891: 688,
}


# --- distance ------------------------------------------------------------------------------------
@lru_cache(maxsize=4)
def centroids(atlas: str) -> dict[int, tuple[float, float]]:
    """ISO numeric → (lon, lat): the area-weighted centroid of the country's largest polygon
    (outer ring, planar in degrees) in a world-atlas TopoJSON file."""
    path = Path(atlas)
    if not path.exists():
        raise NotLoaded(f"{path}: map geometry not found (set SERAI_WORLD_ATLAS to world-atlas countries-50m.json)")
    topo = json.loads(path.read_text("utf-8"))
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        a = np.cumsum(np.asarray(arc, dtype=float), axis=0)
        arcs.append(np.column_stack([a[:, 0] * sx + tx, a[:, 1] * sy + ty]))

    def ring(indexes: list[int]) -> np.ndarray:
        parts = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in indexes]
        return np.vstack([parts[0]] + [p[1:] for p in parts[1:]])

    out: dict[int, tuple[float, float]] = {}
    for geom in topo["objects"]["countries"]["geometries"]:
        kind, gid = geom.get("type"), str(geom.get("id", ""))
        if not gid.isdigit() or kind not in ("Polygon", "MultiPolygon"):
            continue
        polys = [geom["arcs"]] if kind == "Polygon" else geom["arcs"]
        best = None
        for poly in polys:
            r = ring(poly[0])
            x, y = r[:, 0], r[:, 1]
            cross = x[:-1] * y[1:] - x[1:] * y[:-1]
            area = cross.sum() / 2.0
            if area == 0:
                continue
            cx = ((x[:-1] + x[1:]) * cross).sum() / (6 * area)
            cy = ((y[:-1] + y[1:]) * cross).sum() / (6 * area)
            if best is None or abs(area) > best[0]:
                best = (abs(area), float(cx), float(cy))
        if best:
            out[int(gid)] = (best[1], best[2])
    return out


def great_circle_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Haversine distance in km between two (lon, lat) points (Earth radius 6,371 km)."""
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def point_of(baci_code: int, points: dict[int, tuple[float, float]]) -> tuple[float, float] | None:
    return points.get(BACI_TO_ISO_NUMERIC.get(int(baci_code), int(baci_code)))


# --- gravity -------------------------------------------------------------------------------------
@dataclass
class Gravity:
    """PPML gravity fit: ln E[x_ij] = α_i + γ_j + β·ln dist_ij."""

    beta: float
    se: float
    alpha: dict[int, float]
    gamma: dict[int, float]
    pairs: int

    def expected(self, i: int, j: int, distance_km: float) -> float | None:
        a, g = self.alpha.get(int(i)), self.gamma.get(int(j))
        if a is None or g is None or not distance_km or distance_km <= 0:
            return None
        return float(math.exp(a + g + self.beta * math.log(distance_km)))


def fit_gravity(i: np.ndarray, j: np.ndarray, v: np.ndarray, distance_km: np.ndarray) -> Gravity:
    """Estimate the gravity model by PPML with exporter and importer fixed effects (pyfixest).

    Input is long format: one entry per observed pair (i ≠ j, distance > 0)."""
    import pandas as pd  # pyfixest's input only
    import pyfixest as pf

    i, j = np.asarray(i, dtype=np.int64), np.asarray(j, dtype=np.int64)
    v, d = np.asarray(v, dtype=float), np.asarray(distance_km, dtype=float)
    keep = (i != j) & np.isfinite(v) & (v >= 0) & np.isfinite(d) & (d > 0)
    i, j, v, d = i[keep], j[keep], v[keep], d[keep]
    if len(np.unique(i)) < 2 or len(np.unique(j)) < 2 or not (v > 0).any():
        raise Degenerate("gravity needs trade between at least two exporters and two importers with a known distance")
    if np.ptp(np.log(d)) == 0:
        raise Degenerate("gravity needs pairs at different distances")
    frame = pd.DataFrame({"i": i.astype(str), "j": j.astype(str), "v": v, "ld": np.log(d)})
    try:
        fit = pf.fepois("v ~ ld | i + j", data=frame)
        fe = fit.fixef()
        beta, se = float(fit.coef()["ld"]), float(fit.se()["ld"])
    except Exception as exc:  # noqa: BLE001  pyfixest's own errors (separation, convergence), in one line
        raise Degenerate(
            f"gravity did not converge: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
        ) from exc
    if not math.isfinite(beta):
        raise Degenerate("gravity did not converge: no finite distance coefficient")
    alpha = {int(k): float(x) for k, x in fe["C(i)"].items()}
    gamma = {int(k): float(x) for k, x in fe["C(j)"].items()}
    return Gravity(beta, se, alpha, gamma, int(keep.sum()))


# --- the score -----------------------------------------------------------------------------------
def _trend(first: float, last: float, years: int, cap: float = CAP) -> float:
    """Annual growth between two values, capped ±cap; 0 when undefined (one year, a zero start)."""
    if years <= 0 or first <= 0 or last <= 0:
        return 0.0
    return float(np.clip((last / first) ** (1.0 / years) - 1.0, -cap, cap))


@dataclass
class Inputs:
    """Everything the score needs, by year: dicts product → value (long format)."""

    exporter: str
    market: str
    years: list[int]  # base years, ascending; the last is T
    supply: dict[int, dict[int, float]]  # year → k → x_ek
    world: dict[int, dict[int, float]]  # year → k → x_wk
    demand: dict[int, dict[int, float]]  # year → k → m_mk
    actual: dict[int, dict[int, float]]  # year → k → x_emk
    exporter_total: float  # x_e in T
    market_imports: float  # m_m in T
    world_total: float  # m_w (= x_w) in T
    expected_pair: float | None  # gravity E[x_em] in T
    distance_km: float | None
    gravity: dict = field(default_factory=dict)  # beta, se, pairs


@dataclass
class Potential:
    exporter: str
    market: str
    year: int
    level: str
    ease: float
    expected_pair: float
    neutral_pair: float
    actual_pair: float
    distance_km: float | None
    gravity: dict
    rows: list[dict]
    total_potential: float
    total_realised: float
    total_untapped: float
    method: str = METHOD


def score(inp: Inputs, *, horizon: int = 1, cap: float = CAP) -> tuple[float, float, list[dict]]:
    """The HS6 scores (pure): (ease, neutral pair trade, rows). Raises Degenerate on input where
    the score is undefined."""
    T = inp.years[-1]
    if inp.world_total <= 0:
        raise Degenerate(f"world trade is zero in {T}: no data")
    if inp.exporter_total <= 0:
        raise Degenerate(f"{inp.exporter} exports nothing in {T}: no data")
    if inp.market_imports <= 0:
        raise Degenerate(f"{inp.market} imports nothing in {T}: no data")
    if not inp.expected_pair or inp.expected_pair <= 0:
        raise Degenerate(
            f"no gravity expectation for {inp.exporter} → {inp.market} in {T} "
            "(a country outside the gravity sample or without a known distance)"
        )
    neutral = inp.exporter_total * inp.market_imports / inp.world_total
    ease = float(np.clip(inp.expected_pair / neutral, EASE_MIN, EASE_MAX))
    first, span = inp.years[0], inp.years[-1] - inp.years[0]
    rows = []
    for k, x in inp.supply[T].items():
        w = inp.world[T].get(k, 0.0)
        if x <= 0 or w <= 0:
            continue
        share = x / w
        w0 = inp.world.get(first, {}).get(k, 0.0)
        share0 = inp.supply.get(first, {}).get(k, 0.0) / w0 if w0 > 0 else 0.0
        g_s = _trend(share0, share, span, cap)
        d = inp.demand[T].get(k, 0.0)
        g_d = _trend(inp.demand.get(first, {}).get(k, 0.0), d, span, cap)
        s_proj, d_proj = share * (1 + g_s) ** horizon, d * (1 + g_d) ** horizon
        p = s_proj * d_proj * ease
        a = inp.actual[T].get(k, 0.0)
        new = not any(inp.actual.get(t, {}).get(k, 0.0) > 0 for t in inp.years)
        rows.append(
            {
                "k": int(k),
                "code": f"{int(k):06d}",
                "new": new,
                "supply_share": share,
                "supply_trend": g_s,
                "demand": d,
                "demand_trend": g_d,
                "ease": ease,
                "distance_km": inp.distance_km,
                "expected_pair": inp.expected_pair,
                "potential": p,
                "realised": a,
                "untapped": max(p - a, 0.0),
                "field": codes.field_of(int(k)),
            }
        )
    return ease, neutral, rows


def rollup(rows: list[dict], level: str) -> list[dict]:
    """Sum HS6 rows to HS4, HS2, section or field: every product, so realised totals are real trade."""
    groups: dict[str, dict] = {}
    for r in rows:
        g = group_of(r["k"], level)
        row = groups.setdefault(
            g,
            {
                "code": g,
                "products": 0,
                "new_products": 0,
                "demand": 0.0,
                "potential": 0.0,
                "realised": 0.0,
                "untapped": 0.0,
            },
        )
        row["products"] += 1
        row["new_products"] += int(r["new"])
        for key in ("demand", "potential", "realised", "untapped"):
            row[key] += r[key]
    return list(groups.values())


# --- from the store ------------------------------------------------------------------------------
def _pair_totals(analysis: Analysis, year: int) -> dict[str, np.ndarray]:
    f, ms = analysis._f(year, "flows"), analysis.store.merge_sql
    return analysis._q(
        f"SELECT {ms('i')} AS i, {ms('j')} AS j, sum(v) AS v FROM read_parquet('{f}') WHERE v > 0 GROUP BY ALL"
    )


def gravity_for(analysis: Analysis, year: int, atlas: str | Path) -> tuple[Gravity, dict[int, tuple[float, float]]]:
    points = centroids(str(atlas))
    pairs = _pair_totals(analysis, year)
    pi = [point_of(c, points) for c in pairs["i"].tolist()]
    pj = [point_of(c, points) for c in pairs["j"].tolist()]
    dist = np.array([great_circle_km(a, b) if a and b else np.nan for a, b in zip(pi, pj)], dtype=float)
    return _cached_fit(analysis, year, str(atlas), pairs, dist), points


_FITS: dict[tuple, Gravity] = {}


def _cached_fit(analysis: Analysis, year: int, atlas: str, pairs: dict, dist: np.ndarray) -> Gravity:
    entry = analysis.store.entry(analysis.dataset, year)
    key = (str(analysis.store.root), analysis.dataset, year, entry.path, atlas)
    if key not in _FITS:
        if len(_FITS) > 8:
            _FITS.clear()
        _FITS[key] = fit_gravity(pairs["i"], pairs["j"], pairs["v"], dist)
    return _FITS[key]


def inputs(
    analysis: Analysis, exporter: str, market: str, year: int, atlas: str | Path, *, base_years: int = BASE_YEARS
) -> Inputs:
    if exporter == market:
        raise TradeError(f"exporter and market must differ ({exporter})")
    if not analysis.store.entry(analysis.dataset, year).bilateral:
        raise TradeError(
            f"{analysis.dataset} has no importer dimension: export potential needs a bilateral (BACI) dataset"
        )
    analysis.require_present((exporter,), year)
    analysis.require_present((market,), year)
    held = set(analysis.store.years(analysis.dataset))
    years = [t for t in range(year - base_years + 1, year + 1) if t in held]
    sup, wor, dem, act = {}, {}, {}, {}
    for t in years:
        sup[t] = analysis.exports_by_product((exporter,), t)
        wor[t] = analysis.world_by_product(t)
        dem[t] = analysis.imports_by_product((market,), t)
        act[t] = analysis.exports_by_product((exporter,), t, to=(market,))
    grav, points = gravity_for(analysis, year, atlas)
    e, m = analysis.codes_of((exporter,))[0], analysis.codes_of((market,))[0]
    pe, pm = point_of(e, points), point_of(m, points)
    dist = great_circle_km(pe, pm) if pe and pm else None
    return Inputs(
        exporter,
        market,
        years,
        sup,
        wor,
        dem,
        act,
        exporter_total=float(sum(sup[year].values())),
        market_imports=float(sum(dem[year].values())),
        world_total=analysis.world_total(year),
        expected_pair=grav.expected(e, m, dist) if dist else None,
        distance_km=dist,
        gravity={"beta": grav.beta, "se": grav.se, "pairs": grav.pairs},
    )


def potential(
    analysis: Analysis,
    exporter: str,
    market: str,
    year: int,
    atlas: str | Path,
    *,
    level: str = "hs6",
    top: int | None = 50,
    field: str | None = None,
    section: str | None = None,
    only_new: bool = False,
    base_years: int = BASE_YEARS,
    horizon: int = 1,
) -> Potential:
    """Ranked export potential of ``exporter`` in ``market`` (see the module's docstring)."""
    if level not in codes.ROLLUPS:
        raise ValueError(f"level must be one of {', '.join(codes.ROLLUPS)}")
    inp = inputs(analysis, exporter, market, year, atlas, base_years=base_years)
    ease, neutral, rows = score(inp, horizon=horizon)
    actual_pair = float(sum(inp.actual[year].values()))
    if field:
        rows = [r for r in rows if r["field"] == field]
    if section:
        rows = [r for r in rows if codes.section_of_chapter(r["k"] // 10000) == section]
    if only_new:
        rows = [r for r in rows if r["new"]]
    totals = (
        float(sum(r["potential"] for r in rows)),
        float(sum(r["realised"] for r in rows)),
        float(sum(r["untapped"] for r in rows)),
    )
    out = rows if level == "hs6" else rollup(rows, level)
    out.sort(key=lambda r: (-r["untapped"], r["code"]))
    return Potential(
        exporter,
        market,
        year,
        level,
        ease,
        float(inp.expected_pair),
        neutral,
        actual_pair,
        inp.distance_km,
        inp.gravity,
        out[:top] if top else out,
        *totals,
    )
