"""Shared write helpers for the domain ``operations`` modules.

A domain operation checks permission, then calls :func:`create_object` or
:func:`update_object`, which validate the model, save it, set many-to-many relations and
record the audit entry in one transaction. Models with a ``version`` field get optimistic
concurrency: an update that names the version it was based on fails with
:class:`EditConflict` if somebody saved in between, and nothing is overwritten.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import models, transaction

from . import audit

M = TypeVar("M", bound=models.Model)


class EditConflict(Exception):
    """Somebody else saved the object after the editor loaded it."""

    def __init__(self, obj: models.Model, expected: int, current: int):
        self.obj = obj
        self.expected = expected
        self.current = current
        super().__init__(
            f"{obj._meta.verbose_name} “{obj}” was changed by someone else "
            f"(you edited version {expected}, it is now version {current}); reload and re-apply your changes"
        )


def _has_version(obj: models.Model) -> bool:
    return any(f.name == "version" for f in obj._meta.concrete_fields)


def _set_m2m(obj: models.Model, m2m: Mapping[str, Iterable[Any]] | None) -> None:
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(list(values))


@transaction.atomic
def create_object(
    actor: Any,
    model: type[M],
    action: str,
    values: Mapping[str, Any],
    *,
    m2m: Mapping[str, Iterable[Any]] | None = None,
    reason: str = "",
) -> M:
    obj = model(**values)
    obj.full_clean()
    obj.save()
    _set_m2m(obj, m2m)
    audit.record(actor, action, obj, before={}, after=audit.snapshot(obj, tuple(m2m or ())), reason=reason)
    return obj


def _bookkeeping_fields(model: type[models.Model]) -> set[str]:
    """Fields that change on every save by themselves: they alone do not make a change."""
    names = {"version"}
    for field in model._meta.concrete_fields:
        if getattr(field, "auto_now", False):
            names.add(field.attname)
    return names


@transaction.atomic
def update_object(
    actor: Any,
    obj: M,
    action: str,
    values: Mapping[str, Any],
    *,
    m2m: Mapping[str, Iterable[Any]] | None = None,
    expected_version: int | None = None,
    reason: str = "",
) -> M:
    """Apply ``values`` (and many-to-many sets) to ``obj``; save and audit only if something changed."""
    m2m = {name: list(items) for name, items in (m2m or {}).items()}
    m2m_names = tuple(m2m)
    model = type(obj)
    # Lock the row so concurrent saves serialise, then compare versions.
    current = model._default_manager.select_for_update().get(pk=obj.pk)
    versioned = _has_version(obj)
    if versioned and expected_version is not None and current.version != expected_version:
        raise EditConflict(current, expected_version, current.version)
    before = audit.snapshot(current, m2m_names)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    pending = audit.snapshot(obj)
    pending.update({name: sorted(getattr(v, "pk", v) for v in items) for name, items in m2m.items()})
    if not (audit.diff(before, pending).keys() - _bookkeeping_fields(model)):
        return obj
    if versioned:
        obj.version = current.version + 1
    obj.save()
    _set_m2m(obj, m2m)
    audit.record(actor, action, obj, before=before, after=audit.snapshot(obj, m2m_names), reason=reason)
    return obj


@transaction.atomic
def delete_object(actor: Any, obj: models.Model, action: str, *, reason: str = "") -> None:
    before = audit.snapshot(obj)
    audit.record(actor, action, obj, before=before, after={}, reason=reason)
    obj.delete()
