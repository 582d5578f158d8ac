"""Login throttling with django-axes: Serai's hooks (plain settings, no signal receivers).

* :class:`AuditedAxesHandler` (``AXES_HANDLER``) is axes' database handler that also writes an
  audit entry the moment a user name + address pair becomes locked out;
* :func:`client_ip` (``AXES_CLIENT_IP_CALLABLE``) reads the client's address, trusting
  ``X-Forwarded-For`` only as far as ``SERAI_PROXY_COUNT`` proxies put it there.

Listing and lifting lockouts: :mod:`serai.access.queries` and :mod:`serai.access.operations`.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from django.conf import settings


def client_ip(request) -> str | None:
    count = getattr(settings, "SERAI_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0 and forwarded:
        hops = [part.strip() for part in forwarded.split(",") if part.strip()]
        if hops:
            return hops[-count] if len(hops) >= count else hops[0]
    return request.META.get("REMOTE_ADDR")


class AuditedAxesHandler(AxesDatabaseHandler):
    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        # Failures during a lockout are still counted (they extend it); the lockout begins at the
        # failure that reaches the limit, and only that one is audited.
        if (
            request is not None
            and getattr(request, "axes_locked_out", False)
            and getattr(request, "axes_failures_since_start", None) == get_failure_limit(request, credentials)
        ):
            from . import operations

            operations.record_lockout(
                username=get_client_username(request, credentials) or "",
                ip_address=getattr(request, "axes_ip_address", None) or "",
                path=getattr(request, "axes_path_info", "") or "",
                failures=getattr(request, "axes_failures_since_start", None),
            )


def lockout_response(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: Serai's own page, in the visitor's language (HTTP 429)."""
    from django.shortcuts import render

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "access/locked_out.html", {"cooloff_minutes": minutes}, status=429)
