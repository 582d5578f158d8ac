"""Writes to meetings, agendas, decisions and action items; each takes the actor and is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from serai.access import permissions
from serai.core.operations import create_object, update_object
from serai.reference.models import Origin

from .models import ActionItem, ActionUpdate, AgendaItem, Decision, DecisionKind, DecisionStatus, Meeting


def create_meeting(actor: Any, values: dict[str, Any]) -> Meeting:
    permissions.require(actor, "meeting.create")
    return create_object(actor, Meeting, "meeting.create", {**values, "origin": Origin.STAFF})


def update_meeting(actor: Any, meeting: Meeting, values: dict[str, Any], expected_version: int | None = None) -> Meeting:
    """Staff corrections; a corrected reference row is no longer refreshed by ``loadreference``."""
    permissions.require(actor, "meeting.edit", meeting)
    return update_object(
        actor, meeting, "meeting.update", {**values, "origin": Origin.STAFF}, expected_version=expected_version
    )


# --- agendas, decisions, action items -----------------------------------------------------------
def add_agenda_item(actor: Any, meeting: Meeting, title, *, parent: AgendaItem | None = None) -> AgendaItem:
    permissions.require(actor, "meeting.edit", meeting)
    if parent is not None and parent.meeting_id != meeting.pk:
        raise ValidationError({"parent": _("The parent item belongs to another meeting.")})
    order = AgendaItem.objects.filter(meeting=meeting, parent=parent).count()
    return create_object(actor, AgendaItem, "meeting.agenda.add",
                         {"meeting": meeting, "parent": parent, "title": title, "order": order})


def record_decision(actor: Any, meeting: Meeting, text, *, kind: str = DecisionKind.DECISION,
                    agenda_item: AgendaItem | None = None, number: int | None = None, projects=()) -> Decision:
    permissions.require(actor, "decision.edit")
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("The agenda item belongs to another meeting.")})
    projects = list(projects)
    if projects and meeting.body.kind != "forum":
        raise ValidationError({"projects": _("Only a Forum session endorses projects.")})
    return create_object(actor, Decision, "decision.create",
                         {"meeting": meeting, "agenda_item": agenda_item, "number": number, "kind": kind, "text": text},
                         m2m={"projects": projects})


@transaction.atomic
def adopt_decision(actor: Any, decision: Decision, *, on: dt.date | None = None) -> Decision:
    """Adopt a decision. Each project it names is endorsed *through the project workflow* at the
    decision's meeting; if one cannot be, nothing is adopted and nothing moves."""
    from serai.projects import operations as project_operations

    permissions.require(actor, "decision.edit", decision)
    decision = Decision.objects.select_for_update().select_related("meeting", "meeting__body").get(pk=decision.pk)
    if decision.status != DecisionStatus.DRAFT:
        raise ValidationError(_("Only a draft decision can be adopted."))
    if decision.meeting.status == "cancelled":
        raise ValidationError(_("A cancelled meeting adopts nothing."))
    for project in decision.projects.all():
        if project.status != "endorsed":
            project_operations.fire_transition(
                actor, project, "endorse", meeting=decision.meeting,
                reason=str(_("Endorsed by decision %(decision)s")) % {"decision": decision})
    return update_object(actor, decision, "decision.adopt",
                         {"status": DecisionStatus.ADOPTED, "adopted_on": on or decision.meeting.end_date
                          or decision.meeting.start_date or timezone.localdate()})


def add_action(actor: Any, meeting: Meeting, title, *, owner, due_date: dt.date | None = None,
               decision: Decision | None = None) -> ActionItem:
    permissions.require(actor, "action.create")
    values: dict[str, Any] = {"meeting": meeting, "decision": decision, "title": title, "due_date": due_date}
    values[_owner_field(owner)] = owner
    return create_object(actor, ActionItem, "action.create", values)


def _owner_field(owner: Any) -> str:
    from serai.orgs.models import Organisation
    from serai.people.models import Person
    from serai.reference.models import MemberState

    for model, name in ((MemberState, "owner_country"), (Organisation, "owner_organisation"), (Person, "owner_person")):
        if isinstance(owner, model):
            return name
    raise ValidationError(_("An action's owner is a member state, an organisation or a person."))


@transaction.atomic
def update_action(actor: Any, action: ActionItem, *, status: str, text: str, on: dt.date | None = None) -> ActionItem:
    """A dated progress update; the owner (or the Secretariat) records it with the new status."""
    permissions.require(actor, "action.update", action)
    if not text.strip():
        raise ValidationError({"text": _("Say what has progressed.")})
    user = actor if getattr(actor, "pk", None) else None
    ActionUpdate.objects.create(action=action, date=on or timezone.localdate(), text=text, status=status, author=user)
    return update_object(actor, action, "action.update", {"status": status}, reason=text)
