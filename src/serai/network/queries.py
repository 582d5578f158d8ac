"""Reads of the cooperation network, filtered by the permission rules. Pages, search, the API and
exports start from :func:`profiles`, :func:`expertise` and :func:`introductions`, so nothing
shows a row the user may not see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from serai.access import permissions
from serai.core.search import backend
from serai.orgs.models import Organisation
from serai.people.models import Person
from serai.reference.models import MemberState

from .models import CooperationProfile, Expertise, Introduction, IntroductionStatus, ProfileStatus

MAX_QUERY = 200  # the longest search text


def profiles(user: Any) -> QuerySet[CooperationProfile]:
    """Every profile ``user`` may see (``profile.view``)."""
    return CooperationProfile.objects.filter(permissions.profile_visibility_q(user))


def live_profiles(user: Any) -> QuerySet[CooperationProfile]:
    """The published, still valid profiles (what the public list shows), within what ``user`` sees."""
    return profiles(user).filter(permissions.profile_visibility_q(None))


def for_list(qs: QuerySet[CooperationProfile]) -> QuerySet[CooperationProfile]:
    return (
        qs.select_related("organisation", "organisation__member_state")
        .prefetch_related(
            "fields",
            Prefetch("target_countries", queryset=MemberState.objects.order_by("sort_order")),
        )
        .defer("search_document")
    )


@dataclass
class Filters:
    """The list's filters, already validated (``forms.ProfileFilterForm``, the API's serializer)."""

    kind: str = ""
    country: str = ""  # ISO2 of the organisation's member state
    target: str = ""  # ISO2 of a target country (profiles with no target country cover every one)
    field: str = ""  # cooperation field code
    helix: str = ""  # the organisation's helix
    seeks: str = ""  # a helix the profile seeks
    language: str = ""  # a language the title or description is written in
    status: str = ""  # for those who see more than the published ones
    q: str = ""

    @classmethod
    def of(cls, cleaned: dict) -> Filters:
        names = cls.__dataclass_fields__
        return cls(**{k: v for k, v in cleaned.items() if k in names and v not in (None, "")})


def filtered(
    user: Any, f: Filters, *, base: QuerySet[CooperationProfile] | None = None
) -> QuerySet[CooperationProfile]:
    qs = live_profiles(user) if base is None else base
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.country:
        qs = qs.filter(organisation__member_state__iso2=f.country)
    if f.target:
        targeted = CooperationProfile.target_countries.through.objects.filter(memberstate__iso2=f.target)
        anywhere = CooperationProfile.target_countries.through.objects.all()
        qs = qs.filter(
            Q(pk__in=targeted.values("cooperationprofile_id")) | ~Q(pk__in=anywhere.values("cooperationprofile_id"))
        )
    if f.field:
        qs = qs.filter(
            pk__in=CooperationProfile.fields.through.objects.filter(cooperationfield__code=f.field).values(
                "cooperationprofile_id"
            )
        )
    if f.helix:
        qs = qs.filter(organisation__helix=f.helix)
    if f.seeks:
        qs = (
            qs.filter(seeks_helix__contains=[f.seeks])
            if _json_contains()
            else qs.filter(seeks_helix__icontains=f'"{f.seeks}"')
        )
    if f.language:
        qs = qs.filter(Q(title__values__has_key=f.language) | Q(description__values__has_key=f.language))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.q:
        search = backend()
        return search.rank(search.search(qs, f.q), f.q)
    return qs.order_by("-published_at", "-id")


def _json_contains() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def detail(user: Any, pk: int) -> CooperationProfile:
    """One profile the user may see, with what its page shows (DoesNotExist otherwise)."""
    return for_list(profiles(user)).select_related("created_by").prefetch_related("dac_sectors").get(pk=pk)


def my_profiles(user: Any) -> QuerySet[CooperationProfile]:
    """The profiles of the organisations ``user`` edits, in every status."""
    p = permissions.principal(user)
    if not p.organisations:
        return CooperationProfile.objects.none()
    return for_list(profiles(user).filter(organisation_id__in=p.organisations)).order_by("status", "-id")


def moderation_queue(user: Any) -> QuerySet[CooperationProfile]:
    """Submitted profiles ``user`` may moderate, oldest first."""
    return for_list(
        CooperationProfile.objects.filter(permissions.profile_moderation_q(user)).filter(status=ProfileStatus.SUBMITTED)
    ).order_by("updated_at", "id")


def expertise(user: Any) -> QuerySet[Expertise]:
    """Expertise records ``user`` may see (listed ones for the public)."""
    return (
        Expertise.objects.filter(permissions.expertise_visibility_q(user))
        .select_related("person", "person__organisation")
        .prefetch_related("fields")
    )


def expertise_of(person: Person) -> Expertise | None:
    """The person's expertise record, if any (for its editing form; the caller checks the rule)."""
    return Expertise.objects.filter(person=person).prefetch_related("fields").first()


def introductions(user: Any) -> QuerySet[Introduction]:
    """Introductions to or from the organisations ``user`` edits (all of them for the Secretariat)."""
    return Introduction.objects.filter(permissions.introduction_visibility_q(user)).select_related(
        "profile", "profile__organisation", "requester_org", "requested_by", "decided_by"
    )


def introductions_for(user: Any) -> dict[str, list[Introduction]]:
    """The user's introductions split into those they may decide (incoming) and the others."""
    p = permissions.principal(user)
    incoming, outgoing = [], []
    for intro in introductions(user).order_by("-created_at", "-id")[:500]:
        (incoming if intro.profile.organisation_id in p.organisations else outgoing).append(intro)
    if p.secretariat and not p.organisations:
        return {"incoming": [], "outgoing": outgoing}
    return {"incoming": incoming, "outgoing": outgoing}


def contacts_visible(user: Any, organisation: Organisation) -> bool:
    return permissions.can(user, "network.view_contacts", organisation)


def revealed_contacts(user: Any) -> QuerySet[Person]:
    """The people of the organisations whose contacts ``user`` sees through an accepted
    introduction (not their own organisations' people)."""
    p = permissions.principal(user)
    orgs = Organisation.objects.filter(permissions.network_contacts_q(user))
    if not p.secretariat:
        orgs = orgs.exclude(pk__in=p.organisations)
    else:
        orgs = orgs.filter(
            Q(pk__in=Introduction.objects.filter(status=IntroductionStatus.ACCEPTED).values("requester_org_id"))
            | Q(
                pk__in=Introduction.objects.filter(status=IntroductionStatus.ACCEPTED).values(
                    "profile__organisation_id"
                )
            )
        )
    return Person.objects.filter(organisation__in=orgs).select_related("organisation").order_by("organisation_id", "id")


def organisation_contacts(user: Any, organisation: Organisation) -> list[Person]:
    """The people of ``organisation`` with their contact details, if the user may see them."""
    if not contacts_visible(user, organisation):
        return []
    return list(Person.objects.filter(organisation=organisation).order_by("id"))


def requester_organisations(user: Any, profile: CooperationProfile) -> QuerySet[Organisation]:
    """The organisations ``user`` may express interest for on ``profile`` (the ones they edit,
    other than its own; every other organisation for the Secretariat)."""
    return (
        Organisation.objects.filter(permissions.network_act_for_q(user))
        .exclude(pk=profile.organisation_id)
        .order_by("id")
    )


def editable_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations ``user`` may create profiles for."""
    return (
        Organisation.objects.filter(permissions.network_act_for_q(user)).select_related("member_state").order_by("id")
    )
