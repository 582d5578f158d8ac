"""Personal agendas and table sheets: the scheduled meetings of one participant, or of one table,
as rows ready for the page, the iCalendar feed and the PDFs.

Times are the slot's, in the event's own time zone (never the reader's or the server's), and
pre-formatted here: Django's date filters would move an aware time into the active zone. Names
are read in the active language (the view activates the participant's language for the PDF and
the feed). Reads only: who may see which agenda is decided by the views through
``serai.access.permissions`` (rule ``matchmaking.agenda.view``) and :mod:`.queries`.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

from .models import Attendance, Interpretation, Participant, ScheduledMeeting, Table

MEETING_RELATED = (
    "slot",
    "table",
    "request__requester__person",
    "request__requester__organisation",
    "request__requester__country",
    "request__requested__person",
    "request__requested__organisation",
    "request__requested__country",
)


def needed_interpretation(request: Any) -> set[str]:
    """The language pairs a meeting needs: those of the sides who need an interpreter."""
    return {
        side.interpretation
        for side in (request.requester, request.requested)
        if side.needs_interpreter and side.interpretation != Interpretation.NONE
    }


def interpretation_label(needed: set[str]) -> str:
    if not needed:
        return str(Interpretation.NONE.label)
    return ", ".join(str(Interpretation(code).label) for code in sorted(needed))


def participant_label(participant: Participant) -> str:
    return f"{participant.person.name} — {participant.organisation.name}"


def participant_language(participant: Participant) -> str:
    """The language a participant reads their agenda in: their saved language preference (a login
    with preferences), else the first language they speak that the interface has, else the
    site's default."""
    from serai.workspace.models import Preference

    ui = dict(settings.LANGUAGES)
    user_id = participant.person.user_id
    if user_id is not None:
        saved = Preference.objects.filter(user_id=user_id).values_list("language", flat=True).first()
        if saved in ui:
            return saved
    return next((lang for lang in participant.languages or () if lang in ui), settings.LANGUAGE_CODE)


@dataclass(frozen=True)
class AgendaRow:
    pk: int
    day: dt.date
    start: dt.datetime  # aware, in the event's zone
    end: dt.datetime
    slot_id: int
    table_id: int
    table_label: str
    interpretation_label: str
    status: str
    status_label: str
    confirmed: bool
    message: str
    # one participant's agenda: the other side
    counterpart: Participant | None = None
    counterpart_label: str = ""
    counterpart_country: str = ""
    # a table's sheet: both sides
    side_a: str = ""
    side_b: str = ""

    @property
    def time_label(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"

    @property
    def cancelled(self) -> bool:
        return self.status == Attendance.CANCELLED


def meetings_of(participant: Participant, *, with_cancelled: bool = False) -> QuerySet[ScheduledMeeting]:
    qs = ScheduledMeeting.objects.filter(
        Q(request__requester=participant) | Q(request__requested=participant)
    ).select_related(*MEETING_RELATED)
    if not with_cancelled:
        qs = qs.exclude(status=Attendance.CANCELLED)
    return qs.order_by("slot__starts_at", "table__number")


def meetings_at(table: Table) -> QuerySet[ScheduledMeeting]:
    return (
        ScheduledMeeting.objects.filter(table=table)
        .exclude(status=Attendance.CANCELLED)
        .select_related(*MEETING_RELATED)
        .order_by("slot__starts_at")
    )


def _row(meeting: ScheduledMeeting, tz: zoneinfo.ZoneInfo, **extra: Any) -> AgendaRow:
    start, end = meeting.slot.starts_at.astimezone(tz), meeting.slot.ends_at.astimezone(tz)
    return AgendaRow(
        pk=meeting.pk,
        day=start.date(),
        start=start,
        end=end,
        slot_id=meeting.slot_id,
        table_id=meeting.table_id,
        table_label=str(meeting.table),
        interpretation_label=interpretation_label(needed_interpretation(meeting.request)),
        status=meeting.status,
        status_label=str(meeting.get_status_display()),
        confirmed=meeting.confirmed,
        message=meeting.request.message,
        **extra,
    )


def participant_rows(participant: Participant, meetings) -> list[AgendaRow]:
    tz = zoneinfo.ZoneInfo(participant.event.time_zone)
    rows = []
    for m in meetings:
        other = m.request.requested if m.request.requester_id == participant.pk else m.request.requester
        rows.append(
            _row(
                m,
                tz,
                counterpart=other,
                counterpart_label=participant_label(other),
                counterpart_country=str(other.country.name) if other.country_id else "",
            )
        )
    return rows


def table_rows(table: Table, meetings) -> list[AgendaRow]:
    tz = zoneinfo.ZoneInfo(table.event.time_zone)
    return [
        _row(m, tz, side_a=participant_label(m.request.requester), side_b=participant_label(m.request.requested))
        for m in meetings
    ]


def event_label(event: Any) -> str:
    return str(event.meeting)
