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


# What a marketplace row shows: the participant, and of the person, organisation and country only
# their names (and the helix), not every translated field of theirs.
_ROW_FIELDS = (
    "id",
    "event_id",
    "person_id",
    "organisation_id",
    "country_id",
    "languages",
    "needs_interpreter",
    "interpretation",
    "status",
    "person__name",
    "organisation__name",
    "organisation__acronym",
    "organisation__helix",
    "country__name",
)


def _marketplace_rows(user: Any) -> QuerySet[Participant]:
    return (
        participants(user)
        .only(*_ROW_FIELDS)
        .prefetch_related(Prefetch("profiles", queryset=_marketplace_profiles(user)))
    )


def marketplace(user: Any, event: Event) -> QuerySet[Participant]:
    """The event's registered participants ``user`` may see, each with the profiles they bring that
    ``user`` may see (one prefetch): the marketplace's rows, with only the columns a row shows."""
    return (
        _marketplace_rows(user)
        .filter(event=event, status=ParticipantStatus.REGISTERED)
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
    with its reasons. The ranking is remembered with the matcher's index (:func:`_ranked`); then
    two queries read the suggested participants with their profiles, through ``user``'s filters."""
    # Whoever acts for a registered participant sees the event's participants (the rule
    # matchmaking.participant.view), and the matcher's index holds public profiles only: so the
    # plain ids of the ranking show nothing the user may not see (the rows are read through participants()).
    if me.event_id != event.pk or not permissions.can(user, "matchmaking.participant.act", me):
        return []
    from serai.network import index as match_index

    chosen = match_index.remembered(
        ("matchmaking.suggestions", event.pk, me.organisation_id, k),
        lambda idx: _ranked(idx, event, me.organisation_id, k),
    )
    if not chosen:
        return []
    rows = {
        p.pk: p
        for p in _marketplace_rows(user).filter(pk__in=[c[0] for c in chosen], status=ParticipantStatus.REGISTERED)
    }
    out = []
    for participant_id, pk, score, reasons in chosen:
        row = rows.get(participant_id)
        if row is None:
            continue
        profile = next((p for p in row.profiles.all() if p.pk == pk), None)
        out.append(Suggestion(row, profile, score, list(reasons)))
    return out


def _ranked(idx: Any, event: Event, organisation_id: int, k: int) -> tuple[tuple[int, int, float, tuple], ...]:
    """(participant id, profile id, score, reasons) of the ``k`` best matches for the organisation
    among the event's registered participants of other organisations (one query and the index).

    Shared by every viewer and kept with the index (``network.index.remembered``), because it
    depends on nothing private: the index holds public profiles and organisations only, and the
    event's registered participants are seen by everyone who may ask (the caller checks
    ``matchmaking.participant.act``). Everything it depends on besides the key's event,
    organisation and k — the index's content, a registration, a withdrawal, a profile's change —
    is an audited write that moves the content version, which builds a new index."""
    from serai.network.matching import Query

    Through = Participant.profiles.through
    pairs = (
        Through.objects.filter(participant__event=event, participant__status=ParticipantStatus.REGISTERED)
        .exclude(participant__organisation_id=organisation_id)
        .values_list("cooperationprofile_id", "participant_id", "participant__organisation_id")
        .order_by("participant_id")
    )
    by_profile: dict[int, int] = {}
    orgs: set[int] = set()
    for profile_id, participant_id, org_id in pairs:
        by_profile.setdefault(profile_id, participant_id)
        orgs.add(org_id)
    if not by_profile:
        return ()
    entity = idx.entity(f"org:{organisation_id}")
    if entity is None:
        return ()
    # only the event's organisations are eligible: every other one is excluded
    others = frozenset(o for o in idx.org_pos if o not in orgs)
    query = Query.from_entity(entity, exclude_orgs=others)
    chosen: list[tuple[int, int, float, tuple]] = []
    seen: set[int] = set()
    for match in idx.match(query, k=max(k * 4, 40), kinds=("profile",)):
        pk = int(match.key.split(":", 1)[1])
        participant_id = by_profile.get(pk)
        if participant_id is None or participant_id in seen:
            continue
        seen.add(participant_id)
        chosen.append((participant_id, pk, match.score, tuple(match.reasons)))
        if len(chosen) >= k:
            break
    return tuple(chosen)
