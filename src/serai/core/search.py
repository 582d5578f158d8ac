"""Pluggable full-text search (Wagtail-style backends).

A backend filters and ranks a queryset on one text column that the write path keeps up to
date (for projects: ``search_document``). PostgreSQL full text is the default on PostgreSQL;
a plain word-by-word match is the fallback on SQLite. Another engine (OpenSearch) can be added
as a class with the same two methods and named in ``SERAI_SEARCH_BACKEND``.

Inflected forms: a Russian word matches its other forms ('энергия' finds 'энергии' and
'энергетики'). PostgreSQL stems the query word with its Snowball stemmer (the 'russian' text
search configuration; 'english' for Latin words) and matches the stem as a prefix of the words
in the 'simple' vector, which the GIN indexes cover; the fallback strips a Russian ending
(:func:`light_stem`). :func:`excerpt` cuts a result's snippet around its first match, escaped,
with the matches in ``<mark>``.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import connection
from django.db.models import F, Q, QuerySet, TextField
from django.utils.html import escape
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe

WORD = re.compile(r"\w+", re.UNICODE)
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
LATIN = re.compile(r"[a-zA-Z]")
# Russian inflectional endings, longest first: what light_stem strips to find the shared prefix
RUSSIAN_ENDINGS = sorted(
    "иями ями ами ией ого его ому ему ыми ими ую юю ая яя ое ее ые ие ый ий ой ей ам ям ах ях ом ем ов ев ых их "
    "ия ии ию ью ья а я о е ы и у ю ь й".split(),
    key=len,
    reverse=True,
)


def words(text: str) -> list[str]:
    """The query's words, lower-cased (at most 10)."""
    return [w.lower() for w in WORD.findall(text)[:10]]


def light_stem(word: str) -> str:
    """A Russian word less its inflectional ending (at least three letters are kept): 'энергия'
    → 'энерг', 'водных' → 'водн'. Other words are returned as they are."""
    if CYRILLIC.search(word):
        lower = word.lower()
        for ending in RUSSIAN_ENDINGS:
            if lower.endswith(ending) and len(word) - len(ending) >= 3:
                return word[: -len(ending)]
    return word


def _contains_any_case(name: str, word: str) -> Q:
    """``name`` contains ``word`` as typed, in lower case or capitalised (SQLite's LIKE folds the
    case of ASCII letters only)."""
    condition = Q()
    for form in dict.fromkeys((word, word.lower(), word.capitalize())):
        condition |= Q(**{f"{name}__icontains": form})
    return condition


def _stemmer(word: str) -> str | None:
    """The PostgreSQL text search configuration that stems ``word`` (None: no stemming)."""
    if CYRILLIC.search(word):
        return "russian"
    if LATIN.search(word):
        return "english"
    return None


def excerpt(text: str, query: str, *, width: int = 160) -> SafeString | str:
    """About ``width`` characters of ``text`` around the first word that starts with a query word
    (or its stem), escaped, every such word in ``<mark>``; '' if no word matches."""
    prefixes = {p for w in words(query) for p in (w, light_stem(w).lower()) if p}
    text = " ".join(str(text or "").split())
    if not prefixes or not text:
        return ""
    hits = [m for m in WORD.finditer(text) if m.group().lower().startswith(tuple(prefixes))]
    if not hits:
        return ""
    start = max(0, hits[0].start() - width // 3)
    if start:
        start = text.rfind(" ", 0, start) + 1  # from a word's start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.find(" ", max(end, hits[0].end()))
        end = len(text) if space < 0 else space  # to a word's end
    parts, pos = ["…" if start else ""], start
    for hit in hits:
        if hit.start() < start or hit.end() > end:
            continue
        parts += [escape(text[pos : hit.start()]), "<mark>", escape(hit.group()), "</mark>"]
        pos = hit.end()
    parts += [escape(text[pos:end]), "…" if end < len(text) else ""]
    return mark_safe("".join(parts))


class SimpleBackend:
    """Every word must appear (case-insensitive substring). Works on any database."""

    def search(self, qs: QuerySet, text: str, column: str = "search_document") -> QuerySet:
        found = WORD.findall(text)[:10]
        if not found:
            return qs
        condition = Q()
        for word in found:
            condition &= _contains_any_case(column, light_stem(word))
        return qs.filter(condition)

    def rank(self, qs: QuerySet, text: str, column: str = "search_document") -> QuerySet:
        return qs

    def search_fields(self, qs: QuerySet, text: str, fields: list[str]) -> QuerySet:
        """Every word appears in one of ``fields`` (paths such as ``name__values__ko`` work)."""
        found = WORD.findall(text)[:10]
        if not found:
            return qs.none()
        condition = Q()
        for word in found:
            any_field = Q()
            for name in fields:
                any_field |= _contains_any_case(name, light_stem(word))
            condition &= any_field
        return qs.filter(condition)


class PostgresBackend:
    """PostgreSQL full text with the 'simple' configuration, which keeps Hangul and Cyrillic words;
    every word of the query matches as a prefix, and so does its Snowball stem."""

    config = "simple"

    def _query(self, text: str):
        """Every word as a prefix (``водн`` finds ``водных``, ``물류`` finds ``물류센터``), or its
        stem as a prefix: ``to_tsquery('russian', 'энергия:*')`` is ``'энерг':*``, which finds
        ``энергетики`` in the 'simple' vector. A stop word's stem is empty and drops out of the OR."""
        from django.contrib.postgres.search import SearchQuery

        query = None
        for word in words(text):
            term = SearchQuery(f"{word}:*", search_type="raw", config=self.config)
            stemmer = _stemmer(word)
            if stemmer:
                term = term | SearchQuery(f"{word}:*", search_type="raw", config=stemmer)
            query = term if query is None else query & term
        return query

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
        parts = [
            Coalesce(Cast(_path(name), output_field=TextField()), Value("", output_field=TextField()))
            for name in fields
        ]
        vector = SearchVector(*parts, config=self.config)
        query = self._query(text)
        return (
            qs.annotate(_search=vector)
            .filter(_search=query)
            .annotate(_rank=SearchRank(vector, query))
            .order_by(F("_rank").desc(), "-pk")
        )


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
