"""Reads of the notifications and the user's own settings, for the signed-in user only.

"My work" (read from the domains) is in :mod:`serai.desk.queries`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation

from .kinds import link, render
from .models import Notification, Preference, SavedFilter


@dataclass
class Item:
    """A notification rendered for its reader."""

    notification: Notification
    text: str
    url: str

    @property
    def unread(self) -> bool:
        return self.notification.read_at is None


def notifications(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient=user)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def unread_count(user: Any) -> int:
    return notifications(user, unread_only=True).count()


def rendered(rows) -> list[Item]:
    lang = translation.get_language() or settings.LANGUAGE_CODE
    return [Item(n, render(n.kind, n.params, lang), link(n.link_name, n.link_args)) for n in rows]


def saved_filters(user: Any, page: str | None = None) -> QuerySet[SavedFilter]:
    if not getattr(user, "is_authenticated", False):
        return SavedFilter.objects.none()
    qs = SavedFilter.objects.filter(user=user)
    return qs.filter(page=page) if page else qs


def saved_filter(user: Any, pk: int) -> SavedFilter | None:
    return saved_filters(user).filter(pk=pk).first()


def preference(user: Any) -> Preference | None:
    return Preference.objects.filter(user=user).first() if getattr(user, "is_authenticated", False) else None
