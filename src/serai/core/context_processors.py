from __future__ import annotations

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from serai.access import permissions


def _forum():
    from serai.reference.models import Body, BodyKind

    return Body.objects.filter(kind=BodyKind.FORUM).order_by("sort_order").first()


def _unread(user) -> int:
    from serai.workspace.queries import unread_count

    return unread_count(user)


def serai(request):
    user = getattr(request, "user", None)
    return {
        "forum": SimpleLazyObject(_forum),
        "content_languages": settings.CONTENT_LANGUAGES,
        "is_secretariat": SimpleLazyObject(lambda: permissions.principal(user).secretariat),
        "serai_production": settings.PRODUCTION,
        "unread_notifications": SimpleLazyObject(lambda: _unread(user)),
    }
