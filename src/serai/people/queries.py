"""Reads of the people register, filtered by permission: a row nobody may see is never fetched."""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, Case, QuerySet, Value, When

from serai.access import permissions

from .models import Person


def people(user: Any) -> QuerySet[Person]:
    """People the user may see, each annotated with ``show_contact`` (may see e-mail/phone)."""
    contact_q = permissions.person_contact_q(user)
    show_contact = (
        Case(When(contact_q, then=Value(True)), default=Value(False), output_field=BooleanField())
        if contact_q
        else Value(True, output_field=BooleanField())
    )
    return (
        Person.objects.filter(permissions.person_visibility_q(user))
        .select_related("organisation", "member_state")
        .annotate(show_contact=show_contact)
        .order_by("id")
    )


def person(user: Any, pk: int) -> Person:
    return people(user).get(pk=pk)
