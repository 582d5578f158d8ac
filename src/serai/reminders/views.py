"""The personal calendar feed (by secret address, no login) and its settings page. Thin views."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from serai.workspace.delivery import email_language
from serai.workspace.queries import preference

from . import ical, operations, queries


@never_cache
def feed(request, token: str):
    """``/calendar/me/<secret>.ics``: the owner's actions and meetings as they would see them."""
    found = queries.feed_for_token(token)
    if found is None:
        raise Http404
    user = found.user
    with translation.override(email_language(preference(user))):
        text = ical.calendar(
            queries.my_actions(user),
            queries.my_meetings(user).order_by("start_date", "pk"),
            name=_("Serai: my actions and meetings"),
            host=request.get_host().split(":")[0],
            url_for=lambda m: request.build_absolute_uri(reverse("meeting_detail", args=[m.pk])),
            action_url_for=lambda a: request.build_absolute_uri(reverse("meeting_detail", args=[a.meeting_id])),
        )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="serai-my-calendar.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request):
    """Make, replace or switch off the personal feed; a new address is shown once, on this response."""
    new_url = ""
    if request.method == "POST":
        if request.POST.get("do") == "revoke":
            if operations.revoke_feed(request.user, request.user):
                messages.success(request, _("Your calendar address is switched off; it no longer answers."))
            return redirect("calendar_settings")
        token = operations.new_feed_token(request.user, request.user)
        new_url = request.build_absolute_uri(reverse("personal_calendar", args=[token]))
    return render(
        request,
        "reminders/calendar_settings.html",
        {"feed": queries.feed_of(request.user), "new_url": new_url},
    )
