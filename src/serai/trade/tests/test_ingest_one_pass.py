"""The one-pass loader (CSV straight to Parquet, checked after) gives exactly what the checking path
gives for a clean file, and hands any file with a bad row back to the checking path, which names it."""

import duckdb
import pytest

from serai.trade import ingest
from serai.trade.store import TradeStore

from .conftest import write_year

# Sorted by (i, j, k), as BACI ships its files; q padded, "NA" and empty as in real releases.
CLEAN = [
    '2020,398,860,30110,30.0,"        3.000"',
    '2020,410,842,20110,60.0,"           NA"',
    '2020,410,860,10110,10.0,""',
    '2020,410,860,20110,30.5,"        0.125"',
    '2020,842,410,30110,50.0,"        5.000"',
    '2020,842,860,10110,10.0,"        1.000"',
    '2020,860,398,20110,10.0,"        1.000"',
    '2020,860,410,10110,20.0,"        2.000"',
    '2020,860,842,30110,40.0,"        4.000"',
]


def _load(tmp_path, name, rows, one_pass=True, **kw):
    calls = []
    real = ingest._one_pass

    def spy(*args):
        calls.append(real(*args) if one_pass else False)
        return calls[-1]

    mp = pytest.MonkeyPatch()
    mp.setattr(ingest, "_one_pass", spy)
    try:
        folder = tmp_path / name
        write_year(folder, 2020, rows)
        store = TradeStore(tmp_path / f"store-{name}")
        report = ingest.load(folder, store, **kw)
    finally:
        mp.undo()
    return store, report.years[0], calls


def _contents(store):
    con = duckdb.connect()
    return {
        kind: con.execute(f"SELECT * FROM read_parquet('{store.file('HS17', 2020, kind)}')").fetchall()
        for kind in ("flows", "exports", "imports")
    }


def test_a_clean_sorted_file_loads_in_one_pass_with_the_same_result(tmp_path):
    fast, fast_year, fast_calls = _load(tmp_path, "fast", CLEAN)
    slow, slow_year, slow_calls = _load(tmp_path, "slow", CLEAN, one_pass=False)
    assert fast_calls == [True] and slow_calls == [False]
    assert _contents(fast) == _contents(slow)
    flows = _contents(fast)["flows"]
    assert [r[:3] for r in flows] == sorted(r[:3] for r in flows)
    assert [r[4] for r in flows[1:4]] == [None, None, 0.125]
    assert (fast_year.rows_read, fast_year.rows_loaded, fast_year.rows_rejected, fast_year.sorted) == (9, 9, 0, True)
    assert fast_year.sha256 == slow_year.sha256 and len(fast_year.sha256) == 64
    assert fast.entry("HS17", 2020).rows_read == slow.entry("HS17", 2020).rows_read == 9


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ('2020,410,860,10120,1.0,"1"', None),  # fine: a control, stays in one pass
        ('2019,410,860,10120,1.0,"1"', "t"),
        ('2020,40000,860,10120,1.0,"1"', "i"),  # beyond SMALLINT: the copy fails, not the load
        ('2020,410,999,10120,1.0,"1"', "j"),  # unknown code: found on the written columns
        ('2020,410,860,10110,1.0,"1"', "k"),  # duplicate of the row before
        ('2020,410,860,123,1.0,"1"', "k"),
        ('2020,410,860,10120,inf,"1"', "v"),
        ('2020,410,860,10120,1.0,"inf"', "q"),
        ('2020,410,860,10120,1.0,"x"', "q"),
        ("2020,410,860", "columns"),
    ],
)
def test_a_bad_row_leaves_the_one_pass_and_is_named_by_line_and_field(tmp_path, bad, field):
    rows = [*CLEAN[:3], bad, *CLEAN[3:]]  # line 5, between 410→860 10110 and 410→860 20110
    store, year, calls = _load(tmp_path, "f", rows, max_bad_fraction=0.5)
    if field is None:
        assert calls == [True] and year.rows_loaded == 10 and year.bad_rows == []
        return
    assert calls == [False]
    assert [(b["line"], b["field"]) for b in year.bad_rows] == [(5, field)]
    assert (year.rows_read, year.rows_loaded, year.rows_rejected) == (10, 9, 1)
    assert len(_contents(store)["flows"]) == 9


def test_an_unsorted_file_is_sorted_by_the_checking_path(tmp_path):
    rows = [CLEAN[4], *CLEAN[:4], *CLEAN[5:]]
    store, year, calls = _load(tmp_path, "u", rows)
    assert calls == [False] and year.sorted is False and year.rows_rejected == 0
    flows = _contents(store)["flows"]
    assert [r[:3] for r in flows] == sorted(r[:3] for r in flows)
