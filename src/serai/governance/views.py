"""Meeting pages, the action tracker and calendar feeds: thin — parse, call queries/operations, render."""

from __future__ import annotations

import difflib
import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from serai.access import permissions
from serai.core import downloads, fragments
from serai.core.forms import error_text, parse_query, report_saved, run_operation
from serai.core.paging import paginate, query_without_page
from serai.core.redirects import next_url
from serai.core.workflow import TransitionError
from serai.people import queries as people_queries
from serai.projects import queries as project_queries
from serai.reference import queries as reference_queries

from . import ical, operations, outcome, queries
from .forms import (
    ActionForm,
    ActionTrackerFilterForm,
    ActionUpdateForm,
    ActivityForm,
    ActivityStatusForm,
    AdoptPlanForm,
    AgendaItemForm,
    AttendanceForm,
    ConfirmAdoptionForm,
    DecisionForm,
    DocumentForm,
    EndMembershipForm,
    MeetingForm,
    MembershipForm,
    MinutesForm,
    ParticipantForm,
    PriorityAreaForm,
    WithdrawDecisionForm,
    WorkPlanForm,
    listed_choices,
    quick_selects,
)
from .models import ActionStatus, Meeting, WorkPlan, WorkPlanActivity
from .workflow import MACHINE as MINUTES


def forum_sessions(request):
    return render(
        request,
        "governance/session_list.html",
        {
            "sessions": queries.forum_sessions(request.user),
            "can_create": permissions.can(request.user, "meeting.create"),
        },
    )


@login_required
def meeting_create(request):
    permissions.require(request.user, "meeting.create")
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}  # not the form's own "version"
        meeting = run_operation(form, lambda: operations.create_meeting(request.user, values), refusal_on_form=True)
        if meeting is not None:
            messages.success(request, _("The meeting was created."))
            return redirect("meeting_detail", pk=meeting.pk)
    return render(
        request, "governance/meeting_form.html", {"form": form}, status=400 if request.method == "POST" else 200
    )


@login_required
def meeting_edit(request, pk: int):
    meeting = queries.meeting_or_none(request.user, pk)
    if meeting is None:
        raise Http404
    permissions.require(request.user, "meeting.edit", meeting)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        done = run_operation(
            form,
            lambda: operations.update_meeting(
                request.user, meeting, values, expected_version=form.cleaned_data.get("version")
            ),
        )
        if done is not None:
            report_saved(
                request,
                form,
                _("The meeting was saved."),
                _(
                    "The meeting was saved, and these fields are now empty: %(fields)s. "
                    "If you did not mean to clear them, edit the meeting again."
                ),
            )
            return redirect("meeting_detail", pk=pk)
    return render(
        request,
        "governance/meeting_form.html",
        {"form": form, "meeting": meeting},
        status=400 if request.method == "POST" else 200,
    )


MEETING_FORMS = {
    # form name: (form class, field prefix, permission)
    "agenda": (AgendaItemForm, "a", "meeting.edit"),
    "decision": (DecisionForm, "d", "decision.edit"),
    "action": (ActionForm, "t", "action.create"),
    "participant": (ParticipantForm, "p", "participant.edit"),
    "attendance": (AttendanceForm, None, "participant.edit"),
    "document": (DocumentForm, "dt", "document.add"),
}


MEETING_SAVED = {  # what the meeting page says after each form
    "agenda": _lazy("The agenda item was added."),
    "decision": _lazy("The decision was recorded."),
    "action": _lazy("The action item was added."),
    "participant": _lazy("The participant was added."),
    "attendance": _lazy("The attendance was recorded."),
    "document": _lazy("The document was attached."),
}


def meeting_detail(request, pk: int):
    """A meeting's page. On a GET it is kept in the viewer's fragments (``serai.core.fragments``)
    until an audited write: it shows decisions, actions, projects and people."""
    if request.method == "GET":  # a meeting the viewer may not see answers 404 inside, and is never kept
        return fragments.page(request, f"meeting-{pk}", lambda: _meeting_detail(request, pk))
    return _meeting_detail(request, pk)


def _meeting_detail(request, pk: int):
    try:
        page = queries.meeting_page(request.user, pk)
    except Meeting.DoesNotExist:
        raise Http404 from None
    meeting = page["meeting"]
    allowed = {name for name, (_f, _p, perm) in MEETING_FORMS.items() if permissions.can(request.user, perm, meeting)}
    action = request.POST.get("form") if request.method == "POST" else None
    if action and action not in allowed:
        raise PermissionDenied
    forms_ = {
        name: _meeting_form(request, name, meeting, bound=(name == action)) for name in allowed if name != "attendance"
    }
    if action == "attendance":
        forms_["attendance"] = AttendanceForm(request.POST)
    if action in forms_ and forms_[action].is_valid():
        if (
            run_operation(forms_[action], lambda: _meeting_write(request.user, meeting, action, forms_[action]))
            is not None
        ):
            messages.success(request, str(MEETING_SAVED[action]))
            return redirect(reverse("meeting_detail", args=[meeting.pk]) + f"#{action}")
    if action == "attendance":
        messages.error(request, _("The attendance could not be recorded."))
    return render(
        request,
        "governance/meeting_detail.html",
        {
            **page,
            "forms": forms_,
            "editable": "decision" in allowed,
            "update_form": ActionUpdateForm(),
            "attendance_choices": AttendanceForm.base_fields["attendance"].choices,
            "can_edit_meeting": permissions.can(request.user, "meeting.edit", meeting),
            "can_update": {
                a.pk
                for a in page["actions"] + page["carried_over"]
                if permissions.can(request.user, "action.update", a)
            },
        },
        status=400 if action else 200,
    )


def _meeting_form(request, name: str, meeting, *, bound: bool):
    form_class, prefix, _perm = MEETING_FORMS[name]
    kwargs = {"prefix": prefix}
    if name in ("agenda", "decision", "action", "document"):
        kwargs["meeting"] = meeting
    if name == "decision":
        kwargs["projects"] = project_queries.awaiting_endorsement(request.user)
    if name == "action":
        kwargs["people"] = people_queries.people(request.user)
    if not bound:
        form = form_class(**kwargs)
        if name == "decision":  # a few hundred projects: listed by code and title, no instance each
            listed_choices(
                form.fields["projects"],
                kwargs["projects"].values_list("id", "code", "title"),
                label=lambda code, title: f"{code} {title}",  # as Project.__str__
            )
        return quick_selects(form)
    return quick_selects(
        form_class(request.POST, request.FILES, **kwargs) if name == "document" else form_class(request.POST, **kwargs)
    )


def _meeting_write(user, meeting, action: str, form):
    data = form.cleaned_data
    if action == "agenda":
        return operations.add_agenda_item(user, meeting, data["title"], parent=data.get("parent"))
    if action == "decision":
        return operations.record_decision(
            user,
            meeting,
            data["text"],
            kind=data["kind"],
            number=data.get("number"),
            agenda_item=data.get("agenda_item"),
            projects=data.get("projects") or (),
        )
    if action == "participant":
        return operations.add_participant(user, meeting, data)
    if action == "attendance":
        participant = get_object_or_404(meeting.participants, pk=data["participant"])
        return operations.record_attendance(user, participant, data["attendance"])
    if action == "document":
        return operations.attach_document(
            user,
            meeting,
            data["file"],
            title=data["title"],
            kind=data["kind"],
            language=data["language"],
            agenda_item=data.get("agenda_item"),
            is_public=data["is_public"],
        )
    return operations.add_action(
        user,
        meeting,
        data["title"],
        owner=form.owner(),
        due_date=data.get("due_date"),
        decision=data.get("decision"),
        activity=data.get("activity"),
    )


def document_download(request, pk: int):
    document = queries.document_or_none(request.user, pk)
    if document is None:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = mimetypes.guess_type(document.filename)[0] or "application/octet-stream"
    return FileResponse(handle, as_attachment=True, filename=document.filename, content_type=content_type)


def outcome_docx(request, pk: int):
    """The meeting's outcome (agenda, decisions, actions) as a Word document in the page's language."""
    try:
        page = queries.meeting_page(request.user, pk)
    except Meeting.DoesNotExist:
        raise Http404 from None
    data = outcome.docx(page, language=get_language())
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="{outcome.filename(page["meeting"])}.docx"'
    return response


# --- minutes -------------------------------------------------------------------------------------
def minutes(request, pk: int):
    try:
        page = queries.minutes_page(request.user, pk)
    except Meeting.DoesNotExist:
        raise Http404 from None
    meeting, current = page["meeting"], page["minutes"]
    editable = permissions.can(request.user, "minutes.edit", meeting) and not (current and current.status == "adopted")
    form = conflict = None
    if editable:
        initial = {"text": current.text if current else None, "base_revision": current.revision if current else 0}
        form = MinutesForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                if (
                    run_operation(
                        form,
                        lambda: operations.save_minutes(
                            request.user, meeting, data["text"], base_revision=data["base_revision"], note=data["note"]
                        ),
                    )
                    is not None
                ):
                    messages.success(request, _("The minutes were saved."))
                    return redirect("minutes", pk=pk)
            except operations.MinutesConflict as exc:
                conflict = _conflict(exc)
                # offer the editor's text again, now based on the newest revision
                form = MinutesForm(
                    initial={"text": exc.yours, "base_revision": exc.minutes.revision, "note": data["note"]}
                )
                page = queries.minutes_page(request.user, pk)
    elif request.method == "POST":
        raise PermissionDenied
    transitions = MINUTES.available(request.user, current) if current else []
    # warn before circulating when nobody (but the one circulating) would be told
    nobody_to_notify = any(t.name == "circulate" for t in transitions) and not (
        queries.circulation_recipients(meeting).exclude(pk=request.user.pk).exists()
    )
    return render(
        request,
        "governance/minutes.html",
        {
            **page,
            "form": form,
            "conflict": conflict,
            "transitions": transitions,
            "nobody_to_notify": nobody_to_notify,
        },
        status=409 if conflict else (400 if request.method == "POST" else 200),
    )


def _diffs(old, new, languages, old_label: str, new_label: str) -> list[tuple[str, str]]:
    """Per language, a unified diff of two translated texts (``old`` may be None: all added)."""

    def lines(text, lang):
        return (text.values.get(lang, "") if text is not None else "").splitlines()

    return [
        (lang, "\n".join(difflib.unified_diff(lines(old, lang), lines(new, lang), old_label, new_label, lineterm="")))
        for lang in languages
    ]


def _conflict(exc) -> dict:
    """What the editor needs to reconcile: the languages both changed, and per language the
    difference between the newest revision and their text."""
    revision = exc.minutes.revision
    return {
        "languages": exc.languages,
        "revision": revision,
        "diffs": _diffs(exc.minutes.text, exc.yours, exc.languages, f"r{revision}", _("your text")),
    }


def minutes_revision(request, pk: int, number: int):
    try:
        page = queries.minutes_page(request.user, pk)
    except Meeting.DoesNotExist:
        raise Http404 from None
    by_number = {r.number: r for r in page["revisions"]}  # empty for those who may not see drafts
    if not page["can_see_revisions"] or number not in by_number:
        raise Http404
    revision, previous = by_number[number], by_number.get(number - 1)
    previous_text = previous.text if previous else None
    languages = sorted(set(revision.text.values) | set(previous_text.values if previous_text else ()))
    diffs = _diffs(previous_text, revision.text, languages, f"r{number - 1}", f"r{number}")
    return render(request, "governance/minutes_revision.html", {**page, "revision": revision, "diffs": diffs})


@login_required
@require_POST
def minutes_move(request, pk: int):
    try:
        page = queries.minutes_page(request.user, pk)
    except Meeting.DoesNotExist:
        raise Http404 from None
    if page["minutes"] is None:
        raise Http404
    name = request.POST.get("transition", "")
    if name == "adopt":
        confirm = ConfirmAdoptionForm(request.POST)
        if not confirm.is_valid():
            messages.error(request, error_text(confirm))
            return redirect("minutes", pk=pk)
    try:
        moved = operations.move_minutes(request.user, page["minutes"], name, reason=request.POST.get("reason", ""))
        said = _("The minutes are now “%(status)s”.") % {"status": moved.get_status_display()}
        if moved.notified == 0:
            messages.warning(
                request,
                said
                + " "
                + _("But nobody was notified: no one with an account sits on %(body)s.") % {"body": moved.meeting.body},
            )
        elif moved.notified:
            messages.success(
                request,
                said
                + " "
                + ngettext("%(n)s person was notified.", "%(n)s people were notified.", moved.notified)
                % {"n": moved.notified},
            )
        else:
            messages.success(request, said)
    except TransitionError as exc:
        messages.error(request, "; ".join(exc.problems))
    return redirect("minutes", pk=pk)


# --- bodies' membership --------------------------------------------------------------------------
@login_required
@require_POST
def membership_add(request, code: str):
    body = get_object_or_404(reference_queries.bodies(request.user), code=code)
    permissions.require(request.user, "membership.edit", body)
    form = MembershipForm(request.POST)
    if (
        form.is_valid()
        and run_operation(
            form,
            lambda: operations.add_member(
                request.user,
                body,
                form.cleaned_data["person"],
                **{k: form.cleaned_data[k] for k in ("position", "country", "organisation", "start_date", "end_date")},
            ),
        )
        is not None
    ):
        messages.success(request, _("The member was added."))
    else:
        messages.error(request, error_text(form))
    return redirect(reverse("body_detail", args=[code]) + "#members")


@login_required
@require_POST
def membership_end(request, pk: int):
    """End a member's term on the body's page (rule ``membership.edit``)."""
    seat = get_object_or_404(queries.seats(request.user), pk=pk)
    form = EndMembershipForm(request.POST)
    if (
        form.is_valid()
        and run_operation(form, lambda: operations.end_membership(request.user, seat, on=form.cleaned_data["end_date"]))
        is not None
    ):
        messages.success(request, _("The term was ended."))
    else:
        messages.error(request, error_text(form))
    return redirect(reverse("body_detail", args=[seat.body.code]) + "#members")


# --- the work plan -------------------------------------------------------------------------------
def work_plan_latest(request):
    year = queries.work_plans(request.user).values_list("year", flat=True).first()
    if year is None:
        return render(
            request,
            "governance/work_plan.html",
            {"plan": None, "create_form": WorkPlanForm() if permissions.can(request.user, "workplan.edit") else None},
        )
    return redirect("work_plan", year=year)


@login_required
@require_POST
def work_plan_create(request):
    permissions.require(request.user, "workplan.edit")
    form = WorkPlanForm(request.POST)
    if (
        form.is_valid()
        and run_operation(
            form,
            lambda: operations.create_work_plan(request.user, form.cleaned_data["year"], form.cleaned_data["title"]),
        )
        is not None
    ):
        return redirect("work_plan", year=form.cleaned_data["year"])
    messages.error(request, error_text(form))
    return redirect("work_plan_latest")


def work_plan(request, year: int):
    try:
        page = queries.work_plan_page(request.user, year)
    except WorkPlan.DoesNotExist:
        raise Http404 from None
    plan = page["plan"]
    editable = permissions.can(request.user, "workplan.edit", plan)
    action = request.POST.get("form") if request.method == "POST" else None
    if action and not editable:
        raise PermissionDenied
    projects = project_queries.projects(request.user).only("id", "code", "title")
    sessions = queries.forum_sessions(request.user).exclude(status="cancelled")
    forms_ = (
        {
            "area": PriorityAreaForm(request.POST if action == "area" else None, prefix="ar"),
            "activity": ActivityForm(
                request.POST if action == "activity" else None, prefix="ac", plan=plan, projects=projects
            ),
            "status": ActivityStatusForm(request.POST if action == "status" else None),
            "adopt": AdoptPlanForm(request.POST if action == "adopt" else None, prefix="ad", sessions=sessions),
            "plan": WorkPlanForm(prefix="wp"),
        }
        if editable
        else {}
    )
    if action in forms_ and forms_[action].is_valid():
        if run_operation(forms_[action], lambda: _plan_write(request.user, plan, action, forms_[action])) is not None:
            messages.success(
                request,
                str(
                    {
                        "area": _("The priority area was added."),
                        "activity": _("The activity was added."),
                        "status": _("The activity's status was changed."),
                        "adopt": _("The work plan's adoption was recorded."),
                    }.get(action, _("The work plan was saved."))
                ),
            )
            return redirect("work_plan", year=year)
    return render(
        request,
        "governance/work_plan.html",
        {
            **page,
            "forms": forms_,
            "editable": editable,
            "activity_statuses": ActivityStatusForm.base_fields["status"].choices,
        },
        status=400 if action else 200,
    )


def _plan_write(user, plan, action: str, form):
    data = form.cleaned_data
    if action == "area":
        return operations.add_priority_area(user, plan, data["title"], fields=data["fields"])
    if action == "activity":
        values = {k: data[k] for k in ("title", "budget_line", "budget", "currency", "due_date", "status")}
        return operations.add_activity(user, data["area"], values, projects=data["projects"])
    if action == "status":
        activity = get_object_or_404(WorkPlanActivity.objects.filter(area__plan=plan), pk=data["activity"])
        return operations.update_activity(user, activity, {"status": data["status"]})
    return operations.adopt_work_plan(user, plan, data["meeting"])


# --- the Forum timeline and overdue actions -----------------------------------------------------
def timeline(request):
    return render(
        request,
        "governance/timeline.html",
        {
            "years": queries.timeline(request.user),
            "can_create": permissions.can(request.user, "meeting.create"),
        },
    )


@login_required
def overdue(request):
    return render(
        request,
        "governance/overdue.html",
        {"groups": queries.overdue_by_owner(request.user), "today": timezone.localdate()},
    )


@login_required
@require_POST
def decision_adopt(request, pk: int):
    decision = get_object_or_404(queries.decisions(request.user), pk=pk)
    confirm = ConfirmAdoptionForm(request.POST)
    if not confirm.is_valid():
        messages.error(request, error_text(confirm))
        return redirect(reverse("meeting_detail", args=[decision.meeting_id]) + f"#decision-{decision.pk}")
    try:
        operations.adopt_decision(request.user, decision)
        messages.success(request, _("The decision was adopted."))
    except (ValidationError, TransitionError) as exc:
        messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
    return redirect("meeting_detail", pk=decision.meeting_id)


@login_required
@require_POST
def decision_withdraw(request, pk: int):
    """Withdraw a draft decision the body will not adopt (``workflow.DECISION_MACHINE``)."""
    decision = get_object_or_404(queries.decisions(request.user), pk=pk)
    form = WithdrawDecisionForm(request.POST)
    if (
        form.is_valid()
        and run_operation(
            form, lambda: operations.withdraw_decision(request.user, decision, reason=form.cleaned_data["reason"])
        )
        is not None
    ):
        messages.success(request, _("The draft decision was withdrawn."))
    else:
        messages.error(request, error_text(form))
    return redirect(reverse("meeting_detail", args=[decision.meeting_id]) + f"#decision-{decision.pk}")


@login_required
@require_POST
def action_update(request, pk: int):
    item = get_object_or_404(queries.actions(request.user), pk=pk)
    form = ActionUpdateForm(request.POST)
    if form.is_valid() and run_operation(
        form,
        lambda: operations.update_action(
            request.user, item, status=form.cleaned_data["status"], text=form.cleaned_data["text"]
        ),
        refusal_on_form=True,
    ):
        messages.success(request, _("Progress recorded."))
    else:
        messages.error(request, error_text(form))
    return redirect(next_url(request, reverse("meeting_detail", args=[item.meeting_id])))


@login_required
def action_tracker(request):
    asked = parse_query(ActionTrackerFilterForm, request)
    params = {
        "owner_country": asked["country"],
        "status": asked["status"],
        "overdue": asked["overdue"],
        "mine": asked["mine"],
    }
    qs = queries.action_tracker(request.user, **params)
    if asked["format"] == "xlsx":
        return _tracker_xlsx(qs)
    # kept in the viewer's fragments until an audited write (serai.core.fragments)
    return fragments.page(request, "action-tracker", lambda: _tracker_page(request, qs, params))


def _tracker_page(request, qs, params):
    return render(
        request,
        "governance/action_tracker.html",
        {
            "page": paginate(request, qs),
            "query": query_without_page(request),
            "params": params,
            "states": reference_queries.member_states(request.user),
            "statuses": ActionStatus.choices,
            "today": timezone.localdate(),
            "update_form": ActionUpdateForm(),
        },
    )


def _tracker_xlsx(qs) -> HttpResponse:
    today = timezone.localdate()

    def rows():
        for a in qs.prefetch_related("updates"):
            updates = list(a.updates.all())
            yield [
                str(a.meeting),
                str(a.title),
                str(a.owner),
                a.due_date,
                a.get_status_display(),
                a.overdue_on(today),
                f"{updates[-1].date}: {updates[-1].text}" if updates else "",
            ]

    return downloads.table_response(
        "xlsx",
        f"serai-actions-{today}",
        ["meeting", "action", "owner", "due", "status", "overdue", "last update"],
        rows(),
        sheet="actions",
    )


def calendar_feed(request, body: str | None = None):
    qs = queries.meetings(request.user).order_by("start_date", "year", "number")
    name = _("Korea–Central Asia Cooperation Forum: meetings")
    if body:
        qs = qs.filter(body__code=body)
        if not qs.exists() and not reference_queries.bodies(request.user).filter(code=body).exists():
            raise Http404
        name = f"{name} ({body})"
    text = ical.calendar(
        qs,
        name=name,
        host=request.get_host().split(":")[0],
        url_for=lambda m: request.build_absolute_uri(reverse("meeting_detail", args=[m.pk])),
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="serai-{body or "meetings"}.ics"'
    return response


def body_detail(request, code: str):
    body = get_object_or_404(reference_queries.bodies(request.user), code=code)
    members = queries.memberships(request.user, body)
    return render(
        request,
        "governance/body_detail.html",
        {
            "body": body,
            "children": reference_queries.bodies(request.user).filter(parent=body),
            "fields": reference_queries.cooperation_fields(request.user).filter(subcommittee=body),
            "meetings": queries.meetings(request.user).filter(body=body),
            "members": members,
            "role_holders": queries.role_holders(request.user, body, seated=members["current"]),
            "member_form": MembershipForm() if permissions.can(request.user, "membership.edit", body) else None,
        },
    )
