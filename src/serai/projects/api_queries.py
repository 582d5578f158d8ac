"""Lean reads for the project API (``api.py``): plain values instead of model instances.

The API shows a fixed set of a project's columns and the codes of a few related rows; reading them
with ``.values()`` skips building a model instance per project, member state, field and DAC code
(and the translated names of those reference rows, which the API never shows). Each function takes
a queryset already filtered by permission (``queries.projects`` or ``queries.filtered``) or the ids
read from one, so visibility stays where it is decided. A page costs a constant number of queries:
its rows, one query for the countries and the sectors of all its projects, and one for the content
of the rows not cached yet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection
from django.db.models import QuerySet

from serai.reference.models import CooperationField, DacSector, MemberState

from .models import Project, ProjectCountry, ProjectSector

# What every page of the API reads of its projects: the columns that may change without the row
# being saved (``scope`` follows the countries) or that name another row (the subcommittee's code),
# and the row's version and save time, which key its cached content.
ROW_FIELDS = ("id", "version", "updated_at", "status", "scope", "subcommittee__code")
# The rest of what the API shows of a project's row: cached per (id, version, updated_at) by
# ``api.represent``, read only for the rows not in the cache. These columns change only when the row
# is saved (``save()`` moves ``updated_at``; the operations also move ``version``).
CONTENT_FIELDS = (
    "id",
    "version",
    "updated_at",
    "code",
    "title",
    "summary",
    "description",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "budget_amount",
    "budget_currency",
    "usd_rate",
    "usd_rate_date",
    "budget_usd",
    "tags",
    "is_demo",
)


def rows(visible: QuerySet[Project]) -> QuerySet:
    """``visible`` (already filtered by permission, in its order) as dicts of ``ROW_FIELDS``."""
    return visible.values(*ROW_FIELDS)


def contents(pks: Iterable[int]) -> list[dict]:
    """``CONTENT_FIELDS`` of the projects ``pks``: ids read from a permission-filtered queryset."""
    return list(Project.objects.filter(pk__in=list(pks)).order_by().values(*CONTENT_FIELDS))


def _relations_sql(count: int | None) -> str:
    """One statement for the countries and the sectors of ``count`` projects, named from the models'
    own tables and columns: the ORM would compile two joined queries (about 1 ms of CPU each, more
    than the rest of a page's shaping); the database does the same work either way. ``count``
    placeholders for the ids, or None for one array of ids (PostgreSQL: psycopg parses a statement
    of at most 50 parameters once)."""
    link, state = ProjectCountry._meta, MemberState._meta
    share, field, dac = ProjectSector._meta, CooperationField._meta, DacSector._meta

    def col(meta, name: str) -> str:
        return meta.get_field(name).column

    ids = "= ANY(%s)" if count is None else f"IN ({', '.join(['%s'] * count)})"
    return (
        f"SELECT l.{col(link, 'project')}, 0, m.{col(state, 'sort_order')}, m.{col(state, 'iso3')}, NULL, NULL, 0"
        f" FROM {link.db_table} l JOIN {state.db_table} m ON m.{state.pk.column} = l.{col(link, 'member_state')}"
        f" WHERE l.{col(link, 'project')} {ids}"
        " UNION ALL"
        f" SELECT s.{col(share, 'project')}, 1, 0, f.{col(field, 'code')}, d.{col(dac, 'code')},"
        f" s.{col(share, 'percentage')}, s.{share.pk.column}"
        f" FROM {share.db_table} s JOIN {field.db_table} f ON f.{field.pk.column} = s.{col(share, 'field')}"
        f" LEFT JOIN {dac.db_table} d ON d.{dac.pk.column} = s.{col(share, 'dac_sector')}"
        f" WHERE s.{col(share, 'project')} {ids}"
    )


_CENTS = Decimal("0.01")


def relations(pks: Iterable[int]) -> tuple[dict[int, list[str]], dict[int, list[tuple[str, str | None, Decimal]]]]:
    """The member states (ISO alpha-3, in the Forum's order: ``MemberState``'s ordering) and the
    sectors (field code, DAC code, percentage; largest share first: ``ProjectSector``'s ordering)
    of the projects ``pks`` — ids read from a permission-filtered queryset. One query, none for no
    ids."""
    pks = [int(pk) for pk in pks]
    countries: dict[int, list[str]] = defaultdict(list)
    sectors: dict[int, list[tuple[str, str | None, Decimal]]] = defaultdict(list)
    if not pks:
        return countries, sectors
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_relations_sql(None), [pks, pks])
        else:
            cursor.execute(_relations_sql(len(pks)), [*pks, *pks])
        found = cursor.fetchall()
    state_rows = sorted((r for r in found if r[1] == 0), key=lambda r: (r[2], r[3]))
    for project_id, _kind, _order, iso3, *_rest in state_rows:
        countries[project_id].append(iso3)
    # a percentage as the model reads it: two decimal places (SQLite hands back a float or an int)
    share_rows = sorted(
        ((r[0], r[3], r[4], Decimal(str(r[5])).quantize(_CENTS), r[6]) for r in found if r[1] == 1),
        key=lambda r: (-r[3], r[4]),
    )
    for project_id, code, dac, percentage, _id in share_rows:
        sectors[project_id].append((code, dac, percentage))
    return countries, sectors
