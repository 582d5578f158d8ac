"""Writes of the staff workspace.

:func:`notify` is called by the domains' operations inside their own transaction: the
notifications appear with the change or not at all, and their e-mails are sent only after
the transaction commits (:func:`delivery.schedule`). The change that caused them is already
in the audit log; the notification rows keep who caused them and whom they told. The user's
own writes here (reading, preferences, saved filters) are audited like any other.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from serai.core import audit
from serai.core.actors import user_of
from serai.core.audit import SystemActor
from serai.core.operations import create_object, delete_object, update_object

from . import delivery
from .kinds import KINDS, encode
from .models import FILTER_PAGES, EmailState, Notification, Preference, SavedFilter

# Query parameters that are not part of a filter: the page number, cache busters.
NOT_FILTERS = {"page", "nocache", "csrfmiddlewaretoken"}


def _signed_in(actor: Any):
    user = user_of(actor)
    if user is None:
        raise PermissionDenied(_("Sign in to use the workspace."))
    return user


def notify(
    actor: Any,
    kind: str,
    recipients: Iterable[Any],
    *,
    params: dict[str, Any],
    link: tuple[str, list] | None = None,
    scheduled: bool = False,
) -> list[Notification]:
    """Tell ``recipients`` (users) about something ``actor`` did; never the actor themself.

    In-app rows are created now; e-mails go to those who want them, after commit. Writes made by
    a command (loaders, demo and generated data: a ``SystemActor``) tell nobody — unless the
    message is Serai's own ``scheduled`` one (a reminder, a digest: ``serai sendreminders``).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind: {kind}")
    if isinstance(actor, SystemActor) and not scheduled:
        return []
    actor_user = user_of(actor)
    users = {u.pk: u for u in recipients if u.is_active and (actor_user is None or u.pk != actor_user.pk)}
    if not users:
        return []
    wants_email = dict(Preference.objects.filter(user_id__in=users).values_list("user_id", "email"))
    encoded = {key: encode(value) for key, value in params.items()}
    link_name, link_args = link or ("", [])
    now = timezone.now()
    rows = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=pk,
                kind=kind,
                params=encoded,
                link_name=link_name,
                link_args=list(link_args),
                actor=actor_user,
                actor_label=audit.actor_label(actor)[:200],
                created_at=now,
                email_state=EmailState.PENDING if user.email and wants_email.get(pk, True) else EmailState.NONE,
            )
            for pk, user in sorted(users.items())
        ]
    )
    pending = [n.pk for n in rows if n.email_state == EmailState.PENDING]  # PostgreSQL and SQLite return ids
    if pending:
        delivery.schedule(pending)
    return rows


def mark_read(actor: Any, notification: Notification) -> Notification:
    user = _signed_in(actor)
    if notification.recipient_id != user.pk:
        raise PermissionDenied(_("This notification is someone else's."))
    if notification.read_at is not None:
        return notification
    return update_object(actor, notification, "notification.read", {"read_at": timezone.now()})


@transaction.atomic
def mark_all_read(actor: Any) -> int:
    user = _signed_in(actor)
    count = Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    if count:
        audit.record(actor, "notification.read_all", user, extra={"count": count})
    return count


def set_preference(
    actor: Any,
    *,
    language: str,
    email: bool,
    remind_due: bool | None = None,
    remind_overdue: bool | None = None,
    weekly_digest: bool | None = None,
) -> Preference:
    """Save the user's preferences; a reminder switch left as None keeps its value."""
    user = _signed_in(actor)
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the interface languages.")})
    values: dict[str, Any] = {"language": language, "email": email}
    switches = {"remind_due": remind_due, "remind_overdue": remind_overdue, "weekly_digest": weekly_digest}
    values.update({name: bool(on) for name, on in switches.items() if on is not None})
    current = Preference.objects.filter(user=user).first()
    if current is None:
        return create_object(actor, Preference, "preference.create", {"user": user, **values})
    return update_object(actor, current, "preference.update", values)


def clean_query(query: str) -> str:
    """The filter part of a query string, in a stable order ('' for none)."""
    pairs = [(k, v) for k, v in parse_qsl(query.lstrip("?"), keep_blank_values=False) if k not in NOT_FILTERS]
    return urlencode(sorted(pairs))


def save_filter(actor: Any, page: str, name: str, query: str) -> SavedFilter:
    """Save (or, under the same name, replace) a filter of one list page."""
    user = _signed_in(actor)
    if page not in FILTER_PAGES:
        raise ValidationError({"page": _("Filters cannot be saved for this page.")})
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the filter a name.")})
    query = clean_query(query)
    if not query:
        raise ValidationError({"query": _("Choose at least one filter before saving it.")})
    existing = SavedFilter.objects.filter(user=user, page=page, name=name).first()
    if existing is not None:
        return update_object(actor, existing, "saved_filter.update", {"query": query})
    return create_object(
        actor, SavedFilter, "saved_filter.create", {"user": user, "page": page, "name": name, "query": query}
    )


def delete_filter(actor: Any, saved: SavedFilter) -> None:
    user = _signed_in(actor)
    if saved.user_id != user.pk:
        raise PermissionDenied(_("This filter is someone else's."))
    delete_object(actor, saved, "saved_filter.delete")
