"""Cached page fragments and API data for anonymous visitors.

**Who shares.** Only anonymous requests read or fill the shared cache. A signed-in person — even
one without any role — may see more than the public: the projects they created or edit, their
own person record, the "propose" button, forms carrying their CSRF token. So every signed-in
request gets a fresh render, and a fragment rendered for one is never stored. As a second guard, a
render that asked for the CSRF token (a form posting back) is served but never stored.

**Key.** A fragment's key is its name, the language, the query string, anything the caller adds
(``also``: e.g. the trade data load, which is not an audited write) and the *content version*.

**Content version.** Every write goes through an operation that records an audit entry (bulk
generators record one when they finish), so the newest audit entry's id moves with every change
and a cached fragment never outlives the data it shows; there is no invalidation code to forget.
Writes that can never show on a public page do not move it: entries about the models in
``PRIVATE_MODELS`` (a user's notifications, preferences and saved filters) and the actions in
``PRIVATE_ACTIONS`` (reading all one's notifications, recorded against the user; sign-in
lockouts, two-factor devices and passwords; creating a login, which has no role and no person
record yet; reminders sent and personal calendar addresses); an action ending in "." names every action it starts. The rule is a deny-list: any
other entry — including one without an object, and role grants and revocations (a focal point's
role puts their person on the country page) — moves the version, so a new kind of write errs on
the side of a fresh render, never a stale one.

**API data.** Cached API data holds no absolute URL: the links DRF builds from the first
requester's Host header (``url``, ``next``, ``previous``) are stored as paths and made absolute
again for each request with its own host. Data that still names the host after that is served
fresh and not stored.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from . import fragments
from .models import AuditEntry

TIMEOUT = 600

# Writes that never change what an anonymous visitor sees (see the module docstring).
PRIVATE_MODELS = {"workspace": ("notification", "preference", "savedfilter")}
PRIVATE_ACTIONS = (
    "notification.",
    "preference.",
    "saved_filter.",
    "login.",
    "otp.",
    "password.",
    "user.create",
    "reminder.",  # a reminder or digest sent (serai sendreminders): shown on no page
    "calendar_feed.",  # a personal calendar address made or switched off
)

# The keys of DRF's links in API data: the item's ``url``, the page's ``next`` and ``previous``.
URL_KEYS = frozenset({"url", "next", "previous"})


def _private_entries() -> Q:
    from django.contrib.contenttypes.models import ContentType

    models = Q()
    for app_label, names in PRIVATE_MODELS.items():
        models |= Q(app_label=app_label, model__in=names)
    private = Q(content_type__in=ContentType.objects.filter(models))
    for action in PRIVATE_ACTIONS:
        private |= Q(action__startswith=action) if action.endswith(".") else Q(action=action)
    return private


def content_version() -> int:
    """The id of the newest audit entry that may change a public page (0 before any)."""
    return AuditEntry.objects.exclude(_private_entries()).aggregate(v=Max("id"))["v"] or 0


def shares(request) -> bool:
    """Whether this request reads and fills the shared cache: anonymous visitors only."""
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def public_key(request, name: str, also: str = "") -> str | None:
    """A cache key for this shared fragment, or None when the request must get a fresh render."""
    if not shares(request):
        return None
    query = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:24]
    key = f"page:{name}:{get_language()}:{content_version()}:{query}"
    if also:
        key = f"{key}:{hashlib.sha256(also.encode()).hexdigest()[:16]}"
    return key


def _render_without_token(request, render: Callable[[], Any]) -> tuple[Any, bool]:
    """``render()``, and whether it left the request's CSRF token alone (``get_token`` flags the
    request when a template asks for the token)."""
    meta = getattr(request, "META", {})
    flagged = meta.pop("CSRF_COOKIE_NEEDS_UPDATE", None)
    try:
        value = render()
    finally:
        used = bool(meta.get("CSRF_COOKIE_NEEDS_UPDATE"))
        if flagged is not None and not used:
            meta["CSRF_COOKIE_NEEDS_UPDATE"] = flagged
    return value, not used


def fragment(request, key: str | None, render: Callable[[], Any]) -> Any:
    """The cached value for ``key``, or ``render()`` — stored only when ``key`` is not None and the
    render did not use the CSRF token."""
    if key is None:
        return render()
    value = cache.get(key)
    if value is None:
        value, shareable = _render_without_token(request, render)
        if shareable:
            cache.set(key, value, TIMEOUT)
    return value


def render_body(
    request,
    name: str,
    template: str,
    context: Callable[[], dict[str, Any]],
    *,
    also: str = "",
    topics: Iterable[str] | None = None,
) -> SafeString:
    """``template`` rendered with ``context()``: from the public cache for anonymous visitors, and
    from the viewer's own fragment cache (``serai.core.fragments``) for everyone else. ``also``
    adds to the key what the content version does not cover (the trade data load a page shows).
    ``topics`` names the stamps of what the page shows; without them any audited write refreshes
    it (every table's stamp)."""
    if not shares(request):
        return fragments.template(
            request,
            name,
            template,
            context,
            topics=topics,
            vary=f"{request.GET.urlencode()}|{also}",
        )
    key = public_key(request, name, also)
    return mark_safe(fragment(request, key, lambda: render_to_string(template, context(), request)))


def _host_prefix(request) -> str:
    return request.build_absolute_uri("/")[:-1]  # scheme://host


def _map_links(data: Any, change: Callable[[str], str | None]) -> Any:
    """``data`` with every string under a key in ``URL_KEYS`` replaced by ``change(value)``."""
    if isinstance(data, dict):
        return {
            k: (change(v) if k in URL_KEYS and isinstance(v, str) else _map_links(v, change)) for k, v in data.items()
        }
    if isinstance(data, list):
        return [_map_links(v, change) for v in data]
    return data


class _NotHostFree(Exception):
    pass


def _host_free(request, data: Any) -> Any:
    """``data`` with its links as paths; raises ``_NotHostFree`` when anything else names the host."""
    prefix = _host_prefix(request)

    def relative(url: str) -> str:
        if not url.startswith(prefix + "/"):
            raise _NotHostFree(url)
        return url[len(prefix) :]

    stored = _map_links(data, relative)
    if "//" + request.get_host() in json.dumps(stored, ensure_ascii=False):
        raise _NotHostFree("host")
    return stored


def shared_data(request, name: str, data: Callable[[], Any]) -> Any:
    """API data (JSON-ready) from the cache for anonymous callers, fresh for everyone else. The
    cached copy holds paths; each caller gets links with its own host."""
    key = public_key(request, name)
    if key is None:
        return data()
    stored = cache.get(key)
    if stored is None:
        value = data()
        try:
            stored = _host_free(request, value)
        except _NotHostFree:
            return value
        cache.set(key, stored, TIMEOUT)
    prefix = _host_prefix(request)
    return _map_links(stored, lambda path: prefix + path)
