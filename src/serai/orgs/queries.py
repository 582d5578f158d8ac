"""Reads of the organisation registry, filtered by permission."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from serai.access import permissions
from serai.reference import queries as reference_queries
from serai.reference.models import CooperationField, MemberState

from .models import Organisation


def organisations(user: Any) -> QuerySet[Organisation]:
    """Every organisation the user may see (the registry is public), ready for a list page."""
    if not permissions.can(user, "organisation.view"):
        return Organisation.objects.none()
    return (
        Organisation.objects.select_related("member_state")
        .prefetch_related(Prefetch("fields", queryset=CooperationField.objects.only("id", "code", "name", "colour")))
        .order_by("id")
    )


def filter_organisations(
    qs: QuerySet[Organisation],
    *,
    helix: str | None = None,
    country: str | None = None,
    field: str | None = None,
) -> QuerySet[Organisation]:
    if helix:
        qs = qs.filter(helix=helix)
    if country:
        qs = qs.filter(member_state__iso2=country.upper())
    if field:
        qs = qs.filter(fields__code=field)
    return qs


def editable_organisations(user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(permissions.editable_organisations_q(user))


def creatable_states(user: Any) -> QuerySet[MemberState]:
    """The member states the user may place an organisation in (rule ``organisation.create``)."""
    return reference_queries.member_states(user).filter(permissions.organisation_country_q(user))


def helix_counts(user: Any, member_state: Any = None) -> dict[str, int]:
    qs = organisations(user)
    if member_state is not None:
        qs = qs.filter(member_state=member_state)
    return dict(qs.order_by().values_list("helix").annotate(n=Count("id")))


def helix_rows(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """(code, label, count) for every helix, in the helix order, zeros included."""
    from .models import Helix

    return [(code, label, counts.get(code, 0)) for code, label in Helix.choices]


def helix_mix(user: Any, member_state: Any = None) -> list[tuple[str, str, int]]:
    return helix_rows(helix_counts(user, member_state))


def people(user: Any, org: Organisation) -> QuerySet:
    """The organisation's people the user may see: the people register's rule (``person.view``),
    read through the relation ``Person.organisation`` declares (people sits above orgs)."""
    return org.people.filter(permissions.person_visibility_q(user)).order_by("id")
