"""Between the database and the scheduler (:mod:`serai.matchmaking.schedule`): reads only.

:func:`load` turns an event into the scheduler's plain problem — its slots, tables (with their
interpretation), registered participants (available in every slot but those they marked), the
accepted requests between two registered participants (with the interpretation the pair needs)
and, pinned, the meetings that must stay where they are: confirmed ones, and those already held
or marked as no-show. The write (:func:`serai.matchmaking.operations.run_scheduler`) solves it and
records the result.

Interpretation a pair needs follows ``workflow.table_fits`` (the rule a table change obeys): the
interpretations of the sides who need an interpreter; one pair needs that interpretation, two
different needs make a pair no single table serves (it is not placed).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import schedule
from .models import (
    Attendance,
    Event,
    Interpretation,
    MeetingRequest,
    Participant,
    ParticipantStatus,
    RequestStatus,
    ScheduledMeeting,
    Slot,
    Table,
)


@dataclass
class Loaded:
    """The problem, with the rows behind each id (ids are primary keys)."""

    problem: schedule.Problem
    slots: dict[int, Slot]
    tables: dict[int, Table]
    participants: dict[int, Participant]
    requests: dict[int, MeetingRequest]
    live: dict[int, ScheduledMeeting]  # request id -> its meeting that is not cancelled


def needed_interpretation(a: Participant, b: Participant) -> str | None:
    needs = sorted(
        {s.interpretation for s in (a, b) if s.needs_interpreter and s.interpretation != Interpretation.NONE}
    )
    if not needs:
        return None
    return "+".join(needs)  # two different needs: a label no table offers


def is_pinned(meeting: ScheduledMeeting) -> bool:
    return meeting.confirmed or meeting.status != Attendance.SCHEDULED


def load(event: Event) -> Loaded:
    """The event's scheduling problem (a constant number of queries)."""
    slots = {s.pk: s for s in Slot.objects.filter(event=event).order_by("starts_at", "pk")}
    tables = {t.pk: t for t in Table.objects.filter(event=event).order_by("number", "pk")}
    people = {
        p.pk: p
        for p in Participant.objects.filter(event=event, status=ParticipantStatus.REGISTERED)
        .select_related("person", "organisation")
        .order_by("pk")
    }
    unavailable = defaultdict(set)
    through = Participant.unavailable_slots.through
    for pid, sid in through.objects.filter(participant__in=list(people)).values_list("participant_id", "slot_id"):
        unavailable[pid].add(sid)
    requests = {
        r.pk: r
        for r in MeetingRequest.objects.filter(
            event=event, status=RequestStatus.ACCEPTED, requester__in=list(people), requested__in=list(people)
        ).order_by("decided_at", "pk")  # the order in which they were accepted: the greedy's
    }
    live = {
        m.request_id: m
        for m in ScheduledMeeting.objects.filter(event=event, request__in=list(requests))
        .exclude(status=Attendance.CANCELLED)
        .select_related("slot", "table")
    }
    problem = schedule.Problem(
        slots=tuple(slots),
        tables=tuple(
            schedule.Table(
                t.pk,
                frozenset() if t.interpretation == Interpretation.NONE else frozenset({t.interpretation}),
            )
            for t in tables.values()
        ),
        participants=tuple(
            schedule.Participant(pid, frozenset(s for s in slots if s not in unavailable[pid])) for pid in people
        ),
        requests=tuple(
            schedule.Request(
                r.pk,
                r.requester_id,
                r.requested_id,
                needed_interpretation(people[r.requester_id], people[r.requested_id]),
            )
            for r in requests.values()
        ),
        pinned=tuple(schedule.Placement(rid, m.slot_id, m.table_id) for rid, m in sorted(live.items()) if is_pinned(m)),
    )
    return Loaded(problem, slots, tables, people, requests, live)


def pinned_problems(loaded: Loaded) -> list[str]:
    """What makes the meetings that must stay impossible to keep, in words (empty: none)."""
    out = []
    available = {p.id: p.available for p in loaded.problem.participants}
    for pl in loaded.problem.pinned:
        request = loaded.requests[pl.request]
        slot = loaded.slots[pl.slot]
        for pid in (request.requester_id, request.requested_id):
            if pl.slot not in available[pid]:
                out.append(
                    _("%(name)s is no longer available at %(slot)s, where a confirmed meeting is placed.")
                    % {"name": loaded.participants[pid].person, "slot": slot}
                )
    return out


def validation_error(problem: schedule.ScheduleError | list[str]) -> ValidationError:
    if isinstance(problem, list):
        return ValidationError(problem)
    return ValidationError(_("The schedule cannot be made: %(problem)s") % {"problem": problem})


def placement_problems(loaded: Loaded, others: list[schedule.Placement], mine: schedule.Placement) -> list[tuple]:
    """Why ``mine`` cannot join ``others`` (the event's other live meetings), as (field, words)."""
    out = []
    request = loaded.requests[mine.request]
    slot, table = loaded.slots[mine.slot], loaded.tables[mine.table]
    available = {p.id: p.available for p in loaded.problem.participants}
    sides = (request.requester_id, request.requested_id)
    busy = set()
    for pl in others:
        if pl.slot != mine.slot:
            continue
        other = loaded.requests.get(pl.request)
        if pl.table == mine.table:
            out.append(
                (
                    "table",
                    _("%(table)s is full at %(slot)s: another meeting is placed there.")
                    % {"table": table, "slot": slot},
                )
            )
        if other is not None:
            busy.update((other.requester_id, other.requested_id))
    for pid in sides:
        name = loaded.participants[pid].person
        if mine.slot not in available[pid]:
            out.append(("slot", _("%(name)s is not available at %(slot)s.") % {"name": name, "slot": slot}))
        elif pid in busy:
            out.append(("slot", _("%(name)s already has a meeting at %(slot)s.") % {"name": name, "slot": slot}))
    need = needed_interpretation(loaded.participants[sides[0]], loaded.participants[sides[1]])
    if need is not None and need != table.interpretation:
        labels = ", ".join(str(Interpretation(c).label) for c in need.split("+"))
        out.append(
            (
                "table",
                _("%(table)s has no %(interpretation)s interpretation, which this meeting needs.")
                % {"table": table, "interpretation": labels},
            )
        )
    return out
