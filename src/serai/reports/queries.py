"""Reads of generated reports, filtered by permission (``report.view``) and by the meeting's own
visibility."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from serai.access import permissions
from serai.governance import queries as governance
from serai.governance.models import Meeting

from .models import GeneratedReport


def reports(user: Any) -> QuerySet[GeneratedReport]:
    return GeneratedReport.objects.filter(
        permissions.report_visibility_q(user), meeting__in=governance.meetings(user).values("pk")
    ).select_related("meeting", "meeting__body", "audience_country")


def report_or_none(user: Any, pk: int) -> GeneratedReport | None:
    return reports(user).filter(pk=pk).first()


def meeting_reports(user: Any, meeting: Meeting) -> list[GeneratedReport]:
    """The newest report of each kind, format, language and audience of the meeting the user may
    see (older ones, made from inputs that have changed since, are left out)."""
    seen: set[tuple] = set()
    out = []
    for report in reports(user).filter(meeting=meeting).order_by("-created_at", "-id"):
        key = (report.kind, report.format, report.language, report.audience, report.audience_country_id)
        if key not in seen:
            seen.add(key)
            out.append(report)
    out.sort(key=lambda r: (r.kind, r.audience, r.audience_country_id or 0, r.language, r.format))
    return out
