"""Load CEPII BACI as it ships (zip, folder or single yearly file) into the trade store.

Each yearly file is read by DuckDB with typed columns; rows DuckDB cannot parse (wrong column
count, a non-numeric value) come back with their line, and a second pass in SQL finds rows that
parse but are wrong (a year other than the file's, an unknown country, a code that is not HS6, a
missing, negative or non-finite value — ``inf``, ``Infinity``, ``NaN``, ``1e309`` — or quantity, a
duplicate flow). Bad rows are left out and counted; when they exceed
``max_bad_fraction`` of the rows read the whole load is refused. Either way a JSON report names
the file, line, field and error of each bad row (the first ``SAMPLE`` of them) and is written to
the store's ``reports/``. All years of one load are published together by one rename of the
catalog, so a refused or interrupted load leaves nothing half-loaded behind.
"""

from __future__ import annotations

import bisect
import datetime as dt
import gzip
import hashlib
import io
import json
import re
import shutil
import tempfile
import time
import uuid
import zipfile
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import numpy as np

from . import codes
from .errors import TooManyBadRows, TradeError, TradeInputError
from .store import Entry, TradeStore

YEAR_FILE = re.compile(r"BACI_(HS\d\d)_Y(\d{4})_(V\d{6}\w*?)\.csv(\.gz)?$", re.I)
COUNTRY_FILE = re.compile(r"country_codes_(V\d{6}\w*?)\.csv$", re.I)
PRODUCT_FILE = re.compile(r"product_codes_(HS\d\d)_(V\d{6}\w*?)\.csv$", re.I)
BACI_COLUMNS = ["t", "i", "j", "k", "v", "q"]
PANEL_COLUMNS = {"t", "i", "i_iso3c", "k", "v"}
SAMPLE = 100
DEFAULT_MAX_BAD_FRACTION = 0.001
# flows.parquet: snappy, not zstd: writing a 9-million-row year costs about half the CPU (1.3 against
# 2.7 CPU-s on this machine) and reading it back about the same; the file is a third larger (111 MB
# against 84 MB). The small exporter/importer × product sums stay zstd.
FLOWS_PARQUET = "FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 1048576"

Progress = Callable[[str, int, int], None]
# What reading a damaged file raises: a corrupt or truncated gzip stream (BadGzipFile is an
# OSError; zlib.error and EOFError are not), a damaged zip, or a file gone or unreadable.
READ_ERRORS = (OSError, EOFError, zlib.error, zipfile.BadZipFile)


@dataclass
class YearReport:
    file: str
    year: int
    sha256: str = ""
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rejected_by_field: dict = field(default_factory=dict)
    bad_rows: list = field(default_factory=list)
    seconds: float = 0.0
    sorted: bool = True  # the file's rows came sorted by (i, j, k), as BACI ships them


@dataclass
class LoadReport:
    source: str
    dataset: str
    status: str = "running"  # loaded | refused | failed
    message: str = ""
    started: str = ""
    finished: str = ""
    max_bad_fraction: float = DEFAULT_MAX_BAD_FRACTION
    years: list[YearReport] = field(default_factory=list)
    report_path: str = ""

    @property
    def rows_loaded(self) -> int:
        return sum(y.rows_loaded for y in self.years)

    @property
    def rows_rejected(self) -> int:
        return sum(y.rows_rejected for y in self.years)


@dataclass
class YearFile:
    name: str
    open_path: Callable[[Path], Path]  # materialises the file (zip members are extracted to staging)
    hs: str
    year: int
    version: str


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _one_line(exc: BaseException) -> tuple[int | None, str]:
    """The line (when the message gives one) and the first line of an error's message: DuckDB's
    errors run to twenty lines of reader options."""
    text = str(exc).strip()
    found = re.search(r"\bon line:? (\d+)", text, re.I)  # DuckDB: "CSV Error on Line: 12"
    first = text.splitlines()[0].strip() if text else type(exc).__name__
    first = re.sub(r"^(IO|Invalid Input|Conversion|Parser|Binder) Error: ", "", first)
    if isinstance(exc, (EOFError, zlib.error, gzip.BadGzipFile)) or "gzip" in first.lower():
        first = f"damaged or truncated compressed data ({first})"
    elif isinstance(exc, zipfile.BadZipFile):
        first = f"not a readable zip file ({first})"
    elif "csv" in first.lower() or "sniff" in first.lower():
        first = f"not a readable CSV file ({first})"
    return (int(found.group(1)) if found else None), first[:300]


def _unreadable(path: Path | str, exc: BaseException) -> TradeInputError:
    line, message = _one_line(exc)
    return TradeInputError(path, line, None, message)


def _open_text(path: Path) -> io.TextIOBase:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", errors="replace", newline="")
    return open(path, encoding="utf-8", errors="replace", newline="")


def _header(path: Path) -> list[str]:
    try:
        with _open_text(path) as fh:
            first = fh.readline()
    except READ_ERRORS as exc:
        raise _unreadable(path, exc) from exc
    return [c.strip().strip('"').lstrip("\ufeff") for c in first.strip().split(",")]


# --- finding the files --------------------------------------------------------------------------
def discover(
    path: Path, *, hs: str | None = None, year: int | None = None, version: str | None = None
) -> tuple[list[YearFile], Callable[[Path], Path] | None, Callable[[Path], Path] | None, str]:
    """Yearly files, the country dictionary and the product dictionary in a zip, a folder or a file."""
    path = Path(path)
    if not path.exists():
        raise TradeInputError(path, None, None, "no such file or folder")
    if path.is_file() and zipfile.is_zipfile(path):
        archive = zipfile.ZipFile(path)
        names = archive.namelist()

        def member(name: str) -> Callable[[Path], Path]:
            def extract(staging: Path) -> Path:
                target = staging / Path(name).name
                if not target.exists():
                    with archive.open(name) as src, open(target, "wb") as dst:
                        shutil.copyfileobj(src, dst, 1 << 20)
                return target

            return extract

        candidates = [(n, member(n)) for n in names if not n.endswith("/")]
    elif path.is_dir():
        candidates = [(p.name, (lambda staging, p=p: p)) for p in sorted(path.iterdir()) if p.is_file()]
    else:
        candidates = [(path.name, (lambda staging, p=path: p))]
        for p in sorted(path.parent.iterdir()):
            if p != path and (COUNTRY_FILE.search(p.name) or PRODUCT_FILE.search(p.name)):
                candidates.append((p.name, (lambda staging, p=p: p)))
    years: list[YearFile] = []
    countries = products = None
    found_version = ""
    for name, opener in candidates:
        base = Path(name).name
        if m := YEAR_FILE.search(base):
            years.append(YearFile(name, opener, m.group(1).upper(), int(m.group(2)), m.group(3)))
        elif m := COUNTRY_FILE.search(base):
            countries, found_version = opener, found_version or m.group(1)
        elif PRODUCT_FILE.search(base):
            products = opener
    if not years and path.is_file() and not zipfile.is_zipfile(path):
        if year is None or hs is None:
            raise TradeInputError(
                path,
                None,
                None,
                "the file name is not BACI's (BACI_HSxx_Yyyyy_Vzzzzzz.csv): give the year and the HS edition",
            )
        years.append(YearFile(path.name, lambda staging, p=path: p, hs.upper(), int(year), version or ""))
    if year is not None:
        years = [y for y in years if y.year == int(year)]
    if not years:
        raise TradeInputError(path, None, None, "no BACI yearly file (BACI_HSxx_Yyyyy_Vzzzzzz.csv) found")
    return sorted(years, key=lambda y: y.year), countries, products, found_version


# --- one yearly file ----------------------------------------------------------------------------
def _read_year(
    con: duckdb.DuckDBPyConnection, csv: Path, yf: YearFile, known: list[int], report: YearReport, where: Path | str
) -> None:
    """``where`` names the file in errors (the path, or the archive and member for a zip)."""
    try:
        _read_year_checked(con, csv, yf, known, report)
    except TradeInputError as exc:
        if exc.path == str(csv) and str(where) != str(csv):
            raise TradeInputError(where, exc.line, exc.field, exc.message) from exc
        raise
    except (duckdb.Error, *READ_ERRORS) as exc:
        raise _unreadable(where, exc) from exc


def _read_year_checked(
    con: duckdb.DuckDBPyConnection, csv: Path, yf: YearFile, known: list[int], report: YearReport
) -> None:
    header = _header(csv)
    if header != BACI_COLUMNS:
        raise TradeInputError(csv, 1, "header", f"expected columns {','.join(BACI_COLUMNS)}, found {','.join(header)}")
    con.execute("CREATE OR REPLACE TEMP TABLE known AS SELECT unnest($codes)::INTEGER AS code", {"codes": known})
    con.execute(
        """CREATE OR REPLACE TEMP TABLE raw AS SELECT *, try_cast(nullif(nullif(trim(q), ''), 'NA') AS DOUBLE) AS qd
           FROM read_csv($path, header=true, auto_detect=false,
           delim=',', quote='"', escape='"', nullstr='', store_rejects=true,
           columns={'t': 'INTEGER', 'i': 'INTEGER', 'j': 'INTEGER', 'k': 'INTEGER', 'v': 'DOUBLE', 'q': 'VARCHAR'})""",
        {"path": str(csv)},
    )
    # Rows the CSV reader refused: one per line, first error of the line.
    rejected = con.execute(
        """SELECT line, arg_min(column_name, column_idx), arg_min(error_type, column_idx),
                  arg_min(error_message, column_idx), any_value(csv_line)
           FROM reject_errors GROUP BY line ORDER BY line"""
    ).fetchall()
    # Rows that parse but are wrong. First one scan that counts them and a check that the rows come
    # sorted by (i, j, k) with no key twice, which BACI's files are: a clean file (the usual case)
    # skips the row-by-row search and the duplicate grouping below.
    any_bad, unknown, unsorted = con.execute(
        f"""SELECT (SELECT count(*) FILTER (WHERE {_ROW_IS_BAD}) FROM raw),
                   (SELECT count(*) FROM (SELECT i FROM raw GROUP BY i) WHERE i NOT IN (SELECT code FROM known))
                   + (SELECT count(*) FROM (SELECT j FROM raw GROUP BY j) WHERE j NOT IN (SELECT code FROM known)),
                   (SELECT count(*) FROM (SELECT (i::BIGINT * 1000 + j) * 1000000 + k AS key,
                                                 lag(key) OVER (ORDER BY rowid) AS prev FROM raw) WHERE key <= prev)""",
        {"year": yf.year},
    ).fetchone()
    report.sorted = not unsorted
    if not any_bad and not unknown and not unsorted:
        con.execute("CREATE OR REPLACE TEMP TABLE problems (rid BIGINT, field VARCHAR, error VARCHAR)")
        con.execute("CREATE OR REPLACE TEMP VIEW good AS SELECT * FROM raw")
    else:
        _find_problems(con, yf)
    _report_rows(con, csv, yf, report, rejected)


# A row that parses but is wrong, as _find_problems' CASE tests it, except the country codes (checked
# on the distinct codes: a few hundred, not nine million lookups); qd is q parsed once, on reading.
_ROW_IS_BAD = """(t IS DISTINCT FROM $year OR i IS NULL OR j IS NULL OR k IS NULL OR k < 10000 OR k > 999999
    OR v IS NULL OR v < 0 OR NOT isfinite(v)
    OR NOT isfinite(qd) OR (qd IS NULL AND q IS NOT NULL AND trim(q) NOT IN ('', 'NA')))"""


def _find_problems(con: duckdb.DuckDBPyConnection, yf: YearFile) -> None:
    """Each wrong row with its field and error (the slow path, for files that have any)."""
    con.execute(
        """CREATE OR REPLACE TEMP TABLE problems AS
           WITH dups AS (SELECT i, j, k, min(rowid) AS first FROM raw GROUP BY i, j, k HAVING count(*) > 1)
           SELECT rid, field, error FROM (
             SELECT r.rowid AS rid, CASE
               WHEN r.t IS DISTINCT FROM $year THEN 't'
               WHEN r.i IS NULL OR r.i NOT IN (SELECT code FROM known) THEN 'i'
               WHEN r.j IS NULL OR r.j NOT IN (SELECT code FROM known) THEN 'j'
               WHEN r.k IS NULL OR r.k < 10000 OR r.k > 999999 THEN 'k'
               WHEN r.v IS NULL OR r.v < 0 OR NOT isfinite(r.v) THEN 'v'
               WHEN nullif(nullif(trim(r.q), ''), 'NA') IS NOT NULL
                    AND NOT coalesce(isfinite(try_cast(trim(r.q) AS DOUBLE)), false) THEN 'q'
               WHEN d.first IS NOT NULL AND r.rowid <> d.first THEN 'dup'
             END AS field,
             CASE
               WHEN r.t IS DISTINCT FROM $year THEN 'year ' || coalesce(r.t::VARCHAR, 'missing') || ' in a file for ' || $year
               WHEN r.i IS NULL OR r.i NOT IN (SELECT code FROM known) THEN 'unknown exporter code ' || coalesce(r.i::VARCHAR, 'missing')
               WHEN r.j IS NULL OR r.j NOT IN (SELECT code FROM known) THEN 'unknown importer code ' || coalesce(r.j::VARCHAR, 'missing')
               WHEN r.k IS NULL OR r.k < 10000 OR r.k > 999999 THEN 'not an HS6 code: ' || coalesce(r.k::VARCHAR, 'missing')
               WHEN r.v IS NULL OR r.v < 0 OR NOT isfinite(r.v) THEN 'value missing, negative or not finite'
               WHEN nullif(nullif(trim(r.q), ''), 'NA') IS NOT NULL
                    AND NOT coalesce(isfinite(try_cast(trim(r.q) AS DOUBLE)), false)
                 THEN 'quantity ' || trim(r.q) || ' is not a finite number'
               WHEN d.first IS NOT NULL AND r.rowid <> d.first THEN 'duplicate of an earlier row for the same i, j, k'
             END AS error
             FROM raw r LEFT JOIN dups d USING (i, j, k)
           ) WHERE field IS NOT NULL""",
        {"year": yf.year},
    )
    con.execute("CREATE OR REPLACE TEMP VIEW good AS SELECT * FROM raw WHERE rowid NOT IN (SELECT rid FROM problems)")


def _report_rows(
    con: duckdb.DuckDBPyConnection, csv: Path, yf: YearFile, report: YearReport, rejected: list[tuple]
) -> None:
    problems = con.execute("SELECT rid, field, error FROM problems ORDER BY rid").fetchall()
    n_raw = con.execute("SELECT count(*) FROM raw").fetchone()[0]
    report.rows_read = n_raw + len(rejected)
    report.rows_rejected = len(rejected) + len(problems)
    report.rows_loaded = n_raw - len(problems)
    by_field: dict[str, int] = {}
    for _, col, kind, *_ in rejected:
        key = "columns" if "COLUMNS" in (kind or "") else (col or "?")
        by_field[key] = by_field.get(key, 0) + 1
    for _, col, _ in problems:
        key = "k" if col == "dup" else col
        by_field[key] = by_field.get(key, 0) + 1
    report.rejected_by_field = by_field
    sample = [
        {
            "file": str(yf.name),
            "line": int(line),
            "field": "columns" if "COLUMNS" in (kind or "") else col,
            "error": " ".join((msg or "").split())[:200],
            "text": (text or "")[:200],
        }
        for line, col, kind, msg, text in rejected[:SAMPLE]
    ]
    if problems and len(sample) < SAMPLE:
        wanted = [rid for rid, _, _ in problems[: SAMPLE - len(sample)]]
        located = _locate_rows(csv, wanted, [r[0] for r in rejected])
        for rid, col, msg in problems[: len(wanted)]:
            line, text = located.get(rid, (None, ""))
            sample.append(
                {
                    "file": str(yf.name),
                    "line": line,
                    "field": "k" if col == "dup" else col,
                    "error": msg,
                    "text": text[:200],
                }
            )
    report.bad_rows = sorted(sample, key=lambda s: s["line"] or 0)


def _locate_rows(csv: Path, rowids: list[int], rejected_lines: list[int]) -> dict[int, tuple[int, str]]:
    """Physical line numbers of the given parsed-row positions (rowid counts the data rows the
    reader kept: not the header, blank lines or the lines it refused)."""
    wanted = sorted(set(rowids))
    rejected = set(rejected_lines)
    out: dict[int, tuple[int, str]] = {}
    rid = -1
    with _open_text(csv) as fh:
        for line_no, text in enumerate(fh, start=1):
            if line_no == 1 or line_no in rejected or not text.strip():
                continue
            rid += 1
            pos = bisect.bisect_left(wanted, rid)
            if pos < len(wanted) and wanted[pos] == rid:
                out[rid] = (line_no, text.rstrip("\r\n"))
                if len(out) == len(wanted):
                    break
    return out


def _write_year(con: duckdb.DuckDBPyConnection, target: Path, *, presorted: bool = True) -> None:
    """flows (sorted by i, j, k, so that Parquet's row-group statistics skip what a query by
    exporter does not need: BACI's files come sorted and are not sorted again), and the exporter ×
    product and importer × product sums, aggregated from the rows in memory, not read back."""
    target.mkdir(parents=True)
    flows = target / "flows.parquet"
    order = "" if presorted else " ORDER BY i, j, k"
    con.execute(
        f"""COPY (SELECT i::SMALLINT AS i, j::SMALLINT AS j, k::INTEGER AS k, v, qd AS q FROM good{order})
           TO '{flows}' ({FLOWS_PARQUET})"""
    )
    _write_sums(con, target, "good")


def _write_sums(con: duckdb.DuckDBPyConnection, target: Path, source: str) -> None:
    """The exporter × product and importer × product sums of ``source`` (a table or a Parquet scan)."""
    con.execute(
        f"""COPY (SELECT i::SMALLINT AS i, k::INTEGER AS k, sum(v) AS v FROM {source} GROUP BY i, k ORDER BY i, k)
           TO '{target / "exports.parquet"}' (FORMAT parquet, COMPRESSION zstd)"""
    )
    con.execute(
        f"""COPY (SELECT j::SMALLINT AS j, k::INTEGER AS k, sum(v) AS v FROM {source} GROUP BY j, k ORDER BY j, k)
           TO '{target / "imports.parquet"}' (FORMAT parquet, COMPRESSION zstd)"""
    )


def _one_pass(
    con: duckdb.DuckDBPyConnection, csv: Path, yf: YearFile, known: list[int], report: YearReport, target: Path
) -> bool:
    """Write flows.parquet straight from the CSV (streamed: no table in memory) when every row is
    good, and say whether it did. A row that fails a row check stops the copy (``error()`` in the
    query); rows the reader refuses are in ``reject_errors``; unknown country codes and a file not
    strictly sorted by (i, j, k) (out of order, or a key twice) are found on the written columns.
    False means "not shown clean": the caller reads the year again with the checking path, which
    names each bad row. Nothing is written to ``report`` unless the file is clean."""
    try:
        if _header(csv) != BACI_COLUMNS:
            return False
    except TradeInputError:
        return False
    target.mkdir(parents=True)
    flows = target / "flows.parquet"
    try:
        n = con.execute(
            f"""COPY (SELECT i::SMALLINT AS i, j::SMALLINT AS j, k::INTEGER AS k, v, qd AS q FROM (
                  SELECT *, try_cast(q AS DOUBLE) AS qd  -- the cast ignores the padding; 'NA' gives NULL
                  FROM read_csv($path, header=true, auto_detect=false,
                  delim=',', quote='"', escape='"', nullstr='', store_rejects=true,
                  columns={{'t': 'INTEGER', 'i': 'INTEGER', 'j': 'INTEGER', 'k': 'INTEGER', 'v': 'DOUBLE', 'q': 'VARCHAR'}}))
                WHERE CASE WHEN {_ROW_IS_BAD} THEN error('bad row') ELSE true END)
               TO '{flows}' ({FLOWS_PARQUET})""",
            {"path": str(csv), "year": yf.year},
        ).fetchone()[0]
        if con.execute("SELECT count(*) FROM reject_errors").fetchone()[0]:
            return False
        cols = con.execute(f"SELECT i, j, k FROM read_parquet('{flows}')").fetchnumpy()
    except (duckdb.Error, *READ_ERRORS):
        return False
    i, j, k = (np.asarray(cols[c]) for c in ("i", "j", "k"))
    if len(i) != n:
        return False
    known_mask = np.zeros(1 << 16, dtype=bool)
    known_mask[np.asarray([c for c in known if -(1 << 15) <= c < (1 << 15)], dtype=np.int64) + (1 << 15)] = True
    if n and not (
        known_mask[i.astype(np.int64) + (1 << 15)].all() and known_mask[j.astype(np.int64) + (1 << 15)].all()
    ):
        return False
    key = ((i.astype(np.int64) + (1 << 15)) * (1 << 16) + j.astype(np.int64) + (1 << 15)) * 1_000_000 + k  # k < 10**6
    if n > 1 and not bool((key[1:] > key[:-1]).all()):
        return False
    report.rows_read = report.rows_loaded = int(n)
    report.rows_rejected, report.rejected_by_field, report.bad_rows, report.sorted = 0, {}, [], True
    return True


# --- the load -----------------------------------------------------------------------------------
def load(
    path: Path | str,
    store: TradeStore,
    *,
    countries: Path | str | None = None,
    products: Path | str | None = None,
    dataset: str | None = None,
    hs: str | None = None,
    year: int | None = None,
    version: str | None = None,
    synthetic: bool = False,
    max_bad_fraction: float = DEFAULT_MAX_BAD_FRACTION,
    progress: Progress | None = None,
) -> LoadReport:
    """Load BACI yearly files into ``store``. Returns the report (also written to ``reports/``);
    raises TooManyBadRows or TradeInputError after writing the report when the load is refused."""
    path = Path(path)
    if not (isinstance(max_bad_fraction, (int, float)) and 0 <= max_bad_fraction <= 1):
        raise TradeError(f"max_bad_fraction must be a fraction between 0 and 1, not {max_bad_fraction!r}")
    if _is_panel(path):
        return load_panel(path, store, dataset=dataset, progress=progress)
    years, country_opener, product_opener, dict_version = discover(path, hs=hs, year=year, version=version)
    hs_edition = years[0].hs
    synthetic = synthetic or any("synthetic" in y.version.lower() for y in years)
    dataset = dataset or (f"SYN-{hs_edition}" if synthetic else hs_edition)
    report = LoadReport(source=str(path), dataset=dataset, started=_now(), max_bad_fraction=max_bad_fraction)
    with _transaction(store, report, path) as (staging, published), ThreadPoolExecutor(1) as hasher:
        if countries:
            country_list = codes.read_country_codes(countries)
        elif country_opener:
            country_list = codes.read_country_codes(country_opener(staging))
        elif store.countries_list():
            country_list = store.countries_list()
        else:
            raise TradeInputError(
                path,
                None,
                "country_codes",
                "no country dictionary (country_codes_V*.csv) beside the data, in the store, or given",
            )
        product_names = (
            codes.read_product_codes(products or product_opener(staging)) if (products or product_opener) else {}
        )
        known = [c.code for c in country_list]
        entries = []
        for n, yf in enumerate(years, start=1):
            if progress:
                progress(f"{dataset} {yf.year}", n - 1, len(years))
            started = time.perf_counter()
            csv = yf.open_path(staging)
            yr = YearReport(file=yf.name, year=yf.year)
            report.years.append(yr)
            con = duckdb.connect()
            where = csv if csv.name == yf.name and staging not in csv.parents else f"{path}:{yf.name}"
            checksum = hasher.submit(sha256_file, csv)  # in a thread, while DuckDB reads (hashlib frees the GIL)
            rel = _load_dir(dataset, yf.year)
            target = staging / "out" / rel
            try:
                # One pass for a clean, sorted file (BACI's): CSV straight to flows.parquet, checked
                # after. Any doubt and the year is read again by the checking path, which finds and
                # reports each bad row.
                one_pass = _one_pass(con, csv, yf, known, yr, target)
                if not one_pass:
                    shutil.rmtree(target, ignore_errors=True)
                    con.close()  # a fresh connection: its reject_errors holds only the second reading's
                    con = duckdb.connect()
                    _read_year(con, csv, yf, known, yr, where)
                yr.sha256 = checksum.result()
                if yr.rows_read == 0:
                    raise TradeInputError(csv, 2, None, "the file has no data rows")
                if yr.rows_rejected > max_bad_fraction * yr.rows_read:
                    raise TooManyBadRows(yf.name, yr.rows_rejected, yr.rows_read, max_bad_fraction, yr.bad_rows)
                if one_pass:
                    _write_sums(con, target, f"read_parquet('{target / 'flows.parquet'}')")
                else:
                    _write_year(con, target, presorted=yr.sorted)
            finally:
                con.close()
                checksum.cancel()
            yr.seconds = round(time.perf_counter() - started, 3)
            entries.append(
                Entry(
                    dataset=dataset,
                    year=yf.year,
                    path=str(rel),
                    source=f"{path.name}:{yf.name}" if path.name != yf.name else yf.name,
                    sha256=yr.sha256,
                    version=yf.version or dict_version,
                    classification=yf.hs,
                    level="hs6",
                    bilateral=True,
                    synthetic=synthetic,
                    rows_read=yr.rows_read,
                    rows_rejected=yr.rows_rejected,
                    loaded_at=_now(),
                )
            )
        _publish(store, staging, entries, published, countries=country_list, products=product_names)
        report.status = "loaded"
        report.message = f"{report.rows_loaded} rows loaded, {report.rows_rejected} rejected"
        if progress:
            progress(f"{dataset} done", len(years), len(years))
    return report


def _load_dir(dataset: str, year: int) -> Path:
    """Each load of a year gets a directory of its own; the catalog points at the current one."""
    return Path(dataset) / str(year) / uuid.uuid4().hex[:12]


@contextmanager
def _transaction(store: TradeStore, report: LoadReport, path: Path):
    """A staging folder for the load; on failure everything published is taken back and the
    report says why; the report is written either way."""
    store.root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=store.root, prefix=".staging-"))
    published: list[Path] = []
    try:
        yield staging, published
    except TooManyBadRows as exc:
        report.status, report.message = "refused", str(exc)
        _undo(published)
        raise
    except (TradeError, duckdb.Error, *READ_ERRORS) as exc:
        report.status, report.message = "failed", str(exc)
        _undo(published)
        if isinstance(exc, TradeError):
            raise
        raise _unreadable(path, exc) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        report.finished = _now()
        _write_report(store, report)


def _publish(store: TradeStore, staging: Path, entries: list[Entry], published: list[Path], **dictionaries) -> None:
    """Move the staged load directories into place, then commit the catalog (the one atomic step)."""
    for e in entries:
        final = store.root / e.path
        final.parent.mkdir(parents=True, exist_ok=True)
        (staging / "out" / e.path).rename(final)
        published.append(final)
    store.commit(entries, **dictionaries)


def _undo(published: list[Path]) -> None:
    for p in published:
        shutil.rmtree(p, ignore_errors=True)


def _write_report(store: TradeStore, report: LoadReport) -> None:
    folder = store.root / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    target = folder / f"{stamp}-{report.dataset}-{report.status}-{uuid.uuid4().hex[:6]}.json"
    report.report_path = str(target)
    data = asdict(report) | {"rows_loaded": report.rows_loaded, "rows_rejected": report.rows_rejected}
    target.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")


# --- the exporter × HS2 panel -------------------------------------------------------------------
def _is_panel(path: Path) -> bool:
    if not path.is_file() or zipfile.is_zipfile(path) or YEAR_FILE.search(path.name):
        return False
    try:
        return PANEL_COLUMNS <= set(_header(path)) and "j" not in _header(path)
    except (OSError, UnicodeDecodeError):
        return False


def load_panel(
    path: Path | str, store: TradeStore, *, dataset: str | None = None, progress: Progress | None = None
) -> LoadReport:
    """Load an exporter × HS2 × year panel (t, i, i_iso3c, i_name, k, v in million USD, …): the
    real world-wide panel used for RCA and complexity. Values are stored in thousand USD."""
    path = Path(path)
    dataset = dataset or "HS92-X2"
    report = LoadReport(source=str(path), dataset=dataset, started=_now(), max_bad_fraction=0.0)
    with _transaction(store, report, path) as (staging, published):
        sha = sha256_file(path)
        con = duckdb.connect()
        try:
            con.execute(
                """CREATE TEMP TABLE raw AS SELECT * FROM read_csv($path, header=true, auto_detect=true,
                   store_rejects=true, types={'k': 'VARCHAR', 'i': 'INTEGER', 't': 'INTEGER', 'v': 'DOUBLE'})""",
                {"path": str(path)},
            )
        except duckdb.Error as exc:
            raise _unreadable(path, exc) from exc
        rejected = con.execute("SELECT line, column_name, error_message FROM reject_errors ORDER BY line").fetchall()
        if rejected:
            line, col, msg = rejected[0]
            raise TradeInputError(
                path, line, col, f"{msg} ({len(rejected)} bad rows; the panel is loaded whole or not at all)"
            )
        bad = con.execute(
            "SELECT rowid, t FROM raw WHERE v IS NULL OR v < 0 OR NOT isfinite(v) OR k IS NULL"
            " OR NOT regexp_matches(k, '^[0-9]{1,2}$') ORDER BY rowid LIMIT 1"
        ).fetchall()
        if bad:
            located = _locate_rows(path, [bad[0][0]], [])
            line = located.get(bad[0][0], (None, ""))[0]
            raise TradeInputError(
                path, line, "k/v", "chapter must be 1–2 digits and value a finite non-negative number"
            )
        country_rows = con.execute(
            "SELECT DISTINCT i, i_iso3c, "
            + ("i_name" if "i_name" in _header(path) else "i_iso3c")
            + " FROM raw ORDER BY i"
        ).fetchall()
        country_list = [
            codes.Country(int(c), str(iso or f"N{c:03d}").upper(), str(name or "")) for c, iso, name in country_rows
        ]
        years = [r[0] for r in con.execute("SELECT DISTINCT t FROM raw ORDER BY t").fetchall()]
        entries = []
        for n, year in enumerate(years):
            if progress:
                progress(f"{dataset} {year}", n, len(years))
            rel = _load_dir(dataset, year)
            out = staging / "out" / rel
            out.mkdir(parents=True)
            con.execute(
                f"""COPY (SELECT i::SMALLINT AS i, k::INTEGER AS k, sum(v) * 1000 AS v FROM raw WHERE t = {int(year)}
                          GROUP BY ALL ORDER BY i, k) TO '{out / "exports.parquet"}' (FORMAT parquet)"""
            )
            rows = con.execute(f"SELECT count(*) FROM raw WHERE t = {int(year)}").fetchone()[0]
            report.years.append(YearReport(file=path.name, year=year, sha256=sha, rows_read=rows, rows_loaded=rows))
            entries.append(
                Entry(
                    dataset=dataset,
                    year=year,
                    path=str(rel),
                    source=path.name,
                    sha256=sha,
                    classification="HS92",
                    level="hs2",
                    bilateral=False,
                    rows_read=rows,
                    loaded_at=_now(),
                    extra={"unit_in_source": "million USD"},
                )
            )
        con.close()
        _publish(store, staging, entries, published, countries=country_list)
        report.status, report.message = "loaded", f"{report.rows_loaded} rows in {len(years)} years"
    return report
