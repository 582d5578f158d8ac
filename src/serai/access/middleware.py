"""Two-factor authentication before anything else, for those who need it.

After a password sign-in, Secretariat staff and superusers (and anyone who enrolled a device of
their own accord) reach only the two-factor pages, the language switch and sign-out until they
enter a TOTP token: a first visit enrols a device, later ones verify. The admin is covered too.
``SERAI_REQUIRE_2FA=0`` turns the step off (the test suite does, except the tests of the step).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from . import permissions

# Session key: this session's user has no role that needs two-factor authentication and had no
# device when the session began (saves a device lookup on each request; enrolling verifies the
# session anyway).
NOT_NEEDED = "serai_2fa_not_needed"


def needs_two_factor(user) -> bool:
    """Whether ``user`` must pass the TOTP step: Secretariat staff, superusers, admin staff."""
    return bool(user.is_superuser or user.is_staff or permissions.principal(user).secretariat)


def has_device(user) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        blocked = self._blocked(request)
        return blocked or self.get_response(request)

    def _exempt(self, path: str) -> bool:
        if path.startswith((settings.STATIC_URL, settings.MEDIA_URL, "/i18n/", "/healthz")):
            return True
        # /<lang>/accounts/2fa/…, /<lang>/accounts/logout/, /<lang>/jsi18n/
        parts = path.strip("/").split("/")
        rest = "/".join(parts[1:3]) if len(parts) > 1 else ""
        return rest.startswith(("accounts/2fa", "accounts/logout")) or rest == "jsi18n"

    def _blocked(self, request):
        if not getattr(settings, "SERAI_REQUIRE_2FA", True):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        if self._exempt(request.path_info):
            return None
        if not needs_two_factor(user):
            if request.session.get(NOT_NEEDED) == user.pk:
                return None
            if not has_device(user):
                request.session[NOT_NEEDED] = user.pk
                return None
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": _("Two-factor authentication is required.")}, status=403)
        target = reverse("two_factor")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(target)
