"""Personal agendas (page, iCalendar, PDF), table sheets and the day's desk (check-in, no-show,
table changes). Thin: read through :mod:`.agenda` with the permission filters, validate with
:mod:`.forms_agenda`, write through :mod:`.operations`."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from serai.access import permissions
from serai.core import fragments, pdf
from serai.core.forms import error_text

from . import agenda, ical, operations, workflow
from .forms_agenda import ArrivalForm, AttendForm, MoveForm
from .models import Attendance, Event, Participant, ParticipantStatus, ScheduledMeeting, Slot


def _event(request, pk: int) -> Event:
    return get_object_or_404(
        Event.objects.filter(permissions.mm_event_visibility_q(request.user)).select_related("meeting__body"), pk=pk
    )


def _participant(request, event: Event, pk: int) -> Participant:
    """A participant whose agenda the user may open (else 404: nothing about who is registered leaks)."""
    return get_object_or_404(
        Participant.objects.filter(permissions.mm_agenda_q(request.user), event=event).select_related(
            "person", "organisation", "country", "event__meeting__body"
        ),
        pk=pk,
    )


def _language(request, participant: Participant) -> str:
    """``?lang=`` when it names an interface language, else the participant's own."""
    asked = request.GET.get("lang", "")
    return asked if asked in dict(settings.LANGUAGES) else agenda.participant_language(participant)


def _filename(*parts) -> str:
    return "-".join(str(p) for p in parts)


@login_required
def agenda_index(request, event_pk: int):
    """The agendas the user may open: their own (straight to it when there is one), or everyone's
    for the Secretariat, with the table sheets and the day's desk."""
    event = _event(request, event_pk)
    mine = list(
        Participant.objects.filter(permissions.mm_agenda_q(request.user), event=event)
        .select_related("person", "organisation", "country")
        .order_by("organisation__id", "id")
    )
    onsite = permissions.can(request.user, "matchmaking.onsite", event)
    if len(mine) == 1 and not onsite:
        return redirect("matchmaking:agenda", event.pk, mine[0].pk)
    return render(
        request,
        "matchmaking/agenda_index.html",
        {"event": event, "participants": mine, "tables": event.tables.all() if onsite else [], "onsite": onsite},
    )


@login_required
def agenda_page(request, event_pk: int, pk: int):
    event = _event(request, event_pk)
    participant = _participant(request, event, pk)

    def respond():
        rows = agenda.participant_rows(participant, agenda.meetings_of(participant))
        return render(
            request,
            "matchmaking/agenda.html",
            {
                "event": event,
                "participant": participant,
                "rows": rows,
                "tz_name": event.time_zone,
                "onsite": permissions.can(request.user, "matchmaking.onsite", event),
            },
        )

    # kept in the viewer's fragments until an audited write (serai.core.fragments)
    return fragments.page(request, f"agenda-{pk}", respond)


@login_required
def agenda_ics(request, event_pk: int, pk: int):
    event = _event(request, event_pk)
    participant = _participant(request, event, pk)
    with translation.override(_language(request, participant)):
        rows = agenda.participant_rows(participant, agenda.meetings_of(participant, with_cancelled=True))
        text = ical.calendar(
            rows,
            name=_("Matchmaking agenda: %(name)s") % {"name": agenda.participant_label(participant)},
            host=request.get_host().split(":")[0],
            url=request.build_absolute_uri(reverse("matchmaking:agenda", args=[event.pk, participant.pk])),
        )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("agenda", event.pk, participant.pk)}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def agenda_pdf(request, event_pk: int, pk: int):
    event = _event(request, event_pk)
    participant = _participant(request, event, pk)
    lang = _language(request, participant)
    with translation.override(lang):
        context = {
            "participant_label": agenda.participant_label(participant),
            "event_label": agenda.event_label(event),
            "tz_name": event.time_zone,
            "rows": agenda.participant_rows(participant, agenda.meetings_of(participant)),
        }
    document = pdf.render_pdf("matchmaking/pdf/agenda_participant.html", context, language=lang)
    return pdf.pdf_response(document, _filename("agenda", event.pk, participant.pk, lang))


@login_required
def table_pdf(request, event_pk: int, table_pk: int):
    """A table's sheet (every day; ``?day=`` for one): slot, the two sides, interpretation."""
    event = _event(request, event_pk)
    permissions.require(request.user, "matchmaking.onsite", event)
    table = get_object_or_404(event.tables.select_related("event__meeting__body"), pk=table_pk)
    asked = request.GET.get("lang", "")
    lang = asked if asked in dict(settings.LANGUAGES) else (translation.get_language() or settings.LANGUAGE_CODE)
    meetings = agenda.meetings_at(table)
    day = _day(request, event, default=None)
    if day is not None:
        meetings = meetings.filter(slot__day=day)
    with translation.override(lang):
        context = {
            "table_label": str(table),
            "table_interpretation": str(table.get_interpretation_display()),
            "event_label": agenda.event_label(event),
            "tz_name": event.time_zone,
            "rows": agenda.table_rows(table, meetings),
        }
    document = pdf.render_pdf("matchmaking/pdf/agenda_table.html", context, language=lang)
    return pdf.pdf_response(document, _filename("table", event.pk, table.number, day or "all", lang))


# --- the day's desk --------------------------------------------------------------------------
def _day(request, event: Event, *, default="auto") -> dt.date | None:
    days = [dt.date.fromisoformat(d) for d in event.days]
    raw = request.GET.get("day") or request.POST.get("day") or ""
    try:
        asked = dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        asked = None
    if asked in days:
        return asked
    if default != "auto":
        return default
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(event.time_zone)).date()
    return today if today in days else (days[0] if days else None)


def _board(request, event: Event, *, day=None, errors=None, status: int = 200):
    day = day or _day(request, event)
    tables = list(event.tables.all())
    slots = list(Slot.objects.filter(event=event, day=day).order_by("starts_at"))
    meetings = list(
        ScheduledMeeting.objects.filter(event=event, slot__day=day)
        .exclude(status=Attendance.CANCELLED)
        .select_related(*agenda.MEETING_RELATED, "no_show_by__person")
        .order_by("slot__starts_at", "table__number")
    )
    taken = {(m.slot_id, m.table_id) for m in meetings}
    tz = zoneinfo.ZoneInfo(event.time_zone)
    by_slot = {s.pk: [] for s in slots}
    for m in meetings:
        m.needed = agenda.interpretation_label(agenda.needed_interpretation(m.request))
        m.free_tables = [t for t in tables if (m.slot_id, t.pk) not in taken]
        by_slot.setdefault(m.slot_id, []).append(m)
    rows = [
        {
            "slot": s,
            "time": f"{s.starts_at.astimezone(tz):%H:%M}–{s.ends_at.astimezone(tz):%H:%M}",
            "meetings": by_slot[s.pk],
        }
        for s in slots
    ]
    participants = (
        Participant.objects.filter(event=event, status=ParticipantStatus.REGISTERED)
        .select_related("person", "organisation", "country")
        .order_by("person__id")
    )
    return render(
        request,
        "matchmaking/agenda_day.html",
        {
            "event": event,
            "day": day,
            "days": [dt.date.fromisoformat(d) for d in event.days],
            "rows": rows,
            "participants": participants,
            "tz_name": event.time_zone,
            "errors": errors or [],
        },
        status=status,
    )


@login_required
def day_board(request, event_pk: int):
    event = _event(request, event_pk)
    permissions.require(request.user, "matchmaking.onsite", event)
    return _board(request, event)


def _meeting(event: Event, pk: int) -> ScheduledMeeting:
    return get_object_or_404(
        ScheduledMeeting.objects.filter(event=event).select_related(*agenda.MEETING_RELATED), pk=pk
    )


def _back(event: Event, meeting: ScheduledMeeting | None = None, day: dt.date | None = None):
    day = day or (meeting.slot.day if meeting is not None else None)
    url = reverse("matchmaking:agenda_day", args=[event.pk])
    return redirect(f"{url}?day={day.isoformat()}" if day else url)


@login_required
@require_POST
def meeting_attend(request, event_pk: int, pk: int):
    event = _event(request, event_pk)
    permissions.require(request.user, "matchmaking.onsite", event)
    meeting = _meeting(event, pk)
    form = AttendForm(request.POST, meeting=meeting)
    if not form.is_valid():
        return _board(request, event, day=meeting.slot.day, errors=[error_text(form)], status=400)
    try:
        if form.cleaned_data["name"] == "check_in":
            moved = operations.check_in_meeting(request.user, meeting)
        else:
            who = form.sides.get(form.cleaned_data["no_show_by"])
            moved = operations.mark_no_show(request.user, meeting, who)
    except workflow.TransitionError as exc:
        return _board(request, event, day=meeting.slot.day, errors=exc.problems, status=400)
    messages.success(request, _("The meeting is now “%(status)s”.") % {"status": moved.get_status_display()})
    return _back(event, meeting)


@login_required
@require_POST
def meeting_move(request, event_pk: int, pk: int):
    event = _event(request, event_pk)
    permissions.require(request.user, "matchmaking.onsite", event)
    meeting = _meeting(event, pk)
    form = MoveForm(request.POST, event=event)
    if not form.is_valid():
        return _board(request, event, day=meeting.slot.day, errors=[error_text(form)], status=400)
    try:
        moved = operations.move_meeting(request.user, meeting, form.cleaned_data["table"])
    except workflow.TransitionError as exc:
        return _board(request, event, day=meeting.slot.day, errors=exc.problems, status=400)
    messages.success(request, _("The meeting moved to %(table)s.") % {"table": moved.table})
    return _back(event, meeting)


@login_required
@require_POST
def participant_arrival(request, event_pk: int, pk: int):
    event = _event(request, event_pk)
    permissions.require(request.user, "matchmaking.onsite", event)
    participant = get_object_or_404(Participant.objects.filter(event=event).select_related("person"), pk=pk)
    form = ArrivalForm(request.POST)
    if not form.is_valid() or form.cleaned_data["day"].isoformat() not in event.days:
        return _board(
            request, event, errors=[error_text(form) if form.errors else _("Choose a day of the event.")], status=400
        )
    day = form.cleaned_data["day"]
    try:
        checked = operations.check_in_arrival(request.user, participant, day)
    except (ValidationError, workflow.TransitionError) as exc:
        problems = exc.problems if isinstance(exc, workflow.TransitionError) else exc.messages
        return _board(request, event, day=day, errors=problems, status=400)
    messages.success(
        request,
        ngettext(
            "%(name)s checked in: %(count)s meeting held that day.",
            "%(name)s checked in: %(count)s meetings held that day.",
            len(checked),
        )
        % {"name": participant.person.name, "count": len(checked)},
    )
    return _back(event, day=day)
