"""Project pages: thin — parse, call queries/operations, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from serai.access import permissions
from serai.core import downloads, fragments, pagecache, stamps
from serai.core.forms import error_text, parse_query, report_saved, run_operation
from serai.core.paging import paginate, query_without_page
from serai.orgs.models import Helix
from serai.reference import queries as reference_queries

from . import exports, operations, queries, workflow
from .forms import (
    AppraisalForm,
    EditorForm,
    FundingSourceForm,
    IndicatorForm,
    ParticipationForm,
    PeriodForm,
    ProjectFilterForm,
    ProjectForm,
    ResultForm,
    ReviewForm,
    TransitionForm,
    UpdateForm,
)
from .models import Indicator, IndicatorUpdate, Project, Scope, Status

SAVED_FILTERS_SLOT = "<!--saved-filters-->"


def project_list(request):
    """The list. Anonymous visitors share its body through the public page cache; a signed-in
    person gets it from their own fragment cache, keyed by the projects table's stamp (any project
    written) and the names it shows. Either way each row is a fragment of its own, keyed by the
    project's ``updated_at``, so a write re-renders one row, not the page."""
    f = queries.Filters.of(parse_query(ProjectFilterForm, request))  # a bad parameter answers 400

    def context() -> dict:
        page = paginate(request, queries.filtered(request.user, f).values_list("pk", "updated_at"))
        return {
            "page": page,
            "rows": _rows(request, list(page.object_list)),
            "query": query_without_page(request),
            "f": f,
            "member_states": reference_queries.member_states(request.user),
            "fields": reference_queries.field_choices(request.user),
            "subcommittees": reference_queries.bodies(request.user).filter(kind="subcommittee"),
            "status_choices": Status.choices,
            "scope_choices": Scope.choices,
            "helix_choices": Helix.choices,
            "can_propose": permissions.can(request.user, "project.propose"),
        }

    # The body may be shared with other visitors; the user's own saved filters go into its slot.
    if pagecache.shares(request):
        body = pagecache.render_body(request, "project-list", "projects/_list_body.html", context)
    else:
        body = fragments.template(
            request,
            "project-list",
            "projects/_list_body.html",
            context,
            topics=(stamps.table(Project), *fragments.NAMES),
            vary=request.GET.urlencode(),
        )
    head, _slot, tail = body.partition(SAVED_FILTERS_SLOT)
    return render(request, "projects/project_list.html", {"head": mark_safe(head), "tail": mark_safe(tail)})


def _rows(request, keys: list[tuple[int, Any]]) -> list[str]:
    """The table rows of these (id, updated_at) pairs — already filtered by visibility — from the
    row fragments; the missing ones read in one go."""
    row = get_template("projects/_list_row.html")

    def render_missing(missing: list[tuple[int, Any]]) -> list[str]:
        found = {p.pk: p for p in queries.list_page(Project.objects.filter(pk__in=[k[0] for k in missing]))}
        return [row.render({"p": found[k[0]]}) for k in missing]

    return fragments.many(
        request, "project-row", keys, lambda k: f"{k[0]}:{k[1].isoformat()}", render_missing, topics=fragments.NAMES
    )


def project_export(request, fmt: str):
    if fmt not in downloads.FORMATS:
        raise PermissionDenied("unknown export format")
    f = queries.Filters.of(parse_query(ProjectFilterForm, request))
    qs = queries.for_list(queries.filtered(request.user, f))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return downloads.table_response(
        fmt, f"serai-projects-{stamp}", exports.headers(), exports.rows(qs), sheet=str(_("Projects"))
    )


def project_detail(request, pk: int):
    """The project page; for anonymous visitors it is a cached fragment."""

    def page() -> dict:
        project = queries.detail(request.user, pk)
        user_appraisal = (
            next((a for a in project.appraisals.all() if a.appraiser_id == request.user.pk), None)
            if (request.user.is_authenticated)
            else None
        )
        can_edit = permissions.can(request.user, "project.edit", project)
        body = render_to_string(
            "projects/_detail_body.html",
            {
                "project": project,
                "helix_mix": queries.helix_mix(project),
                "results": queries.results(project),
                "transitions": workflow.available(request.user, project),
                "forum_sessions": queries.forum_sessions(request.user).exclude(status="cancelled"),
                "can_edit": can_edit,
                "can_report": permissions.can(request.user, "project.report_results", project),
                "can_manage_editors": permissions.can(request.user, "project.manage_editors", project),
                "editor_form": EditorForm()
                if permissions.can(request.user, "project.manage_editors", project)
                else None,
                "participation_form": ParticipationForm(
                    organisations=queries.organisations_for_participation(request.user)
                )
                if can_edit
                else None,
                "funding_form": FundingSourceForm(organisations=queries.organisations_for_participation(request.user))
                if can_edit
                else None,
                "my_appraisal": user_appraisal,
                "can_appraise": project.status == Status.APPRAISAL and workflow.may_appraise(request.user, project),
                "can_view_appraisals": permissions.can(request.user, "appraisal.view", project),
                "can_view_history_detail": permissions.can(request.user, "project.view_history_detail", project),
                "iati": _iati_readiness(project) if can_edit else None,
                **({} if pagecache.shares(request) else fragments.slots()),
            },
            request,
        )
        return {"title": str(project.title), "body": body}

    try:
        if pagecache.shares(request):
            content = pagecache.fragment(request, pagecache.public_key(request, f"project-{pk}"), page)
        else:
            content = _detail_fragment(request, pk, page)
    except Project.DoesNotExist:
        return render(request, "projects/not_found.html", status=404)
    return render(request, "projects/project_detail.html", content)


def _detail_fragment(request, pk: int, page) -> dict:
    """The page for a signed-in person, from their fragment cache: keyed by the project's stamp
    (the project and everything it owns — results, participations, funding, appraisals, its
    timeline), its programme's (named only when visible), the names it shows and the Forum
    sessions its transition form offers."""
    parent = queries.projects(request.user).filter(pk=pk).values_list("parent_id", flat=True)
    found = list(parent)
    if not found:
        raise Project.DoesNotExist
    topics = [stamps.of_pk(stamps.table(Project), pk), *fragments.NAMES, "governance.meeting"]
    if found[0]:
        topics.append(stamps.of_pk(stamps.table(Project), found[0]))
    parts = fragments.cached(
        request,
        f"project-{pk}",
        lambda: _joined(page()),
        topics=topics,
    )
    title, _sep, body = parts.partition(fragments.PART)
    return {"title": mark_safe(title), "body": mark_safe(body)}  # the title was escaped when stored


def _joined(content: dict) -> str:
    """A page's title (escaped) and body as one fragment."""
    return f"{escape(content['title'])}{fragments.PART}{content['body']}"


def _iati_readiness(project):
    """IATI problems, checked before export, for those who can fix them (``serai.iati`` registers
    the check: it sits above projects)."""
    check = queries.PAGE_CHECKS.get("iati")
    return check(project) if check else None


def _save(request, form, project=None, evidence=None):
    values, countries, sectors = form.split()
    if evidence:
        values["trade_evidence"] = evidence
    if project is None:
        return run_operation(
            form,
            lambda: operations.create_project(request.user, values, countries=countries, sectors=sectors),
            refusal_on_form=True,
        )
    return run_operation(
        form,
        lambda: operations.update_project(
            request.user,
            project,
            values,
            countries=countries,
            sectors=sectors,
            expected_version=form.cleaned_data.get("version"),
        ),
        refusal_on_form=True,
    )


@login_required
def project_create(request):
    token = request.POST.get("evidence") or request.GET.get("evidence") or ""
    evidence = request.session.get(f"trade-evidence-{token}") if token else None
    form = ProjectForm(
        request.POST or None, initial=_initial_from_evidence(evidence) if evidence else None, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        project = _save(request, form, evidence=evidence)
        if project is not None:
            request.session.pop(f"trade-evidence-{token}", None)
            messages.success(request, _("The project idea was recorded as %(code)s.") % {"code": project.code})
            return redirect("project_detail", pk=project.pk)
    return render(
        request,
        "projects/project_form.html",
        {"form": form, "project": None, "evidence": evidence, "evidence_token": token if evidence else ""},
    )


def _initial_from_evidence(evidence: dict) -> dict:
    """Pre-fill a proposal from a trade opportunity: the two countries, the field, a draft title."""
    from serai.reference.models import CooperationField, MemberState

    isos = {evidence["exporter"], evidence["market"]}
    title = _("Trade cooperation: %(exporter)s → %(market)s, %(level)s %(code)s") % {
        "exporter": evidence["exporter"],
        "market": evidence["market"],
        "level": evidence["level"].upper(),
        "code": evidence["code"],
    }
    initial = {
        "countries": list(MemberState.objects.filter(iso3__in=isos)),
        "title": {"values": {"en": title}, "source": "en"},
    }
    field = CooperationField.objects.filter(code=evidence["row"].get("field") or evidence["code"]).first()
    if field:
        initial["sector_field_0"] = field
        initial["sector_pct_0"] = 100
    return initial


@login_required
def project_edit(request, pk: int):
    project = get_object_or_404(queries.projects(request.user), pk=pk)
    permissions.require(request.user, "project.edit", project)
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, project)
        if saved is not None:
            report_saved(
                request,
                form,
                _("The project was saved."),
                _(
                    "The project was saved, and these fields are now empty: %(fields)s. "
                    "If you did not mean to clear them, edit the project again."
                ),
            )
            return redirect("project_detail", pk=saved.pk)
    return render(request, "projects/project_form.html", {"form": form, "project": project})


# What the project page says after each move (the others say the new status).
TRANSITION_MESSAGES = {
    "submit": _lazy("The project was submitted for screening by the Secretariat."),
    "screen": _lazy("The project is now in Secretariat screening."),
    "send_to_appraisal": _lazy("The project was sent to its subcommittee for appraisal."),
    "return": _lazy("The project was returned to its proponents for revision."),
    "recommend": _lazy("The project was recommended for endorsement by the Forum."),
    "decline": _lazy("The project was declined."),
    "endorse": _lazy("The project's endorsement by the Forum was recorded."),
    "start": _lazy("The project's implementation has started."),
    "suspend": _lazy("The project was suspended."),
    "resume": _lazy("The project's implementation was resumed."),
    "complete": _lazy("The project was marked completed."),
    "evaluate": _lazy("The project's evaluation was recorded."),
    "withdraw": _lazy("The project was withdrawn."),
}


@login_required
@require_POST
def project_transition(request, pk: int):
    project = get_object_or_404(queries.projects(request.user), pk=pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        meeting = queries.meeting_or_none(request.user, form.cleaned_data.get("meeting"))
        try:
            moved = operations.fire_transition(
                request.user, project, form.cleaned_data["name"], reason=form.cleaned_data["reason"], meeting=meeting
            )
            said = TRANSITION_MESSAGES.get(form.cleaned_data["name"])
            messages.success(
                request,
                str(said) if said else _("The project is now “%(status)s”.") % {"status": moved.get_status_display()},
            )
        except workflow.TransitionError as exc:
            messages.error(request, " ".join(exc.problems))
    if not queries.projects(request.user).filter(pk=pk).exists():
        # e.g. a subcommittee member after recommending: the project left their view
        return redirect("project_list")
    return redirect("project_detail", pk=pk)


@login_required
@require_POST
def project_participation(request, pk: int):
    project = get_object_or_404(queries.projects(request.user), pk=pk)
    form = ParticipationForm(request.POST, organisations=queries.organisations_for_participation(request.user))
    if form.is_valid():
        try:
            operations.add_participation(
                request.user, project, form.cleaned_data["organisation"], form.cleaned_data["role"]
            )
            messages.success(request, _("The organisation was added."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Choose an organisation and its role."))
    return redirect("project_detail", pk=pk)


@login_required
@require_POST
def project_funding(request, pk: int):
    """Add a funding source (published to IATI as the activity's transactions), or remove one."""
    project = get_object_or_404(queries.projects(request.user), pk=pk)
    if "remove" in request.POST:
        number = request.POST["remove"]
        if not (number.isascii() and number.isdigit() and len(number) <= 12):
            return HttpResponseBadRequest(_("remove: not a funding source number."))
        source = get_object_or_404(project.funding_sources.all(), pk=int(number))
        operations.remove_funding_source(request.user, source)
        messages.success(request, _("The funding source was removed."))
        return redirect("project_detail", pk=pk)
    form = FundingSourceForm(request.POST, organisations=queries.organisations_for_participation(request.user))
    if (
        form.is_valid()
        and run_operation(form, lambda: operations.add_funding_source(request.user, project, form.cleaned_data))
        is not None
    ):
        messages.success(request, _("The funding source was added."))
    else:
        messages.error(request, error_text(form))
    return redirect("project_detail", pk=pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def project_appraisal(request, pk: int):
    """The appraisal page: the proposal in short, its trade evidence, the rubric, the user's own
    appraisal form (while the project is in appraisal) and every appraiser's scores side by side
    (for those who may read them: ``appraisal.view``)."""
    try:
        project = queries.detail(request.user, pk)
    except Project.DoesNotExist:
        return render(request, "projects/not_found.html", status=404)
    can_appraise = project.status == Status.APPRAISAL and workflow.may_appraise(request.user, project)
    can_view = permissions.can(request.user, "appraisal.view", project)
    if not (can_appraise or can_view):
        raise PermissionDenied(_("Only the Secretariat and members of the project's subcommittee see its appraisal."))
    form = None
    if can_appraise:
        mine = next((a for a in project.appraisals.all() if a.appraiser_id == request.user.pk), None)
        form = AppraisalForm(
            request.POST if request.method == "POST" else None, initial=AppraisalForm.initial_for(mine)
        )
        if request.method == "POST" and form.is_valid():
            saved = run_operation(
                form,
                lambda: operations.save_appraisal(
                    request.user, project, form.scores(), form.cleaned_data["comment"], form.cleaned_data["completed"]
                ),
                refusal_on_form=True,
            )
            if saved is not None:
                messages.success(
                    request,
                    _("Your appraisal was saved and marked complete.")
                    if saved.completed
                    else _("Your appraisal was saved as a draft."),
                )
                return redirect("project_appraisal", pk=pk)
    elif request.method == "POST":
        raise PermissionDenied(_("Appraisals are recorded while the project is in subcommittee appraisal."))
    from .models import APPRAISAL_SCALE

    return render(
        request,
        "projects/project_appraisal.html",
        {
            "project": project,
            "form": form,
            "can_appraise": can_appraise,
            "table": queries.appraisal_table(project) if can_view else None,
            "scale": APPRAISAL_SCALE.items(),
            "evidence": project.trade_evidence or None,
            "helix_mix": queries.helix_mix(project),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def project_editors(request, pk: int):
    """Name or remove a project's editors (the proponents and the Secretariat)."""
    project = get_object_or_404(queries.projects(request.user), pk=pk)
    permissions.require(request.user, "project.manage_editors", project)
    form = EditorForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(form))
        return redirect(reverse("project_detail", args=[pk]) + "#editors")
    user, remove = form.cleaned_data["username"], form.cleaned_data["remove"]
    try:
        if remove:
            operations.remove_editor(request.user, project, user)
            messages.success(request, _("%(name)s no longer edits this project.") % {"name": user.get_username()})
        else:
            operations.add_editor(request.user, project, user)
            messages.success(request, _("%(name)s now edits this project.") % {"name": user.get_username()})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("project_detail", args=[pk]) + "#editors")


@login_required
def project_results(request, pk: int):
    """Edit the results framework: results, indicators, reporting periods, updates and their review."""
    try:
        project = queries.results_workspace(request.user, pk)
    except Project.DoesNotExist:
        return render(request, "projects/not_found.html", status=404)
    permissions.require(request.user, "project.report_results", project)
    can_build = permissions.can(request.user, "project.edit", project)  # results, indicators, periods
    action = request.POST.get("action") if request.method == "POST" else None
    if action in ("result", "indicator", "period") and not can_build:
        raise PermissionDenied(
            _(
                "Only the project's editors, the focal points of its countries and the Secretariat "
                "change its results framework."
            )
        )
    forms_ = {
        "result": ResultForm(request.POST if action == "result" else None, prefix="r"),
        "indicator": IndicatorForm(
            request.POST if action == "indicator" else None,
            prefix="i",
            results=project.results.model.objects.filter(project=project),
        ),
        "period": PeriodForm(request.POST if action == "period" else None, prefix="p"),
        "update": UpdateForm(request.POST if action == "update" else None, prefix="u"),
        "review": ReviewForm(request.POST if action == "review" else None, prefix="v"),
    }
    if action in forms_ and forms_[action].is_valid():
        done = run_operation(
            forms_[action],
            lambda: _results_operation(request.user, project, action, forms_[action]),
            refusal_on_form=True,
        )
        if done is not None:
            messages.success(request, _results_message(action, forms_[action]))
            return redirect("project_results", pk=project.pk)
    return render(
        request,
        "projects/project_results.html",
        {
            "project": project,
            "forms": forms_,
            "action": action,
            "grid": queries.update_grid(project),
            "periods": list(project.periods.all()),
            "reviewer": permissions.can(request.user, "results.review"),
            "can_build": can_build,
        },
        status=400 if action else 200,
    )


def _results_message(action: str, form) -> str:
    """What the results page says after each kind of write."""
    if action == "review":
        return str(
            {
                "submit": _("The update was submitted to the Secretariat for review."),
                "approve": _("The update was approved; it now counts towards progress."),
                "return": _("The update was returned to its editors with your comment."),
            }[form.cleaned_data["move"]]
        )
    return str(
        {
            "result": _("The result was added."),
            "indicator": _("The indicator was added."),
            "period": _("The reporting period was added."),
            "update": _("The update was saved as a draft; submit it for review when it is ready."),
        }[action]
    )


def _results_operation(user, project, action: str, form):
    data = form.cleaned_data
    if action == "result":
        return operations.add_result(user, project, data["kind"], data["title"])
    if action == "indicator":
        values = {k: data[k] for k in ("title", "unit", "baseline", "target", "aggregation")}
        return operations.add_indicator(user, data["result"], values)
    if action == "period":
        return operations.add_period(user, project, data["start"], data["end"])
    if action == "update":
        indicator = get_object_or_404(Indicator.objects.filter(result__project=project), pk=data["indicator"])
        period = get_object_or_404(project.periods.all(), pk=data["period"])
        return operations.save_update(user, indicator, period, data["value"], data["narrative"])
    update = get_object_or_404(IndicatorUpdate.objects.filter(indicator__result__project=project), pk=data["update"])
    return operations.review_update(user, update, data["move"], data["comment"])
