"""Writes to the people register."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from serai.access import permissions
from serai.core.operations import create_object, delete_object, update_object

from .models import Person


def _scope(values: dict[str, Any]) -> tuple[Any, Any]:
    state, org = values.get("member_state"), values.get("organisation")
    return getattr(state, "pk", state), getattr(org, "pk", org)


def create_person(actor: Any, values: dict[str, Any], fields: Iterable[Any] = ()) -> Person:
    permissions.require(actor, "person.create", _scope(values))
    return create_object(actor, Person, "person.create", values, m2m={"fields": fields})


def update_person(
    actor: Any,
    person: Person,
    values: dict[str, Any],
    fields: Iterable[Any] | None = None,
    expected_version: int | None = None,
) -> Person:
    permissions.require(actor, "person.edit", person)
    moved = {k: v for k, v in values.items() if k in ("member_state", "organisation") and v != getattr(person, k)}
    if moved:
        permissions.require(
            actor,
            "person.create",
            _scope({**{"member_state": person.member_state, "organisation": person.organisation}, **moved}),
        )
    if "user" in values and values["user"] != person.user:
        permissions.require(actor, "role.manage")
    return update_object(
        actor,
        person,
        "person.update",
        values,
        m2m={"fields": fields} if fields is not None else None,
        expected_version=expected_version,
    )


def delete_person(actor: Any, person: Person, reason: str = "") -> None:
    permissions.require(actor, "person.delete", person)
    delete_object(actor, person, "person.delete", reason=reason)
