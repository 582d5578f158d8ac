"""Every write of matchmaking: each takes the acting user, checks a rule of
:mod:`serai.access.permissions`, validates, saves and records an audit entry in one transaction;
status fields move only through the machines of :mod:`serai.matchmaking.workflow` (core ``fire``).
Notifications go through ``workspace.operations.notify`` (after the audited write).

The scheduler's writes are :func:`run_scheduler` and :func:`place_meeting` (their reads are in
:mod:`serai.matchmaking.scheduling`; the solver is the plain library :mod:`serai.matchmaking.schedule`).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from serai.access import permissions
from serai.core import audit
from serai.core.actors import user_of
from serai.core.operations import create_object, update_object
from serai.core.workflow import fire
from serai.network.models import ProfileStatus
from serai.orgs import operations as org_operations
from serai.people import operations as people_operations
from serai.projects import operations as project_operations
from serai.workspace import operations as workspace
from serai.workspace.kinds import PerLanguage
from serai.workspace.recipients import holders

from . import schedule, scheduling, workflow
from .models import (
    OPEN_REQUEST_STATUSES,
    Attendance,
    Event,
    Interpretation,
    MeetingRequest,
    Outcome,
    OutcomeResult,
    Participant,
    ParticipantStatus,
    RequestStatus,
    ScheduledMeeting,
    Slot,
    Table,
)

# Event fields that shape the slots: changing one regenerates them (refused once meetings are placed).
SLOT_FIELDS = ("days", "day_start", "day_end", "slot_minutes", "breaks", "time_zone")
EVENT_FIELDS = ("registration_opens", "registration_closes", *SLOT_FIELDS, "languages", "request_limit")


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


# --- slots: pure ---------------------------------------------------------------------------
def slot_times(
    days: Sequence[str],
    day_start: dt.time,
    day_end: dt.time,
    slot_minutes: int,
    breaks: Sequence[Sequence[str]],
    time_zone: str,
) -> list[tuple[dt.date, dt.datetime, dt.datetime]]:
    """Every slot (day, start, end) of the days: back to back from ``day_start`` until the next
    would end after ``day_end``; a slot that would overlap a break starts at the break's end."""
    tz = zoneinfo.ZoneInfo(time_zone)
    pauses = sorted((dt.time.fromisoformat(a), dt.time.fromisoformat(b)) for a, b in breaks)
    step = dt.timedelta(minutes=slot_minutes)
    out = []
    for iso in days:
        day = dt.date.fromisoformat(iso)
        start = dt.datetime.combine(day, day_start)
        end_of_day = dt.datetime.combine(day, day_end)
        while start + step <= end_of_day:
            end = start + step
            clash = next(
                (
                    b_end
                    for b_start, b_end in pauses
                    if start < dt.datetime.combine(day, b_end) and dt.datetime.combine(day, b_start) < end
                ),
                None,
            )
            if clash is not None:
                start = dt.datetime.combine(day, clash)
                continue
            out.append((day, start.replace(tzinfo=tz), end.replace(tzinfo=tz)))
            start = end
    return out


def _generate_slots(actor: Any, event: Event) -> int:
    times = slot_times(event.days, event.day_start, event.day_end, event.slot_minutes, event.breaks, event.time_zone)
    before = event.slots.count()
    event.slots.all().delete()
    Slot.objects.bulk_create(
        [Slot(event=event, number=i, day=day, starts_at=a, ends_at=b) for i, (day, a, b) in enumerate(times, 1)]
    )
    audit.record(actor, "matchmaking.event.slots", event, before={"slots": before}, after={"slots": len(times)})
    return len(times)


@dataclass(frozen=True)
class TableSpec:
    number: int
    name: str = ""
    interpretation: str = Interpretation.NONE


def _set_tables(actor: Any, event: Event, tables: Sequence[TableSpec]) -> None:
    numbers = [t.number for t in tables]
    if len(numbers) != len(set(numbers)):
        raise ValidationError({"tables": _("Each table needs its own number.")})
    existing = {t.number: t for t in event.tables.all()}
    gone = [t for n, t in existing.items() if n not in numbers]
    used = {t.number for t in gone if t.meetings.exclude(status=Attendance.CANCELLED).exists()}
    if used:
        raise ValidationError(
            {
                "tables": _("Tables %(numbers)s have meetings; move them first.")
                % {"numbers": ", ".join(map(str, sorted(used)))}
            }
        )
    for table in gone:
        audit.record(actor, "matchmaking.table.delete", table, before=audit.snapshot(table), after={})
        table.delete()
    for spec in tables:
        values = {"name": spec.name, "interpretation": spec.interpretation}
        if spec.number in existing:
            update_object(actor, existing[spec.number], "matchmaking.table.edit", values)
        else:
            create_object(actor, Table, "matchmaking.table.create", {"event": event, "number": spec.number, **values})


# --- events: the Secretariat's set-up ------------------------------------------------------
@transaction.atomic
def create_event(
    actor: Any, meeting: Any, values: dict[str, Any], tables: Sequence[TableSpec] = (), *, is_demo: bool = False
) -> Event:
    """Attach matchmaking to ``meeting``: its window, days, times, slot length, breaks and tables;
    the slots are generated."""
    permissions.require(actor, "matchmaking.manage")
    if Event.objects.filter(meeting=meeting).exists():
        raise ValidationError({"meeting": _("This meeting already has its matchmaking.")})
    data = {k: v for k, v in values.items() if k in EVENT_FIELDS}
    event = create_object(
        actor,
        Event,
        "matchmaking.event.create",
        {**data, "meeting": meeting, "created_by": user_of(actor), "is_demo": is_demo},
    )
    _set_tables(actor, event, tables)
    _generate_slots(actor, event)
    return event


@transaction.atomic
def update_event(
    actor: Any,
    event: Event,
    values: dict[str, Any],
    tables: Sequence[TableSpec] | None = None,
    *,
    expected_version: int | None = None,
) -> Event:
    """Edit the event; the slots are generated again when their shape changed (refused once
    meetings are placed: they would lose their slot)."""
    permissions.require(actor, "matchmaking.manage", event)
    data = {k: v for k, v in values.items() if k in EVENT_FIELDS}
    reshaped = any(k in data and data[k] != getattr(event, k) for k in SLOT_FIELDS)
    if reshaped and event.scheduled_meetings.exclude(status=Attendance.CANCELLED).exists():
        raise ValidationError(_("Meetings are placed in the current slots; the days and times can no longer change."))
    event = update_object(actor, event, "matchmaking.event.edit", data, expected_version=expected_version)
    if tables is not None:
        _set_tables(actor, event, tables)
    if reshaped:
        _generate_slots(actor, event)
    return event


def fire_event(actor: Any, event: Event, name: str, *, values: dict[str, Any] | None = None) -> Event:
    if name == "schedule":  # the schedule is recorded only by running the scheduler
        run_scheduler(actor, event)
        return Event.objects.get(pk=event.pk)
    return fire(actor, workflow.EVENT_MACHINE, event, name, values=values)


# --- registration --------------------------------------------------------------------------
def _check_window(event: Event, now: dt.datetime, field: str = "__all__") -> None:
    if not event.registration_is_open(now):
        if event.status != "registration_open":
            msg = _("Registration for this event is not open.")
        elif now < event.registration_opens:
            msg = _("Registration opens on %(when)s.") % {
                "when": f"{timezone.localtime(event.registration_opens):%Y-%m-%d %H:%M}"
            }
        else:
            msg = _("Registration closed on %(when)s.") % {
                "when": f"{timezone.localtime(event.registration_closes):%Y-%m-%d %H:%M}"
            }
        raise ValidationError({field: msg})


@dataclass
class Registration:
    """One person to register: an existing person or a new one (``new_person``: name, e-mail),
    with an existing organisation or a new one (``new_organisation``: name, helix, member state)."""

    person: Any = None
    organisation: Any = None
    new_person: dict[str, Any] | None = None
    new_organisation: dict[str, Any] | None = None
    profiles: Sequence[Any] = ()
    languages: Sequence[str] = ()
    needs_interpreter: bool = False
    interpretation: str = Interpretation.NONE
    unavailable_slots: Sequence[Any] = ()


def _register_one(actor: Any, event: Event, reg: Registration, *, is_demo: bool) -> Participant:
    organisation = reg.organisation
    if organisation is None:
        if not reg.new_organisation:
            raise ValidationError({"organisation": _("Choose an organisation or enter a new one.")})
        organisation = org_operations.create_organisation(actor, {**reg.new_organisation, "is_demo": is_demo})
    person = reg.person
    if person is None:
        if not reg.new_person:
            raise ValidationError({"person": _("Choose a person or enter a new one.")})
        person = people_operations.create_person(
            actor,
            {
                "organisation": organisation,
                "member_state": organisation.member_state,
                "is_demo": is_demo,
                **reg.new_person,
            },
        )
    country = organisation.member_state or person.member_state
    participant = Participant(
        event=event,
        person=person,
        organisation=organisation,
        country=country,
        languages=list(reg.languages),
        needs_interpreter=reg.needs_interpreter,
        interpretation=reg.interpretation if reg.needs_interpreter else Interpretation.NONE,
        registered_by=user_of(actor),
        is_demo=is_demo,
    )
    permissions.require(actor, "matchmaking.register", participant)
    if Participant.objects.filter(event=event, person=person, status=ParticipantStatus.REGISTERED).exists():
        raise ValidationError({"person": _("%(name)s is already registered for this event.") % {"name": person}})
    profiles = list(reg.profiles)
    foreign = [p for p in profiles if p.organisation_id != organisation.pk]
    if foreign:
        raise ValidationError({"profiles": _("Bring only the organisation's own cooperation profiles.")})
    if any(p.status != ProfileStatus.PUBLISHED for p in profiles):
        raise ValidationError({"profiles": _("Bring only published cooperation profiles.")})
    slots = list(reg.unavailable_slots)
    if any(s.event_id != event.pk for s in slots):
        raise ValidationError({"unavailable_slots": _("Choose slots of this event.")})
    values = {f.name: getattr(participant, f.name) for f in Participant._meta.concrete_fields if f.name != "id"}
    values = {k: v for k, v in values.items() if k not in ("registered_at", "withdrawn_at", "version")}
    return create_object(
        actor,
        Participant,
        "matchmaking.participant.register",
        values,
        m2m={"profiles": profiles, "unavailable_slots": slots},
    )


@transaction.atomic
def register(
    actor: Any, event: Event, reg: Registration, *, now: dt.datetime | None = None, is_demo: bool = False
) -> Participant:
    """Register one participant, inside the registration window only (a form error otherwise,
    nothing written)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    _check_window(event, _now(now))
    return _register_one(actor, event, reg, is_demo=is_demo)


@transaction.atomic
def register_delegation(
    actor: Any, event: Event, regs: Sequence[Registration], *, now: dt.datetime | None = None, is_demo: bool = False
) -> list[Participant]:
    """A focal point registers several people of their country at once: all or none."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    _check_window(event, _now(now))
    if not regs:
        raise ValidationError({"__all__": _("Add at least one person.")})
    out = []
    for i, reg in enumerate(regs, 1):
        try:
            out.append(_register_one(actor, event, reg, is_demo=is_demo))
        except ValidationError as exc:
            messages = (
                [f"{m}" for msgs in exc.message_dict.values() for m in msgs]
                if hasattr(exc, "error_dict")
                else exc.messages
            )
            raise ValidationError(
                {"__all__": [_("Row %(row)s: %(problem)s") % {"row": i, "problem": m} for m in messages]}
            ) from exc
    return out


def update_participant(
    actor: Any,
    participant: Participant,
    *,
    profiles: Sequence[Any] | None = None,
    languages: Sequence[str] | None = None,
    needs_interpreter: bool | None = None,
    interpretation: str | None = None,
    unavailable_slots: Sequence[Any] | None = None,
) -> Participant:
    """Change what a registered participant brings: profiles, languages, interpreter, availability."""
    permissions.require(actor, "matchmaking.participant.act", participant)
    if participant.status != ParticipantStatus.REGISTERED:
        raise ValidationError(_("This participant has withdrawn from the event."))
    values: dict[str, Any] = {}
    if languages is not None:
        values["languages"] = list(languages)
    if needs_interpreter is not None:
        values["needs_interpreter"] = needs_interpreter
        values["interpretation"] = (interpretation or Interpretation.NONE) if needs_interpreter else Interpretation.NONE
    m2m: dict[str, Any] = {}
    if profiles is not None:
        profiles = list(profiles)
        if any(
            p.organisation_id != participant.organisation_id or p.status != ProfileStatus.PUBLISHED for p in profiles
        ):
            raise ValidationError({"profiles": _("Bring only the organisation's own published cooperation profiles.")})
        m2m["profiles"] = profiles
    if unavailable_slots is not None:
        slots = list(unavailable_slots)
        if any(s.event_id != participant.event_id for s in slots):
            raise ValidationError({"unavailable_slots": _("Choose slots of this event.")})
        placed = ScheduledMeeting.objects.filter(
            _side_q(participant, "request__"), slot__in=slots, status=Attendance.SCHEDULED
        ).exists()
        if placed:
            raise ValidationError(
                {"unavailable_slots": _("A meeting is already placed in one of these slots; cancel it first.")}
            )
        m2m["unavailable_slots"] = slots
    return update_object(actor, participant, "matchmaking.participant.edit", values, m2m=m2m)


def _side_q(participant: Participant, prefix: str = "") -> Q:
    """Rows where ``participant`` is either side of a request (``prefix``: the path to the request)."""
    return Q(**{f"{prefix}requester": participant}) | Q(**{f"{prefix}requested": participant})


@transaction.atomic
def withdraw_participant(actor: Any, participant: Participant, reason: str = "") -> dict[str, int]:
    """Withdraw from the event: open requests are withdrawn or declined, accepted ones and their
    scheduled meetings cancelled (each audited, the other side told). Returns the counts."""
    now = timezone.now()
    participant = fire(
        actor,
        workflow.PARTICIPANT_MACHINE,
        participant,
        "withdraw",
        reason=reason,
        values={"withdrawn_at": now, "withdrawal_reason": (reason or "").strip()},
    )
    why = _("%(name)s withdrew from the event.") % {"name": participant.person}
    counts = {"withdrawn": 0, "declined": 0, "cancelled": 0}
    requests = MeetingRequest.objects.filter(_side_q(participant), status__in=OPEN_REQUEST_STATUSES)
    for request in requests.select_related("requester__person", "requested__person", "event__meeting"):
        if request.status == RequestStatus.REQUESTED and request.requester_id == participant.pk:
            fire_request(actor, request, "withdraw", reason=why)
            counts["withdrawn"] += 1
        elif request.status == RequestStatus.REQUESTED:
            fire_request(actor, request, "decline", reason=why)
            counts["declined"] += 1
        else:
            fire_request(actor, request, "cancel", reason=why)
            counts["cancelled"] += 1
    return counts


# --- meeting requests ----------------------------------------------------------------------
def _side_holders(participant: Participant):
    return holders(persons=[participant.person_id], organisations=[participant.organisation_id])


def _event_name(event: Event) -> PerLanguage:
    meeting = event.meeting
    return PerLanguage(lambda: str(meeting))


@transaction.atomic
def request_meeting(
    actor: Any,
    requester: Participant,
    requested: Participant,
    message: str = "",
    *,
    now: dt.datetime | None = None,
    is_demo: bool = False,
) -> MeetingRequest:
    """``requester`` asks ``requested`` for a meeting: inside the registration window, within the
    event's limit of open requests, never twice for the same pair (either way)."""
    permissions.require(actor, "matchmaking.participant.act", requester)
    # lock the requester: two requests at once cannot both pass the limit
    requester = Participant.objects.select_for_update().select_related("event__meeting", "person").get(pk=requester.pk)
    requested = Participant.objects.select_related("person", "organisation").get(pk=requested.pk)
    event = requester.event
    if requested.event_id != event.pk:
        raise ValidationError({"requested": _("Both participants must be registered for the same event.")})
    if requested.pk == requester.pk:
        raise ValidationError({"requested": _("A participant cannot ask to meet themselves.")})
    if requester.status != ParticipantStatus.REGISTERED:
        raise ValidationError({"requester": _("You have withdrawn from this event.")})
    if requested.status != ParticipantStatus.REGISTERED:
        raise ValidationError({"requested": _("%(name)s has withdrawn from this event.") % {"name": requested.person}})
    _check_window(event, _now(now))
    pair = MeetingRequest.pair_key(requester.pk, requested.pk)
    if MeetingRequest.objects.filter(event=event, pair=pair, status__in=OPEN_REQUEST_STATUSES).exists():
        raise ValidationError(
            {"requested": _("A meeting request between you and %(name)s is already open.") % {"name": requested.person}}
        )
    sent = MeetingRequest.objects.filter(requester=requester, status__in=OPEN_REQUEST_STATUSES).count()
    if sent >= event.request_limit:
        raise ValidationError(
            {
                "__all__": _("You have reached this event's limit of %(limit)s open meeting requests.")
                % {"limit": event.request_limit}
            }
        )
    message = (message or "").strip()
    if len(message) > 1000:
        raise ValidationError({"message": _("Keep the message under 1,000 characters.")})
    try:
        with transaction.atomic():
            request = create_object(
                actor,
                MeetingRequest,
                "matchmaking.request.create",
                {
                    "event": event,
                    "requester": requester,
                    "requested": requested,
                    "message": message,
                    "created_by": user_of(actor),
                    "is_demo": is_demo,
                },
            )
    except IntegrityError:  # a concurrent request for the same pair won
        raise ValidationError(
            {"requested": _("A meeting request between you and %(name)s is already open.") % {"name": requested.person}}
        ) from None
    workspace.notify(
        actor,
        "matchmaking.request",
        _side_holders(requested),
        params={
            "name": requester.person.name,
            "organisation": requester.organisation.name,
            "event": _event_name(event),
        },
        link=("matchmaking:requests", [event.pk]),
    )
    return request


@transaction.atomic
def fire_request(actor: Any, request: MeetingRequest, name: str, *, reason: str = "") -> MeetingRequest:
    """Accept, decline (with a reason), withdraw, or cancel an accepted request (its scheduled
    meeting is cancelled with it). The other side is told."""
    decided = name in ("accept", "decline")
    values = {"reason": (reason or "").strip()}
    if decided:
        values.update(decided_by=user_of(actor), decided_at=timezone.now())
    request = fire(actor, workflow.REQUEST_MACHINE, request, name, reason=reason, values=values)
    if name == "cancel":
        placement = ScheduledMeeting.objects.filter(request=request, status=Attendance.SCHEDULED).first()
        if placement is not None:
            fire(
                actor,
                workflow.ATTENDANCE_MACHINE,
                placement,
                "cancel",
                reason=reason or _("The request was cancelled."),
            )
    request = MeetingRequest.objects.select_related(
        "event__meeting", "requester__person", "requester__organisation", "requested__person", "requested__organisation"
    ).get(pk=request.pk)
    # who hears: the requester of a decision; the requested side of a withdrawal; both of a cancellation
    if name in ("accept", "decline"):
        told, other = [request.requester], request.requested
    elif name == "withdraw":
        told, other = [request.requested], request.requester
    else:
        told, other = [request.requester, request.requested], None
    for side in told:
        counterpart = other or (request.requested if side.pk == request.requester_id else request.requester)
        workspace.notify(
            actor,
            "matchmaking.request_moved",
            _side_holders(side),
            params={
                "name": counterpart.person.name,
                "organisation": counterpart.organisation.name,
                "event": _event_name(request.event),
                "status": RequestStatus(request.status).label,
            },
            link=("matchmaking:requests", [request.event_id]),
        )
    return request


def accept_request(actor: Any, request: MeetingRequest) -> MeetingRequest:
    return fire_request(actor, request, "accept")


def decline_request(actor: Any, request: MeetingRequest, reason: str) -> MeetingRequest:
    return fire_request(actor, request, "decline", reason=reason)


def withdraw_request(actor: Any, request: MeetingRequest) -> MeetingRequest:
    return fire_request(actor, request, "withdraw")


def cancel_request(actor: Any, request: MeetingRequest, reason: str) -> MeetingRequest:
    return fire_request(actor, request, "cancel", reason=reason)


# --- on the day: attendance (the agenda pages use these) -----------------------------------
def fire_meeting(
    actor: Any, meeting: ScheduledMeeting, name: str, *, reason: str = "", values=None
) -> ScheduledMeeting:
    """Check in, mark a no-show or cancel a scheduled meeting (``workflow.ATTENDANCE_MACHINE``)."""
    if name == "check_in":
        values = {"checked_in_at": timezone.now(), "no_show_by": None, **(values or {})}
    return fire(actor, workflow.ATTENDANCE_MACHINE, meeting, name, reason=reason, values=values)


def check_in_meeting(actor: Any, meeting: ScheduledMeeting) -> ScheduledMeeting:
    """Both sides came: the meeting is held (rule ``matchmaking.meeting.attend``; audited)."""
    return fire_meeting(actor, meeting, "check_in")


def mark_no_show(
    actor: Any, meeting: ScheduledMeeting, who: Participant | None = None, *, reason: str = ""
) -> ScheduledMeeting:
    """The meeting did not take place; ``who`` is the side that did not come (None: unknown or both)."""
    return fire(
        actor,
        workflow.ATTENDANCE_MACHINE,
        meeting,
        "no_show",
        reason=reason,
        context=workflow.OnsiteContext(reason=reason, no_show_by=who),
        values={"no_show_by": who, "checked_in_at": None},
    )


@transaction.atomic
def move_meeting(actor: Any, meeting: ScheduledMeeting, table: Table, *, reason: str = "") -> ScheduledMeeting:
    """Move a scheduled meeting to another table in the same slot (rule ``matchmaking.onsite``):
    refused, with nothing changed, when the table is taken in that slot or lacks the interpretation
    the meeting needs (``workflow.table_fits``). The target table's row is locked first, so two
    moves to one table cannot both pass the check."""
    target = Table.objects.select_for_update().get(pk=table.pk)
    ctx = workflow.OnsiteContext(reason=reason, table=target)
    try:
        with transaction.atomic():
            return fire(
                actor,
                workflow.ATTENDANCE_MACHINE,
                meeting,
                "move",
                reason=reason,
                context=ctx,
                values={"table": target},
            )
    except IntegrityError:  # a placement by another path took the table meanwhile
        raise workflow.TransitionError(
            "move", [_("%(table)s is full in this slot: another meeting is placed there.") % {"table": target}]
        ) from None


@transaction.atomic
def check_in_arrival(actor: Any, participant: Participant, day: dt.date) -> list[ScheduledMeeting]:
    """The arrival desk: ``participant`` came on ``day``; each of their meetings still scheduled that
    day is checked in (one audited transition each; a counterpart who then misses one is marked
    with :func:`mark_no_show`). Refused for a withdrawn participant, nothing changed."""
    permissions.require(actor, "matchmaking.onsite", participant.event)
    participant = Participant.objects.select_for_update().select_related("person").get(pk=participant.pk)
    if participant.status != ParticipantStatus.REGISTERED:
        raise ValidationError(
            {"participant": _("%(name)s has withdrawn from the event.") % {"name": participant.person.name}}
        )
    meetings = ScheduledMeeting.objects.filter(
        _side_q(participant, "request__"), slot__day=day, status=Attendance.SCHEDULED
    ).order_by("slot__starts_at")
    return [fire_meeting(actor, m, "check_in") for m in meetings]


# --- afterwards: outcomes and project ideas ------------------------------------------------
@transaction.atomic
def record_outcome(
    actor: Any,
    meeting: ScheduledMeeting,
    participant: Participant,
    result: str,
    note: str = "",
    *,
    is_demo: bool = False,
) -> Outcome:
    """One side says what came of a held meeting (once per side; recording again edits it)."""
    permissions.require(actor, "matchmaking.participant.act", participant)
    if participant.pk not in (meeting.request.requester_id, meeting.request.requested_id):
        raise ValidationError({"participant": _("Only the two sides of a meeting record its outcome.")})
    if meeting.status != Attendance.HELD:
        raise ValidationError({"__all__": _("An outcome is recorded once the meeting was held.")})
    if result not in OutcomeResult.values:
        raise ValidationError({"result": _("Choose an outcome from the list.")})
    values = {"result": result, "note": (note or "").strip(), "recorded_by": user_of(actor)}
    existing = Outcome.objects.filter(meeting=meeting, participant=participant).first()
    if existing is not None:
        return update_object(actor, existing, "matchmaking.outcome.edit", values)
    return create_object(
        actor,
        Outcome,
        "matchmaking.outcome.record",
        {**values, "meeting": meeting, "participant": participant, "is_demo": is_demo},
    )


@transaction.atomic
def open_project_idea(actor: Any, outcome: Outcome, title: str, summary: str = "") -> Any:
    """Open a project idea from a meeting's outcome, through the projects' create operation, with
    both organisations as implementing participants and both countries."""
    side = outcome.participant
    permissions.require(actor, "matchmaking.participant.act", side)
    if outcome.project_id is not None:
        raise ValidationError({"__all__": _("This outcome has already opened a project idea.")})
    if outcome.result == OutcomeResult.NO_FIT:
        raise ValidationError({"__all__": _("A meeting recorded as “no fit” does not open a project idea.")})
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the project idea a title.")})
    request = outcome.meeting.request
    sides = [request.requester, request.requested]
    countries = [s.country for s in sides if s.country is not None]
    lang = _language()
    values = {"title": {"values": {lang: title}, "source": lang}, "is_demo": outcome.is_demo}
    if summary.strip():
        values["summary"] = {"values": {lang: summary.strip()}, "source": lang}
    project = project_operations.create_project(actor, values, countries=list({c.pk: c for c in countries}.values()))
    for org in {s.organisation_id: s.organisation for s in sides}.values():
        project_operations.add_participation(actor, project, org, "4")
    update_object(actor, outcome, "matchmaking.outcome.project", {"project": project})
    return project


def _language() -> str:
    from django.conf import settings
    from django.utils import translation

    lang = translation.get_language() or settings.LANGUAGE_CODE
    return lang.split("-")[0] if lang.split("-")[0] in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def side_of(meeting: ScheduledMeeting, participants: Iterable[Participant]) -> Participant | None:
    """The side of ``meeting`` among ``participants`` (e.g. those the user acts for)."""
    ids = {
        meeting.request.requester_id: meeting.request.requester,
        meeting.request.requested_id: meeting.request.requested,
    }
    return next((ids[p.pk] for p in participants if p.pk in ids), None)


# --- the scheduler (serai.matchmaking.schedule; the reads are serai.matchmaking.scheduling) --------
def _schedule_summary(loaded, result, written: dict[str, int]) -> dict[str, Any]:
    counts = schedule.meetings_per_participant(loaded.problem, result.placements)
    return {
        "accepted": len(loaded.problem.requests),
        "placed": len(result.placements),
        "kept": len(loaded.problem.pinned),
        **written,
        "with_none": sum(1 for c in counts.values() if c == 0),
        "upper_bound": schedule.upper_bound(loaded.problem),
        "method": result.method,
    }


def run_scheduler(actor: Any, event: Event, *, time_limit: float = 15.0) -> dict[str, Any]:
    """Place the event's accepted requests into slots and tables (rule ``matchmaking.manage``;
    event transition ``schedule``, from "registration closed" or "scheduled" again).

    Confirmed meetings (and those already held or marked as no-show) stay where they are; the
    others may move or leave the schedule. The solver runs outside the transaction; then, with the
    event locked, the problem is read again and must be unchanged (else nothing is written and the
    Secretariat is asked to run it again), and the placements are written in one transaction: one
    audit entry per meeting placed, moved or taken out (``matchmaking.meeting.place`` /
    ``.unplace``), and the event's ``schedule`` transition with the summary (counts, the upper
    bound, the method). Each participant whose agenda changed is told. Returns the summary."""
    permissions.require(actor, "matchmaking.manage", event)
    step = workflow.EVENT_MACHINE.get("schedule")
    problems = workflow.EVENT_MACHINE.problems(actor, event, step, workflow.Context(reason=""))
    if problems:
        raise workflow.TransitionError("schedule", problems)
    loaded = scheduling.load(event)
    trouble = scheduling.pinned_problems(loaded)
    if trouble:
        raise scheduling.validation_error(trouble)
    try:
        result = schedule.solve(loaded.problem, time_limit=time_limit)
    except schedule.ScheduleError as exc:
        raise scheduling.validation_error(exc) from None
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if scheduling.load(locked).problem != loaded.problem:
            raise ValidationError(
                _("The event changed while the scheduler ran (a request, a registration or a meeting). Run it again.")
            )
        schedule.check(loaded.problem, result.placements)  # the solver's result, checked once more
        written, changed = _write_schedule(actor, locked, loaded, result)
        summary = _schedule_summary(loaded, result, written)
        fire(
            actor,
            workflow.EVENT_MACHINE,
            locked,
            "schedule",
            values={"scheduled_at": timezone.now()},
            audit_extra={"schedule": summary},
            locked=True,
        )
        _tell_scheduled(actor, locked, loaded, result, changed)
    return summary


def _write_schedule(actor: Any, event: Event, loaded, result) -> tuple[dict[str, int], set[int]]:
    """Write the placements that changed; returns the counts and the participants whose agenda changed."""
    want = {pl.request: (pl.slot, pl.table) for pl in result.placements if not pl.pinned}
    movable = {rid: m for rid, m in loaded.live.items() if not scheduling.is_pinned(m)}
    gone = [m for rid, m in movable.items() if want.get(rid) != (m.slot_id, m.table_id)]
    changed = set()
    before = {}
    for m in gone:  # taken out or moved: the row goes first, so its (slot, table) is free again
        before[m.request_id] = audit.snapshot(m)
        request = loaded.requests[m.request_id]
        changed.update((request.requester_id, request.requested_id))
    ScheduledMeeting.objects.filter(pk__in=[m.pk for m in gone]).delete()
    for m in gone:
        if m.request_id not in want:
            audit.record(actor, "matchmaking.meeting.unplace", m, before=before[m.request_id], after={})
    fresh = [
        ScheduledMeeting(
            request_id=rid,
            event=event,
            slot_id=slot,
            table_id=table,
            is_demo=loaded.requests[rid].is_demo,
        )
        for rid, (slot, table) in sorted(want.items())
        if rid not in movable or movable[rid] in gone
    ]
    ScheduledMeeting.objects.bulk_create(fresh)
    for m in ScheduledMeeting.objects.filter(request_id__in=[m.request_id for m in fresh]):
        audit.record(actor, "matchmaking.meeting.place", m, before=before.get(m.request_id), after=audit.snapshot(m))
        request = loaded.requests[m.request_id]
        changed.update((request.requester_id, request.requested_id))
    moved = sum(1 for m in fresh if m.request_id in before)
    written = {
        "new": len(fresh) - moved,
        "moved": moved,
        "unplaced": sum(1 for m in gone if m.request_id not in want),
        "unchanged": len(movable) - len(gone),
    }
    return written, changed


def _tell_scheduled(actor: Any, event: Event, loaded, result, changed: set[int]) -> None:
    counts = schedule.meetings_per_participant(loaded.problem, result.placements)
    name = _event_name(event)
    for pid in sorted(changed):
        participant = loaded.participants[pid]
        workspace.notify(
            actor,
            "matchmaking.scheduled",
            _side_holders(participant),
            params={"event": name, "count": counts.get(pid, 0)},
            link=("matchmaking:agenda", [event.pk, participant.pk]),
        )


@transaction.atomic
def place_meeting(
    actor: Any, request: MeetingRequest, slot: Slot, table: Table, *, confirmed: bool = False
) -> ScheduledMeeting:
    """Place one accepted request by hand (rule ``matchmaking.manage``), or move its unconfirmed
    meeting: refused, with nothing changed and the reason named, when the slot or table is not the
    event's, a side is not available in the slot or already meets someone then, the table is taken
    in the slot, or it lacks the interpretation the pair needs. Audited as
    ``matchmaking.meeting.place``; both sides are told."""
    permissions.require(actor, "matchmaking.manage", request.event)
    Event.objects.select_for_update().get(pk=request.event_id)  # one placement at a time per event
    request = MeetingRequest.objects.select_related("requester__person", "requested__person").get(pk=request.pk)
    if request.status != RequestStatus.ACCEPTED:
        raise ValidationError({"request": _("Only an accepted request is placed.")})
    errors = {}
    if slot.event_id != request.event_id:
        errors["slot"] = _("Choose a slot of this event.")
    if table.event_id != request.event_id:
        errors["table"] = _("Choose a table of this event.")
    if errors:
        raise ValidationError(errors)
    loaded = scheduling.load(request.event)
    if request.pk not in loaded.requests:
        raise ValidationError({"request": _("One of the participants has withdrawn from the event.")})
    current = loaded.live.get(request.pk)
    if current is not None and scheduling.is_pinned(current):
        raise ValidationError({"request": _("This meeting is confirmed: it keeps its slot and table.")})
    others = [schedule.Placement(rid, m.slot_id, m.table_id) for rid, m in loaded.live.items() if rid != request.pk]
    mine = schedule.Placement(request.pk, slot.pk, table.pk)
    found = {}
    for field, words in scheduling.placement_problems(loaded, others, mine):
        found.setdefault(field, []).append(words)
    if found:
        raise ValidationError(found)
    before = audit.snapshot(current) if current is not None else None
    if current is not None:
        current.delete()
    meeting = ScheduledMeeting(
        request=request, event_id=request.event_id, slot=slot, table=table, confirmed=confirmed, is_demo=request.is_demo
    )
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError:
        raise ValidationError(
            {"table": _("%(table)s is full in this slot: another meeting is placed there.") % {"table": table}}
        ) from None
    audit.record(actor, "matchmaking.meeting.place", meeting, before=before, after=audit.snapshot(meeting))
    counts = schedule.meetings_per_participant(loaded.problem, [*others, mine])
    for side in (request.requester, request.requested):
        workspace.notify(
            actor,
            "matchmaking.scheduled",
            _side_holders(side),
            params={"event": _event_name(request.event), "count": counts.get(side.pk, 0)},
            link=("matchmaking:agenda", [request.event_id, side.pk]),
        )
    return meeting


def confirm_meeting(actor: Any, meeting: ScheduledMeeting, confirmed: bool = True) -> ScheduledMeeting:
    """Confirm a placed meeting (it then keeps its slot and table when the scheduler runs again),
    or release it (rule ``matchmaking.manage``; audited as ``matchmaking.meeting.confirm``)."""
    permissions.require(actor, "matchmaking.manage", meeting.event)
    if meeting.status == Attendance.CANCELLED:
        raise ValidationError({"__all__": _("A cancelled meeting is not confirmed.")})
    return update_object(actor, meeting, "matchmaking.meeting.confirm", {"confirmed": bool(confirmed)})
