"""The desk: my work, notifications, preferences, saved filters. Thin views."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serai.core import fragments
from serai.core.forms import error_text, run_operation
from serai.core.paging import paginate
from serai.core.redirects import next_url
from serai.workspace import delivery, operations
from serai.workspace import queries as notification_queries
from serai.workspace.forms import SavedFilterForm
from serai.workspace.kinds import link

from . import queries
from .forms import PreferenceForm


@login_required
def my_work(request):
    """A person's desk. On a GET it is kept in their fragments (``serai.core.fragments``) until an
    audited write; the unread count it names is part of the key (notifications move no stamp)."""
    if request.method == "GET":
        unread = notification_queries.unread_count(request.user)
        return fragments.page(request, "my-work", lambda: _my_work(request), vary=str(unread))
    return _my_work(request)


def _my_work(request):
    work = queries.my_work(request.user)
    pref = work.preference
    initial = {"language": delivery.email_language(pref), "email": pref.email if pref else True}
    initial.update({name: getattr(pref, name) if pref else True for name in PreferenceForm.REMINDERS})
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid() and run_operation(
            form,
            lambda: operations.set_preference(
                request.user,
                language=form.cleaned_data["language"],
                email=form.cleaned_data["email"],
                **{name: form.cleaned_data[name] for name in PreferenceForm.REMINDERS},
            ),
        ):
            messages.success(request, _("Your preferences are saved."))
            return redirect("my_work")
    return render(
        request,
        "desk/my_work.html",
        {"work": work, "form": form, "today": timezone.localdate(), "labels": queries.status_labels()},
    )


@login_required
def notifications(request):
    if request.method == "POST":
        count = operations.mark_all_read(request.user)
        messages.success(request, _("All notifications are marked as read.") if count else _("Nothing was unread."))
        return redirect("notifications")
    page = paginate(request, notification_queries.notifications(request.user).select_related("actor"))
    # the unread count comes from the menu's (serai.portal.context_processors: unread_notifications)
    return render(
        request, "desk/notifications.html", {"page": page, "items": notification_queries.rendered(page.object_list)}
    )


@login_required
@require_POST
def notification_open(request, pk: int):
    """Mark one notification read and go to what it is about."""
    notification = get_object_or_404(notification_queries.notifications(request.user), pk=pk)
    operations.mark_read(request.user, notification)
    return redirect(link(notification.link_name, notification.link_args) or reverse("notifications"))


def _back(request, fallback: str) -> str:
    return next_url(request, fallback)


@login_required
@require_POST
def filter_save(request):
    form = SavedFilterForm(request.POST)
    saved = form.is_valid() and run_operation(
        form,
        lambda: operations.save_filter(
            request.user, form.cleaned_data["page"], form.cleaned_data["name"], form.cleaned_data["query"]
        ),
    )
    if saved:
        messages.success(request, _("Filter “%(name)s” saved.") % {"name": saved.name})
        return redirect(f"{reverse(saved.page)}?{saved.query}")
    messages.error(request, error_text(form))
    return redirect(_back(request, reverse("my_work")))


@login_required
@require_POST
def filter_delete(request, pk: int):
    saved = notification_queries.saved_filter(request.user, pk)
    if saved is None:
        return redirect("my_work")
    operations.delete_filter(request.user, saved)
    messages.success(request, _("Filter “%(name)s” deleted.") % {"name": saved.name})
    return redirect(_back(request, reverse("my_work")))
