"""Untapped export potential at HS6, both directions, and the bloc's cooperation matrix.

For exporter e, market m and HS6 product k (docs/methods.md):
  supply   s_ek = x_ek / x_wk       e's share of world exports of k, counted only where RCA_ek > 1
  demand   d_mk = m_mk              m's imports of k from the world
  ease     t_em = (x_em / x_e) / (m_m / m_w)   the pair's trade intensity
  potential p = s_ek · d_mk · t_em ;  actual a = x_emk ;  untapped u = max(p − a, 0)
Roll-ups (HS4, HS2, section, field) add the HS6 potential, actual and untapped values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import codes
from .complexity import compute
from .indicators import Analysis, group_of, intensity

COLUMNS_HS6 = ["code", "rca", "supply_share", "demand", "ease", "potential", "actual", "untapped"]
COLUMNS_ROLLUP = ["code", "products", "demand", "potential", "actual", "untapped"]


@dataclass
class Ranking:
    exporter: str
    market: str
    year: int
    level: str
    ease: float | None
    rows: list[dict]
    total_untapped: float


def untapped(
    analysis: Analysis,
    exporter: str,
    market: str,
    year: int,
    *,
    level: str = "hs6",
    top: int | None = 50,
    field: str | None = None,
    section: str | None = None,
) -> Ranking:
    if level not in codes.ROLLUPS:
        raise ValueError(f"level must be one of {', '.join(codes.ROLLUPS)}")
    e, m = analysis.codes_of((exporter,))[0], analysis.codes_of((market,))[0]
    f = analysis._f
    res = analysis._q(
        f"""WITH world AS (SELECT k, sum(v) AS v FROM read_parquet('{f(year, "exports")}') GROUP BY k),
                 mine AS (SELECT k, v FROM read_parquet('{f(year, "exports")}') WHERE i = $e),
                 totals AS (SELECT (SELECT sum(v) FROM mine) AS x_e, (SELECT sum(v) FROM world) AS x_w),
                 demand AS (SELECT k, v FROM read_parquet('{f(year, "imports")}') WHERE j = $m),
                 actual AS (SELECT k, sum(v) AS v FROM read_parquet('{f(year, "flows")}') WHERE i = $e AND j = $m GROUP BY k)
            SELECT mine.k AS k, (mine.v / totals.x_e) / (world.v / totals.x_w) AS rca, mine.v / world.v AS supply,
                   demand.v AS demand, coalesce(actual.v, 0) AS actual
            FROM mine JOIN world USING (k) JOIN demand USING (k) LEFT JOIN actual USING (k), totals
            WHERE (mine.v / totals.x_e) / (world.v / totals.x_w) > 1""",
        {"e": e, "m": m},
    )
    x_em = sum(analysis.exports_by_product((exporter,), year, to=(market,)).values())
    x_e = sum(analysis.exports_by_product((exporter,), year).values())
    m_m = sum(analysis.imports_by_product((market,), year).values())
    ease = intensity(x_em, x_e, m_m, analysis.world_total(year)) or 0.0
    potential = res["supply"] * res["demand"] * ease
    gap = np.maximum(potential - res["actual"], 0.0)
    keep = np.ones(len(gap), dtype=bool)
    if field:
        keep &= np.array([codes.field_of(int(k)) == field for k in res["k"]], dtype=bool)
    if section:
        keep &= np.array([codes.section_of_chapter(int(k) // 10000) == section for k in res["k"]], dtype=bool)
    rows: list[dict]
    if level == "hs6":
        rows = [
            {
                "code": f"{int(k):06d}",
                "rca": float(r),
                "supply_share": float(s),
                "demand": float(d),
                "ease": ease,
                "potential": float(p),
                "actual": float(a),
                "untapped": float(u),
                "field": codes.field_of(int(k)),
            }
            for k, r, s, d, p, a, u in zip(
                res["k"][keep],
                res["rca"][keep],
                res["supply"][keep],
                res["demand"][keep],
                potential[keep],
                res["actual"][keep],
                gap[keep],
            )
        ]
    else:
        groups: dict[str, dict] = {}
        for k, d, p, a, u in zip(res["k"][keep], res["demand"][keep], potential[keep], res["actual"][keep], gap[keep]):
            g = group_of(int(k), level)
            row = groups.setdefault(
                g, {"code": g, "products": 0, "demand": 0.0, "potential": 0.0, "actual": 0.0, "untapped": 0.0}
            )
            row["products"] += 1
            row["demand"] += float(d)
            row["potential"] += float(p)
            row["actual"] += float(a)
            row["untapped"] += float(u)
        rows = list(groups.values())
    rows.sort(key=lambda r: (-r["untapped"], r["code"]))
    total = float(sum(r["untapped"] for r in rows))
    return Ranking(exporter, market, year, level, ease, rows[:top] if top else rows, total)


def cooperation_matrix(
    analysis: Analysis,
    year: int,
    *,
    partner: str = codes.KOREA,
    countries: tuple[str, ...] = codes.CENTRAL_ASIA,
    quantile: float = 0.9,
    level: str = "hs4",
    limit: int = 100,
) -> dict:
    """Products (HS4) where ``partner`` has RCA > 1 and at least one of ``countries`` has a high
    density (in the top decile of its densities over products it does not yet export with RCA ≥ 1):
    capabilities nearby on one side, proven strength on the other."""
    c_codes, p_codes, matrix = analysis.store.export_matrix(analysis.dataset, year, level, con=analysis.con)
    result = compute(matrix, c_codes, p_codes)
    row = {code: pos for pos, code in enumerate(c_codes.tolist())}
    k_pos = row.get(analysis.codes_of((partner,))[0])
    if k_pos is None:
        return {"countries": list(countries), "rows": []}
    strong = result.rca[k_pos] > 1
    high = {}
    for iso in countries:
        pos = row.get(analysis.codes_of((iso,))[0])
        if pos is None:
            continue
        dens = result.density[pos]
        open_ = result.mcp[pos] == 0
        cut = np.quantile(dens[open_], quantile) if open_.any() else np.inf
        high[iso] = (dens, open_ & (dens >= cut))
    rows = []
    for j, code in enumerate(p_codes.tolist()):
        if not strong[j]:
            continue
        flagged = [iso for iso, (_, flag) in high.items() if flag[j]]
        if not flagged:
            continue
        rows.append(
            {
                "code": codes.rollup_label(level, int(code)),
                "partner_rca": float(result.rca[k_pos, j]),
                "pci": float(result.pci[j]),
                "density": {iso: float(d[j]) for iso, (d, _) in high.items()},
                "high": flagged,
            }
        )
    rows.sort(key=lambda r: (-len(r["high"]), -r["pci"]))
    eci = {
        iso: float(result.eci[row[analysis.codes_of((iso,))[0]]])
        for iso in (partner, *countries)
        if analysis.codes_of((iso,))[0] in row
    }
    return {"countries": list(high), "rows": rows[:limit], "eci": eci, "products": int(len(p_codes))}
