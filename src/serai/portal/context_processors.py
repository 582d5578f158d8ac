"""What every page's shell (``serai/base.html``) shows: the Forum link, the menu's links by their rules
(``may``) and the unread count."""

from __future__ import annotations

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from serai.access import permissions
from serai.reference.models import Body, BodyKind
from serai.workspace.queries import unread_count


def _forum():
    return Body.objects.filter(kind=BodyKind.FORUM).order_by("sort_order").first()


class May:
    """``{% if may.controlroom.view %}``: the permission rule of that name, asked of the request's
    user through ``permissions.can`` (each answer computed once per page). A name that is not a
    rule (a typo, a prefix) is false: a menu never offers a page by mistake."""

    def __init__(self, user, prefix: str = "", cache: dict | None = None):
        self._user, self._prefix = user, prefix
        self._cache = {} if cache is None else cache

    def __getitem__(self, key: str):
        name = f"{self._prefix}{key}"
        if name in permissions.RULES:
            if name not in self._cache:
                self._cache[name] = permissions.can(self._user, name)
            return self._cache[name]
        return May(self._user, f"{name}.", self._cache)

    def __bool__(self) -> bool:
        return False


def serai(request):
    user = getattr(request, "user", None)
    return {
        "forum": SimpleLazyObject(_forum),
        "content_languages": settings.CONTENT_LANGUAGES,
        "is_secretariat": SimpleLazyObject(lambda: permissions.principal(user).secretariat),
        "may": May(user),
        "serai_production": settings.PRODUCTION,
        "unread_notifications": SimpleLazyObject(lambda: unread_count(user)),
    }
