"""Writes to bodies' membership, meetings (agendas, participants, documents, minutes), decisions,
action items and the Secretariat's work plan; each takes the actor and is audited."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from serai.access import permissions
from serai.core import audit, uploads
from serai.core.actors import user_of
from serai.core.i18n import TranslatedText, in_every_language
from serai.core.operations import create_object, delete_object, update_object
from serai.core.workflow import edit as edit_with_status
from serai.core.workflow import fire
from serai.reference.models import Origin
from serai.workspace import operations as workspace
from serai.workspace.kinds import PerLanguage
from serai.workspace.recipients import holders

from . import queries, workflow
from .models import (
    ActionItem,
    ActionStatus,
    ActionUpdate,
    AgendaItem,
    Decision,
    DecisionKind,
    DecisionStatus,
    Meeting,
    MeetingDocument,
    Membership,
    Minutes,
    MinutesRevision,
    MinutesStatus,
    Participant,
    PriorityArea,
    WorkPlan,
    WorkPlanActivity,
    WorkPlanStatus,
)


def create_meeting(actor: Any, values: dict[str, Any]) -> Meeting:
    permissions.require(actor, "meeting.create")
    return create_object(actor, Meeting, "meeting.create", {**values, "origin": Origin.STAFF})


def update_meeting(
    actor: Any, meeting: Meeting, values: dict[str, Any], expected_version: int | None = None
) -> Meeting:
    """Staff corrections; a corrected reference row is no longer refreshed by ``loadreference``.
    A new status moves through ``workflow.MEETING_MACHINE`` (held, cancelled, planned again)."""
    permissions.require(actor, "meeting.edit", meeting)
    return edit_with_status(
        actor,
        workflow.MEETING_MACHINE,
        meeting,
        "meeting.update",
        {**values, "origin": Origin.STAFF},
        expected_version=expected_version,
    )


# --- agendas, decisions, action items -----------------------------------------------------------
def add_agenda_item(actor: Any, meeting: Meeting, title, *, parent: AgendaItem | None = None) -> AgendaItem:
    permissions.require(actor, "meeting.edit", meeting)
    if parent is not None and parent.meeting_id != meeting.pk:
        raise ValidationError({"parent": _("The parent item belongs to another meeting.")})
    order = AgendaItem.objects.filter(meeting=meeting, parent=parent).count()
    return create_object(
        actor, AgendaItem, "meeting.agenda.add", {"meeting": meeting, "parent": parent, "title": title, "order": order}
    )


# --- agenda editing: rename, reorder, delete (each audited) --------------------------------------
def rename_agenda_item(actor: Any, item: AgendaItem, title, *, expected_version: int | None = None) -> AgendaItem:
    permissions.require(actor, "agenda.edit", item.meeting)
    if not TranslatedText.coerce(title):
        raise ValidationError({"title": _("Enter the text in at least one language.")})
    return update_object(actor, item, "meeting.agenda.rename", {"title": title}, expected_version=expected_version)


def _renumber(actor: Any, siblings: list[AgendaItem]) -> None:
    """Give ``siblings`` the orders 0, 1, 2… in the list's order; each changed one is audited."""
    for order, sibling in enumerate(siblings):
        if sibling.order != order:
            update_object(actor, sibling, "meeting.agenda.reorder", {"order": order})


def _siblings(item: AgendaItem) -> list[AgendaItem]:
    return list(
        AgendaItem.objects.select_for_update()
        .filter(meeting_id=item.meeting_id, parent_id=item.parent_id)
        .order_by("order", "id")
    )


@transaction.atomic
def move_agenda_item(actor: Any, item: AgendaItem, position: int) -> AgendaItem:
    """Put ``item`` at ``position`` (0 first) among the items of its level; the others close up."""
    permissions.require(actor, "agenda.edit", item.meeting)
    siblings = _siblings(item)
    if not 0 <= position < len(siblings):
        where = _("There is no place %(n)s on this level of the agenda.") % {"n": position + 1}
        raise ValidationError({"position": where})
    moved = next(s for s in siblings if s.pk == item.pk)
    siblings.remove(moved)
    siblings.insert(position, moved)
    _renumber(actor, siblings)
    return AgendaItem.objects.get(pk=item.pk)


@transaction.atomic
def delete_agenda_item(actor: Any, item: AgendaItem) -> None:
    """Delete an agenda item and its sub-items (each audited); the items after it close up. An item
    with decisions or documents, or with sub-items that have some, is kept: nothing is deleted."""
    permissions.require(actor, "agenda.edit", item.meeting)
    items = list(AgendaItem.objects.filter(meeting_id=item.meeting_id))
    children: dict[int | None, list[AgendaItem]] = {}
    for each in items:
        children.setdefault(each.parent_id, []).append(each)

    def subtree(node_pk: int) -> list[int]:
        out = [node_pk]
        for child in children.get(node_pk, []):
            out.extend(subtree(child.pk))
        return out

    doomed = subtree(item.pk)
    if Decision.objects.filter(agenda_item_id__in=doomed).exists() or (
        MeetingDocument.objects.filter(agenda_item_id__in=doomed).exists()
    ):
        raise ValidationError(
            _("This agenda item (or one under it) has decisions or documents: move them to another item first.")
        )
    by_pk = {each.pk: each for each in items}
    for pk in reversed(doomed):  # the deepest first
        delete_object(actor, by_pk[pk], "meeting.agenda.delete")
    _renumber(actor, [s for s in _siblings(item) if s.pk != item.pk])


def agenda_minutes_text(meeting: Meeting, languages: list[str] | None = None) -> TranslatedText:
    """A minutes template that follows the agenda: the title and each agenda item's heading (its
    number and title), with a line to fill under each, in every content language (each heading in
    that language, else in the item's own)."""
    from django.utils import translation

    from serai.core.i18n import content_languages

    items = list(meeting.agenda_items.all())
    children: dict[int | None, list[AgendaItem]] = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)
    numbered: list[tuple[str, AgendaItem]] = []  # (2.1., item) in the agenda's order

    def walk(parent_id, prefix):
        for n, item in enumerate(children.get(parent_id, []), start=1):
            numbered.append((f"{prefix}{n}.", item))
            walk(item.pk, f"{prefix}{n}.")

    walk(None, "")
    values: dict[str, str] = {}
    for lang in languages or content_languages():
        with translation.override(lang):
            lines = [str(_("Minutes of %(meeting)s") % {"meeting": meeting}), ""]
        for number, item in numbered:
            lines.extend([f"{number} {item.title.get(lang)}", "…", ""])
        values[lang] = "\n".join(lines).rstrip() + "\n"
    return TranslatedText(values, source=(languages or content_languages())[0])


@transaction.atomic
def start_minutes_from_agenda(actor: Any, meeting: Meeting, *, language: str | None = None) -> Minutes:
    """Start the meeting's minutes from its agenda (:func:`agenda_minutes_text`, ``language`` its
    source). Only minutes with no text yet are started: written minutes are never replaced."""
    from serai.core.i18n import content_languages

    permissions.require(actor, "minutes.edit", meeting)
    if not meeting.agenda_items.exists():
        raise ValidationError(_("The meeting has no agenda yet."))
    current = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if current is not None and current.text:
        raise ValidationError(_("The minutes have text already; they are not replaced."))
    languages = content_languages()
    if language in languages:
        languages = [language, *[lang for lang in languages if lang != language]]
    text = agenda_minutes_text(meeting, languages)
    return save_minutes(
        actor,
        meeting,
        text,
        base_revision=current.revision if current else 0,
        note=str(_("Started from the agenda")),
    )


def record_decision(
    actor: Any,
    meeting: Meeting,
    text,
    *,
    kind: str = DecisionKind.DECISION,
    agenda_item: AgendaItem | None = None,
    number: int | None = None,
    projects=(),
) -> Decision:
    permissions.require(actor, "decision.edit")
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("The agenda item belongs to another meeting.")})
    projects = list(projects)
    if projects and meeting.body.kind != "forum":
        raise ValidationError({"projects": _("Only a Forum session endorses projects.")})
    return create_object(
        actor,
        Decision,
        "decision.create",
        {"meeting": meeting, "agenda_item": agenda_item, "number": number, "kind": kind, "text": text},
        m2m={"projects": projects},
    )


@transaction.atomic
def adopt_decision(actor: Any, decision: Decision, *, on: dt.date | None = None) -> Decision:
    """Adopt a decision. Each project it names is endorsed *through the project workflow* at the
    decision's meeting; if one cannot be, nothing is adopted and nothing moves."""
    from serai.projects import operations as project_operations

    permissions.require(actor, "decision.edit", decision)
    decision = (
        Decision.objects.select_for_update(of=("self",)).select_related("meeting", "meeting__body").get(pk=decision.pk)
    )
    if decision.status != DecisionStatus.DRAFT:
        raise ValidationError(_("Only a draft decision can be adopted."))
    if decision.meeting.status == "cancelled":
        raise ValidationError(_("A cancelled meeting adopts nothing."))
    for project in decision.projects.all():
        if project.status != "endorsed":
            project_operations.fire_transition(
                actor,
                project,
                "endorse",
                meeting=decision.meeting,
                note=("endorsed_by_decision", {"decision": in_every_language(lambda: str(decision))}),
            )
    return fire(
        actor,
        workflow.DECISION_MACHINE,
        decision,
        "adopt",
        values={"adopted_on": decision.meeting.adoption_date(on)},
        locked=True,
    )


def withdraw_decision(actor: Any, decision: Decision, *, reason: str = "") -> Decision:
    """Withdraw a draft decision (it is never adopted)."""
    permissions.require(actor, "decision.edit", decision)
    return fire(actor, workflow.DECISION_MACHINE, decision, "withdraw", reason=reason)


def add_action(
    actor: Any,
    meeting: Meeting,
    title,
    *,
    owner,
    due_date: dt.date | None = None,
    decision: Decision | None = None,
    activity: WorkPlanActivity | None = None,
) -> ActionItem:
    permissions.require(actor, "action.create")
    values: dict[str, Any] = {
        "meeting": meeting,
        "decision": decision,
        "title": title,
        "due_date": due_date,
        "activity": activity,
    }
    field = _owner_field(owner)
    values[field] = owner
    with transaction.atomic():
        action = create_object(actor, ActionItem, "action.create", values)
        scope = {"owner_country": "countries", "owner_organisation": "organisations", "owner_person": "persons"}[field]
        workspace.notify(
            actor,
            "action.assigned",
            holders(**{scope: [owner.pk]}),
            params={"title": action.title, "due": due_date, "meeting": PerLanguage(lambda: str(meeting))},
            link=("meeting_detail", [meeting.pk]),
        )
    return action


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
    """A dated progress update; the owner (or the Secretariat) records it with the status the action
    is in afterwards. A new status moves through ``workflow.ACTION_MACHINE``; the progress row is
    audited (``action.progress``) whether or not the status changed."""
    permissions.require(actor, "action.update", action)
    if not text.strip():
        raise ValidationError({"text": _("Say what has progressed.")})
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    locked = ActionItem.objects.select_for_update(of=("self",)).get(pk=action.pk)
    if status != locked.status:
        locked = fire(
            actor, workflow.ACTION_MACHINE, locked, workflow.ACTION_MACHINE.to(locked, status), reason=text, locked=True
        )
    user = user_of(actor)
    create_object(
        actor,
        ActionUpdate,
        "action.progress",
        {"action": locked, "date": on or timezone.localdate(), "text": text, "status": locked.status, "author": user},
    )
    return locked


# --- bodies' membership --------------------------------------------------------------------------
def add_member(
    actor: Any,
    body,
    person,
    *,
    position: str,
    start_date: dt.date,
    country=None,
    organisation=None,
    end_date: dt.date | None = None,
) -> Membership:
    permissions.require(actor, "membership.edit", body)
    membership = create_object(
        actor,
        Membership,
        "membership.create",
        {
            "body": body,
            "person": person,
            "position": position,
            "country": country,
            "organisation": organisation,
            "start_date": start_date,
            "end_date": end_date,
        },
    )
    permissions.forget(getattr(person, "user", None))
    return membership


def end_membership(actor: Any, membership: Membership, *, on: dt.date) -> Membership:
    """End a member's term on ``on`` (the body's page; rule ``membership.edit``)."""
    permissions.require(actor, "membership.edit", membership.body)
    membership = update_object(actor, membership, "membership.end", {"end_date": on})
    permissions.forget(getattr(membership.person, "user", None))
    return membership


# --- participants and documents ------------------------------------------------------------------
def add_participant(actor: Any, meeting: Meeting, values: dict[str, Any]) -> Participant:
    permissions.require(actor, "participant.edit", meeting)
    return create_object(actor, Participant, "participant.create", {**values, "meeting": meeting})


def record_attendance(actor: Any, participant: Participant, attendance: str) -> Participant:
    permissions.require(actor, "participant.edit", participant.meeting)
    return update_object(actor, participant, "participant.attendance", {"attendance": attendance})


def attach_document(
    actor: Any,
    meeting: Meeting,
    upload,
    *,
    title,
    kind: str,
    language: str = "",
    agenda_item: AgendaItem | None = None,
    is_public: bool = False,
) -> MeetingDocument:
    """Store an uploaded file with the meeting (or one of its agenda items). The type is checked
    by extension and signature, the size against ``SERAI_MAX_UPLOAD_MB``; the file is removed
    again if the record cannot be saved."""
    permissions.require(actor, "document.add", meeting)
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("The agenda item belongs to another meeting.")})
    name = Path(upload.name).name
    digest = uploads.check(upload)
    document = MeetingDocument(
        meeting=meeting,
        agenda_item=agenda_item,
        title=title,
        kind=kind,
        language=language,
        filename=name[:200],
        size=upload.size,
        sha256=digest,
        is_public=is_public,
        uploaded_by=user_of(actor),
    )
    document.file.save(name, upload, save=False)
    try:
        with transaction.atomic():
            document.full_clean()
            document.save()
            audit.record(actor, "document.create", document, before={}, after=audit.snapshot(document))
    except Exception:
        document.file.delete(save=False)
        raise
    return document


# --- minutes -------------------------------------------------------------------------------------
class MinutesConflict(Exception):
    """Someone saved the minutes after the editor loaded them, and both changed the same language.
    Nothing was saved; ``yours`` keeps the editor's text so the form can offer it again."""

    def __init__(self, minutes: Minutes, base_revision: int, yours, languages: list[str]):
        self.minutes = minutes
        self.base_revision = base_revision
        self.yours = yours
        self.languages = languages
        super().__init__(
            f"the minutes were saved as revision {minutes.revision} after you opened revision {base_revision}; "
            f"both changed: {', '.join(languages)}"
        )


def _merge(base: TranslatedText, theirs: TranslatedText, mine: TranslatedText) -> tuple[TranslatedText, list[str]]:
    """Three-way merge per language: a language only one side changed takes that side's text; one
    both changed is a conflict and keeps the editor's text."""
    merged: dict[str, str] = {}
    conflicts: list[str] = []
    for lang in sorted(set(base.values) | set(theirs.values) | set(mine.values)):
        b, t, m = base.values.get(lang, ""), theirs.values.get(lang, ""), mine.values.get(lang, "")
        if m == b or m == t:
            merged[lang] = t
        elif t == b:
            merged[lang] = m
        else:  # both changed it: keep the editor's text for them to reconcile
            merged[lang] = m
            conflicts.append(lang)
    return TranslatedText(merged, source=mine.source or theirs.source), conflicts


@transaction.atomic
def save_minutes(actor: Any, meeting: Meeting, text, *, base_revision: int, note: str = "") -> Minutes:
    """Save a new revision of the meeting's minutes. ``base_revision`` is the revision the editor
    started from: if someone saved since, languages only they changed are merged, and a language
    both changed raises :class:`MinutesConflict` — nothing is overwritten. Saving circulated
    minutes amends them; adopted minutes are locked."""
    permissions.require(actor, "minutes.edit", meeting)
    text = TranslatedText.coerce(text)
    minutes = Minutes.objects.select_for_update().select_related("meeting").filter(meeting=meeting).first()
    if minutes is None:
        try:
            with transaction.atomic():
                minutes = create_object(actor, Minutes, "minutes.create", {"meeting": meeting})
        except IntegrityError:  # created by a concurrent first save
            minutes = Minutes.objects.select_for_update().get(meeting=meeting)
    if minutes.status == MinutesStatus.ADOPTED:
        raise ValidationError(_("The minutes were adopted and are locked."))
    merged_from = None
    if minutes.revision != base_revision:
        base = minutes.revisions.filter(number=base_revision).first()
        text, conflicts = _merge(base.text if base else TranslatedText(), minutes.text, text)
        if conflicts:
            raise MinutesConflict(minutes, base_revision, text, conflicts)
        merged_from = minutes.revision
    if text.to_json() == minutes.text.to_json():
        return minutes
    if minutes.status == MinutesStatus.CIRCULATED:
        _fire(actor, minutes, "amend", reason=note)
    number = minutes.revision + 1
    user = user_of(actor)
    if merged_from is not None:
        note = (note + " " if note else "") + str(_("(merged with revision %(n)s)") % {"n": merged_from})
    MinutesRevision.objects.create(
        minutes=minutes, number=number, text=text, status=minutes.status, note=note[:300], author=user
    )
    return update_object(actor, minutes, "minutes.save", {"text": text, "revision": number}, reason=note)


def _fire(actor: Any, minutes: Minutes, name: str, *, reason: str = "") -> Minutes:
    values = {"adopted_on": timezone.localdate()} if name == "adopt" else {}
    return fire(actor, workflow.MACHINE, minutes, name, reason=reason, values=values, locked=True)


@transaction.atomic
def move_minutes(actor: Any, minutes: Minutes, name: str, *, reason: str = "") -> Minutes:
    """Circulate or adopt the minutes (the transitions of :mod:`.workflow`)."""
    permissions.require(actor, "minutes.edit", minutes.meeting)
    minutes = Minutes.objects.select_for_update().select_related("meeting", "meeting__body").get(pk=minutes.pk)
    minutes = _fire(actor, minutes, name, reason=reason)
    # The current revision is the text that was circulated or adopted: it shows the status it reached
    # (earlier revisions keep the one they had when they were superseded).
    MinutesRevision.objects.filter(minutes=minutes, number=minutes.revision).update(status=minutes.status)
    minutes.notified = None
    if name == "circulate":
        meeting = minutes.meeting
        told = workspace.notify(
            actor,
            "minutes.circulated",
            queries.circulation_recipients(meeting),
            params={"meeting": PerLanguage(lambda: str(meeting))},
            link=("minutes", [meeting.pk]),
        )
        minutes.notified = len(told)  # how many were told: the page says so, above all when nobody was
    return minutes


# --- the Secretariat's work plan -----------------------------------------------------------------
def create_work_plan(actor: Any, year: int, title="") -> WorkPlan:
    permissions.require(actor, "workplan.edit")
    return create_object(actor, WorkPlan, "workplan.create", {"year": year, "title": title})


def add_priority_area(actor: Any, plan: WorkPlan, title, *, fields=()) -> PriorityArea:
    permissions.require(actor, "workplan.edit", plan)
    order = plan.areas.count()
    return create_object(
        actor, PriorityArea, "workplan.area.add", {"plan": plan, "title": title, "order": order}, m2m={"fields": fields}
    )


def add_activity(actor: Any, area: PriorityArea, values: dict[str, Any], *, projects=()) -> WorkPlanActivity:
    permissions.require(actor, "workplan.edit", area.plan)
    return create_object(
        actor, WorkPlanActivity, "workplan.activity.add", {**values, "area": area}, m2m={"projects": projects}
    )


def update_activity(
    actor: Any,
    activity: WorkPlanActivity,
    values: dict[str, Any],
    *,
    projects=None,
    expected_version: int | None = None,
) -> WorkPlanActivity:
    """Edit an activity; a new status moves through ``workflow.ACTIVITY_MACHINE``."""
    permissions.require(actor, "workplan.edit", activity.area.plan)
    return edit_with_status(
        actor,
        workflow.ACTIVITY_MACHINE,
        activity,
        "workplan.activity.update",
        values,
        m2m={"projects": projects} if projects is not None else None,
        expected_version=expected_version,
    )


def adopt_work_plan(actor: Any, plan: WorkPlan, meeting: Meeting, *, on: dt.date | None = None) -> WorkPlan:
    """A work plan is adopted at a Forum session that was not cancelled."""
    permissions.require(actor, "workplan.edit", plan)
    if not meeting.is_forum_session:
        raise ValidationError({"adopted_at": _("A work plan is adopted at a Forum session that was not cancelled.")})
    if plan.status == WorkPlanStatus.ADOPTED:
        raise ValidationError(_("This work plan was adopted already."))
    return fire(
        actor,
        workflow.WORKPLAN_MACHINE,
        plan,
        "adopt",
        meeting=meeting,
        values={"adopted_at": meeting, "adopted_on": meeting.adoption_date(on)},
    )
