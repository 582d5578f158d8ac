"""Recording writes. Every function in an ``operations`` module ends by calling :func:`record`.

:func:`snapshot` turns a model instance into JSON-safe field values; :func:`record` stores the
difference between two snapshots, so an entry says exactly which fields changed and how.

The log is a hash chain: each entry stores ``prev_hash`` (the hash of the entry before it, in id
order; :data:`GENESIS` for the first) and ``hash`` = :func:`chain_hash` of its content and
``prev_hash``. :func:`record` appends under a lock so concurrent writers never fork the chain;
:func:`verify_chain` walks the log and names the first broken link (``serai audit verify``).
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import math
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, router, transaction
from django.utils import timezone

from . import stamps
from .actors import user_of
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


# --- the hash chain -------------------------------------------------------------------------
GENESIS = "0" * 64
# pg_advisory_xact_lock key serialising appends to the chain (any constant bigint; "serai-audit").
CHAIN_LOCK_KEY = int.from_bytes(hashlib.sha256(b"serai-audit-chain").digest()[:8], "big", signed=True)


def _canonical(value: Any) -> Any:
    """JSON values as every database gives them back: PostgreSQL's jsonb returns integral floats
    beyond 1e16 as integers and reorders keys, so floats that are whole numbers hash as integers
    and keys are sorted when dumped."""
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return int(value)
        return value
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    return value


def chain_hash(
    prev_hash: str,
    *,
    at: dt.datetime,
    actor_label: str,
    action: str,
    content_type: str,
    object_id: str,
    object_repr: str,
    changes: Any,
    reason: str,
) -> str:
    """SHA-256 (hex) of one entry's content and the previous entry's hash.

    ``content_type`` is the natural key ``app_label.model`` (ids differ between installations, so
    a restored backup still verifies); ``at`` counts in UTC to the microsecond. ``actor`` (the
    user id) is not hashed: it becomes NULL when an account is deleted; ``actor_label`` is.
    """
    if timezone.is_naive(at):
        at = timezone.make_aware(at, dt.UTC)
    payload = {
        "prev": prev_hash,
        "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor": actor_label,
        "action": action,
        "type": content_type,
        "object_id": object_id,
        "object": object_repr,
        "changes": _canonical(changes),
        "reason": reason,
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _content_type_label(ct: ContentType | None) -> str:
    return f"{ct.app_label}.{ct.model}" if ct is not None else ""


def lock_chain(using: str) -> None:
    """Serialise appends to the chain until the current transaction ends.

    PostgreSQL: a transaction-level advisory lock (released at commit or rollback), so the next
    writer reads the last hash only once this one's entry is committed. SQLite: transactions are
    BEGIN IMMEDIATE (settings), so writers are serialised already.
    """
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


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
    """Store one audit entry, appended to the hash chain. ``actor`` is a user, ``None`` for the
    system, or a label string."""
    changes = diff(before or {}, after or {})
    if extra:
        changes.update({k: {"before": None, "after": _json_value(v)} for k, v in extra.items()})
    # What the database will give back (tuples become lists, keys strings): the hash is of that.
    changes = json.loads(json.dumps(changes))
    user = user_of(actor)
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=True) if obj is not None else None
    entry = AuditEntry(
        at=timezone.now(),
        actor=user,
        actor_label=actor_label(actor)[:200],
        action=action,
        content_type=ct,
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        changes=changes,
        reason=reason,
    )
    using = router.db_for_write(AuditEntry)
    # No savepoint: if the insert fails, the writer's whole transaction fails with it.
    with transaction.atomic(using=using, savepoint=False):
        lock_chain(using)
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {connection.ops.quote_name('hash')} FROM "
                f"{connection.ops.quote_name(AuditEntry._meta.db_table)} ORDER BY id DESC LIMIT 1"
            )
            last = cursor.fetchone()
        entry.prev_hash = last[0] if last and last[0] else GENESIS
        entry.hash = entry_hash(entry, _content_type_label(ct))
        entry.save(using=using, force_insert=True)
        stamps.bump(entry.pk, obj, using=using)
    return entry


def entry_hash(entry: AuditEntry, content_type: str) -> str:
    """The hash ``entry`` should carry, given its stored ``prev_hash``."""
    return chain_hash(
        entry.prev_hash,
        at=entry.at,
        actor_label=entry.actor_label,
        action=entry.action,
        content_type=content_type,
        object_id=entry.object_id,
        object_repr=entry.object_repr,
        changes=entry.changes,
        reason=entry.reason,
    )


@dataclass
class ChainReport:
    entries: int  # entries checked (up to and including a broken one)
    head_id: int | None = None  # the last entry checked
    head_hash: str = ""
    broken_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def iter_entries(using: str = "default", batch: int = 2000) -> Iterator[AuditEntry]:
    """Every entry in id order, ``batch`` at a time by id (flat memory on any database)."""
    last = 0
    qs = (
        AuditEntry.objects.using(using)
        .order_by("id")
        .only(
            "id",
            "at",
            "actor_label",
            "action",
            "content_type_id",
            "object_id",
            "object_repr",
            "changes",
            "reason",
            "prev_hash",
            "hash",
        )
    )
    while True:
        rows = list(qs.filter(id__gt=last)[:batch])
        if not rows:
            return
        yield from rows
        last = rows[-1].id


def verify_chain(using: str = "default", batch: int = 2000) -> ChainReport:
    """Walk the log in id order; stop at the first entry whose link or content does not match."""
    labels = {ct.id: _content_type_label(ct) for ct in ContentType.objects.using(using).all()}
    report = ChainReport(entries=0)
    expected_prev = GENESIS
    previous_id: int | None = None
    for entry in iter_entries(using, batch):
        report.entries += 1
        if entry.prev_hash != expected_prev:
            where = f"entry {previous_id}" if previous_id is not None else "the start of the log"
            report.broken_id = entry.id
            report.problem = (
                f"its prev_hash does not match the hash of {where}: an entry between them was deleted, "
                f"or one was inserted or re-hashed"
            )
            return report
        if entry.content_type_id is not None and entry.content_type_id not in labels:
            report.broken_id = entry.id
            report.problem = f"its content type {entry.content_type_id} does not exist"
            return report
        actual = entry_hash(entry, labels.get(entry.content_type_id, ""))
        if actual != entry.hash:
            report.broken_id = entry.id
            report.problem = "its content does not match its hash: the entry was changed after it was recorded"
            return report
        expected_prev = entry.hash
        previous_id = entry.id
        report.head_id, report.head_hash = entry.id, entry.hash
    return report


def entries_for(obj: models.Model) -> models.QuerySet[AuditEntry]:
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return AuditEntry.objects.filter(content_type=ct, object_id=str(obj.pk)).select_related("actor")
