"""Matchmaking reads, already filtered by permission (``serai.access.permissions``), ready for list
pages with a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from serai.access import permissions
from serai.network import queries as network_queries
from serai.network.models import CooperationProfile

from .models import (
    OPEN_REQUEST_STATUSES,
    Event,
    MeetingRequest,
    Participant,
    ParticipantStatus,
    ScheduledMeeting,
    Slot,
)


def events(user: Any) -> QuerySet[Event]:
    """The matchmaking events ``user`` may see (``matchmaking.event.view``)."""
    return (
        Event.objects.filter(permissions.mm_event_visibility_q(user))
        .select_related("meeting__body", "meeting__host_country")
        .order_by("-registration_opens", "-id")
    )


def participants(user: Any) -> QuerySet[Participant]:
    """Every participant ``user`` may see (``matchmaking.participant.view``)."""
    return Participant.objects.filter(
        permissions.mm_participant_visibility_q(user, Participant.objects)
    ).select_related("person", "organisation", "country")


def acting_for(user: Any, event: Event) -> list[Participant]:
    """The registered participants of ``event`` that ``user`` acts for (their own registration, their
    organisation's, their country's; every one for the Secretariat)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Participant.objects.filter(permissions.mm_acting_q(user), event=event, status=ParticipantStatus.REGISTERED)
        .select_related("person", "organisation", "country")
        .order_by("id")
    )


def own_participants(user: Any, event: Event) -> list[Participant]:
    """Like :func:`acting_for`, but for the Secretariat only the participants they registered
    themselves or their own login: what "my" pages show (the Secretariat sees everyone elsewhere)."""
    if not getattr(user, "is_authenticated", False):
        return []
    p = permissions.principal(user)
    if not p.secretariat:
        return acting_for(user, event)
    return list(
        Participant.objects.filter(event=event, status=ParticipantStatus.REGISTERED, person__user=user)
        .select_related("person", "organisation", "country")
        .order_by("id")
    )


def _marketplace_profiles(user: Any):
    """The profiles a marketplace row shows: those ``user`` may see, without their long texts."""
    return (
        network_queries.profiles(user)
        .only("id", "organisation_id", "kind", "title", "status", "valid_until")
        .order_by("id")
    )


def marketplace(user: Any, event: Event) -> QuerySet[Participant]:
    """The event's registered participants ``user`` may see, each with the profiles they bring that
    ``user`` may see (one prefetch): the marketplace's rows."""
    return (
        participants(user)
        .filter(event=event, status=ParticipantStatus.REGISTERED)
        .prefetch_related(Prefetch("profiles", queryset=_marketplace_profiles(user)))
        .order_by("organisation_id", "id")
    )


def requests(user: Any, event: Event) -> QuerySet[MeetingRequest]:
    """The event's meeting requests ``user`` may see (``matchmaking.request.view``)."""
    return (
        MeetingRequest.objects.filter(permissions.mm_request_visibility_q(user), event=event)
        .select_related(
            "requester__person",
            "requester__organisation",
            "requester__country",
            "requested__person",
            "requested__organisation",
            "requested__country",
            "placement__slot",
            "placement__table",
        )
        .order_by("-created_at", "-id")
    )


def open_pairs(event: Event, mine: list[Participant]) -> set[tuple[int, int]]:
    """(my participant, other participant) of every open request either way: the marketplace shows
    "requested" instead of a button."""
    ids = [p.pk for p in mine]
    if not ids:
        return set()
    out = set()
    rows = MeetingRequest.objects.filter(event=event, status__in=OPEN_REQUEST_STATUSES).filter(
        requester_id__in=ids
    ) | MeetingRequest.objects.filter(event=event, status__in=OPEN_REQUEST_STATUSES, requested_id__in=ids)
    for a, b in rows.values_list("requester_id", "requested_id"):
        out.add((a, b) if a in ids else (b, a))
    return out


def meetings(user: Any, event: Event) -> QuerySet[ScheduledMeeting]:
    """The event's scheduled meetings ``user`` may see (either side; the Secretariat all)."""
    return (
        ScheduledMeeting.objects.filter(permissions.mm_request_visibility_q(user, "request__"), event=event)
        .select_related(
            "slot",
            "table",
            "request__requester__person",
            "request__requester__organisation",
            "request__requested__person",
            "request__requested__organisation",
        )
        .prefetch_related("outcomes__project")
        .order_by("slot__starts_at", "table__number")
    )


def slots(event: Event) -> QuerySet[Slot]:
    return event.slots.order_by("starts_at")


# --- the matcher's suggestions for a participant -----------------------------------------------
@dataclass
class Suggestion:
    participant: Participant
    profile: CooperationProfile | None
    score: float
    reasons: list[Any]  # the matcher's Reason objects; the view words them


def suggestions(user: Any, event: Event, me: Participant, k: int = 8) -> list[Suggestion]:
    """The event's participants whose profiles the matcher ranks highest for ``me``'s organisation,
    with its reasons. Three queries whatever the event's size (and the index's one): the (profile,
    participant, organisation) ids of the event, then the suggested participants with their profiles."""
    from serai.network import index as match_index
    from serai.network.matching import Query

    # Whoever acts for a registered participant sees the event's participants (the rule
    # matchmaking.participant.view), and the matcher's index holds public profiles only: so the
    # plain ids below show nothing the user may not see (the rows are read through participants()).
    if me.event_id != event.pk or not permissions.can(user, "matchmaking.participant.act", me):
        return []
    Through = Participant.profiles.through
    pairs = (
        Through.objects.filter(participant__event=event, participant__status=ParticipantStatus.REGISTERED)
        .exclude(participant__organisation_id=me.organisation_id)
        .values_list("cooperationprofile_id", "participant_id", "participant__organisation_id")
        .order_by("participant_id")
    )
    by_profile: dict[int, int] = {}
    orgs: set[int] = set()
    for profile_id, participant_id, org_id in pairs:
        by_profile.setdefault(profile_id, participant_id)
        orgs.add(org_id)
    if not by_profile:
        return []
    idx = match_index.get_index()
    entity = idx.entity(f"org:{me.organisation_id}")
    if entity is None:
        return []
    # only the event's organisations are eligible: every other one is excluded
    others = frozenset(o for o in idx.org_pos if o not in orgs)
    query = Query.from_entity(entity, exclude_orgs=others)
    chosen: list[tuple[int, int, Any]] = []  # participant, profile, match
    seen: set[int] = set()
    for match in idx.match(query, k=max(k * 4, 40), kinds=("profile",)):
        pk = int(match.key.split(":", 1)[1])
        participant_id = by_profile.get(pk)
        if participant_id is None or participant_id in seen:
            continue
        seen.add(participant_id)
        chosen.append((participant_id, pk, match))
        if len(chosen) >= k:
            break
    if not chosen:
        return []
    rows = {
        p.pk: p
        for p in participants(user)
        .filter(pk__in=[c[0] for c in chosen])
        .prefetch_related(Prefetch("profiles", queryset=_marketplace_profiles(user)))
    }
    out = []
    for participant_id, pk, match in chosen:
        row = rows.get(participant_id)
        if row is None:
            continue
        profile = next((p for p in row.profiles.all() if p.pk == pk), None)
        out.append(Suggestion(row, profile, match.score, match.reasons))
    return out
