"""The control room's pages: thin — parse with a form, call queries or operations, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serai.access import permissions
from serai.core import downloads
from serai.core.forms import error_text, parse_query
from serai.core.operations import EditConflict
from serai.core.redirects import next_url
from serai.core.workflow import TransitionError
from serai.evidence import charts
from serai.governance import operations as governance_operations
from serai.governance import queries as governance_queries
from serai.governance.models import AgendaItem, Meeting
from serai.projects import operations as project_operations
from serai.projects.models import Status
from serai.reference import queries as reference_queries

from . import queries
from .forms import (
    AgendaEditForm,
    AgendaRenameForm,
    BoardFilterForm,
    CompletionCsvForm,
    MinutesFromAgendaForm,
    MoveForm,
)


def _require_view(request) -> None:
    permissions.require(request.user, "controlroom.view")


# --- the pipeline board ----------------------------------------------------------------------------
@login_required
def board(request):
    _require_view(request)
    choices = {
        "states": list(reference_queries.member_states(request.user)),
        "fields": list(reference_queries.field_choices(request.user)),
        "subcommittees": list(reference_queries.bodies(request.user).filter(kind="subcommittee")),
    }
    cleaned = parse_query(BoardFilterForm, request, **choices)  # a bad parameter answers 400
    f = queries.BoardFilters.of(cleaned)
    columns = queries.board(request.user, f)
    return render(
        request,
        "controlroom/board.html",
        {
            "columns": columns,
            "filters": f,
            "filter_form": BoardFilterForm(initial=cleaned, **choices),
            "forum_sessions": list(governance_queries.forum_sessions(request.user).exclude(status="cancelled")),
            "here": request.get_full_path(),
            "cards": sum(len(c.cards) for c in columns),
        },
    )


@login_required
@require_POST
def board_move(request, pk: int):
    """Fire a card's move through the project workflow; a refusal changes nothing and says why."""
    _require_view(request)
    project = get_object_or_404(queries.board_projects(request.user, queries.BoardFilters()), pk=pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(error_text(form), content_type="text/plain; charset=utf-8")
    data = form.cleaned_data
    back = next_url(request, reverse("controlroom_board"))
    name = data["name"]
    if not name:
        transition = queries.transition_to(project, data["target"])
        if transition is None:
            messages.error(
                request,
                _("%(code)s: a project that is “%(from)s” cannot be moved to “%(to)s”.")
                % {"code": project.code, "from": project.get_status_display(), "to": Status(data["target"]).label},
            )
            return redirect(back)
        name = transition.name
    meeting = governance_queries.meeting_or_none(request.user, data.get("meeting"))
    try:
        moved = project_operations.fire_transition(request.user, project, name, reason=data["reason"], meeting=meeting)
    except TransitionError as exc:
        messages.error(request, f"{project.code}: " + " ".join(exc.problems))
    else:
        messages.success(
            request,
            _("%(code)s is now “%(status)s”.") % {"code": moved.code, "status": moved.get_status_display()},
        )
    return redirect(back)


# --- action completion -------------------------------------------------------------------------------
def _label(value) -> str:
    return str(value)


def _rate_chart(rows, title: str) -> dict:
    return charts.bars([_label(r.label) for r in rows], {str(_("Completion (%)")): [r.rate for r in rows]}, title, "%")


@login_required
def completion(request):
    _require_view(request)
    data = queries.completion(request.user)
    sections = [
        {"by": "country", "title": _("By country"), "rows": data.country},
        {"by": "body", "title": _("By body"), "rows": data.body},
        {"by": "meeting", "title": _("By meeting"), "rows": data.meeting},
    ]
    for section in sections:
        section["figure"] = _rate_chart(section["rows"], str(section["title"]))
    trend = {
        "by": "session",
        "title": _("Over the Forum's sessions"),
        "rows": data.session,
        "figure": charts.line(
            [_label(r.label) for r in data.session],
            {str(_("Completion (%)")): [r.rate for r in data.session]},
            str(_("Over the Forum's sessions")),
            "%",
        ),
    }
    owners = {
        "by": "owner",
        "title": _("Overdue by owner"),
        "rows": data.owner,
        "figure": charts.bars(
            [str(g.owner) for g in data.owner],
            {str(_("Overdue actions")): [g.count for g in data.owner]},
            str(_("Overdue by owner")),
            str(_("Actions")),
        ),
    }
    return render(
        request,
        "controlroom/completion.html",
        {
            "sections": sections,
            "trend": trend,
            "owners": owners,
            "total": data.total,
            "scoped": not permissions.principal(request.user).secretariat,
        },
    )


RATE_HEADER = ["key", "name", "actions", "done", "dropped", "open", "overdue", "completion_percent"]


@login_required
def completion_csv(request, by: str):
    _require_view(request)
    by = parse_query(CompletionCsvForm, {"by": by})["by"]  # an unknown table answers 400
    data = queries.completion(request.user)
    if by == "owner":
        header = ["owner_kind", "owner", "overdue_actions", "oldest_due_date"]
        rows = ([str(g.kind), str(g.owner), g.count, g.oldest_due] for g in data.owner)
    else:
        header = RATE_HEADER
        rows = (
            [r.key, _label(r.label), r.total, r.done, r.dropped, r.open, r.overdue, r.rate] for r in getattr(data, by)
        )
    return downloads.table_response("csv", f"serai-action-completion-by-{by}", header, rows)


# --- agenda editing ----------------------------------------------------------------------------------
def _editable_meeting(request, pk: int) -> Meeting:
    meeting = governance_queries.meeting_or_none(request.user, pk)
    if meeting is None:
        raise Http404
    permissions.require(request.user, "agenda.edit", meeting)
    return meeting


@login_required
def agenda(request, pk: int):
    """A meeting's agenda to edit: reorder, rename and delete items; start the minutes from it."""
    meeting = _editable_meeting(request, pk)
    if request.method == "POST":
        form = AgendaEditForm(request.POST)
        if not form.is_valid():
            return HttpResponseBadRequest(error_text(form), content_type="text/plain; charset=utf-8")
        item = get_object_or_404(AgendaItem.objects.filter(meeting=meeting), pk=form.cleaned_data["item"])
        _agenda_edit(request, item, form.cleaned_data["op"])
        return redirect(reverse("controlroom_agenda", args=[meeting.pk]) + "#agenda")
    items = queries.agenda_tree(meeting)
    return render(
        request,
        "controlroom/agenda.html",
        {
            "meeting": meeting,
            "items": items,
            "rename_forms": {
                item.pk: AgendaRenameForm(prefix=f"r{item.pk}", initial={"title": item.title, "version": item.version})
                for item, _depth, _first, _last in items
            },
            "minutes_form": MinutesFromAgendaForm(initial={"language": get_language()}),
            "can_start_minutes": permissions.can(request.user, "minutes.edit", meeting),
        },
    )


def _agenda_edit(request, item: AgendaItem, op: str) -> None:
    user = request.user
    try:
        if op in ("up", "down"):
            index, count = queries.agenda_position(item)
            target = index - 1 if op == "up" else index + 1
            if not 0 <= target < count:
                messages.info(request, _("The item is already at that end of its level."))
                return
            governance_operations.move_agenda_item(user, item, target)
            messages.success(request, _("The agenda item was moved."))
        elif op == "rename":
            form = AgendaRenameForm(request.POST, prefix=f"r{item.pk}")
            if not form.is_valid():
                messages.error(request, error_text(form))
                return
            governance_operations.rename_agenda_item(
                user, item, form.cleaned_data["title"], expected_version=form.cleaned_data.get("version")
            )
            messages.success(request, _("The agenda item was renamed."))
        else:
            governance_operations.delete_agenda_item(user, item)
            messages.success(request, _("The agenda item was deleted."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except EditConflict:
        messages.error(request, _("Someone changed this agenda item after you opened the page; nothing was saved."))


@login_required
@require_POST
def minutes_from_agenda(request, pk: int):
    meeting = governance_queries.meeting_or_none(request.user, pk)
    if meeting is None:
        raise Http404
    if not permissions.can(request.user, "minutes.edit", meeting):
        raise PermissionDenied
    form = MinutesFromAgendaForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(error_text(form), content_type="text/plain; charset=utf-8")
    try:
        governance_operations.start_minutes_from_agenda(
            request.user, meeting, language=form.cleaned_data["language"] or get_language()
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("controlroom_agenda", pk=meeting.pk)
    messages.success(request, _("The minutes were started from the agenda."))
    return redirect("minutes", pk=meeting.pk)
