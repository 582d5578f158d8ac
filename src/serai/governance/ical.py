"""iCalendar (RFC 5545) feeds of meetings, written with the ``icalendar`` library: it escapes TEXT
values (every line break — CR, LF or CRLF — becomes ``\\n``), folds long lines and ends them with
CRLF. Meetings are all-day events with an exclusive DTEND; a meeting whose date is not set yet is
left out (a calendar has no way to say "some day in 2027", and 1 January would be invented)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from icalendar import Calendar, Event

STATUS = {"planned": "TENTATIVE", "held": "CONFIRMED", "cancelled": "CANCELLED"}


def calendar(meetings: Iterable, *, name: str, host: str, url_for) -> bytes:
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", "-//Serai//Forum secretariat//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for m in meetings:
        start = m.start_date
        if start is None:
            continue
        event = Event()
        event.add("uid", f"meeting-{m.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", (m.end_date or start) + dt.timedelta(days=1))
        event.add("summary", f"{m.body.name}{' ' + str(m.number) if m.number else ''}")
        event.add("status", STATUS.get(m.status, "TENTATIVE"))
        event.add("url", url_for(m))
        where = ", ".join(
            x
            for x in (
                str(m.host_city) if getattr(m, "host_city", None) else "",
                str(m.host_country.name) if m.host_country_id else "",
            )
            if x
        )
        if where:
            event.add("location", where)
        theme = str(m.theme) if getattr(m, "theme", None) else ""
        if theme:
            event.add("description", theme)
        cal.add_component(event)
    return cal.to_ical()
