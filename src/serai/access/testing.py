"""Test helpers for the two-factor step (used by tests that run with SERAI_REQUIRE_2FA on)."""

from __future__ import annotations

from django_otp.oath import totp


def current_token(device, ahead: int = 0) -> str:
    """The code an authenticator app would show for ``device`` now (``ahead`` steps later)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift + ahead):0{device.digits}d}"


def login_verified(client, user):
    """force_login ``user`` and mark the session as having passed the two-factor step
    (a confirmed TOTP device is created when the user has none)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="tests", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
