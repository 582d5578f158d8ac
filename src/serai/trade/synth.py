"""Realistic synthetic BACI years, for benchmarks and for bilateral views where no real
world-wide bilateral year is available here. Everything it writes is marked synthetic: the file
version is ``V000000synthetic`` and the loader flags such datasets, and the web pages say so.

The model (documented in the methods): about 220 countries × 5,000 HS6 products. Each country has
a size (lognormal) and a capability; each product a complexity and a market size. A country exports
a product with probability sigmoid(6·(capability − complexity)) — *nested* presence: capable
countries export supersets of what less capable ones export — and sells it to importer j with a
probability rising with j's size, scaled to reach the wanted row count. Values are lognormal
around size_exporter · size_importer^0.8 · market size; quantities follow from a lognormal unit
value. Years share the same structure and drift a little, so trends exist.
"""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import numpy as np

from . import codes

SYNTHETIC_VERSION = "V000000synthetic"
DEFAULT_COUNTRIES = 220
DEFAULT_PRODUCTS = 5000
DEFAULT_ROWS = 9_000_000
WORLD_TOTAL_THOUSAND_USD = 2.0e10  # about 20 trillion USD a year


def _pick_countries(countries: list[codes.Country] | None, n: int) -> list[codes.Country]:
    if not countries:
        return [
            codes.Country(100 + c, f"S{c:02d}" if c >= len(codes.SIX) else codes.SIX[c], f"Synthetic {c}")
            for c in range(n)
        ]
    real = [c for c in countries if len(c.iso3) == 3 and c.iso3.isalpha()]
    six = [c for c in real if c.iso3 in codes.SIX]
    rest = [c for c in real if c.iso3 not in codes.SIX]
    return sorted(six + rest[: max(0, n - len(six))], key=lambda c: c.code)


def _pick_products(products: dict[str, str] | None, n: int) -> np.ndarray:
    if products:
        keys = sorted(int(k) for k in products if int(k) >= 10000)
        step = max(1, len(keys) // n)
        return np.array(keys[::step][:n], dtype=np.int32)
    # Spread synthetic codes over the 96 chapters: chapter, then heading and subheading digits.
    chapters = np.array([c for c in range(1, 98) if c != 77])
    idx = np.arange(n)
    sub = idx // len(chapters)
    return (chapters[idx % len(chapters)] * 10000 + (1 + sub // 10) * 100 + (sub % 10) * 10 + 1).astype(np.int32)


def generate(
    out_dir: Path | str,
    years: list[int] | range = (2020,),
    *,
    countries: list[codes.Country] | None = None,
    products: dict[str, str] | None = None,
    n_countries: int = DEFAULT_COUNTRIES,
    n_products: int = DEFAULT_PRODUCTS,
    rows: int = DEFAULT_ROWS,
    hs: str = "HS17",
    seed: int = 2007,
    progress=None,
) -> list[Path]:
    """Write BACI-format yearly CSV files (and a country dictionary) for ``years`` into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    chosen = _pick_countries(countries, n_countries)
    n_c = len(chosen)
    prods = np.unique(_pick_products(products, n_products))
    n_p = len(prods)
    base = np.random.default_rng(seed)
    size = np.exp(base.normal(0.0, 1.6, n_c))
    capability = base.uniform(0.0, 1.0, n_c)
    iso = [c.iso3 for c in chosen]
    for iso3, cap, sz in [
        ("KOR", 0.93, 60.0),
        ("KAZ", 0.45, 6.0),
        ("UZB", 0.42, 3.5),
        ("TKM", 0.22, 1.5),
        ("KGZ", 0.30, 0.4),
        ("TJK", 0.25, 0.4),
    ]:
        if iso3 in iso:
            capability[iso.index(iso3)], size[iso.index(iso3)] = cap, sz
    complexity = base.uniform(0.0, 1.0, n_p)
    market = np.exp(base.normal(0.0, 1.2, n_p))
    unit_value = np.exp(base.normal(1.0, 1.0, n_p))  # thousand USD per tonne
    growth = base.normal(0.03, 0.03, n_c)
    presence = 1.0 / (1.0 + np.exp(-6.0 * (capability[:, None] - complexity[None, :])))  # n_c × n_p
    weight = size**0.7 / np.mean(size**0.7)
    # Solve for alpha so that the expected row count is ``rows``.
    per_exporter = presence.sum(axis=1)
    lo, hi = 1e-6, 1e3
    for _ in range(60):
        alpha = math.sqrt(lo * hi)
        partners = np.minimum(1.0, alpha * weight)
        expected = float((per_exporter * (partners.sum() - partners)).sum())
        lo, hi = (alpha, hi) if expected < rows else (lo, alpha)
    partners = np.minimum(1.0, alpha * weight)
    codes_arr = np.array([c.code for c in chosen], dtype=np.int32)
    (out / f"country_codes_{SYNTHETIC_VERSION}.csv").write_text(
        "country_code,country_name_abbreviation,country_name_full,iso_2digit_alpha,iso_3digit_alpha\n"
        + "".join(f'{c.code},"{c.name}","{c.name}","{c.iso3[:2]}","{c.iso3}"\n' for c in chosen),
        "utf-8",
    )
    files = []
    for year in years:
        drift = year - min(years)
        sz_t = size * np.exp(growth * drift)
        parts = {"i": [], "j": [], "k": [], "v": [], "q": []}
        for c in range(n_c):
            if progress:
                progress(f"synthetic {year}", c, n_c)
            rng_c = np.random.default_rng([seed, c])  # the same draws every year: structure persists
            u = rng_c.random((n_c, n_p), dtype=np.float32)
            z_base = rng_c.standard_normal((n_c, n_p), dtype=np.float32)
            yearly = np.random.default_rng([seed, c, year])
            threshold = (partners[:, None] * presence[c][None, :] * (1.0 + 0.02 * drift)).astype(np.float32)
            threshold[c, :] = 0.0  # no exports to oneself
            jj, kk = np.nonzero(u < threshold)
            z = 0.9 * z_base[jj, kk] + 0.44 * yearly.standard_normal(len(jj))
            log_v = np.log(sz_t[c]) + 0.8 * np.log(sz_t[jj]) + np.log(market[kk]) + 1.8 * z
            parts["i"].append(np.full(len(jj), codes_arr[c], dtype=np.int16))
            parts["j"].append(codes_arr[jj].astype(np.int16))
            parts["k"].append(prods[kk])
            parts["v"].append(np.exp(log_v))
            parts["q"].append(np.exp(yearly.normal(0.0, 0.6, len(jj))) / unit_value[kk])
        table = {key: np.concatenate(val) for key, val in parts.items()}
        table["v"] *= WORLD_TOTAL_THOUSAND_USD * (1.04**drift) / table["v"].sum()
        table["q"] *= table["v"]
        table["t"] = np.full(len(table["v"]), year, dtype=np.int16)
        path = out / f"BACI_{hs}_Y{year}_{SYNTHETIC_VERSION}.csv"
        con = duckdb.connect()
        con.register("syn", table)
        con.execute(
            f"""COPY (SELECT t, i, j, k, round(v, 3) AS v, printf('%13.3f', q) AS q FROM syn)
               TO '{path}' (HEADER, DELIMITER ',', QUOTE '"', FORCE_QUOTE (q))"""
        )
        con.close()
        files.append(path)
    if progress:
        progress("synthetic done", n_c, n_c)
    return files
