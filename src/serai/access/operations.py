"""Granting and revoking roles. Only the Secretariat may; every change is audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from serai.core import audit

from . import permissions
from .models import ROLE_SCOPE, Role, RoleAssignment


@transaction.atomic
def grant_role(actor: Any, user: Any, role: str, scope: Any = None) -> RoleAssignment:
    """Give ``user`` the ``role`` in ``scope`` (a member state, body or organisation). Idempotent."""
    permissions.require(actor, "role.manage")
    role = Role(role)
    scope_field = ROLE_SCOPE[role]
    values = {"member_state": None, "body": None, "organisation": None}
    if scope_field:
        if scope is None:
            raise ValueError(f"the role {role} needs a {scope_field}")
        values[scope_field] = scope
    elif scope is not None:
        raise ValueError("Secretariat staff have no scope")
    existing = RoleAssignment.objects.filter(user=user, role=role, **values).first()
    if existing:
        return existing
    assignment = RoleAssignment(user=user, role=role, **values)
    assignment.full_clean()
    assignment.save()
    if role == Role.SECRETARIAT and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    audit.record(actor, "role.grant", assignment, after=audit.snapshot(assignment))
    permissions.forget(user)
    return assignment


@transaction.atomic
def revoke_role(actor: Any, assignment: RoleAssignment, reason: str = "") -> None:
    permissions.require(actor, "role.manage")
    user = assignment.user
    audit.record(actor, "role.revoke", assignment, before=audit.snapshot(assignment), reason=reason)
    assignment.delete()
    if assignment.role == Role.SECRETARIAT and not user.is_superuser:
        if not RoleAssignment.objects.filter(user=user, role=Role.SECRETARIAT).exists():
            user.is_staff = False
            user.save(update_fields=["is_staff"])
    permissions.forget(user)


@transaction.atomic
def create_user(actor: Any, username: str, *, password: str | None, email: str = "", first_name: str = "", last_name: str = ""):
    """Create a login (without roles). ``password=None`` makes an account that cannot sign in yet."""
    from django.contrib.auth import get_user_model

    permissions.require(actor, "role.manage")
    User = get_user_model()
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(actor, "user.create", user, after={"username": username, "email": email})
    return user
