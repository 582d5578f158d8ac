"""Cached page fragments for visitors who see only public content.

Everyone whose permissions are those of the public (anonymous visitors, signed-in people without a
role) sees the same list for the same address and language, so that fragment is rendered once and
reused. The key carries the *content version* — the newest audit entry's id — and every write goes
through an operation that records an audit entry, so any write makes a new key: a cached fragment
never outlives the data it shows. (Bulk generators record one audit entry when they finish.)
"""

from __future__ import annotations

import hashlib

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from serai.access import permissions

from .models import AuditEntry

TIMEOUT = 600


def content_version() -> int:
    return AuditEntry.objects.aggregate(v=Max("id"))["v"] or 0


def public_key(request, name: str) -> str | None:
    """A cache key for this public fragment, or None when the user sees more than the public."""
    if not permissions.principal(request.user).is_public:
        return None
    query = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:24]
    return f"page:{name}:{get_language()}:{content_version()}:{query}"


def fragment(key: str | None, render) -> str:
    """The cached fragment for ``key``, or ``render()`` (stored when ``key`` is not None)."""
    if key is None:
        return render()
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, TIMEOUT)
    return html


def render_body(request, name: str, template: str, context: Callable[[], dict[str, Any]], *, also: str = "") -> SafeString:
    """``template`` rendered with ``context()``: from the cache for visitors who see only public
    content, fresh for everyone else. ``also`` adds to the key what the content version does not
    cover (the trade data load a page shows)."""
    key = public_key(request, name)
    if key is not None and also:
        key = f"{key}:{hashlib.sha256(also.encode()).hexdigest()[:16]}"
    return mark_safe(fragment(key, lambda: render_to_string(template, context(), request)))
