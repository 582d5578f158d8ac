"""Small response middleware."""

from __future__ import annotations

from django.conf import settings


class PermissionsPolicyMiddleware:
    """Adds ``Permissions-Policy`` (settings.SERAI_PERMISSIONS_POLICY): camera, microphone,
    geolocation and the other powerful browser features are off for every page."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = settings.SERAI_PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
