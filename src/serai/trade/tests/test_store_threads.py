"""The store's dictionaries are read by many threads of one server at once (gunicorn threads): each
read has its own DuckDB connection. With the module-wide ``duckdb.sql`` two threads at once failed
with "connection is busy with another call" (a 500 on the trade pages under load, issue 19)."""

from concurrent.futures import ThreadPoolExecutor


def test_dictionaries_can_be_read_by_many_threads_at_once(world):
    expected = (world.countries_list(), world.product_names())

    def read(_):
        return world.countries_list(), world.product_names()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(read, range(400)))
    assert expected[0]  # countries (the test world has no product names file)
    assert all(r == expected for r in results)
