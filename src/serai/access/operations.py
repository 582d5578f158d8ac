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
def create_user(
    actor: Any, username: str, *, password: str | None, email: str = "", first_name: str = "", last_name: str = ""
):
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


# --- login safety: lockouts and two-factor devices ------------------------------------------
LOGIN_SYSTEM = "login throttling"


def _user_named(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username=username).first() if username else None


@transaction.atomic
def record_lockout(*, username: str, ip_address: str, path: str = "", failures: int | None = None) -> None:
    """Audit that ``username`` from ``ip_address`` was just locked out (called by axes' handler)."""
    from serai.core.audit import SystemActor

    actor = SystemActor(LOGIN_SYSTEM)
    permissions.require(actor, "login.unlock")  # the system acts as the Secretariat
    audit.record(
        actor,
        "login.lockout",
        _user_named(username),
        extra={
            "username": username,
            "ip_address": ip_address,
            "path": path,
            "failures": failures,
        },
    )


@transaction.atomic
def unlock_login(actor: Any, *, username: str, ip_address: str | None, reason: str = "") -> int:
    """Lift the lockout of ``username`` (from ``ip_address``; every address when None).

    Returns how many attempt records were cleared. Uses axes' own reset utility.
    """
    from axes.utils import reset

    permissions.require(actor, "login.unlock")
    if not username and not ip_address:
        raise ValueError("give a user name or an address to unlock")
    cleared = reset(ip=ip_address or None, username=username or None)
    audit.record(
        actor,
        "login.unlock",
        _user_named(username),
        reason=reason,
        extra={
            "username": username,
            "ip_address": ip_address,
            "cleared": cleared,
        },
    )
    return cleared


@transaction.atomic
def start_totp_enrolment(actor: Any, user: Any):
    """A fresh unconfirmed TOTP device for ``user`` (replacing an earlier unconfirmed one)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    permissions.require(actor, "account.manage_own", user)
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name="Serai", confirmed=False)
    audit.record(actor, "otp.enrol_start", user, extra={"device": device.pk})
    return device


@transaction.atomic
def confirm_totp_device(actor: Any, device: Any, token: str) -> bool:
    """Confirm ``device`` with a first correct ``token``; other confirmed devices are removed."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    permissions.require(actor, "account.manage_own", device.user)
    if device.confirmed or not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    audit.record(actor, "otp.enrol", device.user, extra={"device": device.pk})
    return True


@transaction.atomic
def remove_totp_devices(actor: Any, user: Any, reason: str = "") -> int:
    """Remove ``user``'s TOTP devices (a lost phone): they enrol again at their next sign-in."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    permissions.require(actor, "otp.reset", user)
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    audit.record(actor, "otp.reset", user, reason=reason, extra={"removed": removed})
    return removed


@transaction.atomic
def change_password(actor: Any, user: Any, raw_password: str, *, how: str) -> None:
    """Set ``user``'s password (already checked by Django's validators in the form).

    ``how`` is ``"change"`` (signed in, old password given) or ``"reset"`` (a link from an e-mail
    to the account's address): a reset also lifts the account's sign-in lockouts.
    """
    from axes.utils import reset

    permissions.require(actor, "account.manage_own", user)
    if how not in ("change", "reset"):
        raise ValueError(f"unknown password change {how!r}")
    user.set_password(raw_password)
    user.save(update_fields=["password"])
    cleared = reset(username=user.get_username()) if how == "reset" else 0
    audit.record(actor, f"password.{how}", user, extra={"lockouts_cleared": cleared} if cleared else None)
