"""Version stamps: what changed, and when, in the audit log's own clock.

Every write goes through an operation that records an audit entry (``audit.record``), and
``record`` calls :func:`bump` in the same transaction. A stamp's value is the id of the newest
audit entry that touched it; the names are

* ``app.model`` — the table: any write of any row of it;
* ``~app.model:pk`` — one object (the ``~`` sorts object stamps after every table stamp, so all
  table stamps are one range of the primary key: :func:`tables`);
* the same two for the object's *owner* when the model names one with a ``stamp_owner()`` method
  (a project's result, indicator, participation... returns ``("projects.project", project_id)``),
  so a page of one project is stale when anything shown on it changes;
* ``*`` (``EPOCH``) — a write recorded without an object (bulk loads and generators, which record
  one entry when they finish): every fragment key holds it, so such a write refreshes everything.

Reading the stamps a fragment depends on is one indexed query (:func:`read`); the table stamps
are read once per request (:func:`tables`, forgotten when a request starts and ends — the
``StampsMiddleware`` — and whenever this process writes one). Stamps live in the
database, not in a process's memory, so every server and worker sees a write at once, and they
commit or roll back with the write itself: a fragment never outlives what it shows and never
shows what was rolled back.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from django.db import models

from .models import Stamp

EPOCH = "*"
OBJECT = "~"  # object stamps' prefix: sorts after every table name

_memo = threading.local()


def table(model: type[models.Model] | models.Model) -> str:
    """The stamp name of a model's table: ``app_label.model_name``."""
    return model._meta.label_lower


def of(obj: models.Model) -> str:
    """The stamp name of one object."""
    return f"{OBJECT}{table(obj)}:{obj.pk}"


def of_pk(label: str, pk: Any) -> str:
    """The stamp name of the object ``pk`` of the table ``label`` (``projects.project``)."""
    return f"{OBJECT}{label}:{pk}"


def names_for(obj: models.Model | None) -> list[str]:
    """The stamps a write of ``obj`` moves."""
    if obj is None:
        return [EPOCH]
    names = [table(obj)]
    if obj.pk is not None:
        names.append(of(obj))
    owner = getattr(obj, "stamp_owner", None)
    if owner is not None:
        found = owner()
        if found is not None:
            label, pk = found
            names += [label, of_pk(label, pk)]
    return names


def bump(value: int, obj: models.Model | None, *, using: str = "default") -> None:
    """Move the stamps of ``obj`` (its table, itself, its owner) to ``value``: called by
    ``audit.record`` with the new entry's id, inside the writer's transaction."""
    rows = [Stamp(name=name[:120], value=value) for name in dict.fromkeys(names_for(obj))]
    Stamp.objects.using(using).bulk_create(rows, update_conflicts=True, unique_fields=["name"], update_fields=["value"])
    forget()


def forget() -> None:
    """Drop this thread's copy of the table stamps (a request starts or ends, or a write)."""
    _memo.tables = None


def tables() -> dict[str, int]:
    """Every table stamp and ``EPOCH``: one query, kept for the rest of the request."""
    found = getattr(_memo, "tables", None)
    if found is None:
        found = dict(Stamp.objects.filter(name__lt=OBJECT).values_list("name", "value"))
        _memo.tables = found
    return found


def read(names: Iterable[str]) -> dict[str, int]:
    """The current value of each stamp in ``names`` and of ``EPOCH`` (0 for one never written):
    table stamps from :func:`tables`, object stamps in one more query when there are any."""
    wanted = sorted({EPOCH, *names})
    known = tables()
    objects = [n for n in wanted if n.startswith(OBJECT)]
    if objects:
        known = {**known, **dict(Stamp.objects.filter(name__in=objects).values_list("name", "value"))}
    return {name: known.get(name, 0) for name in wanted}


def signature(names: Iterable[str]) -> str:
    """The stamps of ``names`` as one short string for a cache key."""
    return ".".join(str(v) for v in read(names).values())
