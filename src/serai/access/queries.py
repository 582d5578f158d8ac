"""Reads for the access pages, already filtered by permission."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from . import permissions


@dataclass(frozen=True)
class Lockout:
    username: str
    ip_address: str | None
    failures: int
    last_attempt: datetime
    until: datetime


def current_lockouts(user: Any) -> list[Lockout]:
    """User name + address pairs refused right now (one query); empty unless the viewer may unlock."""
    from axes.models import AccessAttempt

    if not permissions.can(user, "login.unlock"):
        return []
    cooloff = settings.AXES_COOLOFF_TIME
    rows = (
        AccessAttempt.objects.values("username", "ip_address")
        .annotate(failures=Max("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT, last__gt=timezone.now() - cooloff)
        .order_by("-last")
    )
    return [Lockout(r["username"] or "", r["ip_address"], r["failures"], r["last"], r["last"] + cooloff) for r in rows]
