"""The trade store: Parquet files per dataset and year, queried with DuckDB.

Layout under the store's root::

    catalog.json                      the metadata table: one entry per loaded (dataset, year)
    countries.parquet                 code (BACI/Comtrade numeric), iso3, name
    products.parquet                  k (HS6 as integer), code (zero-padded text), description
    <dataset>/<year>/<load id>/flows.parquet     i, j, k, v, q   (bilateral; BACI datasets only)
    <dataset>/<year>/<load id>/exports.parquet   i, k, v         (exporter × product, over all importers)
    <dataset>/<year>/<load id>/imports.parquet   j, k, v         (importer × product; bilateral only)
    reports/                          one JSON report per load, refused or not

Values are thousand current USD and quantities tonnes, as in BACI. Codes are stored as integers
(Parquet dictionary-encodes them); HS codes are shown zero-padded. A load writes a new load
directory and then replaces ``catalog.json`` in one rename: that rename is the commit, so a failed
or interrupted load leaves the previous state whole.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import numpy as np

from . import codes
from .errors import NotLoaded


@dataclass
class Entry:
    dataset: str
    year: int
    path: str  # relative to the store root
    source: str
    sha256: str
    version: str = ""
    classification: str = ""
    level: str = "hs6"  # granularity of k: hs6 for BACI, hs2 for the exporter × chapter panel
    bilateral: bool = True
    synthetic: bool = False
    rows_read: int = 0
    rows_rejected: int = 0
    loaded_at: str = ""
    extra: dict = field(default_factory=dict)


class TradeStore:
    def __init__(self, root: Path | str):
        self.root = Path(root)
        self._catalog: tuple[tuple[int, int], list[Entry]] | None = None

    # --- catalog -----------------------------------------------------------------------------
    @property
    def catalog_path(self) -> Path:
        return self.root / "catalog.json"

    def entries(self) -> list[Entry]:
        """The catalog, read again only when the file changed (every query looks up its files here)."""
        try:
            stat = self.catalog_path.stat()
        except FileNotFoundError:
            return []
        stamp = (stat.st_mtime_ns, stat.st_size)
        if self._catalog is None or self._catalog[0] != stamp:
            data = json.loads(self.catalog_path.read_text("utf-8"))
            self._catalog = (stamp, [Entry(**e) for e in data["entries"]])
        return list(self._catalog[1])

    def entry(self, dataset: str, year: int) -> Entry:
        for e in self.entries():
            if e.dataset == dataset and e.year == int(year):
                return e
        raise NotLoaded(f"no {dataset} data for {year} in {self.root}")

    def datasets(self) -> dict[str, list[Entry]]:
        out: dict[str, list[Entry]] = {}
        for e in sorted(self.entries(), key=lambda e: (e.dataset, e.year)):
            out.setdefault(e.dataset, []).append(e)
        return out

    def years(self, dataset: str) -> list[int]:
        return sorted(e.year for e in self.entries() if e.dataset == dataset)

    def default_dataset(self, *, bilateral: bool | None = True, year: int | None = None) -> str | None:
        """The dataset to use when none is named: real data before synthetic whenever real data of
        the kind asked exists (``bilateral`` None: either kind, bilateral first), then the newest
        year. With ``year``, only datasets holding that year; but when real data exists and not for
        that year this refuses (``NotLoaded`` naming the real years) rather than fall back to
        synthetic figures."""
        candidates = [e for e in self.entries() if bilateral is None or e.bilateral == bilateral]
        if year is not None:
            real = [e for e in candidates if not e.synthetic]
            held = [e for e in candidates if e.year == int(year)]
            if real and not any(not e.synthetic for e in held):
                years = sorted({e.year for e in real})
                raise NotLoaded(
                    f"no real data for {year} in {self.root} (real years: {years[0]}–{years[-1]}); "
                    "name a dataset with --dataset to use another one"
                )
            candidates = held
        if not candidates:
            return None
        best = max(candidates, key=lambda e: (not e.synthetic, e.bilateral, e.year))
        return best.dataset

    def commit(
        self,
        new: Iterable[Entry],
        *,
        countries: list[codes.Country] | None = None,
        products: dict[str, str] | None = None,
    ) -> None:
        """Publish entries (replacing the same dataset/year) with one atomic rename of the catalog."""
        self.root.mkdir(parents=True, exist_ok=True)
        if countries:
            self._merge_countries(countries)
        if products:
            self._merge_products(products)
        new = list(new)
        keys = {(e.dataset, e.year) for e in new}
        old = self.entries()
        kept = [e for e in old if (e.dataset, e.year) not in keys]
        replaced = [e for e in old if (e.dataset, e.year) in keys]
        entries = sorted([*kept, *new], key=lambda e: (e.dataset, e.year))
        self._write_json_atomic(self.catalog_path, {"format": 1, "entries": [asdict(e) for e in entries]})
        for e in replaced:
            if all(n.path != e.path for n in new):
                shutil.rmtree(self.root / e.path, ignore_errors=True)

    def _write_json_atomic(self, path: Path, data: object) -> None:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)

    def _write_parquet_atomic(self, path: Path, sql: str, **tables) -> None:
        tmp = path.with_name(f".tmp-{path.name}")
        con = duckdb.connect()
        for name, table in tables.items():
            con.register(name, table)
        con.execute(f"COPY ({sql}) TO '{tmp}' (FORMAT parquet)")
        con.close()
        os.replace(tmp, path)

    def _merge_countries(self, countries: list[codes.Country]) -> None:
        current = {c.code: c for c in self.countries_list()}
        for c in countries:
            current[c.code] = c
        rows = sorted(current.values(), key=lambda c: c.code)
        table = {
            "code": np.array([c.code for c in rows], dtype=np.int16),
            "iso3": np.array([c.iso3 for c in rows], dtype=object),
            "name": np.array([c.name for c in rows], dtype=object),
        }
        self._write_parquet_atomic(self.root / "countries.parquet", "SELECT * FROM t", t=table)

    def _merge_products(self, products: dict[str, str]) -> None:
        current = self.product_names()
        current.update(products)
        keys = sorted(current)
        table = {
            "k": np.array([int(k) for k in keys], dtype=np.int32),
            "code": np.array(keys, dtype=object),
            "description": np.array([current[k] for k in keys], dtype=object),
        }
        self._write_parquet_atomic(self.root / "products.parquet", "SELECT * FROM t", t=table)

    # --- dictionaries ------------------------------------------------------------------------
    def countries_list(self) -> list[codes.Country]:
        path = self.root / "countries.parquet"
        if not path.exists():
            return []
        # a connection of its own: duckdb.sql() runs on one module-wide connection, which two
        # threads of a server must not use at once ("connection is busy with another call")
        with duckdb.connect() as con:
            rows = con.sql(f"SELECT code, iso3, name FROM read_parquet('{path}') ORDER BY code").fetchall()
        return [codes.Country(int(c), i, n) for c, i, n in rows]

    # One country, one ISO3 (docs/methods.md#data): BACI has several codes for one ISO3 over its
    # history (56 Belgium and 58 Belgium-Luxembourg; 276 and 280 Germany; 710 South Africa and 711
    # the Southern African Customs Union; 729 Sudan and 736 former Sudan). Serai *merges* them: a
    # country's trade in a year is the sum over every code of its ISO3, and it is labelled with the
    # lowest of those codes (today's code in each of the four cases). So complexity lists each
    # country once, and a lookup by ISO3 finds the trade whichever code the year used.
    def country_codes(self) -> dict[str, int]:
        """ISO3 → the BACI code that labels the country (the lowest of the codes sharing its ISO3)."""
        return {iso: found[0] for iso, found in self.codes_by_iso3().items()}

    def codes_by_iso3(self) -> dict[str, list[int]]:
        """ISO3 → every BACI code with that ISO3, lowest (the label) first."""
        out: dict[str, list[int]] = {}
        for c in self.countries_list():
            out.setdefault(c.iso3, []).append(c.code)
        return {iso: sorted(found) for iso, found in out.items()}

    def label_codes(self) -> dict[int, int]:
        """BACI code → the code that labels its country (itself unless it shares an ISO3)."""
        return {code: found[0] for found in self.codes_by_iso3().values() for code in found}

    def merge_sql(self, column: str = "i") -> str:
        """A DuckDB expression giving the labelling code of ``column`` (identity when no code is shared)."""
        pairs = sorted((c, label) for c, label in self.label_codes().items() if c != label)
        if not pairs:
            return column
        cases = " ".join(f"WHEN {int(c)} THEN {int(label)}" for c, label in pairs)
        return f"(CASE {column} {cases} ELSE {column} END)"

    def product_names(self) -> dict[str, str]:
        path = self.root / "products.parquet"
        if not path.exists():
            return {}
        with duckdb.connect() as con:  # its own connection (see countries_list)
            return dict(con.sql(f"SELECT code, description FROM read_parquet('{path}')").fetchall())

    # --- data --------------------------------------------------------------------------------
    def file(self, dataset: str, year: int, table: str) -> str:
        entry = self.entry(dataset, year)
        path = self.root / entry.path / f"{table}.parquet"
        if not path.exists():
            raise NotLoaded(f"{dataset} {year} has no {table} table")
        return str(path)

    def connect(self) -> duckdb.DuckDBPyConnection:
        """An in-memory DuckDB connection (the Parquet files are read where they lie)."""
        return duckdb.connect(config={"threads": os.cpu_count() or 1})

    def export_matrix(
        self, dataset: str, year: int, level: str = "hs6", con: duckdb.DuckDBPyConnection | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Exporter × product export values as a dense NumPy matrix (rows: BACI country codes,
        columns: product codes at ``level``, both sorted; countries and products whose total is 0
        are left out, as the complexity literature does). Codes sharing an ISO3 are merged into one
        row, labelled with the lowest code (see ``country_codes``)."""
        con = con or self.connect()
        group = codes.sql_rollup(level, stored=self.entry(dataset, year).level)
        path = self.file(dataset, year, "exports")
        res = con.execute(
            f"SELECT {self.merge_sql('i')} AS i, {group} AS p, sum(v) AS v FROM read_parquet('{path}') "
            "WHERE v > 0 GROUP BY ALL"
        ).fetchnumpy()
        return dense(res["i"], res["p"], res["v"])


def dense(rows: np.ndarray, cols: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scatter (row, col, value) triples into a dense float64 matrix with sorted labels."""
    row_labels, r = np.unique(np.asarray(rows), return_inverse=True)
    col_labels, c = np.unique(np.asarray(cols), return_inverse=True)
    matrix = np.zeros((len(row_labels), len(col_labels)), dtype=np.float64)
    matrix[r, c] = np.asarray(values, dtype=np.float64)  # callers pass unique (row, col) pairs
    return row_labels, col_labels, matrix
