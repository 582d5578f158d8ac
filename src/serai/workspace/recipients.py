"""Who holds a role: the users to tell about something. Read-only; used by the domains'
operations when they notify."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from serai.access.models import Role


def holders(
    *,
    secretariat: bool = False,
    countries: Iterable[int] = (),
    bodies: Iterable[int] = (),
    organisations: Iterable[int] = (),
    persons: Iterable[int] = (),
    users: Iterable[Any] = (),
) -> QuerySet:
    """Active users who are Secretariat staff (if asked), focal points of ``countries``, members
    of ``bodies`` (by role, or by a seat whose term runs today), editors of ``organisations``,
    the logins of ``persons``, or among ``users``."""
    today = timezone.localdate()
    countries, bodies, organisations = (
        [c for c in countries if c],
        [b for b in bodies if b],
        [o for o in organisations if o],
    )
    q = Q(pk__in=[getattr(u, "pk", u) for u in users if u is not None])
    if secretariat:
        q |= Q(serai_roles__role=Role.SECRETARIAT) | Q(is_superuser=True)
    if countries:
        q |= Q(serai_roles__role=Role.FOCAL_POINT, serai_roles__member_state_id__in=countries)
    if bodies:
        q |= Q(serai_roles__role=Role.SUBCOMMITTEE_MEMBER, serai_roles__body_id__in=bodies)
        q |= Q(person__memberships__body_id__in=bodies, person__memberships__start_date__lte=today) & (
            Q(person__memberships__end_date__isnull=True) | Q(person__memberships__end_date__gte=today)
        )
    if organisations:
        q |= Q(serai_roles__role=Role.ORG_EDITOR, serai_roles__organisation_id__in=organisations)
    persons = [getattr(p, "pk", p) for p in persons if p is not None]
    if persons:
        q |= Q(person__pk__in=persons)
    User = get_user_model()
    ids = User.objects.filter(q, is_active=True).values("pk")
    return User.objects.filter(pk__in=ids).order_by("pk")
