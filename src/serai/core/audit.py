"""Recording writes. Every function in an ``operations`` module ends by calling :func:`record`.

:func:`snapshot` turns a model instance into JSON-safe field values; :func:`record` stores the
difference between two snapshots, so an entry says exactly which fields changed and how.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .i18n import TranslatedText
from .models import AuditEntry

SYSTEM = "system"


class SystemActor:
    """The actor for writes made by a command rather than a person (loaders, demo data).

    Permission checks treat it as Secretariat staff; the audit log names the command.
    """

    is_authenticated = True
    is_active = True
    is_superuser = False
    pk = None

    def __init__(self, command: str) -> None:
        self.command = command

    def __str__(self) -> str:
        return f"{SYSTEM}: {self.command}"


def _json_value(value: Any) -> Any:
    if isinstance(value, TranslatedText):
        return value.to_json()
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model | None, m2m: tuple[str, ...] = ()) -> dict[str, Any]:
    """Concrete field values of ``obj`` (foreign keys by id), plus the named many-to-many ids."""
    if obj is None:
        return {}
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        data[field.attname] = _json_value(getattr(obj, field.attname))
    if obj.pk is not None:
        for name in m2m:
            data[name] = sorted(getattr(obj, name).values_list("pk", flat=True))
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    changes: dict[str, dict[str, Any]] = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old != new:
            changes[key] = {"before": old, "after": new}
    return changes


def actor_label(actor: Any) -> str:
    if actor is None:
        return SYSTEM
    if isinstance(actor, (str, SystemActor)):
        return str(actor)
    full = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    username = actor.get_username()
    return f"{full} ({username})" if full else username


def record(
    actor: Any,
    action: str,
    obj: models.Model | None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    extra: dict[str, Any] | None = None,
) -> AuditEntry:
    """Store one audit entry. ``actor`` is a user, ``None`` for the system, or a label string."""
    changes = diff(before or {}, after or {})
    if extra:
        changes.update({k: {"before": None, "after": _json_value(v)} for k, v in extra.items()})
    user = actor if getattr(actor, "pk", None) and not isinstance(actor, (str, SystemActor)) else None
    return AuditEntry.objects.create(
        actor=user,
        actor_label=actor_label(actor)[:200],
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        changes=changes,
        reason=reason,
    )


def entries_for(obj: models.Model) -> models.QuerySet[AuditEntry]:
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return AuditEntry.objects.filter(content_type=ct, object_id=str(obj.pk)).select_related("actor")
