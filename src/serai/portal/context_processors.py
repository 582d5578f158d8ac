"""What every page's shell (``serai/base.html``) shows: the Forum link, the menu's role and unread count."""

from __future__ import annotations

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from serai.access import permissions
from serai.reference.models import Body, BodyKind
from serai.workspace.queries import unread_count


def _forum():
    return Body.objects.filter(kind=BodyKind.FORUM).order_by("sort_order").first()


def serai(request):
    user = getattr(request, "user", None)
    return {
        "forum": SimpleLazyObject(_forum),
        "content_languages": settings.CONTENT_LANGUAGES,
        "is_secretariat": SimpleLazyObject(lambda: permissions.principal(user).secretariat),
        "serai_production": settings.PRODUCTION,
        "unread_notifications": SimpleLazyObject(lambda: unread_count(user)),
    }
