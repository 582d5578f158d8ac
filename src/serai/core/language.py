"""The language switcher's view: the same page in the chosen language.

Django's ``set_language`` translates the ``next`` address by resolving it in the *request's*
language — for ``/i18n/setlang/`` that comes from the cookie or the browser's Accept-Language,
not from the page the visitor was on. When they differ (a Korean browser on an ``/en/`` link), the
address does not resolve, the visitor is sent back to ``/en/…`` and stays in English although
the cookie now says otherwise. Here the address is translated in its own language (its prefix),
and an address no pattern names simply gets its language prefix replaced.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from django.utils import translation
from django.utils.translation import check_for_language, get_language_from_path
from django.views import i18n
from django.views.decorators.csrf import csrf_protect


@csrf_protect
def set_language(request):
    next_url = request.POST.get("next", request.GET.get("next")) or ""
    page_language = get_language_from_path(urlsplit(next_url).path) if next_url else None
    with translation.override(page_language or translation.get_language()):
        response = i18n.set_language(request)
    chosen = request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER) if request.method == "POST" else None
    if (
        chosen
        and check_for_language(chosen)
        and page_language
        and page_language != chosen
        and response.status_code == 302
        and response["Location"] == next_url
    ):
        # Django kept the address (safe, but no URL pattern names it): swap its language prefix.
        parts = urlsplit(next_url)
        rest = parts.path[len(page_language) + 1 :]
        response["Location"] = urlunsplit(parts._replace(path=f"/{chosen}{rest}"))
    return response
