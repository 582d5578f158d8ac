"""Trade indicators: the formulas as NumPy functions (tested on hand-computed cases), and the
queries that feed them from the store. Formulas and citations: docs/methods.md.

A *side* is a set of countries (one country, or a bloc such as the five Central Asian states);
a bloc's trade is the sum of its members' trade with countries outside the bloc.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import duckdb
import numpy as np

from . import codes
from .errors import Absent, TradeError, UnknownCountry
from .store import TradeStore


# --- formulas ----------------------------------------------------------------------------------
def shares(values: np.ndarray) -> np.ndarray:
    total = float(np.sum(values))
    return np.asarray(values, dtype=float) / total if total else np.zeros_like(values, dtype=float)


def cagr(first: float, last: float, years: int) -> float | None:
    """Compound annual growth rate between two values ``years`` apart."""
    if years <= 0 or not first or first <= 0 or last is None or last < 0:
        return None
    return (last / first) ** (1.0 / years) - 1.0


def rca(x_cp: np.ndarray | float, x_c: float, x_wp: np.ndarray | float, x_w: float) -> np.ndarray:
    """Balassa (1965): (x_cp / x_c) / (x_wp / x_w)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return (np.asarray(x_cp, dtype=float) / x_c) / (np.asarray(x_wp, dtype=float) / x_w)


def specialisation(x: np.ndarray | float, m: np.ndarray | float) -> np.ndarray:
    """Trade specialisation index (x − m) / (x + m), in [−1, 1]; NaN where there is no trade."""
    x, m = np.asarray(x, dtype=float), np.asarray(m, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (x - m) / (x + m)


def complementarity_terms(exports: np.ndarray, imports: np.ndarray) -> np.ndarray:
    """Michaely (1996) complementarity, term by product: 100·min(export share, import share).

    ``exports`` and ``imports`` are aligned over the *same* products (the exporter's exports to the
    world and the partner's imports from the world). Summed they give the index; summed over a
    subset (a section, a chapter, a field) they give that subset's exact part of it."""
    return 100.0 * np.minimum(shares(exports), shares(imports))


def complementarity(exports: np.ndarray, imports: np.ndarray) -> float:
    return float(complementarity_terms(exports, imports).sum())


def intensity(x_ij: float, x_i: float, m_j: float, m_w: float) -> float | None:
    """Trade intensity index (Brown 1949; Kojima 1964): (x_ij / x_i) / (m_j / m_w)."""
    if not x_i or not m_w or not m_j:
        return None
    return (x_ij / x_i) / (m_j / m_w)


def grubel_lloyd(x: np.ndarray, m: np.ndarray) -> tuple[np.ndarray, float | None]:
    """Grubel–Lloyd (1975) intra-industry index by product, 1 − |x − m| / (x + m), and the
    trade-weighted aggregate Σ(x + m − |x − m|) / Σ(x + m)."""
    x, m = np.asarray(x, dtype=float), np.asarray(m, dtype=float)
    total = x + m
    with np.errstate(divide="ignore", invalid="ignore"):
        by_product = 1.0 - np.abs(x - m) / total
    denom = float(total.sum())
    return by_product, (float((total - np.abs(x - m)).sum()) / denom if denom else None)


def export_similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Finger and Kreinin (1979): 100·Σ min(a's export share, b's export share), aligned products."""
    return float(100.0 * np.minimum(shares(a), shares(b)).sum())


def hhi(values: np.ndarray) -> float | None:
    """Herfindahl–Hirschman index of supplier shares, 0–1 (1 = a single supplier)."""
    s = shares(values)
    return float((s**2).sum()) if np.sum(values) else None


# --- queries -------------------------------------------------------------------------------------
Side = Sequence[str]


def side_of(name: str | Side) -> tuple[str, ...]:
    """'KOR' → ('KOR',); 'CA5' or 'bloc' → the five Central Asian states; a list stays a list."""
    if isinstance(name, str):
        out: list[str] = []
        for part in name.upper().split("+"):
            if part in {"CA5", "BLOC", "CENTRAL-ASIA"}:
                out.extend(codes.CENTRAL_ASIA)
            elif part:
                out.append(part)
        return tuple(dict.fromkeys(out))
    return tuple(name)


SUMMARY_KEYS = (
    "year",
    "reporter",
    "partner",
    "exports",
    "imports",
    "balance",
    "turnover",
    "export_share",
    "import_share",
    "tci_reporter_to_partner",
    "tci_partner_to_reporter",
    "intensity_reporter_to_partner",
    "intensity_partner_to_reporter",
    "grubel_lloyd",
    "specialisation",
    "reporter_exports_world",
    "reporter_imports_world",
    "partner_exports_world",
    "partner_imports_world",
)


def side_label(side: Side) -> str:
    side = tuple(side)
    return "CA5" if side == codes.CENTRAL_ASIA else "+".join(side)


@dataclass
class Analysis:
    """Indicator queries over one dataset of a store (DuckDB over its Parquet files)."""

    store: TradeStore
    dataset: str
    con: duckdb.DuckDBPyConnection = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        self.con = self.con or self.store.connect()
        self._codes = self.store.country_codes()
        self._all_codes = self.store.codes_by_iso3()

    # helpers
    def codes_of(self, side: Side) -> list[int]:
        """Every BACI code of the side's countries: for each ISO3 its labelling code first, then the
        other codes sharing that ISO3 (their trade is merged, docs/methods.md#data)."""
        missing = [c for c in side if c not in self._codes]
        if missing:
            raise UnknownCountry(
                f"unknown country code {', '.join(missing)}: not in the store's country dictionary "
                "(give an ISO3 code such as KOR, or CA5 for the five Central Asian states)"
            )
        return [code for c in side for code in self._all_codes[c]]

    def require_present(self, side: Side, year: int) -> None:
        """Refuse a side that has no trade at all recorded in ``year`` (absent from the year's data),
        rather than let it show as zeros."""
        found = self.con.execute(
            f"""SELECT (SELECT count(*) FROM read_parquet('{self._f(year, "exports")}') WHERE i IN (SELECT unnest($c)))
                     + (SELECT count(*) FROM read_parquet('{self._f(year, "imports")}') WHERE j IN (SELECT unnest($c)))""",
            {"c": self.codes_of(side)},
        ).fetchone()[0]
        if not found:
            raise Absent(
                f"{side_label(side)} is absent from {self.dataset} {year}: no trade recorded for it that year "
                "(no data, not zero)"
            )

    def _f(self, year: int, table: str) -> str:
        return self.store.file(self.dataset, year, table)

    def _q(self, sql: str, params: dict | None = None) -> dict[str, np.ndarray]:
        return self.con.execute(sql, params or {}).fetchnumpy()

    def exports_by_product(
        self, side: Side, year: int, *, to: Side | None = None, level: str = "hs6"
    ) -> dict[int, float]:
        """Exports of ``side`` (outside the side) by product, to the world or to ``to``."""
        src, dst = self.codes_of(side), (self.codes_of(to) if to else None)
        g = codes.sql_rollup(level)
        if dst is None and len(side) == 1:
            sql = (
                f"SELECT {g} AS p, sum(v) AS v FROM read_parquet('{self._f(year, 'exports')}') "
                "WHERE i IN (SELECT unnest($s)) GROUP BY 1"
            )
            res = self._q(sql, {"s": src})
        else:
            dest = "j IN (SELECT unnest($d))" if dst else "j NOT IN (SELECT unnest($s))"
            sql = (
                f"SELECT {g} AS p, sum(v) AS v FROM read_parquet('{self._f(year, 'flows')}') "
                f"WHERE i IN (SELECT unnest($s)) AND {dest} GROUP BY 1"
            )
            res = self._q(sql, {"s": src, **({"d": dst} if dst else {})})
        return dict(zip(res["p"].tolist(), res["v"].tolist()))

    def imports_by_product(self, side: Side, year: int, *, level: str = "hs6") -> dict[int, float]:
        """Imports of ``side`` from outside the side, by product."""
        dst = self.codes_of(side)
        g = codes.sql_rollup(level)
        if len(side) == 1:
            sql = (
                f"SELECT {g} AS p, sum(v) AS v FROM read_parquet('{self._f(year, 'imports')}') "
                "WHERE j IN (SELECT unnest($d)) GROUP BY 1"
            )
            res = self._q(sql, {"d": dst})
        else:
            sql = (
                f"SELECT {g} AS p, sum(v) AS v FROM read_parquet('{self._f(year, 'flows')}') "
                f"WHERE j IN (SELECT unnest($d)) AND i NOT IN (SELECT unnest($d)) GROUP BY 1"
            )
            res = self._q(sql, {"d": dst})
        return dict(zip(res["p"].tolist(), res["v"].tolist()))

    def world_by_product(self, year: int, level: str = "hs6") -> dict[int, float]:
        g = codes.sql_rollup(level)
        res = self._q(f"SELECT {g} AS p, sum(v) AS v FROM read_parquet('{self._f(year, 'exports')}') GROUP BY 1")
        return dict(zip(res["p"].tolist(), res["v"].tolist()))

    def world_total(self, year: int) -> float:
        return float(
            self.con.execute(f"SELECT sum(v) FROM read_parquet('{self._f(year, 'exports')}')").fetchone()[0] or 0
        )

    # indicators
    def summary(self, reporter: Side, partner: Side, year: int) -> dict:
        """Values, shares, complementarity both ways, intensity, Grubel–Lloyd and specialisation.
        A side with no trade recorded in the year is refused (``Absent``); an index whose inputs
        are all zero (a side that imports nothing, say) is None, "no data", never 0."""
        if set(side_of(reporter)) & set(side_of(partner)):
            raise TradeError(f"reporter and partner must differ ({side_label(reporter)} and {side_label(partner)})")
        self.require_present(reporter, year)
        self.require_present(partner, year)
        x_rp = self.exports_by_product(reporter, year, to=partner)
        x_pr = self.exports_by_product(partner, year, to=reporter)
        x_r, m_r = self.exports_by_product(reporter, year), self.imports_by_product(reporter, year)
        x_p, m_p = self.exports_by_product(partner, year), self.imports_by_product(partner, year)
        world = self.world_total(year)
        exports, imports = sum(x_rp.values()), sum(x_pr.values())
        keys = sorted(set(x_rp) | set(x_pr))
        gl_terms, gl = grubel_lloyd(
            np.array([x_rp.get(k, 0.0) for k in keys]), np.array([x_pr.get(k, 0.0) for k in keys])
        )
        tot = {name: sum(d.values()) for name, d in (("x_r", x_r), ("m_r", m_r), ("x_p", x_p), ("m_p", m_p))}
        return {
            "year": year,
            "reporter": side_label(reporter),
            "partner": side_label(partner),
            "exports": exports,
            "imports": imports,
            "balance": exports - imports,
            "turnover": exports + imports,
            "export_share": exports / tot["x_r"] if tot["x_r"] else None,
            "import_share": imports / tot["m_r"] if tot["m_r"] else None,
            "tci_reporter_to_partner": self._tci(x_r, m_p),
            "tci_partner_to_reporter": self._tci(x_p, m_r),
            "intensity_reporter_to_partner": intensity(exports, tot["x_r"], tot["m_p"], world),
            "intensity_partner_to_reporter": intensity(imports, tot["x_p"], tot["m_r"], world),
            "grubel_lloyd": gl,
            "specialisation": float(specialisation(exports, imports)) if exports + imports else None,
            "reporter_exports_world": tot["x_r"],
            "reporter_imports_world": tot["m_r"],
            "partner_exports_world": tot["x_p"],
            "partner_imports_world": tot["m_p"],
        }

    @staticmethod
    def _tci(exports: dict[int, float], imports: dict[int, float]) -> float | None:
        """None ("no data") when one side has no exports or no imports: 0 would claim no overlap."""
        if not sum(exports.values()) or not sum(imports.values()):
            return None
        keys = sorted(set(exports) | set(imports))
        return complementarity(
            np.array([exports.get(k, 0.0) for k in keys]), np.array([imports.get(k, 0.0) for k in keys])
        )

    def trend(self, reporter: Side, partner: Side, years: Iterable[int] | None = None) -> dict:
        """The summary for each year loaded, and the CAGR of exports, imports and turnover over the span."""
        years = sorted(years or self.store.years(self.dataset))
        rows = []
        for y in years:
            try:
                rows.append(self.summary(reporter, partner, y))
            except Absent as exc:  # a year where one side has no trade: a row of "no data", not zeros
                rows.append(
                    dict.fromkeys(SUMMARY_KEYS)
                    | {"year": y, "reporter": side_label(reporter), "partner": side_label(partner), "absent": str(exc)}
                )
        span = years[-1] - years[0] if len(years) > 1 else 0
        growth = {
            key: cagr(rows[0][key], rows[-1][key], span) if span else None for key in ("exports", "imports", "turnover")
        }
        return {"years": years, "rows": rows, "cagr": growth}

    def tci_by(self, reporter: Side, partner: Side, year: int, by: str = "section") -> list[dict]:
        """Michaely complementarity both ways, decomposed exactly by section, chapter (hs2) or field."""
        parts = {}
        for direction, (x, m) in {
            "reporter_to_partner": (self.exports_by_product(reporter, year), self.imports_by_product(partner, year)),
            "partner_to_reporter": (self.exports_by_product(partner, year), self.imports_by_product(reporter, year)),
        }.items():
            keys = sorted(set(x) | set(m))
            terms = complementarity_terms(
                np.array([x.get(k, 0.0) for k in keys]), np.array([m.get(k, 0.0) for k in keys])
            )
            for k, term in zip(keys, terms):
                group = group_of(k, by)
                parts.setdefault(group, {"group": group, "reporter_to_partner": 0.0, "partner_to_reporter": 0.0})
                parts[group][direction] += float(term)
        order = codes.SECTIONS if by == "section" else (codes.FIELDS if by == "field" else None)
        rows = list(parts.values())
        if order:
            rows.sort(key=lambda r: order.index(r["group"]) if r["group"] in order else len(order))
        else:
            rows.sort(key=lambda r: r["group"])
        return rows

    def similarity(self, countries: Side, year: int, market: str | None = None, level: str = "hs6") -> dict:
        """Finger–Kreinin export similarity of each pair, in the world or in a third market."""
        vectors = {
            c: self.exports_by_product((c,), year, to=(market,) if market else None, level=level)
            for c in countries
            if c != market
        }
        names = list(vectors)
        matrix = {}
        for a in names:
            for b in names:
                keys = sorted(set(vectors[a]) | set(vectors[b]))
                va, vb = (
                    np.array([vectors[a].get(k, 0.0) for k in keys]),
                    np.array([vectors[b].get(k, 0.0) for k in keys]),
                )
                matrix[(a, b)] = export_similarity(va, vb) if va.sum() and vb.sum() else None
        return {"countries": names, "market": market or "world", "matrix": matrix}

    def supplier_concentration(self, importer: str, year: int, headings: dict[int, str] | None = None) -> list[dict]:
        """For each HS4 heading of the screen: the importer's imports, the HHI over suppliers, the top
        supplier and the Central Asian share of supply."""
        headings = headings or codes.CRITICAL_HEADINGS
        j = self.codes_of((importer,))
        res = self._q(
            f"""SELECT k // 100 AS h, {self.store.merge_sql("i")} AS i, sum(v) AS v
                FROM read_parquet('{self._f(year, "flows")}')
                WHERE j IN (SELECT unnest($j)) AND k // 100 IN (SELECT unnest($h)) GROUP BY 1, 2""",
            {"j": j, "h": list(headings)},
        )
        by_code = {c.code: c.iso3 for c in self.store.countries_list()}
        ca = {code for c in codes.CENTRAL_ASIA for code in self._all_codes.get(c, [])}
        rows = []
        for h, label in headings.items():
            mask = res["h"] == h
            values, suppliers = res["v"][mask], res["i"][mask]
            total = float(values.sum())
            if not total:
                rows.append(
                    {
                        "heading": f"{h:04d}",
                        "label": label,
                        "imports": 0.0,
                        "hhi": None,
                        "suppliers": 0,
                        "top_supplier": None,
                        "top_share": None,
                        "central_asia_share": None,
                    }
                )
                continue
            top = int(np.argmax(values))
            rows.append(
                {
                    "heading": f"{h:04d}",
                    "label": label,
                    "imports": total,
                    "hhi": hhi(values),
                    "suppliers": int(mask.sum()),
                    "top_supplier": by_code.get(int(suppliers[top]), str(suppliers[top])),
                    "top_share": float(values[top] / total),
                    "central_asia_share": float(values[np.isin(suppliers, list(ca))].sum() / total),
                }
            )
        return sorted(rows, key=lambda r: -(r["hhi"] or -1))


def group_of(hs6: int, by: str) -> str:
    if by == "section":
        return codes.section_of_chapter(hs6 // 10000)
    if by == "hs2":
        return f"{hs6 // 10000:02d}"
    if by == "hs4":
        return f"{hs6 // 100:04d}"
    if by == "field":
        return codes.field_of(hs6)
    if by == "hs6":
        return f"{hs6:06d}"
    raise ValueError(f"unknown grouping {by!r}")
