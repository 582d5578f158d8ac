"""Writes to meetings. The governance issue adds agendas, minutes, decisions and actions."""

from __future__ import annotations

from typing import Any

from serai.access import permissions
from serai.core.operations import create_object, update_object
from serai.reference.models import Origin

from .models import Meeting


def create_meeting(actor: Any, values: dict[str, Any]) -> Meeting:
    permissions.require(actor, "meeting.create")
    return create_object(actor, Meeting, "meeting.create", {**values, "origin": Origin.STAFF})


def update_meeting(actor: Any, meeting: Meeting, values: dict[str, Any], expected_version: int | None = None) -> Meeting:
    """Staff corrections; a corrected reference row is no longer refreshed by ``loadreference``."""
    permissions.require(actor, "meeting.edit", meeting)
    return update_object(
        actor, meeting, "meeting.update", {**values, "origin": Origin.STAFF}, expected_version=expected_version
    )
