"""The one place that follows a user-supplied ``next``: only to a page of this site."""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request, fallback: str, *, field: str = "next") -> str:
    """The ``next`` the form posted (or the address carries) if it is a page of this site, else
    ``fallback``. Off-site,
    scheme-relative (``//host``), backslash and ``javascript:`` targets all fall back."""
    target = (request.POST.get(field) or request.GET.get(field) or "").strip()
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
