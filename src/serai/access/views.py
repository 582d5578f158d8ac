"""Login-safety pages: the two-factor step, lockouts. Thin: validate, call operations, render."""

from __future__ import annotations

import base64

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from serai.core.redirects import next_url as safe_next

from . import operations, permissions, queries
from .forms import ResetDeviceForm, TokenForm, UnlockForm
from .middleware import NOT_NEEDED, needs_two_factor

ENROL_SESSION_KEY = "serai_otp_enrolling"


def _next_url(request) -> str:
    return safe_next(request, reverse(settings.LOGIN_REDIRECT_URL))


def _qr_svg(data: str) -> str:
    import qrcode
    import qrcode.image.svg

    return qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).to_string(encoding="unicode")


def _grouped_secret(device) -> str:
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Verify a token (a confirmed device exists) or enrol a device (none yet)."""
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = request.user
    next_url = _next_url(request)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None and user.is_verified():
        return render(request, "access/two_factor.html", {"mode": "on", "next": next_url})
    form = TokenForm(request.POST or None)
    if device is not None:  # verify
        if request.method == "POST" and form.is_valid():
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                request.session.pop(NOT_NEEDED, None)
                return HttpResponseRedirect(next_url)
            form.add_error("token", _("This code is not valid. Wait for the next one and try again."))
        return render(request, "access/two_factor.html", {"mode": "verify", "form": form, "next": next_url})
    # enrol: one pending device per session, so the QR code stays the same while the user types
    pending = TOTPDevice.objects.filter(user=user, confirmed=False, pk=request.session.get(ENROL_SESSION_KEY)).first()
    if pending is None:
        pending = operations.start_totp_enrolment(user, user)
        request.session[ENROL_SESSION_KEY] = pending.pk
    if request.method == "POST" and form.is_valid():
        if operations.confirm_totp_device(user, pending, form.cleaned_data["token"]):
            otp_login(request, pending)
            request.session.pop(ENROL_SESSION_KEY, None)
            request.session.pop(NOT_NEEDED, None)
            messages.success(request, _("Two-factor authentication is on. You will enter a code at each sign-in."))
            return HttpResponseRedirect(next_url)
        form.add_error("token", _("This code is not valid. Check the time on your phone and try again."))
    return render(
        request,
        "access/two_factor.html",
        {
            "mode": "enrol",
            "form": form,
            "next": next_url,
            "required": needs_two_factor(user),
            "qr_svg": _qr_svg(pending.config_url),
            "secret": _grouped_secret(pending),
            "otpauth": pending.config_url,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def lockouts(request):
    """The Secretariat's page: current lockouts with an unlock button, and lost-device resets."""
    permissions.require(request.user, "login.unlock")
    unlock_form, reset_form = UnlockForm(), ResetDeviceForm()
    if request.method == "POST":
        if "reset_device" in request.POST:
            reset_form = ResetDeviceForm(request.POST)
            if reset_form.is_valid():
                operations.remove_totp_devices(request.user, reset_form.user, reset_form.cleaned_data["reason"])
                messages.success(
                    request,
                    _("%(user)s will set up two-factor authentication again at the next sign-in.")
                    % {"user": reset_form.user.get_username()},
                )
                return HttpResponseRedirect(reverse("login_lockouts"))
        else:
            unlock_form = UnlockForm(request.POST)
            if unlock_form.is_valid():
                operations.unlock_login(
                    request.user,
                    username=unlock_form.cleaned_data["username"],
                    ip_address=unlock_form.cleaned_data["ip_address"] or None,
                )
                messages.success(
                    request, _("%(user)s can sign in again.") % {"user": unlock_form.cleaned_data["username"]}
                )
                return HttpResponseRedirect(reverse("login_lockouts"))
    return render(
        request,
        "access/lockouts.html",
        {
            "lockouts": queries.current_lockouts(request.user),
            "unlock_form": unlock_form,
            "reset_form": reset_form,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
        status=400 if request.method == "POST" else 200,
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view and validators; the write goes through the audited operation."""

    template_name = "registration/change_password.html"

    def form_valid(self, form):
        operations.change_password(self.request.user, form.user, form.cleaned_data["new_password1"], how="change")
        update_session_auth_hash(self.request, form.user)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/reset_password_confirm.html"

    def form_valid(self, form):
        # the link proved the account's mailbox: the user acts on their own account
        operations.change_password(form.user, form.user, form.cleaned_data["new_password1"], how="reset")
        self.request.session.pop(auth_views.INTERNAL_RESET_SESSION_TOKEN, None)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetView(auth_views.PasswordResetView):
    """The e-mailed link points to SERAI_BASE_URL (read per request), never to the request's Host."""

    template_name = "registration/reset_password.html"
    email_template_name = "registration/reset_password_email.txt"
    subject_template_name = "registration/reset_password_subject.txt"

    def form_valid(self, form):
        self.extra_email_context = {"base_url": settings.SERAI_BASE_URL.rstrip("/")}
        return super().form_valid(form)
