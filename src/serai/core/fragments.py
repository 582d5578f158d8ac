"""Rendered fragments kept between requests for signed-in viewers (and anonymous ones).

The public page cache (``pagecache``) serves anonymous visitors only, and moves with every
public write. The people who work in Serai get this cache instead: a fragment is stored per
*viewer* and is keyed by what it shows, so it is never shared with someone who may see
something else, and a write makes stale only the fragments that show what it changed.

**Key.** ``frag:<name>`` and a digest of: the language, the viewer (anonymous, or the user's id
and every role and scope they hold — a role granted or revoked changes the key at once), today's
date (pages say "overdue" and "in 3 days"), what the caller adds (``vary``: the query string,
an object's ``updated_at``...) and the current values of the *stamps* the caller names
(``serai.core.stamps``: a table such as ``projects.project``, one object such as
``projects.project:42`` with everything its page shows, and ``*`` for bulk writes). Stamps are
read from the database in one query, so every server and worker agrees on them.

**Whole pages.** :func:`page` keeps a view's whole answer (shell and body) for a GET with no
message waiting; fragments rendered inside it keep their slots, and the page fills them once.

**Per request, never stored.** A stored fragment holds slots that are filled for each response:
the CSRF token (each response gets a fresh masked token, as Django's own forms do), the current
address (the language switch's ``next``) and the unread-notification badge. Only GET and HEAD
renders are stored.

**Correctness.** Every write goes through an audited operation, and ``audit.record`` moves the
stamps in the writer's transaction; a fragment whose stamps are missing something it shows is a
bug of the caller's topic list, and the visibility tests run against the cached paths too
(``projects/tests/test_signed_in_cache.py``, ``governance/tests/test_cached_pages.py``).
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import quote

from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from . import stamps

TIMEOUT = 3600

# Slots: filled per response (letters and digits only, so escaping never changes them).
CSRF_SLOT = "seraiSlotCsrfToken7q"
HERE_SLOT = "seraiSlotHere7q"  # the current address (path and query), HTML-escaped
HERE_PATH_SLOT = "seraiSlotHerePath7q"  # the current path, URL-quoted (a sign-in link's ?next=)
UNREAD_SLOT = "seraiSlotUnread7q"  # the unread-notification badge
PART = "<!--serai-fragment-part-->"  # between the parts of a fragment made of several (a title, a body)

# Tables every fragment that shows names of countries, fields, bodies, organisations or people
# depends on (renames are rare; they refresh every page that may show a name).
NAMES = (
    "reference.memberstate",
    "reference.cooperationfield",
    "reference.body",
    "reference.dacsector",
    "reference.priorityarea",
    "orgs.organisation",
    "people.person",
)


# Who a signed-in user is for the cache: registered by ``serai.access`` when the app is ready
# (core sits below access). Until one is registered, nothing a signed-in user sees is stored.
_roles_of: Callable[[Any], str] | None = None


def register_viewer(roles_of: Callable[[Any], str]) -> None:
    """``roles_of(user)``: every role and scope the user holds, as a string."""
    global _roles_of
    _roles_of = roles_of


def viewer(request) -> str | None:
    """Who the fragment is for: anonymous, or the user and every role and scope they hold (None:
    not storable)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "anon"
    if _roles_of is None:
        return None
    return f"u{user.pk}:{user.get_username()}:{int(user.is_staff)}{int(user.is_superuser)}:{_roles_of(user)}"


def _base(request, topics: Iterable[str] | None) -> str:
    """What every key of this request holds: the language, the viewer, today's date and the stamps
    of ``topics`` (None: every table's stamp, so any audited write refreshes the fragment)."""
    names = stamps.tables().keys() if topics is None else topics
    return "|".join(
        (get_language() or "", viewer(request) or "", timezone.localdate().isoformat(), stamps.signature(names))
    )


def _digest(name: str, base: str, vary: str) -> str:
    return f"frag:{name}:{hashlib.sha256(f'{base}|{vary}'.encode()).hexdigest()[:32]}"


def key(request, name: str, *, topics: Iterable[str] | None = (), vary: str = "") -> str:
    return _digest(name, _base(request, topics), vary)


def storable(request) -> bool:
    return request.method in ("GET", "HEAD") and viewer(request) is not None


def slots() -> dict[str, str]:
    """The context a fragment is rendered with: slots instead of per-response values."""
    return {"csrf_token": CSRF_SLOT, "here": HERE_SLOT, "here_path": HERE_PATH_SLOT, "unread_badge": UNREAD_SLOT}


def fill(request, html: str, unread_badge: Callable[[], str] | None = None) -> SafeString:
    """``html`` with its slots filled for this response."""
    if CSRF_SLOT in html:
        html = html.replace(CSRF_SLOT, get_token(request))
    if HERE_SLOT in html:
        html = html.replace(HERE_SLOT, escape(request.get_full_path()))
    if HERE_PATH_SLOT in html:
        html = html.replace(HERE_PATH_SLOT, escape(quote(request.path, safe="/")))
    if UNREAD_SLOT in html:
        html = html.replace(UNREAD_SLOT, unread_badge() if unread_badge else "")
    return mark_safe(html)


def cached(
    request,
    name: str,
    render: Callable[[], str],
    *,
    topics: Iterable[str] | None = (),
    vary: str = "",
    unread_badge: Callable[[], str] | None = None,
) -> SafeString:
    """The fragment ``name`` for this viewer: from the cache, or ``render()`` (which must render
    with :func:`slots` in its context) stored and then filled."""
    inner = getattr(_state, "depth", 0) > 0  # inside a whole page being stored: it fills the slots
    if not storable(request):
        html = str(render())
        return mark_safe(html) if inner else fill(request, html, unread_badge)
    k = key(request, name, topics=topics, vary=vary)
    html = cache.get(k)
    if html is None:
        html = str(render())
        cache.set(k, html, TIMEOUT)
    return mark_safe(html) if inner else fill(request, html, unread_badge)


# Whole pages: the unread badge is filled by a function registered by ``serai.workspace`` (above core).
_state = threading.local()
# a CSRF token in a form or in htmx's headers that is not the slot
_REAL_TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")(?!' + CSRF_SLOT + ")")
_unread_badge: Callable[[Any], str] | None = None


def register_unread_badge(badge: Callable[[Any], str]) -> None:
    """``badge(request)``: the unread-notification badge's HTML ('' for none)."""
    global _unread_badge
    _unread_badge = badge


def page(
    request,
    name: str,
    respond: Callable[[], HttpResponse],
    *,
    topics: Iterable[str] | None = None,
    vary: str = "",
) -> HttpResponse:
    """A whole page (shell and body) for this viewer, kept between requests: ``respond()`` is the
    view's own rendering, called on a miss. Only a 200 HTML answer to a GET with no message waiting
    is stored; its slots (token, address, badge) are filled for each response. ``topics`` default to
    every table's stamp: any audited write refreshes the page."""
    if not storable(request) or _messages_waiting(request):
        return respond()
    # an htmx request to the same address may get a part of the page: another key
    partial = request.headers.get("HX-Request", "") + "|" + request.headers.get("HX-Target", "")
    k = key(request, name, topics=topics, vary=f"{request.GET.urlencode()}|{partial}|{vary}")
    stored = cache.get(k)
    if stored is None:
        _state.depth = getattr(_state, "depth", 0) + 1
        try:
            response = respond()
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        finally:
            _state.depth -= 1
        if response.status_code != 200 or response.streaming or response.cookies:
            if not response.streaming:
                response.content = fill(request, response.content.decode(), badge(request)).encode()
            return response
        html = response.content.decode()
        if _REAL_TOKEN.search(html):  # a token written past the slots: serve it, never keep it
            response.content = fill(request, html, badge(request)).encode()
            return response
        stored = (html, response["Content-Type"])
        cache.set(k, stored, TIMEOUT)
    html, content_type = stored
    return HttpResponse(fill(request, html, badge(request)), content_type=content_type)


def slots_while_kept(request) -> dict[str, str]:
    """Context processor (the last one): while a whole page is being rendered to be kept
    (:func:`page`), ``{{ csrf_token }}`` and ``{% csrf_token %}`` write the slot, not this
    response's token, so the kept page never carries one session's token to another."""
    return {"csrf_token": CSRF_SLOT} if getattr(_state, "depth", 0) > 0 else {}


def badge(request) -> Callable[[], str]:
    """The unread badge of this request's user, as the registered function renders it."""
    return lambda: _unread_badge(request) if _unread_badge else ""


def _messages_waiting(request) -> bool:
    store = getattr(request, "_messages", None)
    return store is not None and len(store) > 0  # the stored and the newly added messages


def template(
    request,
    name: str,
    template_name: str,
    context: Callable[[], dict[str, Any]],
    *,
    topics: Iterable[str] | None = (),
    vary: str = "",
) -> SafeString:
    """``template_name`` rendered with ``context()`` as the fragment ``name``."""
    return cached(
        request,
        name,
        lambda: render_to_string(template_name, {**context(), **slots()}, request),
        topics=topics,
        vary=vary,
    )


def many(
    request,
    name: str,
    items: Sequence[Any],
    vary_of: Callable[[Any], str],
    render_missing: Callable[[list[Any]], list[str]],
    *,
    topics: Iterable[str] = (),
) -> list[SafeString]:
    """One fragment per item (a list's rows), fetched in one cache round trip: each keyed by
    ``vary_of(item)`` (e.g. its id and ``updated_at``) and the stamps of ``topics``; the missing
    ones rendered together by ``render_missing(items)`` (in the same order)."""
    if not items:
        return []
    if not storable(request):
        return [fill(request, html) for html in render_missing(list(items))]
    base = _base(request, topics)
    keys = [_digest(name, base, vary_of(i)) for i in items]
    found = cache.get_many(keys)
    missing = [i for i, k in zip(items, keys) if k not in found]
    if missing:
        rendered = dict(zip((k for i, k in zip(items, keys) if k not in found), render_missing(missing)))
        cache.set_many({k: str(v) for k, v in rendered.items()}, TIMEOUT)
        found.update(rendered)
    return [fill(request, str(found[k])) for k in keys]
