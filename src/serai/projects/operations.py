"""Every write to projects: registry, participation, documents, workflow and results."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from serai.access import permissions
from serai.core import audit
from serai.core.actors import user_of
from serai.core.i18n import TranslatedText
from serai.core.operations import create_object, delete_object, update_object
from serai.core.workflow import fire
from serai.workspace import operations as workspace
from serai.workspace.recipients import holders

from . import workflow
from .models import (
    Appraisal,
    FundingSource,
    Indicator,
    IndicatorUpdate,
    Participation,
    Project,
    ProjectCountry,
    ProjectSector,
    ProjectTransition,
    ReportingPeriod,
    Result,
    Status,
    UpdateStatus,
)
from .validation import derive_scope, sector_problem


@dataclass(frozen=True)
class SectorShare:
    field: Any
    percentage: Decimal
    dac_sector: Any = None


def _next_code(year: int) -> str:
    prefix = f"KCA-{year}-"
    last = (
        Project.objects.select_for_update()
        .filter(code__startswith=prefix)
        .order_by("-code")
        .values_list("code", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _usd(values: dict[str, Any]) -> Decimal | None:
    amount, rate = values.get("budget_amount"), values.get("usd_rate")
    if values.get("budget_currency") == "USD" and amount is not None:
        return Decimal(amount).quantize(Decimal("0.01"))
    if amount is None or rate is None:
        return None
    return (Decimal(amount) * Decimal(rate)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _check_budget(values: dict[str, Any]) -> None:
    amount = values.get("budget_amount")
    if amount is None:
        return
    if not values.get("budget_currency"):
        raise ValidationError({"budget_currency": _("Give the currency of the budget.")})
    if values["budget_currency"] != "USD" and (values.get("usd_rate") is None or values.get("usd_rate_date") is None):
        raise ValidationError({"usd_rate": _("Give the USD rate and its date to convert the budget.")})


def search_document(project: Project) -> str:
    parts = [project.code, " ".join(project.tags or [])]
    for text in (project.title, project.summary, project.description):
        parts.extend(text.values.values())
    for state in project.countries.all():
        parts.extend(state.name.values.values())
    for sector in project.sectors.all():
        parts.extend(sector.field.name.values.values())
    return " ".join(p for p in parts if p)


def _refresh_derived(project: Project) -> None:
    """Scope and the search document follow from other rows; recompute after each write."""
    scope, _problem = derive_scope(project.countries.all())
    Project.objects.filter(pk=project.pk).update(scope=scope or "", search_document=search_document(project))
    project.scope = scope or ""


def _set_countries(project: Project, states: Iterable[Any]) -> None:
    states = list(states)
    scope, problem = derive_scope(states)
    if problem and states:
        raise ValidationError({"countries": problem})
    ProjectCountry.objects.filter(project=project).exclude(member_state__in=states).delete()
    existing = set(ProjectCountry.objects.filter(project=project).values_list("member_state_id", flat=True))
    ProjectCountry.objects.bulk_create(
        [ProjectCountry(project=project, member_state=s) for s in states if s.pk not in existing]
    )


def _set_sectors(project: Project, shares: Sequence[SectorShare]) -> None:
    problem = sector_problem(s.percentage for s in shares)
    if problem:
        raise ValidationError({"sectors": problem})
    for share in shares:
        if share.dac_sector is not None and not share.field.dac_sectors.filter(pk=share.dac_sector.pk).exists():
            raise ValidationError(
                {
                    "sectors": _("DAC code %(code)s does not belong to the field %(field)s.")
                    % {"code": share.dac_sector.code, "field": share.field}
                }
            )
    ProjectSector.objects.filter(project=project).delete()
    ProjectSector.objects.bulk_create(
        [
            ProjectSector(project=project, field=s.field, dac_sector=s.dac_sector, percentage=s.percentage)
            for s in shares
        ]
    )


def _relations_snapshot(project: Project) -> dict[str, Any]:
    return {
        "countries": sorted(project.countries.values_list("iso2", flat=True)),
        "sectors": [
            [s.field.code, s.dac_sector.code if s.dac_sector else None, str(s.percentage)]
            for s in project.sectors.select_related("field", "dac_sector").order_by("field__code")
        ],
    }


@transaction.atomic
def create_project(
    actor: Any,
    values: dict[str, Any],
    *,
    countries: Iterable[Any] = (),
    sectors: Sequence[SectorShare] = (),
    editors: Iterable[Any] = (),
) -> Project:
    """Create an idea. Anyone with a role may propose (rule ``project.create``); the proposer
    becomes an editor."""
    if permissions.principal(actor).is_public and not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to propose a project."))
    countries = list(countries)
    if not permissions.can(actor, "project.create", countries):
        raise PermissionDenied(
            _(
                "Only the Secretariat, focal points of the countries involved, subcommittee members "
                "and partner organisations may propose projects."
            )
        )
    values = dict(values)
    _check_budget(values)
    values["budget_usd"] = _usd(values)
    values.setdefault("code", _next_code(timezone.now().year))
    values.pop("status", None)  # every project starts as an idea (the model's default)
    user = user_of(actor)
    values["created_by"] = user
    project = create_object(actor, Project, "project.create", values)
    _set_countries(project, countries)
    if sectors:
        _set_sectors(project, sectors)
    project.editors.set([*editors, *([user] if user else [])])
    _refresh_derived(project)
    audit.record(actor, "project.relations", project, before={}, after=_relations_snapshot(project))
    return project


@transaction.atomic
def update_project(
    actor: Any,
    project: Project,
    values: dict[str, Any],
    *,
    countries: Iterable[Any] | None = None,
    sectors: Sequence[SectorShare] | None = None,
    expected_version: int | None = None,
) -> Project:
    """Edit a project. A change of its countries is checked against the scope the editor has
    *after* the change, as creating is: the new countries must be ones they may propose for, and
    they must still be allowed to edit the project afterwards — a focal point cannot move a
    project into another country's scope. A refusal changes nothing."""
    permissions.require(actor, "project.edit", project)
    if countries is not None:
        countries = list(countries)
        current = {c.pk for c in project.countries.all()}
        if {c.pk for c in countries} != current and not permissions.can(actor, "project.create", countries):
            raise PermissionDenied(_("You may not move the project to countries outside your scope."))
    values = dict(values)
    merged = {
        k: values.get(k, getattr(project, k)) for k in ("budget_amount", "budget_currency", "usd_rate", "usd_rate_date")
    }
    _check_budget(merged)
    values["budget_usd"] = _usd(merged)
    before = _relations_snapshot(project)
    project = update_object(actor, project, "project.update", values, expected_version=expected_version)
    if countries is not None:
        _set_countries(project, countries)
        after_move = Project.objects.prefetch_related("countries", "editors").get(pk=project.pk)
        if not permissions.can(actor, "project.edit", after_move):
            # the transaction is rolled back: nothing of the edit is kept
            raise PermissionDenied(_("You may not move the project to countries outside your scope."))
    if sectors is not None:
        _set_sectors(project, sectors)
    after = _relations_snapshot(project)
    if after != before:
        audit.record(actor, "project.relations", project, before=before, after=after)
    _refresh_derived(project)
    return project


@transaction.atomic
def fire_transition(
    actor: Any,
    project: Project,
    name: str,
    *,
    reason: str = "",
    meeting: Any = None,
    note: tuple[str, dict[str, Any]] | None = None,
) -> Project:
    """Move the project along the workflow. An illegal move raises TransitionError and changes nothing.

    ``reason`` is the actor's own words; ``note`` is what Serai adds to the timeline row, as a kind
    of ``models.TRANSITION_NOTES`` and its parameters (translated text), rendered when read."""
    today = timezone.localdate()

    def values(locked: Project, transition) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if transition.target == Status.ENDORSED:
            out["endorsed_at"] = meeting
        if transition.name == "start" and locked.actual_start is None:
            out["actual_start"] = today
        if transition.name == "complete" and locked.actual_end is None:
            out["actual_end"] = today
        return out

    from_status = Project.objects.filter(pk=project.pk).values_list("status", flat=True).first()
    locked = fire(
        actor,
        workflow.MACHINE,
        project,
        name,
        reason=reason,
        meeting=meeting,
        values=values,
        audit_extra={"note": note[0]} if note else None,
    )
    user = user_of(actor)
    ProjectTransition.objects.create(
        project=locked,
        name=name,
        from_status=from_status,
        to_status=locked.status,
        actor=user,
        actor_label=audit.actor_label(actor),
        reason=reason,
        meeting=meeting,
        note_kind=note[0] if note else "",
        note_params={key: TranslatedText.coerce(value).to_json() for key, value in note[1].items()} if note else {},
    )
    _tell_transition(actor, locked)
    return locked


def _project_params(project: Project) -> dict[str, Any]:
    return {"title": project.title, "code": project.code, "status": Status(project.status).label}


def _tell_transition(actor: Any, project: Project) -> None:
    """Who hears of a move: the Secretariat of a submission, the subcommittee of an appraisal,
    and the project's proponents (its creator, editors and the involved countries' focal
    points) of every move — each person once."""
    params = _project_params(project)
    told: set[int] = set()
    if project.status == Status.SUBMITTED:
        told |= {
            n.recipient_id
            for n in workspace.notify(
                actor,
                "project.submitted",
                holders(secretariat=True),
                params=params,
                link=("project_detail", [project.pk]),
            )
        }
    elif project.status == Status.APPRAISAL:
        told |= {
            n.recipient_id
            for n in workspace.notify(
                actor,
                "project.appraisal",
                holders(bodies=[project.subcommittee_id]),
                params=params,
                link=("project_appraisal", [project.pk]),
            )
        }
    proponents = holders(
        users=[project.created_by_id, *project.editors.values_list("pk", flat=True)],
        countries=project.countries.values_list("pk", flat=True),
    ).exclude(pk__in=told)
    workspace.notify(actor, "project.moved", proponents, params=params, link=("project_detail", [project.pk]))


# --- participation, documents ----------------------------------------------------------------
def add_participation(actor: Any, project: Project, organisation: Any, role: str) -> Participation:
    permissions.require(actor, "project.edit", project)
    return create_object(
        actor,
        Participation,
        "project.participation.add",
        {"project": project, "organisation": organisation, "role": role},
    )


def add_editor(actor: Any, project: Project, user: Any) -> None:
    """Name ``user`` an editor of the project (the proponents and the Secretariat may)."""
    permissions.require(actor, "project.manage_editors", project)
    if not getattr(user, "is_active", False):
        raise ValidationError(
            {"username": _("%(name)s cannot sign in, so cannot edit the project.") % {"name": user.get_username()}}
        )
    if project.editors.filter(pk=user.pk).exists():
        raise ValidationError({"username": _("%(name)s already edits this project.") % {"name": user.get_username()}})
    with transaction.atomic():
        before = _editors_snapshot(project)
        project.editors.add(user)
        audit.record(actor, "project.editor.add", project, before=before, after=_editors_snapshot(project))


def remove_editor(actor: Any, project: Project, user: Any) -> None:
    permissions.require(actor, "project.manage_editors", project)
    if not project.editors.filter(pk=user.pk).exists():
        raise ValidationError({"username": _("%(name)s does not edit this project.") % {"name": user.get_username()}})
    with transaction.atomic():
        before = _editors_snapshot(project)
        project.editors.remove(user)
        audit.record(actor, "project.editor.remove", project, before=before, after=_editors_snapshot(project))


def _editors_snapshot(project: Project) -> dict[str, Any]:
    return {"editors": sorted(project.editors.values_list("username", flat=True))}


FUNDING_FIELDS = (
    "organisation",
    "name",
    "amount",
    "currency",
    "committed_on",
    "disbursed",
    "disbursed_on",
    "flow_type",
    "finance_type",
    "aid_type",
    "tied_status",
)


def add_funding_source(actor: Any, project: Project, values: dict[str, Any]) -> FundingSource:
    """A funder's commitment to the project (and what it has disbursed so far), with its IATI
    classifications; published as the activity's transactions. Validated by the model's clean."""
    permissions.require(actor, "project.edit", project)
    values = {key: values[key] for key in FUNDING_FIELDS if key in values}
    if values.get("organisation") is not None and not values.get("name"):
        values["name"] = str(values["organisation"])[:200]
    return create_object(actor, FundingSource, "project.funding.add", {"project": project, **values})


def remove_funding_source(actor: Any, source: FundingSource) -> None:
    permissions.require(actor, "project.edit", source.project)
    delete_object(actor, source, "project.funding.remove")


def save_appraisal(
    actor: Any, project: Project, scores: dict[str, int], comment: str = "", completed: bool = False
) -> Appraisal:
    from .models import APPRAISAL_CRITERIA

    if project.status != Status.APPRAISAL:
        raise ValidationError(_("Appraisals are recorded while the project is in subcommittee appraisal."))
    if not workflow.may_appraise(actor, project):
        raise PermissionDenied(_("Only the Secretariat and members of the project's subcommittee appraise it."))
    known = {k for k, _l in APPRAISAL_CRITERIA}
    unknown = set(scores) - known
    if unknown:
        raise ValidationError({"scores": _("Unknown criteria: %(names)s") % {"names": ", ".join(sorted(unknown))}})
    for key, value in scores.items():
        if not 1 <= int(value) <= 5:
            raise ValidationError({"scores": _("Score %(key)s must be between 1 and 5.") % {"key": key}})
    if completed and set(scores) != known:
        raise ValidationError({"scores": _("A completed appraisal scores every criterion.")})
    user = user_of(actor)
    existing = Appraisal.objects.filter(project=project, appraiser=user).first()
    values = {"scores": {k: int(v) for k, v in scores.items()}, "comment": comment, "completed": completed}
    if existing:
        return update_object(actor, existing, "project.appraisal.update", values)
    return create_object(
        actor, Appraisal, "project.appraisal.create", {"project": project, "appraiser": user, **values}
    )


# --- results framework -----------------------------------------------------------------------
def add_result(actor: Any, project: Project, kind: str, title) -> Result:
    permissions.require(actor, "project.edit", project)
    return create_object(
        actor,
        Result,
        "project.result.add",
        {"project": project, "kind": kind, "title": title, "order": project.results.count()},
    )


def add_indicator(actor: Any, result: Result, values: dict[str, Any]) -> Indicator:
    permissions.require(actor, "project.edit", result.project)
    return create_object(actor, Indicator, "project.indicator.add", {"result": result, **values})


def add_period(actor: Any, project: Project, start, end) -> ReportingPeriod:
    permissions.require(actor, "project.edit", project)
    if end < start:
        raise ValidationError({"end": _("The period ends before it starts.")})
    return create_object(actor, ReportingPeriod, "project.period.add", {"project": project, "start": start, "end": end})


def save_update(
    actor: Any, indicator: Indicator, period: ReportingPeriod, value: Decimal, narrative: str = ""
) -> IndicatorUpdate:
    """Create or change the draft (or returned) update of an indicator for a period."""
    project = indicator.result.project
    permissions.require(actor, "project.report_results", project)
    if period.project_id != project.pk:
        raise ValidationError({"period": _("The period belongs to another project.")})
    existing = IndicatorUpdate.objects.filter(indicator=indicator, period=period).first()
    if existing and existing.status not in (UpdateStatus.DRAFT, UpdateStatus.RETURNED):
        raise ValidationError(_("This update was submitted; it can change only after it is returned."))
    values = {"value": value, "narrative": narrative}
    if existing:
        with transaction.atomic():
            if existing.status == UpdateStatus.RETURNED:  # edited again: a draft again
                existing = fire(actor, workflow.UPDATE_MACHINE, existing, "revise")
            return update_object(actor, existing, "project.update.edit", values)
    user = user_of(actor)
    return create_object(
        actor,
        IndicatorUpdate,
        "project.update.create",
        {"indicator": indicator, "period": period, "author": user, **values},
    )


def review_update(actor: Any, update: IndicatorUpdate, move: str, comment: str = "") -> IndicatorUpdate:
    """submit (rule ``results.submit``: those who report the project's results), approve or return
    (rule ``results.review``: the Secretariat; a return needs a comment) — the transitions of
    ``workflow.UPDATE_MACHINE``."""
    project = update.indicator.result.project
    transition = workflow.UPDATE_MACHINE.get(move)
    if move == "return" and not comment.strip():
        raise ValidationError({"review_comment": _("Say why the update is returned.")})
    if transition.rule == "results.review" and not permissions.can(actor, "results.review", update):
        raise PermissionDenied(_("Only the Secretariat reviews result updates."))
    permissions.require(actor, transition.rule, update)
    values: dict[str, Any] = {}
    if transition.rule == "results.review":
        values.update(reviewer=user_of(actor), review_comment=comment)
    with transaction.atomic():
        try:
            update = fire(actor, workflow.UPDATE_MACHINE, update, transition, reason=comment, values=values)
        except workflow.TransitionError as exc:
            raise ValidationError(exc.problems) from None
        target = update.status
        params = {**_project_params(project), "outcome": UpdateStatus(target).label}
        link = ("project_results", [project.pk])
        if move == "submit":
            workspace.notify(actor, "results.submitted", holders(secretariat=True), params=params, link=link)
        else:
            workspace.notify(actor, "results.reviewed", holders(users=[update.author_id]), params=params, link=link)
    return update
