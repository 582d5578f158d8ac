"""A row filter across many-valued relations, by field name only, without duplicate rows.

``Q(countries__id__in=[1, 2])`` on projects joins the countries into the query: a project in both
countries comes back twice. ``rows_where(Q(countries__id__in=[1, 2]))`` is the same condition as
``pk IN (SELECT pk FROM <the filtered model> WHERE ...)``: the outer query keeps one row each, and
the condition names fields only, never a model. So the permission module (low in the package
order) writes its row filters over the models of the packages above it without importing them.
"""

from __future__ import annotations

from django.db.models import BooleanField, Expression, Q


class RowsWhere(Expression):
    """The rows of the model being filtered for which ``q`` holds (resolved against that model)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, q: Q):
        super().__init__()
        self.q = q

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        inner = query.model._base_manager.filter(self.q).values("pk")
        return Q(pk__in=inner).resolve_expression(query, allow_joins, reuse, summarize, for_save)


def rows_where(q: Q) -> Q:
    """``q`` as a filter that never repeats a row (see the module's text); combine it like any Q."""
    return Q(RowsWhere(q))
