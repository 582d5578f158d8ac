"""Writes to the organisation registry."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from serai.access import permissions
from serai.core.operations import create_object, delete_object, update_object

from .models import Organisation


def create_organisation(actor: Any, values: dict[str, Any], fields: Iterable[Any] = ()) -> Organisation:
    member_state = values.get("member_state")
    permissions.require(actor, "organisation.create", getattr(member_state, "pk", member_state))
    return create_object(actor, Organisation, "organisation.create", values, m2m={"fields": fields})


def update_organisation(
    actor: Any,
    org: Organisation,
    values: dict[str, Any],
    fields: Iterable[Any] | None = None,
    expected_version: int | None = None,
) -> Organisation:
    permissions.require(actor, "organisation.edit", org)
    if "member_state" in values and values["member_state"] != org.member_state:
        # Moving an organisation to another country needs the right to create it there.
        new_state = values["member_state"]
        permissions.require(actor, "organisation.create", getattr(new_state, "pk", new_state))
    return update_object(
        actor,
        org,
        "organisation.update",
        values,
        m2m={"fields": fields} if fields is not None else None,
        expected_version=expected_version,
    )


def delete_organisation(actor: Any, org: Organisation, reason: str = "") -> None:
    permissions.require(actor, "organisation.delete", org)
    delete_object(actor, org, "organisation.delete", reason=reason)
