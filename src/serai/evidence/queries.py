"""Reads for the trade evidence pages: the web layer's only door into ``serai.trade``.

Trade statistics are public, so every visitor may read them; results are cached per dataset load
(a new load gets a new load id, so the cache never serves figures from replaced data).

A loaded year whose stored values are not all finite (``inf`` or ``NaN``, which the loader now
refuses but an older store may hold) is left out as if it were not loaded: every page shows
"no data" for it rather than meaningless figures or an error.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from serai.trade import codes, opportunities, potential
from serai.trade.complexity import compute
from serai.trade.errors import Absent, Degenerate, NotLoaded, TradeError
from serai.trade.indicators import SUMMARY_KEYS, Analysis, side_of
from serai.trade.store import Entry, TradeStore

PARTNERS = ("KAZ", "KGZ", "TJK", "TKM", "UZB", "CA5")
LEVELS = codes.ROLLUPS
PANEL = "HS92-X2"
ISO_NUMERIC = {"KOR": "410", "KAZ": "398", "KGZ": "417", "TJK": "762", "TKM": "795", "UZB": "860"}


def store() -> TradeStore:
    return TradeStore(Path(settings.SERAI_TRADE_DIR))


@dataclass
class Context:
    store: TradeStore
    dataset: str
    year: int
    years: list[int]
    synthetic: bool
    version: str
    source: str

    @property
    def key(self) -> str:
        return self.store.entry(self.dataset, self.year).path


_FINITE: dict[tuple, bool] = {}


def finite(s: TradeStore, entry: Entry) -> bool:
    """Whether every value stored for a loaded year is a finite number (checked once per load,
    and again when its files change)."""
    paths = sorted((s.root / entry.path).glob("*.parquet"))
    try:
        key = tuple((str(p), p.stat().st_mtime_ns) for p in paths)
    except OSError:
        return False
    if key not in _FINITE:
        try:
            con = s.connect()
            try:
                bad = sum(
                    con.execute(f"SELECT count(*) FROM read_parquet('{p}') WHERE NOT isfinite(v)").fetchone()[0]
                    for p in paths
                )
            finally:
                con.close()
        except (duckdb.Error, OSError):  # an unreadable file is no data either
            bad = 1
        _FINITE[key] = not bad
    return _FINITE[key]


def context(dataset: str | None = None, year: int | None = None) -> Context | None:
    """The bilateral dataset and year a page shows: as asked if loaded, else the default. Years
    whose stored values are not all finite are left out."""
    s = store()
    datasets = {}
    for name, entries in s.datasets().items():
        usable = [e for e in entries if e.bilateral and finite(s, e)]
        if usable:
            datasets[name] = usable
    if not datasets:
        return None
    # The default as TradeStore.default_dataset chooses it (real before synthetic, then the newest year).
    default = max(
        (e for entries in datasets.values() for e in entries), key=lambda e: (not e.synthetic, e.year)
    ).dataset
    name = dataset if dataset in datasets else default
    years = [e.year for e in datasets[name]]
    chosen = year if year in years else years[-1]
    entry = s.entry(name, chosen)
    return Context(s, name, chosen, years, entry.synthetic, entry.version, entry.source)


def covers(ctx: Context, partner: str) -> bool:
    """Whether the loaded country dictionary knows Korea and ``partner`` (all five for CA5): a
    store without them has no data for the pair."""
    known = ctx.store.country_codes()
    return all(iso in known for iso in ("KOR", *side_of(partner)))


def present(ctx: Context, partner: str) -> bool:
    """Whether Korea and ``partner`` (for CA5: any of the five) have trade recorded in the year: a
    country absent from a year's data is "no data" on the pages, never a row of zeros."""

    def build():
        a = Analysis(ctx.store, ctx.dataset)
        try:
            a.require_present(("KOR",), ctx.year)
            a.require_present(side_of(partner), ctx.year)
        except Absent:
            return False
        return True

    return _cached(("present", ctx.key, partner), build)


def _cached(key_parts: tuple, fn):
    key = "trade:" + hashlib.sha256(json.dumps(key_parts, default=str).encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = fn()
        cache.set(key, value, 3600)
    return value


def overview(ctx: Context) -> dict:
    """Korea's trade and complementarity with each Central Asian state (for the map and table)."""

    def build():
        a = Analysis(ctx.store, ctx.dataset)
        rows = []
        for iso in codes.CENTRAL_ASIA:
            try:
                rows.append(a.summary(("KOR",), (iso,), ctx.year) | {"iso3": iso})
            except Absent as exc:  # in the dictionary, no trade that year: a row of "no data", not zeros
                rows.append(dict.fromkeys(SUMMARY_KEYS) | {"iso3": iso, "year": ctx.year, "absent": str(exc)})
            except NotLoaded:
                continue
        return rows

    return _cached(("overview", ctx.key), build)


def pair(ctx: Context, partner: str) -> dict:
    side = side_of(partner)

    def build():
        a = Analysis(ctx.store, ctx.dataset)
        return {
            "summary": a.summary(("KOR",), side, ctx.year),
            "trend": a.trend(("KOR",), side, ctx.years),
            "by_section": a.tci_by(("KOR",), side, ctx.year, "section"),
            "by_field": a.tci_by(("KOR",), side, ctx.year, "field"),
        }

    return _cached(("pair", ctx.key, ctx.years, side), build)


def ranking(ctx: Context, exporter: str, market: str, *, level: str, field: str | None, top: int):
    def build():
        return opportunities.untapped(
            Analysis(ctx.store, ctx.dataset), exporter, market, ctx.year, level=level, field=field or None, top=top
        )

    return _cached(("rank", ctx.key, exporter, market, level, field, top), build)


def export_potential(ctx: Context, exporter: str, market: str, *, level: str, field: str | None, top: int) -> dict:
    """The gravity-based export potential (serai.trade.potential) for the pair page: {"result": ...}
    or {"error": one line} when the score is undefined ("no data", never a 500 or zeros)."""

    def build():
        try:
            res = potential.potential(
                Analysis(ctx.store, ctx.dataset),
                exporter,
                market,
                ctx.year,
                settings.SERAI_WORLD_ATLAS,
                level=level,
                field=field or None,
                top=top,
            )
        except TradeError as exc:
            return {"error": " ".join(str(exc).split())}
        return {"result": res}

    return _cached(("potential", ctx.key, exporter, market, level, field, top, str(settings.SERAI_WORLD_ATLAS)), build)


SIMILARITY_MARKETS = ("RUS", "CHN", "TUR", "DEU", "USA", "IND", "JPN")


def bloc(ctx: Context, market: str | None = None) -> dict:
    """The cooperation matrix, export similarity of the six (world, or a third market) and
    Korea's supplier screen."""
    market = market if market in SIMILARITY_MARKETS else None

    def build():
        a = Analysis(ctx.store, ctx.dataset)
        try:
            similarity = _nested(a.similarity(codes.SIX, ctx.year, market=market))
        except NotLoaded:
            similarity = _nested(a.similarity(codes.SIX, ctx.year))
        try:
            matrix = opportunities.cooperation_matrix(a, ctx.year)
        except Degenerate as exc:  # complexity undefined for this year's data: "no data", not a 500
            matrix = {"countries": list(codes.CENTRAL_ASIA), "rows": [], "no_data": str(exc)}
        return {
            "matrix": matrix,
            "similarity": similarity,
            "screen": a.supplier_concentration("KOR", ctx.year),
            "markets": SIMILARITY_MARKETS,
        }

    return _cached(("bloc", ctx.key, market), build)


def _nested(similarity: dict) -> dict:
    matrix: dict[str, dict[str, float | None]] = {}
    for (a, b), value in similarity["matrix"].items():
        matrix.setdefault(a, {})[b] = value
    return similarity | {"matrix": matrix}


def complexity_trend() -> dict | None:
    """ECI of the six, year by year, from the real exporter × HS2 panel (when loaded)."""
    s = store()
    years = [y for y in s.years(PANEL) if finite(s, s.entry(PANEL, y))]
    if not years:
        return None

    def build():
        series = {iso: [] for iso in codes.SIX}
        for year in years:
            c, p, x = s.export_matrix(PANEL, year, "hs2")
            result = compute(x, c, p, with_space=False)
            by_code = dict(zip(c.tolist(), result.eci.tolist()))
            iso_codes = s.country_codes()
            for iso in codes.SIX:
                series[iso].append(by_code.get(iso_codes.get(iso)))
        return {"years": years, "series": series, "products": "HS2"}

    return _cached(("eci", [s.entry(PANEL, y).path for y in years]), build)


def evidence_snapshot(ctx: Context, exporter: str, market: str, level: str, code: str) -> dict:
    """The stored snapshot a proposal carries: the row's inputs and score, recomputed here."""
    rank = opportunities.untapped(Analysis(ctx.store, ctx.dataset), exporter, market, ctx.year, level=level, top=None)
    row = next((r for r in rank.rows if r["code"] == code), None)
    if row is None:
        raise TradeError(f"no opportunity {code} for {exporter} → {market} in {ctx.year}")
    return {
        "kind": "untapped-potential",
        "exporter": exporter,
        "market": market,
        "year": ctx.year,
        "level": level,
        "code": code,
        "row": row,
        "ease": rank.ease,
        "dataset": ctx.dataset,
        "version": ctx.version,
        "source": ctx.source,
        "synthetic": ctx.synthetic,
        "unit": "thousand USD",
        "method": "docs/methods.md#untapped",
    }


# --- product names ---------------------------------------------------------------------------
# The HS names Serai has are English (the nomenclature files in the shared data: UN Comtrade's
# descriptions for HS 1992, 2017 and 2022, the 21 sections; and the product dictionary loaded with
# a BACI release). Pages mark them lang="en" where the page is in another language.
NAMES_LANGUAGE = "en"
HS_EDITION_YEARS = {"HS92": "1992", "HS17": "2017", "HS22": "2022"}
_DIGITS = {"hs6": 6, "hs4": 4, "hs2": 2}


def hs_names_dir() -> Path:
    return Path(getattr(settings, "SERAI_HS_NAMES", None) or Path(settings.SERAI_SHARED_DATA) / "hs")


@lru_cache(maxsize=16)
def _names_file(path: str, mtime: float) -> dict[str, str]:
    return codes.read_hs_names(path)


def _read_names(path: Path) -> dict[str, str]:
    try:
        return _names_file(str(path), path.stat().st_mtime)
    except (OSError, TradeError):  # no such file, or not a names file: codes stay bare
        return {}


def product_names(ctx: Context, level: str) -> dict[str, str]:
    """English names of the codes a table shows at ``level`` (hs6, hs4, hs2 or section), from the
    nomenclature of the loaded dataset's HS edition; at HS6 the product dictionary loaded with the
    data comes first. A code without a name is left out (the page shows the code alone)."""
    if level not in (*_DIGITS, "section"):
        return {}

    def build():
        folder = hs_names_dir()
        if level == "section":
            return _read_names(folder / "hs_sections.csv")
        edition = ctx.store.entry(ctx.dataset, ctx.year).classification.upper()
        year = HS_EDITION_YEARS.get(edition)
        if year is None and level == "hs2":
            year = "2017"  # chapters have kept their names since 1992; a closer edition is not needed
        digits = _DIGITS[level]
        names = {}
        if year:
            names = {
                c: n
                for c, n in _read_names(folder / "concordance" / f"hs{year}_descriptions.csv").items()
                if len(c) == digits and c.isdigit()
            }
        if level == "hs6":
            names.update({c: n for c, n in ctx.store.product_names().items() if n})
        return names

    return _cached(("names", ctx.key, level), build)


LEVEL_LABELS = {
    "hs6": _("HS6 product"),
    "hs4": _("HS4 heading"),
    "hs2": _("HS2 chapter"),
    "section": _("HS section"),
    "field": _("Cooperation field"),
}
