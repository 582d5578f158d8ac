"""``serai trade …``: load, inspect and query the trade store from the shell (no Django needed).

    serai trade load PATH [--countries FILE] [--products FILE] [--max-bad 0.001]
    serai trade status
    serai trade indicators --reporter KOR --partner UZB --year 2020 [--by section|hs2|field]
    serai trade opportunities --from KOR --to UZB --level hs6 --top 50 [--field energy]
    serai trade complexity --year 2020 --level hs4
    serai trade synth OUT_DIR --years 2019 2020 [--rows 9000000]
    serai trade download --release V202501 --hs HS17 [--dest DIR] [--load]
    serai trade demo            (an empty store gets the real HS2 panel and synthetic bilateral years)

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

from serai.core.cells import safe_row  # Django-free, shared with the web exports

from . import codes, complexity, ingest, opportunities, synth
from .download import download
from .errors import TradeError
from .indicators import Analysis, side_of
from .store import TradeStore


def default_store_dir() -> Path:
    if os.environ.get("SERAI_TRADE_DIR"):
        return Path(os.environ["SERAI_TRADE_DIR"])
    var = os.environ.get("SERAI_VAR_DIR") or Path(os.environ.get("SERAI_HOME", ".")) / "var"
    return Path(var) / "trade"


class Bar:
    """A progress bar on stderr (only when it is a terminal)."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr  # the current one, not the one at import time
        self.live = self.stream.isatty()

    def __call__(self, label: str, done: int, total: int) -> None:
        if not self.live:
            return
        frac = done / total if total else 0
        filled = int(30 * frac)
        self.stream.write(f"\r{label[:28]:<28} [{'#' * filled}{'.' * (30 - filled)}] {frac:5.0%}")
        if total and done >= total:
            self.stream.write("\n")
        self.stream.flush()


def emit(rows: list[dict], columns: list[str], fmt: str, output: str | None) -> None:
    if fmt == "xlsx":
        if not output:
            raise TradeError("--format xlsx needs --output FILE")
        from openpyxl import Workbook
        wb = Workbook()
        ws = wb.active
        ws.append(safe_row(columns))
        for row in rows:
            ws.append(safe_row(row.get(c) for c in columns))
        wb.save(output)
        return
    out = open(output, "w", newline="", encoding="utf-8") if output else sys.stdout
    try:
        if fmt == "csv":
            writer = csv.writer(out)
            writer.writerow(safe_row(columns))
            for row in rows:
                writer.writerow(safe_row(row.get(c) for c in columns))
            return
        cells = [[_fmt(row.get(c)) for c in columns] for row in rows]
        widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
        out.write("  ".join(c.ljust(w) for c, w in zip(columns, widths)) + "\n")
        for r in cells:
            out.write("  ".join(v.rjust(w) for v, w in zip(r, widths)) + "\n")
    finally:
        if output:
            out.close()


def _fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.4f}" if abs(value) < 100 else f"{value:,.0f}"
    return str(value)


def _analysis(args) -> Analysis:
    store = TradeStore(args.store)
    dataset = args.dataset or store.default_dataset(bilateral=True)
    if not dataset:
        raise TradeError(f"{store.root}: no bilateral data loaded (serai trade load PATH)")
    return Analysis(store, dataset)


def cmd_load(args) -> int:
    report = ingest.load(args.path, TradeStore(args.store), countries=args.countries, products=args.products,
                         dataset=args.dataset, hs=args.hs, year=args.year, version=args.version,
                         synthetic=args.synthetic, max_bad_fraction=args.max_bad, progress=Bar())
    for y in report.years:
        print(f"{report.dataset} {y.year}: {y.rows_loaded} rows loaded, {y.rows_rejected} rejected "
              f"{y.rejected_by_field or ''} ({y.seconds:.1f} s) from {y.file}")
        for bad in y.bad_rows[:5]:
            print(f"  {bad['file']}:{bad['line']}: {bad['field']}: {bad['error']}")
    print(f"report: {report.report_path}")
    return 0


def cmd_status(args) -> int:
    store = TradeStore(args.store)
    rows = [{"dataset": e.dataset, "year": e.year, "level": e.level, "bilateral": e.bilateral, "synthetic": e.synthetic,
             "version": e.version, "rows_read": e.rows_read, "rows_rejected": e.rows_rejected, "source": e.source}
            for e in store.entries()]
    if not rows:
        print(f"{store.root}: nothing loaded")
        return 0
    emit(rows, list(rows[0]), args.format, args.output)
    return 0


def cmd_indicators(args) -> int:
    a = _analysis(args)
    reporter, partner = side_of(args.reporter), side_of(args.partner)
    if args.by:
        rows = a.tci_by(reporter, partner, args.year, args.by)
        emit(rows, ["group", "reporter_to_partner", "partner_to_reporter"], args.format, args.output)
        return 0
    summary = a.summary(reporter, partner, args.year)
    rows = [{"indicator": k, "value": v} for k, v in summary.items()]
    if a.store.entry(a.dataset, args.year).synthetic:
        print("note: SYNTHETIC data — not real trade figures", file=sys.stderr)
    emit(rows, ["indicator", "value"], args.format, args.output)
    return 0


def cmd_opportunities(args) -> int:
    a = _analysis(args)
    ranking = opportunities.untapped(a, args.exporter, args.market, args.year, level=args.level, top=args.top,
                                     field=args.field)
    columns = opportunities.COLUMNS_HS6 if args.level == "hs6" else opportunities.COLUMNS_ROLLUP
    emit(ranking.rows, columns, args.format, args.output)
    return 0


def cmd_complexity(args) -> int:
    store = TradeStore(args.store)
    dataset = args.dataset or store.default_dataset(bilateral=True) or store.default_dataset(bilateral=False)
    c, p, x = store.export_matrix(dataset, args.year, args.level)
    result = complexity.compute(x, c, p, with_space=args.level != "hs6")
    iso = {cc.code: cc.iso3 for cc in store.countries_list()}
    rows = sorted(({"country": iso.get(int(code), str(code)), "eci": float(e), "diversity": int(d),
                    **({"coi": float(o)} if result.coi is not None else {})}
                   for code, e, d, o in zip(c, result.eci, result.diversity,
                                            result.coi if result.coi is not None else result.eci)),
                  key=lambda r: -r["eci"])
    if args.only:
        rows = [r for r in rows if r["country"] in side_of(args.only)]
    emit(rows, list(rows[0]) if rows else ["country"], args.format, args.output)
    return 0


def cmd_synth(args) -> int:
    countries = codes.read_country_codes(args.countries) if args.countries else None
    products = codes.read_product_codes(args.products) if args.products else None
    files = synth.generate(args.out, args.years, countries=countries, products=products, rows=args.rows,
                           n_countries=args.n_countries, n_products=args.n_products, hs=args.hs, progress=Bar())
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
    shared = args.shared or Path(os.environ.get("SERAI_SHARED_DATA", Path(os.environ.get("SERAI_HOME", ".")).resolve().parent / "shared" / "data"))
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
    path, sha = download(args.release, args.hs, args.dest or TradeStore(args.store).root / "downloads",
                         base_url=args.base_url, progress=Bar())
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
    p = argparse.ArgumentParser(prog="serai trade", description="Trade complementarity engine (CEPII BACI).")
    p.add_argument("--store", type=Path, default=default_store_dir(), help="trade store folder")
    sub = p.add_subparsers(dest="command", required=True)

    def output_options(sp):
        sp.add_argument("--format", choices=["table", "csv", "xlsx"], default="table")
        sp.add_argument("--output", "-o", help="write to this file instead of the terminal")

    sp = sub.add_parser("load", help="load a BACI zip, folder or yearly file, or the exporter × HS2 panel")
    sp.add_argument("path", type=Path)
    sp.add_argument("--countries", type=Path, help="country_codes_V*.csv, when not beside the data")
    sp.add_argument("--products", type=Path, help="product_codes_HS*_V*.csv")
    sp.add_argument("--dataset", help="dataset name (default: the HS edition, e.g. HS17)")
    sp.add_argument("--hs", help="HS edition, for a file not named like BACI's")
    sp.add_argument("--year", type=int, help="load only this year (or: the year of a file not named like BACI's)")
    sp.add_argument("--version", help="BACI version, for a file not named like BACI's")
    sp.add_argument("--synthetic", action="store_true", help="mark the data as synthetic")
    sp.add_argument("--max-bad", type=float, default=ingest.DEFAULT_MAX_BAD_FRACTION,
                    help="refuse the load when more than this fraction of rows is bad (default 0.001)")
    sp.set_defaults(func=cmd_load)

    sp = sub.add_parser("status", help="what the store holds")
    output_options(sp)
    sp.set_defaults(func=cmd_status)

    sp = sub.add_parser("indicators", help="a country pair's (or bloc's) indicators for one year")
    sp.add_argument("--reporter", required=True, help="ISO3, or CA5 for the five Central Asian states")
    sp.add_argument("--partner", required=True)
    sp.add_argument("--year", type=int, required=True)
    sp.add_argument("--by", choices=["section", "hs2", "field"], help="decompose complementarity instead")
    sp.add_argument("--dataset")
    output_options(sp)
    sp.set_defaults(func=cmd_indicators)

    sp = sub.add_parser("opportunities", help="untapped export potential, ranked")
    sp.add_argument("--from", dest="exporter", required=True)
    sp.add_argument("--to", dest="market", required=True)
    sp.add_argument("--year", type=int)
    sp.add_argument("--level", choices=codes.ROLLUPS, default="hs6")
    sp.add_argument("--top", type=int, default=50)
    sp.add_argument("--field", choices=codes.FIELDS)
    sp.add_argument("--dataset")
    output_options(sp)
    sp.set_defaults(func=cmd_opportunities)

    sp = sub.add_parser("complexity", help="ECI (and COI) of every country")
    sp.add_argument("--year", type=int, required=True)
    sp.add_argument("--level", choices=["hs6", "hs4", "hs2"], default="hs4")
    sp.add_argument("--only", help="e.g. KOR+KAZ+UZB, or CA5")
    sp.add_argument("--dataset")
    output_options(sp)
    sp.set_defaults(func=cmd_complexity)

    sp = sub.add_parser("synth", help="write synthetic BACI-format years (marked synthetic)")
    sp.add_argument("out", type=Path)
    sp.add_argument("--years", type=int, nargs="+", default=[2020])
    sp.add_argument("--rows", type=int, default=synth.DEFAULT_ROWS)
    sp.add_argument("--n-countries", type=int, default=synth.DEFAULT_COUNTRIES)
    sp.add_argument("--n-products", type=int, default=synth.DEFAULT_PRODUCTS)
    sp.add_argument("--hs", default="HS17")
    sp.add_argument("--countries", type=Path, help="a BACI country dictionary to take real codes from")
    sp.add_argument("--products", type=Path, help="a BACI product dictionary to take real HS6 codes from")
    sp.set_defaults(func=cmd_synth)

    sp = sub.add_parser("demo", help="fill an empty store: the real HS2 panel and synthetic bilateral years")
    sp.add_argument("--shared", type=Path, help="the shared data folder (default: SERAI_SHARED_DATA or ../shared/data)")
    sp.add_argument("--years", type=int, nargs="+", default=[2018, 2019, 2020])
    sp.add_argument("--rows", type=int, default=1_500_000, help="rows per synthetic year")
    sp.add_argument("--force", action="store_true")
    sp.set_defaults(func=cmd_demo)

    sp = sub.add_parser("download", help="fetch a BACI release from CEPII (needs a network)")
    sp.add_argument("--release", required=True, help="e.g. V202501")
    sp.add_argument("--hs", required=True, help="e.g. HS17")
    sp.add_argument("--dest", type=Path, help="folder (default: <store>/downloads)")
    sp.add_argument("--base-url", help="a mirror's base URL")
    sp.add_argument("--load", action="store_true", help="load it once downloaded")
    sp.set_defaults(func=cmd_download)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "year", None) is None and args.command == "opportunities":
        store = TradeStore(args.store)
        ds = args.dataset or store.default_dataset(bilateral=True)
        years = store.years(ds) if ds else []
        if not years:
            print(f"serai trade: {store.root}: no bilateral data loaded", file=sys.stderr)
            return 2
        args.year = years[-1]
    try:
        return args.func(args)
    except (TradeError, *ingest.READ_ERRORS, duckdb.Error) as exc:
        # One line, whatever the library or DuckDB put in the message (no traceback, no dump).
        text = " ".join(str(exc).split()) or type(exc).__name__
        print(f"serai trade: {text}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
