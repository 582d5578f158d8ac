"""``serai trade …``: load, inspect and query the trade store from the shell (no Django needed).

    serai trade load PATH [--countries FILE] [--products FILE] [--max-bad 0.001]
    serai trade status
    serai trade indicators --reporter KOR --partner UZB --year 2020 [--by section|hs2|field]
    serai trade opportunities --from KOR --to UZB --level hs6 --top 50 [--field energy]
    serai trade complexity --year 2020 [--level hs4] [--only KOR+CA5]
    serai trade similarity --year 2020 [--countries KOR+CA5] [--market RUS]     (Finger–Kreinin)
    serai trade suppliers --year 2020 [--importer KOR] [--headings 2602,2603]   (supplier HHI)
    serai trade bloc --year 2020 [--reporter KOR]          (each of the five, and the five as a bloc)
    serai trade matrix --year 2020 [--partner KOR]         (the cooperation matrix, HS4)
    serai trade synth OUT_DIR --years 2019 2020 [--rows 9000000]
    serai trade download --release V202501 --hs HS17 [--dest DIR] [--load]
    serai trade demo            (an empty store gets the real HS2 panel and synthetic bilateral years)

Real data is used whenever it is loaded; output from synthetic data starts with a SYNTHETIC line
(and says so on stderr). Every ranked table has a rank column, product names beside codes and the
unit of each value column in its title; an unknown code is an error.
Tables print aligned; ``--format csv`` or ``--format xlsx --output FILE`` write exactly those rows
(text that a spreadsheet would run as a formula gets a leading quote, as in the web exports).
The store is ``--store``, else ``SERAI_TRADE_DIR``, else ``$SERAI_VAR_DIR/trade``, else ``./var/trade``.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path

import duckdb

from . import codes, complexity, ingest, opportunities, potential, synth
from .cells import safe_row  # shared with the web exports (serai.core.downloads)
from .download import download
from .errors import Absent, NotLoaded, TradeError, UnknownCountry
from .indicators import Analysis, side_of
from .store import TradeStore


def default_store_dir() -> Path:
    if os.environ.get("SERAI_TRADE_DIR"):
        return Path(os.environ["SERAI_TRADE_DIR"])
    var = os.environ.get("SERAI_VAR_DIR") or Path(os.environ.get("SERAI_HOME", ".")) / "var"
    return Path(var) / "trade"


class Bar:
    """Progress on stderr: ``auto`` draws a bar in place on a terminal and nothing elsewhere (so an
    error stays one line in a log); ``plain`` writes one line per step (per year of a load) for a
    log or a pipe; ``none`` is silent."""

    def __init__(self, stream=None, mode: str = "auto"):
        self.stream = stream or sys.stderr  # the current one, not the one at import time
        self.mode = mode
        self.live = self.stream.isatty() if mode == "auto" else mode == "bar"
        self.last = None

    def __call__(self, label: str, done: int, total: int) -> None:
        frac = done / total if total else 0
        if not self.live:
            if self.mode == "plain" and label != self.last:
                self.last = label
                self.stream.write(f"{label}: {done}/{total} ({frac:.0%})\n")
                self.stream.flush()
            return
        filled = int(30 * frac)
        self.stream.write(f"\r{label[:28]:<28} [{'#' * filled}{'.' * (30 - filled)}] {frac:5.0%}")
        if total and done >= total:
            self.stream.write("\n")
        self.stream.flush()


SYNTHETIC_NOTE = "SYNTHETIC DATA - not real trade figures"


def emit(
    rows: list[dict],
    columns: list[str],
    fmt: str,
    output: str | None,
    *,
    note: str = "",
    headers: dict[str, str] | None = None,
) -> None:
    """Write ``rows`` as a table, CSV or XLSX. ``note`` (the synthetic-data warning) comes first in
    every format; ``headers`` gives a column its printed name (with its unit)."""
    titles = [(headers or {}).get(c, c) for c in columns]
    if fmt == "xlsx":
        if not output:
            raise TradeError("--format xlsx needs --output FILE")
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        if note:
            ws.append(safe_row([note]))
        ws.append(safe_row(titles))
        for row in rows:
            ws.append(safe_row(row.get(c) for c in columns))
        wb.save(output)
        return
    out = open(output, "w", newline="", encoding="utf-8") if output else sys.stdout
    try:
        if fmt == "csv":
            writer = csv.writer(out)
            if note:
                writer.writerow(safe_row([note]))
            writer.writerow(safe_row(titles))
            for row in rows:
                writer.writerow(safe_row(row.get(c) for c in columns))
            return
        if note:
            out.write(f"*** {note} ***\n")
        cells = [[_fmt(row.get(c)) for c in columns] for row in rows]
        widths = [max([len(t), *(len(r[i]) for r in cells)]) for i, t in enumerate(titles)]
        out.write("  ".join(t.ljust(w) for t, w in zip(titles, widths)).rstrip() + "\n")
        for r in cells:
            out.write("  ".join(v.rjust(w) if _numeric(v) else v.ljust(w) for v, w in zip(r, widths)).rstrip() + "\n")
    finally:
        if output:
            out.close()


def _numeric(text: str) -> bool:
    return text.replace(",", "").replace(".", "").replace("-", "").replace("%", "").isdigit()


def _fmt(value) -> str:
    if value is None:
        return "no data"
    if isinstance(value, float):
        return f"{value:,.4f}" if abs(value) < 100 else f"{value:,.0f}"
    return str(value)


# --- datasets, labels, names -------------------------------------------------------------------
def _pick(store: TradeStore, dataset: str | None, *, bilateral: bool | None, year: int | None) -> str:
    """The dataset asked, else the default: real whenever real data of the kind exists."""
    if dataset:
        if dataset not in store.datasets():
            raise NotLoaded(f"no dataset {dataset} in {store.root} (loaded: {', '.join(store.datasets()) or 'none'})")
        return dataset
    chosen = store.default_dataset(bilateral=bilateral, year=year)
    if not chosen:
        kind = "bilateral " if bilateral else ""
        raise NotLoaded(f"{store.root}: no {kind}data loaded{f' for {year}' if year else ''} (serai trade load PATH)")
    return chosen


def _note(store: TradeStore, dataset: str, year: int | None) -> str:
    """The synthetic-data warning for this dataset (empty for real data); also said on stderr."""
    entries = store.datasets().get(dataset, [])
    synthetic = any(e.synthetic for e in entries if year is None or e.year == year)
    if not synthetic:
        return ""
    note = f"{SYNTHETIC_NOTE} (dataset {dataset})"
    print(f"note: {note}", file=sys.stderr)
    return note


def _analysis(args) -> Analysis:
    store = TradeStore(args.store)
    return Analysis(store, _pick(store, args.dataset, bilateral=True, year=getattr(args, "year", None)))


def shared_dir() -> Path:
    return Path(
        os.environ.get(
            "SERAI_SHARED_DATA", Path(os.environ.get("SERAI_HOME", ".")).resolve().parent / "shared" / "data"
        )
    )


_EDITION_YEAR = {"HS92": "1992", "HS17": "2017", "HS22": "2022"}


def product_names(store: TradeStore, dataset: str, year: int, level: str) -> dict[str, str]:
    """English names of codes at ``level`` (hs6, hs4, hs2, section): the product dictionary loaded
    with the data first, then the HS nomenclature of the dataset's edition in the shared data."""
    folder = shared_dir() / "hs"
    names: dict[str, str] = {}
    try:
        if level == "section":
            return codes.read_hs_names(folder / "hs_sections.csv") if (folder / "hs_sections.csv").exists() else {}
        edition = store.entry(dataset, year).classification.upper()
        nomenclature = folder / "concordance" / f"hs{_EDITION_YEAR.get(edition, '2017')}_descriptions.csv"
        if nomenclature.exists():
            digits = {"hs6": 6, "hs4": 4, "hs2": 2}.get(level, 0)
            names = {c: n for c, n in codes.read_hs_names(nomenclature).items() if len(c) == digits and c.isdigit()}
    except TradeError:
        names = {}
    if level == "hs6":
        names.update({c: n for c, n in store.product_names().items() if n})
    return names


def _ranked(rows: list[dict]) -> list[dict]:
    return [{"rank": n, **row} for n, row in enumerate(rows, start=1)]


# Units of the value columns, shown in the column titles.
UNITS = {
    "exports": "thousand USD",
    "imports": "thousand USD",
    "balance": "thousand USD",
    "turnover": "thousand USD",
    "demand": "thousand USD",
    "potential": "thousand USD",
    "actual": "thousand USD",
    "untapped": "thousand USD",
    "realised": "thousand USD",
    "expected": "thousand USD",
    "supply": "thousand USD",
    "expected_pair": "thousand USD",
    "distance_km": "km",
    "supply_trend": "annual growth, capped",
    "demand_trend": "annual growth, capped",
    "new": "flag: not sold to this market in the base years",
    "new_products": "count",
    "export_share": "share 0-1",
    "import_share": "share 0-1",
    "supply_share": "share 0-1",
    "top_share": "share 0-1",
    "central_asia_share": "share 0-1",
    "tci_reporter_to_partner": "index 0-100",
    "tci_partner_to_reporter": "index 0-100",
    "reporter_to_partner": "TCI points 0-100",
    "partner_to_reporter": "TCI points 0-100",
    "similarity": "index 0-100",
    "intensity_reporter_to_partner": "ratio, 1 = expected",
    "intensity_partner_to_reporter": "ratio, 1 = expected",
    "ease": "ratio, 1 = expected",
    "grubel_lloyd": "index 0-1",
    "specialisation": "index -1 to 1",
    "hhi": "index 0-1",
    "rca": "ratio, 1 = world average",
    "partner_rca": "ratio, 1 = world average",
    "eci": "standard deviations",
    "coi": "standard deviations",
    "pci": "standard deviations",
    "diversity": "products with RCA >= 1",
    "products": "count",
    "suppliers": "count",
    "reporter_exports_world": "thousand USD",
    "reporter_imports_world": "thousand USD",
    "partner_exports_world": "thousand USD",
    "partner_imports_world": "thousand USD",
}


def _headers(columns: list[str]) -> dict[str, str]:
    out = {}
    for c in columns:
        unit = UNITS.get(c) or (UNITS.get(c.split(":")[0]) if ":" in c else None)
        if c.startswith("density:"):
            unit = "density 0-1"
        out[c] = f"{c} ({unit})" if unit else c
    return out


def _country_names(store: TradeStore) -> dict[str, str]:
    return {c.iso3: c.name for c in sorted(store.countries_list(), key=lambda c: -c.code)}  # the label code's name wins


# --- commands ------------------------------------------------------------------------------------
def cmd_load(args) -> int:
    report = ingest.load(
        args.path,
        TradeStore(args.store),
        countries=args.countries,
        products=args.products,
        dataset=args.dataset,
        hs=args.hs,
        year=args.year,
        version=args.version,
        synthetic=args.synthetic,
        max_bad_fraction=args.max_bad,
        progress=Bar(mode=getattr(args, "progress", "auto")),
    )
    for y in report.years:
        print(
            f"{report.dataset} {y.year}: {y.rows_loaded} rows loaded, {y.rows_rejected} rejected "
            f"{y.rejected_by_field or ''} ({y.seconds:.1f} s) from {y.file}"
        )
        for bad in y.bad_rows[:5]:
            print(f"  {bad['file']}:{bad['line']}: {bad['field']}: {bad['error']}")
    if len(report.years) > 1:
        total = sum(y.seconds for y in report.years)
        print(
            f"{len(report.years)} years, {report.rows_loaded} rows in {total:.1f} s "
            f"({total / len(report.years):.1f} s a year)"
        )
    print(f"report: {report.report_path}")
    return 0


def cmd_status(args) -> int:
    store = TradeStore(args.store)
    rows = [
        {
            "dataset": e.dataset,
            "year": e.year,
            "level": e.level,
            "bilateral": e.bilateral,
            "synthetic": "SYNTHETIC" if e.synthetic else "real",
            "version": e.version,
            "rows_read": e.rows_read,
            "rows_rejected": e.rows_rejected,
            "source": e.source,
        }
        for e in store.entries()
    ]
    if not rows:
        print(f"{store.root}: nothing loaded")
        return 0
    emit(rows, list(rows[0]), args.format, args.output)
    return 0


def _pair(a: Analysis, reporter: str, partner: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    r, p = side_of(reporter), side_of(partner)
    if set(r) & set(p):
        raise TradeError(f"--reporter and --partner must differ ({reporter.upper()} and {partner.upper()})")
    a.codes_of(r), a.codes_of(p)  # an unknown code is an error here, not an empty table
    return r, p


def cmd_indicators(args) -> int:
    a = _analysis(args)
    reporter, partner = _pair(a, args.reporter, args.partner)
    note = _note(a.store, a.dataset, args.year)
    if args.by:
        a.require_present(reporter, args.year)
        a.require_present(partner, args.year)
        rows = a.tci_by(reporter, partner, args.year, args.by)
        names = product_names(a.store, a.dataset, args.year, args.by) if args.by != "field" else {}
        rows = _ranked(
            [
                r | {"name": names.get(r["group"], "")}
                for r in sorted(rows, key=lambda r: -(r["reporter_to_partner"] + r["partner_to_reporter"]))
            ]
        )
        columns = ["rank", "group", "name", "reporter_to_partner", "partner_to_reporter"]
        emit(rows, columns, args.format, args.output, note=note, headers=_headers(columns))
        return 0
    summary = a.summary(reporter, partner, args.year)
    rows = [{"indicator": k, "value": v, "unit": UNITS.get(k, "")} for k, v in summary.items()]
    emit(rows, ["indicator", "value", "unit"], args.format, args.output, note=note)
    return 0


def cmd_opportunities(args) -> int:
    a = _analysis(args)
    exporter, market = _pair(a, args.exporter, args.market)
    if len(exporter) != 1 or len(market) != 1:
        raise TradeError("--from and --to take one country each (an ISO3 code such as KOR)")
    note = _note(a.store, a.dataset, args.year)
    ranking = opportunities.untapped(
        a, exporter[0], market[0], args.year, level=args.level, top=args.top, field=args.field
    )
    lib_columns = opportunities.COLUMNS_HS6 if args.level == "hs6" else opportunities.COLUMNS_ROLLUP
    names = product_names(a.store, a.dataset, args.year, args.level) if args.level != "field" else {}
    rows = _ranked([row | {"product": names.get(str(row.get("code")), "")} for row in ranking.rows])
    columns = ["rank", "code", "product", *[c for c in lib_columns if c != "code"]]
    emit(rows, columns, args.format, args.output, note=note, headers=_headers(columns))
    return 0


def atlas_path(given: Path | None = None) -> Path:
    """The world-atlas geometry for distances: --atlas, else SERAI_WORLD_ATLAS, else the shared data's."""
    if given:
        return Path(given)
    if os.environ.get("SERAI_WORLD_ATLAS"):
        return Path(os.environ["SERAI_WORLD_ATLAS"])
    vendored = Path(os.environ.get("SERAI_VAR_DIR", "var")) / "vendor" / "world-atlas" / "countries-50m.json"
    return vendored if vendored.exists() else shared_dir() / "geo" / "world-atlas_countries-50m.topo.json"


def cmd_potential(args) -> int:
    a = _analysis(args)
    exporter, market = _pair(a, args.exporter, args.market)
    if len(exporter) != 1 or len(market) != 1:
        raise TradeError("--from and --to take one country each (an ISO3 code such as KOR)")
    note = _note(a.store, a.dataset, args.year)
    res = potential.potential(
        a,
        exporter[0],
        market[0],
        args.year,
        atlas_path(args.atlas),
        level=args.level,
        top=args.top,
        field=args.field,
        only_new=args.only_new,
        base_years=args.base_years,
    )
    print(
        f"{res.exporter} → {res.market}, {res.year}: ease {res.ease:.3f} = gravity expectation "
        f"{res.expected_pair:,.0f} / neutral {res.neutral_pair:,.0f} thousand USD (bounded "
        f"{potential.EASE_MIN}-{potential.EASE_MAX}); distance {res.distance_km:,.0f} km; actual pair trade "
        f"{res.actual_pair:,.0f}; distance elasticity {res.gravity['beta']:.3f} (PPML, {res.gravity['pairs']:,} pairs); "
        f"realised {res.total_realised:,.0f}, untapped {res.total_untapped:,.0f} thousand USD",
        file=sys.stderr,
    )
    lib_columns = potential.COLUMNS_HS6 if args.level == "hs6" else potential.COLUMNS_ROLLUP
    names = product_names(a.store, a.dataset, args.year, args.level) if args.level != "field" else {}
    rows = _ranked([row | {"product": names.get(str(row.get("code")), "")} for row in res.rows])
    columns = ["rank", "code", "product", *[c for c in lib_columns if c != "code"]]
    emit(rows, columns, args.format, args.output, note=note, headers=_headers(columns))
    return 0


def cmd_complexity(args) -> int:
    store = TradeStore(args.store)
    dataset = _pick(store, args.dataset, bilateral=None, year=args.year)
    entry = store.entry(dataset, args.year)
    level = args.level or ("hs4" if entry.level == "hs6" else entry.level)
    note = _note(store, dataset, args.year)
    known = store.country_codes()
    only = side_of(args.only) if args.only else ()
    unknown = [iso for iso in only if iso not in known]
    if unknown:
        raise UnknownCountry(f"unknown country code {', '.join(unknown)}: not in the store's country dictionary")
    c, p, x = store.export_matrix(dataset, args.year, level)
    result = complexity.compute(x, c, p, with_space=level != "hs6")
    iso = {code: iso3 for iso3, code in known.items()}
    names = _country_names(store)
    rows = sorted(
        (
            {
                "country": iso.get(int(code), str(code)),
                "name": names.get(iso.get(int(code), ""), ""),
                "eci": float(e),
                "diversity": int(d),
                **({"coi": float(result.coi[n])} if result.coi is not None else {}),
            }
            for n, (code, e, d) in enumerate(zip(c, result.eci, result.diversity))
        ),
        key=lambda r: -r["eci"],
    )
    rows = _ranked(rows)
    columns = ["rank", "country", "name", "eci", "diversity", *(["coi"] if result.coi is not None else [])]
    if only:
        present = {r["country"] for r in rows}
        rows = [r for r in rows if r["country"] in only] + [
            {
                "rank": None,
                "country": c_,
                "name": names.get(c_, ""),
                "eci": None,
                "diversity": None,
                "note": f"absent from {dataset} {args.year}",
            }
            for c_ in only
            if c_ not in present
        ]
        if any("note" in r for r in rows):
            columns.append("note")
    emit(rows, columns, args.format, args.output, note=note, headers=_headers(columns))
    return 0


def cmd_similarity(args) -> int:
    a = _analysis(args)
    countries = side_of(args.countries)
    market = args.market.upper() if args.market else None
    a.codes_of(countries + ((market,) if market else ()))
    if len([c for c in countries if c != market]) < 2:
        raise TradeError("--countries needs at least two countries other than --market")
    note = _note(a.store, a.dataset, args.year)
    sim = a.similarity(countries, args.year, market=market, level=args.level)
    names = sim["countries"]
    pairs = [
        {"country_a": x, "country_b": y, "market": sim["market"], "similarity": sim["matrix"][(x, y)]}
        for n, x in enumerate(names)
        for y in names[n + 1 :]
    ]
    pairs.sort(key=lambda r: -(r["similarity"] if r["similarity"] is not None else -1))
    columns = ["rank", "country_a", "country_b", "market", "similarity"]
    emit(_ranked(pairs), columns, args.format, args.output, note=note, headers=_headers(columns))
    return 0


def cmd_suppliers(args) -> int:
    a = _analysis(args)
    importer = side_of(args.importer)
    if len(importer) != 1:
        raise TradeError("--importer takes one country (an ISO3 code such as KOR)")
    a.codes_of(importer)
    headings = None
    if args.headings:
        names = product_names(a.store, a.dataset, args.year, "hs4")
        headings = {}
        for h in args.headings.split(","):
            h = h.strip()
            if not (h.isdigit() and len(h) == 4) or (names and h not in names):
                raise TradeError(f"--headings: {h!r} is not an HS4 heading")
            headings[int(h)] = codes.CRITICAL_HEADINGS.get(int(h)) or names.get(h, "")
    note = _note(a.store, a.dataset, args.year)
    a.require_present(importer, args.year)
    rows = _ranked(
        [r | {"product": r.pop("label")} for r in a.supplier_concentration(importer[0], args.year, headings)]
    )
    columns = [
        "rank",
        "heading",
        "product",
        "imports",
        "hhi",
        "suppliers",
        "top_supplier",
        "top_share",
        "central_asia_share",
    ]
    emit(rows, columns, args.format, args.output, note=note, headers=_headers(columns))
    return 0


def cmd_bloc(args) -> int:
    a = _analysis(args)
    reporter = side_of(args.reporter)
    if set(reporter) & set(codes.CENTRAL_ASIA):
        raise TradeError("--reporter must be outside the bloc (the five Central Asian states)")
    a.codes_of(reporter)
    note = _note(a.store, a.dataset, args.year)
    rows = []
    known = a.store.country_codes()
    members = tuple(c for c in codes.CENTRAL_ASIA if c in known)
    for partner in (*((c,) for c in codes.CENTRAL_ASIA), members):
        label = "CA5" if len(partner) != 1 or partner == members else partner[0]
        if not partner or any(c not in known for c in partner):
            rows.append({"partner": label, "note": "not in the store's country dictionary: no data"})
            continue
        try:
            s = a.summary(reporter, partner, args.year)
        except Absent as exc:
            rows.append({"partner": label, "note": str(exc)})
            continue
        if label == "CA5" and members != codes.CENTRAL_ASIA:
            s["note"] = f"the bloc here is {'+'.join(members)} (the others have no data)"
        rows.append(
            {
                "partner": label,
                **{
                    k: s[k]
                    for k in (
                        "exports",
                        "imports",
                        "balance",
                        "turnover",
                        "tci_reporter_to_partner",
                        "tci_partner_to_reporter",
                        "intensity_reporter_to_partner",
                    )
                },
                **({"note": s["note"]} if "note" in s else {}),
            }
        )
    members = sorted((r for r in rows if r["partner"] != "CA5"), key=lambda r: -(r.get("turnover") or -1))
    rows = _ranked(members) + [{"rank": "bloc", **next(r for r in rows if r["partner"] == "CA5")}]
    columns = [
        "rank",
        "partner",
        "exports",
        "imports",
        "balance",
        "turnover",
        "tci_reporter_to_partner",
        "tci_partner_to_reporter",
        "intensity_reporter_to_partner",
    ]
    if any("note" in r for r in rows):
        columns.append("note")
    emit(rows, columns, args.format, args.output, note=note, headers=_headers(columns))
    return 0


def cmd_matrix(args) -> int:
    a = _analysis(args)
    partner = args.partner.upper()
    a.codes_of((partner,))
    if partner in codes.CENTRAL_ASIA:
        raise TradeError("--partner must be outside the bloc (the five Central Asian states)")
    note = _note(a.store, a.dataset, args.year)
    a.require_present((partner,), args.year)
    result = opportunities.cooperation_matrix(a, args.year, partner=partner, limit=args.top)
    names = product_names(a.store, a.dataset, args.year, "hs4")
    countries = result["countries"]
    rows = _ranked(
        [
            {
                "code": r["code"],
                "product": names.get(r["code"], ""),
                "partner_rca": r["partner_rca"],
                "pci": r["pci"],
                "high_density_in": "+".join(r["high"]),
                **{f"density:{c}": r["density"].get(c) for c in countries},
            }
            for r in result["rows"]
        ]
    )
    columns = ["rank", "code", "product", "partner_rca", "pci", "high_density_in", *[f"density:{c}" for c in countries]]
    emit(rows, columns, args.format, args.output, note=note, headers=_headers(columns))
    return 0


def cmd_synth(args) -> int:
    countries = codes.read_country_codes(args.countries) if args.countries else None
    products = codes.read_product_codes(args.products) if args.products else None
    files = synth.generate(
        args.out,
        args.years,
        countries=countries,
        products=products,
        rows=args.rows,
        n_countries=args.n_countries,
        n_products=args.n_products,
        hs=args.hs,
        progress=Bar(),
    )
    for f in files:
        print(f)
    return 0


def cmd_demo(args) -> int:
    """Fill an empty store for a demonstration: the real exporter × HS2 panel and the real BACI
    dictionaries when ``shared/data`` is there, and synthetic bilateral years (marked synthetic)."""
    store = TradeStore(args.store)
    if store.entries() and not args.force:
        print(f"{store.root}: already holds data; nothing done (--force to add the demo data anyway)")
        return 0
    shared = args.shared or Path(
        os.environ.get(
            "SERAI_SHARED_DATA", Path(os.environ.get("SERAI_HOME", ".")).resolve().parent / "shared" / "data"
        )
    )
    panel = shared / "trade" / "baci_hs92_exporter_hs2_2011_2020.csv.gz"
    dictionary = shared / "trade" / "baci_country_codes_V202201.csv"
    products = shared / "hs" / "baci_product_codes_HS17_V202301.csv"
    if panel.exists():
        report = ingest.load(panel, store, progress=Bar())
        print(f"real panel: {report.message}")
    else:
        print(f"no real panel at {panel}: skipped")
    countries = codes.read_country_codes(dictionary) if dictionary.exists() else None
    names = codes.read_product_codes(products) if products.exists() else None
    staging = store.root / "synthetic-source"
    synth.generate(staging, args.years, countries=countries, products=names, rows=args.rows, progress=Bar())
    report = ingest.load(staging, store, progress=Bar())
    for f in staging.iterdir():
        f.unlink()
    staging.rmdir()
    print(f"synthetic bilateral years {args.years}: {report.message} (shown as synthetic everywhere)")
    return 0


def cmd_download(args) -> int:
    path, sha = download(
        args.release,
        args.hs,
        args.dest or TradeStore(args.store).root / "downloads",
        base_url=args.base_url,
        progress=Bar(),
    )
    print(f"{path}  sha256 {sha}")
    if args.load:
        args.path = path
        for name in ("countries", "products", "dataset", "year", "version"):
            setattr(args, name, None)
        args.synthetic, args.max_bad = False, ingest.DEFAULT_MAX_BAD_FRACTION
        args.hs = None
        return cmd_load(args)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="serai trade",
        description="Trade complementarity engine (CEPII BACI). "
        "Values are thousand current USD; indices say their range in the column title. "
        "Real data is used whenever it is loaded; synthetic output says SYNTHETIC.",
    )
    p.add_argument(
        "--store",
        type=Path,
        default=default_store_dir(),
        help="trade store folder (default: SERAI_TRADE_DIR, else $SERAI_VAR_DIR/trade, else ./var/trade)",
    )
    sub = p.add_subparsers(dest="command", required=True)

    def output_options(sp):
        sp.add_argument(
            "--format",
            choices=["table", "csv", "xlsx"],
            default="table",
            help="an aligned table on the terminal (default), CSV, or XLSX (needs --output)",
        )
        sp.add_argument("--output", "-o", help="write to this file instead of the terminal")

    def data_options(sp, *, year_required=False):
        sp.add_argument(
            "--year",
            type=int,
            required=year_required,
            help="the year" + ("" if year_required else " (default: the newest loaded)"),
        )
        sp.add_argument(
            "--dataset",
            help="a loaded dataset (serai trade status); default: real data when any is "
            "loaded, synthetic only when nothing real is",
        )

    country = "an ISO3 code such as KOR; CA5 for the five Central Asian states; join several with +"

    sp = sub.add_parser(
        "load",
        help="load a BACI zip (every year of a release, with a progress line per year), "
        "folder or yearly file, or the exporter × HS2 panel",
    )
    sp.add_argument(
        "path", type=Path, help="BACI_HSxx_Vyyyyyy.zip, a folder, one BACI_HSxx_Yyyyy_V*.csv(.gz) or the panel"
    )
    sp.add_argument("--countries", type=Path, help="country_codes_V*.csv, when not beside the data")
    sp.add_argument("--products", type=Path, help="product_codes_HS*_V*.csv, when not beside the data")
    sp.add_argument("--dataset", help="dataset name (default: the HS edition, e.g. HS17)")
    sp.add_argument("--hs", help="HS edition, for a file not named like BACI's")
    sp.add_argument("--year", type=int, help="load only this year (or: the year of a file not named like BACI's)")
    sp.add_argument("--version", help="BACI version, for a file not named like BACI's")
    sp.add_argument("--synthetic", action="store_true", help="mark the data as synthetic")
    sp.add_argument(
        "--max-bad",
        type=float,
        default=ingest.DEFAULT_MAX_BAD_FRACTION,
        help="refuse the load when more than this fraction of rows is bad (default 0.001)",
    )
    sp.add_argument(
        "--progress",
        choices=["auto", "bar", "plain", "none"],
        default="auto",
        help="progress on stderr: a bar on a terminal (auto, the default), always a bar, "
        "one line per year (plain, for logs), or none",
    )
    sp.set_defaults(func=cmd_load)

    sp = sub.add_parser("status", help="what the store holds (real or SYNTHETIC, by dataset and year)")
    output_options(sp)
    sp.set_defaults(func=cmd_status)

    sp = sub.add_parser("indicators", help="a country pair's (or bloc's) indicators for one year")
    sp.add_argument("--reporter", required=True, help=f"the reporting side: {country}")
    sp.add_argument("--partner", required=True, help=f"the partner side, not the reporter: {country}")
    sp.add_argument(
        "--by", choices=["section", "hs2", "field"], help="decompose complementarity by this grouping instead"
    )
    data_options(sp, year_required=True)
    output_options(sp)
    sp.set_defaults(func=cmd_indicators)

    sp = sub.add_parser(
        "opportunities",
        help="untapped export potential, ranked: the legacy score "
        "(supply × demand × the pair's trade intensity; 0 where a pair does "
        "not trade); see 'potential' for the gravity-based method",
    )
    sp.add_argument("--from", dest="exporter", required=True, help="the exporter (one ISO3 code)")
    sp.add_argument("--to", dest="market", required=True, help="the market (one ISO3 code, not the exporter)")
    sp.add_argument("--level", choices=codes.ROLLUPS, default="hs6", help="product level or grouping (default hs6)")
    sp.add_argument("--top", type=int, default=50, help="rows to show (default 50)")
    sp.add_argument("--field", choices=codes.FIELDS, help="only the products of this cooperation field")
    data_options(sp)
    output_options(sp)
    sp.set_defaults(func=cmd_opportunities)

    sp = sub.add_parser(
        "potential",
        help="export potential on ITC's structure: supply share and trend × projected "
        "demand × a gravity ease (PPML), realised and untapped, new-market flag",
    )
    sp.add_argument("--from", dest="exporter", required=True, help="the exporter (one ISO3 code)")
    sp.add_argument("--to", dest="market", required=True, help="the market (one ISO3 code, not the exporter)")
    sp.add_argument("--level", choices=codes.ROLLUPS, default="hs6", help="product level or grouping (default hs6)")
    sp.add_argument("--top", type=int, default=50, help="rows to show (default 50; 0 for all)")
    sp.add_argument("--field", choices=codes.FIELDS, help="only the products of this cooperation field")
    sp.add_argument("--only-new", action="store_true", help="only products not yet exported to this market")
    sp.add_argument(
        "--base-years",
        type=int,
        default=potential.BASE_YEARS,
        help=f"years ending with --year for the trends and the new-market flag (default {potential.BASE_YEARS})",
    )
    sp.add_argument(
        "--atlas",
        type=Path,
        help="world-atlas TopoJSON for distances (default: SERAI_WORLD_ATLAS, else the shared data's countries-50m)",
    )
    data_options(sp)
    output_options(sp)
    sp.set_defaults(func=cmd_potential)

    sp = sub.add_parser("complexity", help="ECI (and COI) of every country, ranked")
    sp.add_argument(
        "--level",
        choices=["hs6", "hs4", "hs2"],
        help="product level (default: hs4 for HS6 data, else the level the data is held at)",
    )
    sp.add_argument("--only", help=f"only these countries ({country}); an absent one is listed as absent")
    data_options(sp, year_required=True)
    output_options(sp)
    sp.set_defaults(func=cmd_complexity)

    sp = sub.add_parser(
        "similarity", help="Finger–Kreinin export similarity of each pair, in the world or a third market"
    )
    sp.add_argument(
        "--countries", default="+".join(codes.SIX), help=f"the countries compared ({country}; default the six)"
    )
    sp.add_argument("--market", help="compare exports to this market (one ISO3 code) instead of to the world")
    sp.add_argument("--level", choices=["hs6", "hs4", "hs2"], default="hs6", help="product level (default hs6)")
    data_options(sp)
    output_options(sp)
    sp.set_defaults(func=cmd_similarity)

    sp = sub.add_parser("suppliers", help="supplier concentration (HHI) of an importer's critical imports")
    sp.add_argument("--importer", default=codes.KOREA, help="the importer (one ISO3 code; default KOR)")
    sp.add_argument(
        "--headings", help="HS4 headings, comma-separated (default: the critical minerals and energy screen)"
    )
    data_options(sp)
    output_options(sp)
    sp.set_defaults(func=cmd_suppliers)

    sp = sub.add_parser("bloc", help="a country's trade with each Central Asian state and with the five as a bloc")
    sp.add_argument("--reporter", default=codes.KOREA, help="the country outside the bloc (ISO3; default KOR)")
    data_options(sp)
    output_options(sp)
    sp.set_defaults(func=cmd_bloc)

    sp = sub.add_parser(
        "matrix",
        help="the cooperation matrix: HS4 products where the partner is strong and a Central Asian state is close",
    )
    sp.add_argument("--partner", default=codes.KOREA, help="the partner outside the bloc (ISO3; default KOR)")
    sp.add_argument("--top", type=int, default=100, help="rows to show (default 100)")
    data_options(sp)
    output_options(sp)
    sp.set_defaults(func=cmd_matrix)

    sp = sub.add_parser("synth", help="write synthetic BACI-format years (marked synthetic)")
    sp.add_argument("out", type=Path, help="folder to write the yearly CSV files and the dictionary into")
    sp.add_argument("--years", type=int, nargs="+", default=[2020], help="years to generate (default 2020)")
    sp.add_argument("--rows", type=int, default=synth.DEFAULT_ROWS, help="rows per year (default 9,000,000)")
    sp.add_argument("--n-countries", type=int, default=synth.DEFAULT_COUNTRIES, help="countries (default 220)")
    sp.add_argument("--n-products", type=int, default=synth.DEFAULT_PRODUCTS, help="HS6 products (default 5,000)")
    sp.add_argument("--hs", default="HS17", help="HS edition written in the file names (default HS17)")
    sp.add_argument("--countries", type=Path, help="a BACI country dictionary to take real codes from")
    sp.add_argument("--products", type=Path, help="a BACI product dictionary to take real HS6 codes from")
    sp.set_defaults(func=cmd_synth)

    sp = sub.add_parser("demo", help="fill an empty store: the real HS2 panel and synthetic bilateral years")
    sp.add_argument("--shared", type=Path, help="the shared data folder (default: SERAI_SHARED_DATA or ../shared/data)")
    sp.add_argument(
        "--years", type=int, nargs="+", default=[2018, 2019, 2020], help="synthetic years (default 2018–2020)"
    )
    sp.add_argument("--rows", type=int, default=1_500_000, help="rows per synthetic year")
    sp.add_argument("--force", action="store_true", help="add the demo data even when the store holds data")
    sp.set_defaults(func=cmd_demo)

    sp = sub.add_parser("download", help="fetch a BACI release from CEPII (needs a network)")
    sp.add_argument("--release", required=True, help="e.g. V202501")
    sp.add_argument("--hs", required=True, help="e.g. HS17")
    sp.add_argument("--dest", type=Path, help="folder (default: <store>/downloads)")
    sp.add_argument("--base-url", help="a mirror's base URL")
    sp.add_argument("--load", action="store_true", help="load it once downloaded")
    sp.set_defaults(func=cmd_download)
    return p


NEEDS_BILATERAL_YEAR = {"opportunities", "potential", "similarity", "suppliers", "bloc", "matrix"}


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if getattr(args, "year", None) is None and args.command in NEEDS_BILATERAL_YEAR:
            store = TradeStore(args.store)
            ds = _pick(store, args.dataset, bilateral=True, year=None)
            args.dataset, args.year = ds, store.years(ds)[-1]
        return args.func(args)
    except (TradeError, ValueError, *ingest.READ_ERRORS, duckdb.Error) as exc:
        # One line, whatever the library or DuckDB put in the message (no traceback, no dump).
        text = " ".join(str(exc).split()) or type(exc).__name__
        print(f"serai trade: {text}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
