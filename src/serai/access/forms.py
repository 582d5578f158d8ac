"""Forms of the login-safety pages."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        min_length=6,
        validators=[RegexValidator(r"^\d{6,8}$", _("Enter the 6-digit code your app shows."))],
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_token(self):
        return self.cleaned_data["token"].strip()


class UnlockForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=255)
    ip_address = forms.GenericIPAddressField(label=_("Address"), required=False)


class ResetDeviceForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def clean_username(self):
        from django.contrib.auth import get_user_model

        name = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=name).first()
        if user is None:
            raise forms.ValidationError(_("No user with this name."))
        self.user = user
        return name
