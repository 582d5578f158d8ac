"""Pluggable full-text search (Wagtail-style backends).

A backend filters and ranks a queryset on one text column that the write path keeps up to
date (for projects: ``search_document``). PostgreSQL full text is the default on PostgreSQL;
a plain word-by-word match is the fallback on SQLite. Another engine (OpenSearch) can be added
as a class with the same two methods and named in ``SERAI_SEARCH_BACKEND``.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils.module_loading import import_string

WORD = re.compile(r"\w+", re.UNICODE)


class SimpleBackend:
    """Every word must appear (case-insensitive substring). Works on any database."""

    def search(self, qs: QuerySet, text: str, column: str = "search_document") -> QuerySet:
        words = WORD.findall(text)
        if not words:
            return qs
        condition = Q()
        for word in words[:10]:
            condition &= Q(**{f"{column}__icontains": word})
        return qs.filter(condition)

    def rank(self, qs: QuerySet, text: str, column: str = "search_document") -> QuerySet:
        return qs


class PostgresBackend:
    """PostgreSQL full text with the 'simple' configuration, which keeps Hangul and Cyrillic words."""

    config = "simple"

    def _query(self, text: str):
        from django.contrib.postgres.search import SearchQuery

        return SearchQuery(text, search_type="websearch", config=self.config)

    def _vector(self, column: str):
        from django.contrib.postgres.search import SearchVector

        return SearchVector(column, config=self.config)

    def search(self, qs: QuerySet, text: str, column: str = "search_document") -> QuerySet:
        if not WORD.search(text):
            return qs
        # The expression matches the functional GIN index created by the migration.
        return qs.annotate(_search=self._vector(column)).filter(_search=self._query(text))

    def rank(self, qs: QuerySet, text: str, column: str = "search_document") -> QuerySet:
        from django.contrib.postgres.search import SearchRank

        if not WORD.search(text):
            return qs
        return qs.annotate(_rank=SearchRank(self._vector(column), self._query(text))).order_by(F("_rank").desc(), "-id")


def backend():
    name = getattr(settings, "SERAI_SEARCH_BACKEND", "")
    if name:
        return import_string(name)()
    return PostgresBackend() if connection.vendor == "postgresql" else SimpleBackend()
