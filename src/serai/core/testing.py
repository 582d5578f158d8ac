"""Helpers for Serai's tests (imported by conftest and test modules)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext


def shared_data_path(*parts: str) -> Path:
    """A path under ``../shared/data``; skip (or fail, with SERAI_REQUIRE_SHARED_DATA=1) if absent."""
    path = Path(settings.SERAI_SHARED_DATA, *parts)
    if not path.exists():
        message = f"shared data not found: {path} (set SERAI_SHARED_DATA, or place shared/ beside the repository)"
        if os.environ.get("SERAI_REQUIRE_SHARED_DATA") == "1":
            pytest.fail(message + "; SERAI_REQUIRE_SHARED_DATA=1 makes this a failure")
        pytest.skip(message)
    return path


def count_queries(fn: Callable[[], object]) -> tuple[int, object, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    return len(ctx.captured_queries), result, [q["sql"] for q in ctx.captured_queries]


def assert_constant_queries(
    fetch: Callable[[], object],
    grow: Callable[[], None],
    *,
    check: Callable[[object, object], None] | None = None,
    warm_up: bool = True,
) -> int:
    """Fetch, add rows with ``grow``, fetch again: the number of queries must not change.

    ``check(first, second)`` asserts (or returns True when) the new rows really appear in the
    second result, so the test cannot pass on an empty page; a check that returns False fails.

    Both fetches are cold renders: the cache (fragments kept between requests, the viewer's roles)
    is emptied before each, so the count is the render's own, not a cache hit's. One uncounted fetch
    comes first: a session's first request writes what later ones only read (its two-factor check,
    its once-a-minute save); ``warm_up=False`` leaves it out (a fetch that itself writes, such as the
    IATI file recording what it publishes, must write in both counted fetches).
    """
    if warm_up:
        fetch()
    cold()
    n1, first, _ = count_queries(fetch)
    grow()
    cold()
    n2, second, sql = count_queries(fetch)
    if check:
        # a check asserts (and returns None) or returns a truth value: a False must fail, or a
        # lambda's comparison would be computed and dropped and an empty page would pass
        seen = check(first, second)
        assert seen is None or seen, "the new rows do not appear in the second fetch"
    assert n1 == n2, f"query count grew from {n1} to {n2} with more rows (N+1):\n" + "\n".join(sql)
    return n2


def cold() -> None:
    """Empty the cache (kept fragments, the viewers' roles) and this thread's table stamps: the next
    render is a cold one."""
    from django.core.cache import cache

    from serai.core import stamps

    cache.clear()
    stamps.forget()


def body(response) -> bytes:
    """The whole body of a response, streamed (CSV and XLSX downloads) or not."""
    return b"".join(response.streaming_content) if response.streaming else response.content
