"""A participant's agenda as iCalendar (RFC 5545), written with the ``icalendar`` library like the
meetings feed (``governance/ical.py``): TEXT values escaped (every line break becomes ``\\n``),
long lines folded, CRLF line ends.

Each scheduled meeting is one VEVENT whose start and end are the slot's times in the event's own
time zone (``DTSTART;TZID=Asia/Almaty:…``), with the VTIMEZONE the calendar needs; its location is
the table, its description names the counterpart and the interpretation. The words are written in
the language active when :func:`calendar` runs (the view activates the participant's language).
A cancelled meeting is kept with STATUS:CANCELLED so a calendar that imported it earlier drops it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event


def calendar(rows: Iterable, *, name: str, host: str, url: str) -> bytes:
    """``rows`` are :class:`serai.matchmaking.agenda.AgendaRow` (start and end aware, in the
    event's zone); ``url`` is the agenda page's address."""
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", "-//Serai//Forum matchmaking//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for row in rows:
        event = Event()
        event.add("uid", f"matchmaking-meeting-{row.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", row.start)
        event.add("dtend", row.end)
        event.add("summary", _("Meeting with %(name)s") % {"name": row.counterpart_label})
        event.add("location", row.table_label)
        lines = [
            _("Counterpart: %(name)s") % {"name": row.counterpart_label},
            _("Table: %(table)s") % {"table": row.table_label},
            _("Interpretation: %(interpretation)s") % {"interpretation": row.interpretation_label},
        ]
        if row.message:
            lines.append(row.message)
        event.add("description", "\n".join(lines))
        event.add("status", "CANCELLED" if row.cancelled else ("CONFIRMED" if row.confirmed else "TENTATIVE"))
        event.add("url", url)
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
