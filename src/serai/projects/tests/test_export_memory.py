"""The project export reads the list lazily and frees each chunk of projects as soon as it is done
(issue 13, soak: a worker kept the high-water mark of its first exports)."""

from __future__ import annotations

import gc
import weakref

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from serai.projects import exports, queries
from serai.projects.models import Project


@pytest.mark.django_db
def test_rows_free_each_chunk_without_the_garbage_collector(monkeypatch, make_project):
    for _ in range(7):
        make_project()
    monkeypatch.setattr(exports, "CHUNK", 2)
    seen = []
    monkeypatch.setattr(exports, "COLUMNS", [*exports.COLUMNS, ("ref", lambda p: seen.append(weakref.ref(p)) or "")])
    qs = queries.for_list(Project.objects.order_by("pk"))
    gc.collect()
    gc.disable()  # only reference counting frees memory now, as between two runs of the collector
    try:
        produced = []
        with CaptureQueriesContext(connection) as sql, translation.override("en"):
            for row in exports.rows(qs):
                produced.append(row)
                if len(produced) == 5:  # the third chunk is being read: the first is done with
                    alive = [ref() is not None for ref in seen[:2]]
        assert len(sql) == 1 + 2 * 4  # the list, then each chunk's countries and fields
        assert len(produced) == 7 and [r[0] for r in produced] == list(qs.values_list("code", flat=True))
        assert produced[0][5:8] == ["KOR, KAZ", "Economy Subcommittee", "Energy 100%"]  # prefetches still used
        assert alive == [False, False]
    finally:
        gc.enable()
