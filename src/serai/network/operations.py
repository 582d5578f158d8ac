"""Every write to the cooperation network: profiles, their workflow, expertise, introductions.

Each function takes the acting user, checks the rule in :mod:`serai.access.permissions`, writes in
one transaction and records the audit entry; notifications go through :mod:`serai.workspace`
(in-app, and e-mail after commit).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from serai.access import permissions
from serai.core.actors import user_of
from serai.core.operations import create_object, update_object
from serai.core.workflow import fire
from serai.workspace import operations as workspace
from serai.workspace.recipients import holders

from . import workflow
from .models import CooperationProfile, Expertise, Introduction, IntroductionStatus, ProfileStatus

PROFILE_FIELDS = ("kind", "title", "description", "hs4", "seeks_helix", "valid_until")
PROFILE_M2M = ("fields", "dac_sectors", "target_countries")


# --- profiles -----------------------------------------------------------------------------------
def search_document(profile: CooperationProfile) -> str:
    parts = [profile.get_kind_display(), " ".join(profile.hs4 or [])]
    for text in (profile.title, profile.description, profile.organisation.name):
        parts.extend(text.values.values())
    parts.append(profile.organisation.acronym)
    for field in profile.fields.all():
        parts.extend(field.name.values.values())
    return " ".join(p for p in parts if p)


def _refresh_search(profile: CooperationProfile) -> None:
    doc = search_document(profile)
    CooperationProfile.objects.filter(pk=profile.pk).update(search_document=doc)
    profile.search_document = doc


def _split(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list]]:
    unknown = set(values) - set(PROFILE_FIELDS) - set(PROFILE_M2M) - {"is_demo"}
    if unknown:
        raise ValueError(f"not profile fields: {', '.join(sorted(unknown))}")
    plain = {k: v for k, v in values.items() if k not in PROFILE_M2M}
    m2m = {k: list(v) for k, v in values.items() if k in PROFILE_M2M}
    for key in ("hs4", "seeks_helix"):
        if key in plain:
            plain[key] = sorted(dict.fromkeys(plain[key] or []))
    return plain, m2m


@transaction.atomic
def create_profile(actor: Any, organisation: Any, values: dict[str, Any]) -> CooperationProfile:
    """A new profile of ``organisation``, in draft."""
    permissions.require(actor, "profile.create", organisation)
    plain, m2m = _split(values)
    plain.update(
        organisation=organisation,
        created_by=user_of(actor),
    )
    profile = create_object(actor, CooperationProfile, "network.profile.create", plain, m2m=m2m)
    _refresh_search(profile)
    return profile


@transaction.atomic
def update_profile(
    actor: Any, profile: CooperationProfile, values: dict[str, Any], *, expected_version: int | None = None
) -> CooperationProfile:
    permissions.require(actor, "profile.edit", profile)
    plain, m2m = _split(values)
    profile = update_object(actor, profile, "network.profile.update", plain, m2m=m2m, expected_version=expected_version)
    _refresh_search(profile)
    return profile


@transaction.atomic
def fire_profile(actor: Any, profile: CooperationProfile, name: str, *, reason: str = "") -> CooperationProfile:
    """Move the profile along its workflow. An illegal move raises TransitionError and changes nothing."""

    def values(row: CooperationProfile, transition) -> dict[str, Any]:
        if name == "publish":
            return {"published_at": timezone.now(), "moderation_note": ""}
        if name == "reject":
            return {"moderation_note": reason.strip()}
        return {}

    locked = fire(actor, workflow.PROFILE_MACHINE, profile, name, reason=reason, values=values)
    locked = CooperationProfile.objects.select_related("organisation").get(pk=locked.pk)
    _tell_profile(actor, locked)
    return locked


def _tell_profile(actor: Any, profile: CooperationProfile) -> None:
    params = {
        "title": profile.title,
        "organisation": profile.organisation.name,
        "status": ProfileStatus(profile.status).label,
    }
    link = ("network_profile_detail", [profile.pk])
    if profile.status == ProfileStatus.SUBMITTED:
        workspace.notify(
            actor,
            "network.profile_submitted",
            holders(secretariat=True, countries=[profile.organisation.member_state_id]),
            params=params,
            link=link,
        )
    elif profile.status in (ProfileStatus.PUBLISHED, ProfileStatus.DRAFT, ProfileStatus.EXPIRED):
        workspace.notify(
            actor, "network.profile_moved", holders(organisations=[profile.organisation_id]), params=params, link=link
        )


def submit_profile(actor: Any, profile: CooperationProfile) -> CooperationProfile:
    return fire_profile(actor, profile, "submit")


def publish_profile(actor: Any, profile: CooperationProfile) -> CooperationProfile:
    return fire_profile(actor, profile, "publish")


def expire_profiles(actor: Any) -> int:
    """Mark expired every published profile past its validity date (run daily; running it again
    changes nothing). Returns how many were marked."""
    permissions.require(actor, "profile.moderation_queue")
    due = CooperationProfile.objects.filter(status=ProfileStatus.PUBLISHED, valid_until__lt=timezone.localdate())
    count = 0
    for profile in due.order_by("pk"):
        if permissions.can(actor, "profile.moderate", profile):
            fire_profile(actor, profile, "expire")
            count += 1
    return count


# --- expertise ----------------------------------------------------------------------------------
@transaction.atomic
def set_expertise(
    actor: Any,
    person: Any,
    *,
    fields: Iterable[Any] = (),
    keywords: str = "",
    languages: Iterable[str] = (),
    listed: bool = False,
    is_demo: bool = False,
) -> Expertise:
    """Record a person's expertise (one record per person; created or updated)."""
    permissions.require(actor, "expertise.edit", person)
    values = {
        "keywords": (keywords or "").strip(),
        "languages": sorted(dict.fromkeys(languages)),
        "listed": bool(listed),
    }
    m2m = {"fields": list(fields)}
    existing = Expertise.objects.filter(person=person).first()
    if existing is None:
        return create_object(
            actor, Expertise, "network.expertise.create", {"person": person, "is_demo": is_demo, **values}, m2m=m2m
        )
    return update_object(actor, existing, "network.expertise.update", values, m2m=m2m)


# --- introductions ------------------------------------------------------------------------------
@transaction.atomic
def express_interest(
    actor: Any, profile: CooperationProfile, requester_org: Any, message: str = "", *, is_demo: bool = False
) -> Introduction:
    """``requester_org`` asks to be introduced to the owner of ``profile``: an Introduction in state
    requested; the owner organisation's editors are told."""
    permissions.require(actor, "introduction.request", profile)
    if not permissions.can(actor, "network.act_for", requester_org):
        raise PermissionDenied(_("You may express interest only on behalf of an organisation you edit."))
    if requester_org.pk == profile.organisation_id:
        raise ValidationError({"requester_org": _("An organisation cannot ask to be introduced to itself.")})
    if Introduction.objects.filter(
        profile=profile, requester_org=requester_org, status=IntroductionStatus.REQUESTED
    ).exists():
        raise ValidationError(
            {"requester_org": _("%(org)s has already expressed interest in this profile.") % {"org": requester_org}}
        )
    user = user_of(actor)
    intro = create_object(
        actor,
        Introduction,
        "network.introduction.request",
        {
            "profile": profile,
            "requester_org": requester_org,
            "requested_by": user,
            "message": (message or "").strip(),
            "is_demo": is_demo,
        },
    )
    workspace.notify(
        actor,
        "network.interest",
        holders(organisations=[profile.organisation_id]),
        params={"organisation": requester_org.name, "title": profile.title},
        link=("network_introductions", []),
    )
    return intro


@transaction.atomic
def fire_introduction(actor: Any, intro: Introduction, name: str, *, reason: str = "") -> Introduction:
    values: dict[str, Any] = {"reason": reason.strip()}
    if name in ("accept", "decline"):
        values["decided_by"] = user_of(actor)
        values["decided_at"] = timezone.now()
    fire(actor, workflow.INTRODUCTION_MACHINE, intro, name, reason=reason, values=values)
    locked = Introduction.objects.select_related("profile__organisation", "requester_org").get(pk=intro.pk)
    status = IntroductionStatus(locked.status).label
    if name == "withdraw":  # the owner hears that the requester withdrew
        workspace.notify(
            actor,
            "network.introduction",
            holders(organisations=[locked.profile.organisation_id]),
            params={"organisation": locked.requester_org.name, "title": locked.profile.title, "status": status},
            link=("network_introductions", []),
        )
    else:  # the requester hears the owner's decision
        workspace.notify(
            actor,
            "network.introduction",
            holders(users=[locked.requested_by_id], organisations=[locked.requester_org_id]),
            params={"organisation": locked.profile.organisation.name, "title": locked.profile.title, "status": status},
            link=("network_introductions", []),
        )
    return locked


def accept_introduction(actor: Any, intro: Introduction) -> Introduction:
    return fire_introduction(actor, intro, "accept")


# --- the consortium builder: chosen partners join a project ----------------------------------------
def add_partners(actor: Any, project: Any, organisations: Iterable[int], role: str) -> list[Any]:
    """Add the partners chosen on the consortium page to ``project`` as participants in ``role``,
    all or none: each through the projects' own audited operation
    (``serai.projects.operations.add_participation``, rule ``project.edit``, one audit entry each)."""
    from serai.orgs.models import Organisation
    from serai.projects import operations as project_operations

    permissions.require(actor, "project.edit", project)
    ids = list(dict.fromkeys(int(o) for o in organisations))
    if not ids:
        raise ValidationError({"organisations": _("Choose at least one partner.")})
    found = Organisation.objects.in_bulk(ids)
    if missing := [str(o) for o in ids if o not in found]:
        raise ValidationError({"organisations": _("No such organisation: %(ids)s.") % {"ids": ", ".join(missing)}})
    already = project.participations.filter(organisation_id__in=ids, role=role).values_list(
        "organisation_id", flat=True
    )
    if already := sorted(set(already)):
        raise ValidationError(
            {
                "organisations": _("Already taking part in this role: %(names)s.")
                % {"names": ", ".join(str(found[o]) for o in already)}
            }
        )
    with transaction.atomic():
        return [project_operations.add_participation(actor, project, found[o], role) for o in ids]
