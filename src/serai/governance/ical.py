"""iCalendar (RFC 5545) feeds of meetings, written by hand: CRLF line ends, lines folded at 75
octets, TEXT values escaped, all-day events with an exclusive DTEND."""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from django.utils import timezone

STATUS = {"planned": "TENTATIVE", "held": "CONFIRMED", "cancelled": "CANCELLED"}


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")


def _fold(line: str) -> str:
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line
    parts, current = [], b""
    for ch in line:
        b = ch.encode("utf-8")
        if len(current) + len(b) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += b
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def calendar(meetings: Iterable, *, name: str, host: str, url_for) -> str:
    stamp = timezone.now().astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Serai//Forum secretariat//EN", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{_escape(name)}"]
    for m in meetings:
        start = m.start_date or (dt.date(m.year, 1, 1) if m.year else None)
        if start is None:
            continue
        end = (m.end_date or start) + dt.timedelta(days=1)
        title = f"{m.body.name}{' ' + str(m.number) if m.number else ''}"
        theme = str(m.theme) if getattr(m, "theme", None) else ""
        lines += [
            "BEGIN:VEVENT", f"UID:meeting-{m.pk}@{host}", f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{start:%Y%m%d}", f"DTEND;VALUE=DATE:{end:%Y%m%d}",
            f"SUMMARY:{_escape(title)}", f"STATUS:{STATUS.get(m.status, 'TENTATIVE')}", f"URL:{url_for(m)}",
        ]
        where = ", ".join(x for x in (str(m.host_city) if getattr(m, "host_city", None) else "",
                                      str(m.host_country.name) if m.host_country_id else "") if x)
        if where:
            lines.append(f"LOCATION:{_escape(where)}")
        if theme:
            lines.append(f"DESCRIPTION:{_escape(theme)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
