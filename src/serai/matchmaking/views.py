"""Matchmaking pages: event set-up, registration, the marketplace, meeting requests, outcomes and
the event's funnel. Thin: parse with a form, call ``operations`` or ``queries``, render."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serai.access import permissions
from serai.core.forms import error_text, run_operation
from serai.core.pagecache import content_version
from serai.core.paging import page_number, paginate, query_without_page
from serai.core.templatetags.serai_tags import tt
from serai.governance.models import Meeting
from serai.network.reasons import Names, worded

from . import funnel as funnel_mod
from . import operations, queries, workflow
from .forms import DelegationFormSet, EventForm, MoveForm, OutcomeForm, ProjectIdeaForm, RegistrationForm, RequestForm
from .models import Event, Outcome


def _event(request, pk: int) -> Event:
    return get_object_or_404(queries.events(request.user), pk=pk)


def event_list(request):
    events = list(queries.events(request.user))
    may_manage = permissions.can(request.user, "matchmaking.manage")
    return render(request, "matchmaking/event_list.html", {"events": events, "may_manage": may_manage})


def event_detail(request, pk: int):
    event = _event(request, pk)
    result = funnel_mod.funnel(request.user, event)
    charts = [
        {
            "id": by,
            "by": by,
            "rows": rows,
            "figure": funnel_mod.chart(rows, title),
        }
        for by, rows, title in (
            ("country", result.by_country, _("The funnel by country")),
            ("helix", result.by_helix, _("The funnel by helix")),
        )
        if rows
    ]
    context = {
        "event": event,
        "funnel": result,
        "stages": [funnel_mod.STAGE_LABELS[s] for s in funnel_mod.STAGES],
        "charts": charts,
        "moves": workflow.EVENT_MACHINE.available(request.user, event)
        if permissions.can(request.user, "matchmaking.manage", event)
        else [],
        "mine": queries.own_participants(request.user, event),
        "tables": list(event.tables.all()),
        "slot_count": event.slots.count(),
        "may_manage": permissions.can(request.user, "matchmaking.manage", event),
        "registration_open": event.status == "registration_open",
        "may_delegate": _may_delegate(request.user),
    }
    return render(request, "matchmaking/event_detail.html", context)


@login_required
def event_create(request):
    permissions.require(request.user, "matchmaking.manage")
    meeting = None
    if request.method == "POST" or "meeting" in request.GET:
        raw = request.POST.get("meeting") or request.GET.get("meeting") or ""
        if not raw.isascii() or not raw.isdigit():
            form = EventForm(request.POST or None)
            form.add_error(None, _("Choose the meeting from the list."))
            return render(request, "matchmaking/event_form.html", _form_context(form, None), status=400)
        meeting = get_object_or_404(Meeting, pk=int(raw))
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event = run_operation(
            form, lambda: operations.create_event(request.user, meeting, form.values(), form.table_specs())
        )
        if event is not None:
            messages.success(request, _("The matchmaking event was created."))
            return redirect("matchmaking:event_detail", event.pk)
    ctx = _form_context(form, None)
    ctx["meeting"] = meeting
    ctx["meetings"] = Meeting.objects.filter(matchmaking__isnull=True).select_related("body").order_by("-year")[:200]
    return render(request, "matchmaking/event_form.html", ctx, status=400 if form.errors else 200)


def _form_context(form, event):
    return {"form": form, "event": event}


@login_required
def event_edit(request, pk: int):
    event = _event(request, pk)
    permissions.require(request.user, "matchmaking.manage", event)
    form = EventForm(request.POST or None, initial=EventForm.initial_for(event))
    if request.method == "POST" and form.is_valid():
        names = {t.number: t.name for t in event.tables.all()}
        saved = run_operation(
            form, lambda: operations.update_event(request.user, event, form.values(), form.table_specs(names))
        )
        if saved is not None:
            messages.success(request, _("The matchmaking event was saved."))
            return redirect("matchmaking:event_detail", event.pk)
    return render(
        request, "matchmaking/event_form.html", _form_context(form, event), status=400 if form.errors else 200
    )


@login_required
@require_POST
def event_move(request, pk: int):
    event = _event(request, pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        run_operation(form, lambda: operations.fire_event(request.user, event, form.cleaned_data["name"]))
    if form.errors:
        messages.error(request, error_text(form))
    return redirect("matchmaking:event_detail", event.pk)


@login_required
def register(request, pk: int):
    event = _event(request, pk)
    permissions.require(request.user, "matchmaking.register")
    form = RegistrationForm(request.POST or None, event=event, user=request.user)
    if request.method == "POST" and form.is_valid():
        done = run_operation(
            form, lambda: operations.register(request.user, event, form.registration()), refusal_on_form=True
        )
        if done is not None:
            messages.success(request, _("%(name)s is registered.") % {"name": done.person})
            return redirect("matchmaking:event_detail", event.pk)
    return render(
        request,
        "matchmaking/register.html",
        {"event": event, "form": form},
        status=400 if form.errors else 200,
    )


def _may_delegate(user) -> bool:
    """The delegation form is for focal points (and the Secretariat); the operation checks each row."""
    p = permissions.principal(user)
    return bool(p.countries) or p.secretariat


@login_required
def delegation(request, pk: int):
    event = _event(request, pk)
    if not _may_delegate(request.user):
        raise Http404
    formset = DelegationFormSet(request.POST or None, user=request.user, prefix="d")
    if request.method == "POST" and formset.is_valid():
        rows = [f.registration() for f in formset.forms if f.has_changed()]
        done = run_operation(
            formset.forms[0] if formset.forms else formset,
            lambda: operations.register_delegation(request.user, event, rows),
            refusal_on_form=True,
        )
        if done is not None:
            messages.success(request, _("%(count)s people are registered.") % {"count": len(done)})
            return redirect("matchmaking:event_detail", event.pk)
    bad = request.method == "POST" and (formset.total_error_count() or any(f.errors for f in formset.forms))
    return render(
        request, "matchmaking/delegation.html", {"event": event, "formset": formset}, status=400 if bad else 200
    )


# The marketplace's body is kept per viewer (see marketplace()); the CSRF token in its forms is
# this placeholder, replaced by the request's own token on every response.
_TOKEN = "mm0csrf0token0placeholder"
BODY_SECONDS = 600


def marketplace(request, pk: int):
    """The event's participants with the matcher's suggestions first (page 1).

    **Kept per viewer.** The body (suggestions and the page of rows) is cached under the viewer's
    user id, the event, the language, the whole query string, the content version and today's date:
    it depends on what this user may see and acts for (their participants, roles: audited writes),
    the event's participants and requests and the profiles (audited writes, which move the content
    version) and the date (a profile's validity ends without a write); the request buttons' CSRF
    token is put in afresh for each response. Messages and the menu are rendered around it as
    usual. No viewer ever gets a body rendered for another one."""
    event = _event(request, pk)
    page_number(request)  # a bad page number answers 400 before anything is read or cached
    key = ":".join(
        (
            "mm-marketplace",
            str(request.user.pk or 0),
            str(event.pk),
            get_language() or "",
            str(content_version()),
            timezone.localdate().isoformat(),
            hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:24],
        )
    )
    body = cache.get(key)
    if body is None:
        context = {**_marketplace_context(request, event), "csrf_token": _TOKEN}
        body = render_to_string("matchmaking/_marketplace_body.html", context, request)
        cache.set(key, body, BODY_SECONDS)
    body = mark_safe(body.replace(_TOKEN, get_token(request)))
    return render(request, "matchmaking/marketplace.html", {"event": event, "body": body})


def _marketplace_context(request, event: Event) -> dict:
    mine = queries.own_participants(request.user, event)
    rows = queries.marketplace(request.user, event)
    page = paginate(request, rows)
    suggestions = []
    if mine and page.number == 1:
        found = queries.suggestions(request.user, event, mine[0])
        names = Names.load(found)
        suggestions = [
            {"participant": s.participant, "profile": s.profile, "reasons": [worded(r, names) for r in s.reasons]}
            for s in found
        ]
    pairs = queries.open_pairs(event, mine)
    requested = {other for _me, other in pairs}
    may_request = bool(mine) and event.status == "registration_open"
    return {
        "event": event,
        "page": page,
        "rows": _marketplace_rows(page.object_list, mine, requested, may_request),
        "mine": mine,
        "requested": requested,
        "suggestions": suggestions,
        "query": query_without_page(request),
        "may_request": may_request,
        "request_url": reverse("matchmaking:request_create", args=[event.pk]),
        "message_label": _("Message"),
        "request_label": _("Request a meeting"),
    }


def _marketplace_rows(participants, mine, requested: set[int], may_request: bool) -> list[dict]:
    """A marketplace row's texts, worked out here once instead of by template tags per cell: the
    names in the active language (``tt``), the choices' labels, and which request button it gets."""
    mine_ids = {m.pk for m in mine}
    rows = []
    for p in participants:
        if not may_request:
            button = ""
        elif p.pk in requested:
            button = "requested"
        else:
            button = "" if p.pk in mine_ids else "form"
        languages = ", ".join(p.languages or ())
        if p.needs_interpreter:
            languages = f"{languages} · {p.get_interpretation_display()}"
        rows.append(
            {
                "pk": p.pk,
                "participant": p,
                "organisation": tt(p.organisation.name),
                "person": tt(p.person.name),
                "country": tt(p.country.name) if p.country else "",
                "helix": p.organisation.get_helix_display(),
                "profiles": [(tt(pr.title), pr.get_kind_display()) for pr in p.profiles.all()],
                "languages": languages,
                "button": button,
            }
        )
    return rows


@login_required
def requests_page(request, pk: int):
    event = _event(request, pk)
    mine = queries.acting_for(request.user, event)
    ids = {p.pk for p in mine}
    rows = list(queries.requests(request.user, event)[:500])
    incoming = [r for r in rows if r.requested_id in ids]
    outgoing = [r for r in rows if r.requester_id in ids and r.requested_id not in ids]
    others = [r for r in rows if r.requester_id not in ids and r.requested_id not in ids]
    meetings = list(queries.meetings(request.user, event))
    return render(
        request,
        "matchmaking/requests.html",
        {
            "event": event,
            "incoming": incoming,
            "outgoing": outgoing,
            "others": others,
            "meetings": meetings,
            "mine": mine,
            "mine_ids": ids,
            "outcome_form": OutcomeForm(),
            "idea_form": ProjectIdeaForm(),
        },
    )


@login_required
@require_POST
def request_create(request, pk: int):
    event = _event(request, pk)
    mine = queries.acting_for(request.user, event)
    form = RequestForm(request.POST, mine=mine)
    if form.is_valid():
        me = next(p for p in mine if p.pk == form.cleaned_data["requester"])
        other = get_object_or_404(
            queries.participants(request.user).filter(event=event), pk=form.cleaned_data["requested"]
        )
        done = run_operation(
            form,
            lambda: operations.request_meeting(request.user, me, other, form.cleaned_data["message"]),
            refusal_on_form=True,
        )
        if done is not None:
            messages.success(request, _("Your meeting request was sent to %(name)s.") % {"name": other.person})
            return redirect("matchmaking:requests", event.pk)
    messages.error(request, error_text(form))
    return redirect(reverse("matchmaking:marketplace", args=[event.pk]))


@login_required
@require_POST
def request_move(request, pk: int):
    from .models import MeetingRequest

    req = get_object_or_404(MeetingRequest.objects.filter(permissions.mm_request_visibility_q(request.user)), pk=pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        name = form.cleaned_data["name"]
        if name not in workflow.REQUEST_MACHINE.by_name:
            form.add_error("name", _("Unknown step."))
        else:
            done = run_operation(
                form, lambda: operations.fire_request(request.user, req, name, reason=form.cleaned_data["reason"])
            )
            if done is not None:
                messages.success(request, _("The request is now “%(status)s”.") % {"status": done.get_status_display()})
    if form.errors:
        messages.error(request, error_text(form))
    return redirect("matchmaking:requests", req.event_id)


@login_required
@require_POST
def participant_withdraw(request, pk: int):
    participant = get_object_or_404(queries.participants(request.user), pk=pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        counts = run_operation(
            form,
            lambda: operations.withdraw_participant(request.user, participant, form.cleaned_data["reason"]),
        )
        if counts is not None:
            messages.success(
                request,
                _(
                    "%(name)s has withdrawn. Requests withdrawn: %(withdrawn)s; declined: %(declined)s; "
                    "accepted meetings cancelled: %(cancelled)s (the other participants were told)."
                )
                % {"name": participant.person, **counts},
            )
    if form.errors:
        messages.error(request, error_text(form))
    return redirect("matchmaking:event_detail", participant.event_id)


@login_required
@require_POST
def outcome_record(request, pk: int):
    from .models import ScheduledMeeting

    meeting = get_object_or_404(
        ScheduledMeeting.objects.filter(permissions.mm_request_visibility_q(request.user, "request__")).select_related(
            "request"
        ),
        pk=pk,
    )
    form = OutcomeForm(request.POST)
    if form.is_valid():
        side = {meeting.request.requester_id, meeting.request.requested_id}
        if form.cleaned_data["participant"] not in side:
            form.add_error("participant", _("Only the two sides of a meeting record its outcome."))
        else:
            participant = (
                meeting.request.requester
                if form.cleaned_data["participant"] == meeting.request.requester_id
                else meeting.request.requested
            )
            done = run_operation(
                form,
                lambda: operations.record_outcome(
                    request.user, meeting, participant, form.cleaned_data["result"], form.cleaned_data["note"]
                ),
                refusal_on_form=True,
            )
            if done is not None:
                messages.success(request, _("The outcome was recorded."))
    if form.errors:
        messages.error(request, error_text(form))
    return redirect("matchmaking:requests", meeting.event_id)


@login_required
@require_POST
def outcome_project(request, pk: int):
    outcome = get_object_or_404(
        Outcome.objects.filter(permissions.mm_request_visibility_q(request.user, "meeting__request__")).select_related(
            "participant__person", "meeting__request"
        ),
        pk=pk,
    )
    form = ProjectIdeaForm(request.POST)
    if form.is_valid():
        project = run_operation(
            form,
            lambda: operations.open_project_idea(
                request.user, outcome, form.cleaned_data["title"], form.cleaned_data["summary"]
            ),
            refusal_on_form=True,
        )
        if project is not None:
            messages.success(request, _("The project idea was opened with both organisations."))
            return redirect("project_detail", project.pk)
    messages.error(request, error_text(form))
    return redirect("matchmaking:requests", outcome.meeting.event_id)
