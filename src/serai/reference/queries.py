"""Reads of reference data (public)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from .models import Body, CooperationField, DacSector, MemberState


def member_states(user: Any = None) -> QuerySet[MemberState]:
    return MemberState.objects.order_by("sort_order", "iso3")


def bodies(user: Any = None) -> QuerySet[Body]:
    return Body.objects.select_related("parent").order_by("sort_order", "code")


def field_choices(user: Any = None) -> QuerySet[CooperationField]:
    """Fields for a filter or a choice list (no DAC codes fetched)."""
    return CooperationField.objects.order_by("sort_order").only("id", "code", "name", "colour", "sort_order")


def cooperation_fields(user: Any = None) -> QuerySet[CooperationField]:
    return (
        CooperationField.objects.select_related("subcommittee")
        .prefetch_related(Prefetch("dac_sectors", queryset=DacSector.objects.order_by("code")))
        .annotate(organisation_count=Count("organisations", distinct=True))
        .order_by("sort_order", "code")
    )
