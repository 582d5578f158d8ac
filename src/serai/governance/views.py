"""Meeting pages, the action tracker and calendar feeds: thin — parse, call queries/operations, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serai.access import permissions
from serai.core import downloads
from serai.core.forms import run_operation
from serai.core.paging import paginate, query_without_page
from serai.projects import queries as project_queries
from serai.reference import queries as reference_queries

from . import ical, operations, queries
from .forms import ActionForm, ActionUpdateForm, AgendaItemForm, DecisionForm, MeetingForm
from .models import ActionStatus, Meeting


def forum_sessions(request):
    return render(request, "governance/session_list.html", {
        "sessions": queries.forum_sessions(request.user),
        "can_create": permissions.can(request.user, "meeting.create"),
    })


@login_required
def meeting_create(request):
    permissions.require(request.user, "meeting.create")
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = run_operation(form, lambda: operations.create_meeting(request.user, form.cleaned_data), refusal_on_form=True)
        if meeting is not None:
            messages.success(request, _("The meeting was created."))
            return redirect("meeting_detail", pk=meeting.pk)
    return render(request, "governance/meeting_form.html", {"form": form})


def meeting_detail(request, pk: int):
    try:
        page = queries.meeting_page(request.user, pk)
    except Meeting.DoesNotExist:
        raise Http404 from None
    meeting = page["meeting"]
    editable = permissions.can(request.user, "decision.edit")
    action = request.POST.get("form") if request.method == "POST" else None
    if action and not editable:
        raise PermissionDenied
    projects = project_queries.awaiting_endorsement(request.user)
    forms_ = {
        "agenda": AgendaItemForm(request.POST if action == "agenda" else None, prefix="a", meeting=meeting),
        "decision": DecisionForm(request.POST if action == "decision" else None, prefix="d", meeting=meeting, projects=projects),
        "action": ActionForm(request.POST if action == "action" else None, prefix="t", meeting=meeting),
    } if editable else {}
    if action in forms_ and forms_[action].is_valid():
        if run_operation(forms_[action], lambda: _meeting_write(request.user, meeting, action, forms_[action])) is not None:
            messages.success(request, _("Saved."))
            return redirect("meeting_detail", pk=meeting.pk)
    return render(request, "governance/meeting_detail.html", {
        **page, "forms": forms_, "editable": editable, "update_form": ActionUpdateForm(),
        "can_update": {a.pk for a in page["actions"] + page["carried_over"] if permissions.can(request.user, "action.update", a)},
    }, status=400 if action else 200)


def _meeting_write(user, meeting, action: str, form):
    data = form.cleaned_data
    if action == "agenda":
        return operations.add_agenda_item(user, meeting, data["title"], parent=data.get("parent"))
    if action == "decision":
        return operations.record_decision(user, meeting, data["text"], kind=data["kind"], number=data.get("number"),
                                          agenda_item=data.get("agenda_item"), projects=data.get("projects") or ())
    return operations.add_action(user, meeting, data["title"], owner=form.owner(), due_date=data.get("due_date"),
                                 decision=data.get("decision"))


@login_required
@require_POST
def decision_adopt(request, pk: int):
    decision = get_object_or_404(queries.decisions(request.user), pk=pk)
    from django.core.exceptions import ValidationError

    from serai.projects.workflow import TransitionError

    try:
        operations.adopt_decision(request.user, decision)
        messages.success(request, _("The decision was adopted."))
    except (ValidationError, TransitionError) as exc:
        messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
    return redirect("meeting_detail", pk=decision.meeting_id)


@login_required
@require_POST
def action_update(request, pk: int):
    item = get_object_or_404(queries.actions(request.user), pk=pk)
    form = ActionUpdateForm(request.POST)
    if form.is_valid() and run_operation(form, lambda: operations.update_action(
            request.user, item, status=form.cleaned_data["status"], text=form.cleaned_data["text"]), refusal_on_form=True):
        messages.success(request, _("Progress recorded."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(request.POST.get("next") or reverse("meeting_detail", args=[item.meeting_id]))


@login_required
def action_tracker(request):
    params = {"owner_country": request.GET.get("country", ""), "status": request.GET.get("status", ""),
              "overdue": request.GET.get("overdue") == "1", "mine": request.GET.get("mine") == "1"}
    qs = queries.action_tracker(request.user, **params)
    if request.GET.get("format") == "xlsx":
        return _tracker_xlsx(qs)
    return render(request, "governance/action_tracker.html", {
        "page": paginate(request, qs), "query": query_without_page(request), "params": params,
        "states": reference_queries.member_states(request.user), "statuses": ActionStatus.choices,
        "today": timezone.localdate(), "update_form": ActionUpdateForm(),
    })


def _tracker_xlsx(qs) -> HttpResponse:
    today = timezone.localdate()

    def rows():
        for a in qs.prefetch_related("updates"):
            updates = list(a.updates.all())
            yield [str(a.meeting), str(a.title), str(a.owner), a.due_date, a.get_status_display(),
                   bool(a.due_date and a.due_date < today and a.status in ("open", "in_progress")),
                   f"{updates[-1].date}: {updates[-1].text}" if updates else ""]

    return downloads.table_response("xlsx", f"serai-actions-{today}",
                                    ["meeting", "action", "owner", "due", "status", "overdue", "last update"],
                                    rows(), sheet="actions")


def calendar_feed(request, body: str | None = None):
    qs = queries.meetings(request.user).order_by("start_date", "year", "number")
    name = _("Korea–Central Asia Cooperation Forum: meetings")
    if body:
        qs = qs.filter(body__code=body)
        if not qs.exists() and not reference_queries.bodies(request.user).filter(code=body).exists():
            raise Http404
        name = f"{name} ({body})"
    text = ical.calendar(qs, name=name, host=request.get_host().split(":")[0],
                         url_for=lambda m: request.build_absolute_uri(reverse("meeting_detail", args=[m.pk])))
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="serai-{body or "meetings"}.ics"'
    return response
