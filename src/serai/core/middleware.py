"""Small middleware: the permissions policy header, and sessions saved once a minute."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.utils import timezone

from . import stamps


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


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's session middleware, saving an unchanged session at most once a minute.

    A session ends after ``SESSION_COOKIE_AGE`` without a request (settings: the idle limit), so
    each request must push its expiry forward. Django's ``SESSION_SAVE_EVERY_REQUEST`` does that
    with a database write on every request; here a request writes only when the session changed
    or its last save is ``TOUCH_SECONDS`` old, so the idle limit holds to within a minute and a
    signed-in page costs one query less."""

    TOUCH_SECONDS = 60
    TOUCHED = "_serai_touched"

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is not None and session.accessed and not session.modified and not session.is_empty():
            now = int(timezone.now().timestamp())
            if now - int(session.get(self.TOUCHED, 0)) >= self.TOUCH_SECONDS:
                session[self.TOUCHED] = now
        return super().process_response(request, response)


class StampsMiddleware:
    """Each request reads the table stamps afresh (``serai.core.stamps.tables`` keeps them for
    the rest of the request only)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        stamps.forget()
        try:
            return self.get_response(request)
        finally:
            stamps.forget()
