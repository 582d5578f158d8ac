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
from django.db.models import F, Q, QuerySet, TextField
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

    def search_fields(self, qs: QuerySet, text: str, fields: list[str]) -> QuerySet:
        """Every word appears in one of ``fields`` (paths such as ``name__values__ko`` work)."""
        words = WORD.findall(text)
        if not words:
            return qs.none()
        condition = Q()
        for word in words[:10]:
            any_field = Q()
            for name in fields:
                any_field |= Q(**{f"{name}__icontains": word})
            condition &= any_field
        return qs.filter(condition)


class PostgresBackend:
    """PostgreSQL full text with the 'simple' configuration, which keeps Hangul and Cyrillic words;
    every word of the query matches as a prefix."""

    config = "simple"

    def _query(self, text: str):
        """Every word as a prefix (``водн`` finds ``водных``, ``물류`` finds ``물류센터``): the
        'simple' configuration does not stem, so a prefix stands in for Russian endings."""
        from django.contrib.postgres.search import SearchQuery

        words = [w.lower() for w in WORD.findall(text)[:10]]
        return SearchQuery(" & ".join(f"{w}:*" for w in words), search_type="raw", config=self.config)

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


    def search_fields(self, qs: QuerySet, text: str, fields: list[str]) -> QuerySet:
        """Full text over several columns or translated-text keys, ranked."""
        from django.contrib.postgres.search import SearchRank, SearchVector
        from django.db.models import Value
        from django.db.models.functions import Cast, Coalesce

        if not WORD.search(text):
            return qs.none()
        parts = [Coalesce(Cast(_path(name), output_field=TextField()), Value("", output_field=TextField()))
                 for name in fields]
        vector = SearchVector(*parts, config=self.config)
        query = self._query(text)
        return (qs.annotate(_search=vector).filter(_search=query)
                .annotate(_rank=SearchRank(vector, query)).order_by(F("_rank").desc(), "-pk"))


def _path(name: str):
    """``name__values__ko`` → the text at that key of a JSON column; a plain name → the column."""
    from django.db.models.fields.json import KeyTextTransform, KeyTransform

    column, *keys = name.split("__")
    if not keys:
        return F(column)
    expression = column
    for key in keys[:-1]:
        expression = KeyTransform(key, expression)
    return KeyTextTransform(keys[-1], expression)


def backend():
    name = getattr(settings, "SERAI_SEARCH_BACKEND", "")
    if name:
        return import_string(name)()
    return PostgresBackend() if connection.vendor == "postgresql" else SimpleBackend()
