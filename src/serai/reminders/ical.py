"""A person's own calendar (RFC 5545, written with ``icalendar``): their open actions' due dates
and the meetings that concern them, as all-day events (DTEND exclusive). Undated rows are left out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone, translation
from icalendar import Calendar, Event

from serai.governance.ical import STATUS


def calendar(actions: Iterable, meetings: Iterable, *, name: str, host: str, url_for, action_url_for) -> bytes:
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    lang = translation.get_language()
    cal = Calendar()
    cal.add("prodid", "-//Serai//Forum secretariat//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for a in actions:
        if a.due_date is None:
            continue
        event = Event()
        event.add("uid", f"action-{a.pk}-due@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", a.due_date)
        event.add("dtend", a.due_date + dt.timedelta(days=1))
        event.add("summary", translation.gettext("Due: %(title)s") % {"title": a.title.get(lang)})
        event.add("description", str(a.meeting))
        event.add("url", action_url_for(a))
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    for m in meetings:
        if m.start_date is None:
            continue
        event = Event()
        event.add("uid", f"meeting-{m.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", m.start_date)
        event.add("dtend", (m.end_date or m.start_date) + dt.timedelta(days=1))
        event.add("summary", str(m))
        event.add("status", STATUS.get(m.status, "TENTATIVE"))
        event.add("url", url_for(m))
        cal.add_component(event)
    return cal.to_ical()
