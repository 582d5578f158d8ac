"""Whom a report is for, and the viewer its contents are read as.

A report is read through the domains' own permission-filtered queries as a *synthetic viewer*: an
account-less user whose roles are exactly the audience's — nobody for the public, the focal point
role of one member state for a delegation, the Secretariat role for the Secretariat's own pack —
so a pack holds what such a person may see and nothing else. The rules themselves stay in
``serai.access.permissions``; this module only builds the :class:`~serai.access.permissions.Principal`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from serai.access.permissions import Principal
from serai.reference.models import MemberState

from .models import Audience


class AudienceViewer:
    """A user without an account whose roles are given (never saved, never signed in)."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_superuser = False
    is_staff = False
    pk = None
    id = None
    username = ""

    def __init__(self, principal: Principal, label: str):
        self._serai_principal = principal
        self.label = label

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class ReportAudience:
    kind: str  # Audience
    country: MemberState | None = None

    @property
    def country_id(self) -> int | None:
        return self.country.pk if self.country else None

    @property
    def key(self) -> str:
        return self.country.iso2 if self.country else self.kind

    def label(self, language: str) -> str:
        if self.kind == Audience.DELEGATION and self.country:
            return _("Delegation of %(country)s") % {"country": self.country.name.get(language)}
        if self.kind == Audience.SECRETARIAT:
            return _("Secretariat (internal)")
        return _("Public edition")

    def viewer(self):
        if self.kind == Audience.PUBLIC:
            return AnonymousUser()
        if self.kind == Audience.SECRETARIAT:
            return AudienceViewer(Principal(user_id=None, secretariat=True), "secretariat")
        return AudienceViewer(Principal(user_id=None, countries=frozenset({self.country.pk})), f"delegation:{self.key}")


def parse(key: str) -> ReportAudience | None:
    """``public``, ``secretariat`` or a member state's ISO2 code (any case); None if unknown."""
    key = (key or "").strip()
    if key in (Audience.PUBLIC, Audience.SECRETARIAT):
        return ReportAudience(key)
    if len(key) == 2 and key.isalpha():
        state = MemberState.objects.filter(iso2=key.upper()).first()
        if state is not None:
            return ReportAudience(Audience.DELEGATION, state)
    return None


def of(report) -> ReportAudience:
    return ReportAudience(report.audience, report.audience_country)
