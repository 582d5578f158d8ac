"""Reads of meetings, filtered by permission."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from serai.access import permissions

from .models import Meeting, MeetingStatus


def meetings(user: Any) -> QuerySet[Meeting]:
    qs = Meeting.objects.select_related("body", "host_country")
    if not permissions.principal(user).secretariat:
        qs = qs.filter(Q(status=MeetingStatus.HELD) | Q(status=MeetingStatus.PLANNED))
    return qs


def forum_sessions(user: Any) -> QuerySet[Meeting]:
    return meetings(user).filter(body__kind="forum").order_by("-year", "-number")
