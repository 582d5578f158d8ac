"""The audit log as a reader reads it: actions, fields and choice values in the reader's language.

Entries store codes — the action (``project.update``, ``project.transition.endorse``), field
names (``status``, ``body_id``) and raw values (``"endorsed"``) — and keep them: they are hashed
into the chain. The words are made here, when the log is read. An action code is
``<subject>.<verb>``; a workflow step (``project.transition.<name>``, ``minutes.<name>``) takes
the workflow's own label for it. A code nothing here knows is shown as it is.
"""

from __future__ import annotations

import re
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SUBJECTS = {
    "action": gettext_lazy("Action item"),
    "body": gettext_lazy("Body"),
    "calendar_feed": gettext_lazy("Personal calendar feed"),
    "cooperation_field": gettext_lazy("Cooperation field"),
    "dac_sector": gettext_lazy("DAC purpose code"),
    "decision": gettext_lazy("Decision"),
    "document": gettext_lazy("Meeting document"),
    "iati": gettext_lazy("IATI"),
    "landscape": gettext_lazy("IATI landscape"),
    "login": gettext_lazy("Sign-in"),
    "meeting": gettext_lazy("Meeting"),
    "meeting.agenda": gettext_lazy("Agenda item"),
    "matchmaking.event": gettext_lazy("Matchmaking event"),
    "matchmaking.table": gettext_lazy("Matchmaking table"),
    "matchmaking.participant": gettext_lazy("Matchmaking participant"),
    "matchmaking.request": gettext_lazy("Meeting request"),
    "matchmaking.meeting": gettext_lazy("Scheduled meeting"),
    "matchmaking.outcome": gettext_lazy("Meeting outcome"),
    "member_state": gettext_lazy("Member state"),
    "membership": gettext_lazy("Membership"),
    "minutes": gettext_lazy("Minutes"),
    "network": gettext_lazy("Cooperation network"),
    "network.expertise": gettext_lazy("Expertise"),
    "network.introduction": gettext_lazy("Introduction"),
    "network.profile": gettext_lazy("Cooperation profile"),
    "notification": gettext_lazy("Notification"),
    "organisation": gettext_lazy("Organisation"),
    "otp": gettext_lazy("Two-factor sign-in"),
    "participant": gettext_lazy("Participant"),
    "password": gettext_lazy("Password"),
    "person": gettext_lazy("Person"),
    "preference": gettext_lazy("Preferences"),
    "priority_area": gettext_lazy("Priority area"),
    "project": gettext_lazy("Project"),
    "project.appraisal": gettext_lazy("Appraisal"),
    "project.document": gettext_lazy("Project document"),
    "project.editor": gettext_lazy("Project editor"),
    "project.funding": gettext_lazy("Funding source"),
    "project.indicator": gettext_lazy("Indicator"),
    "project.participation": gettext_lazy("Participating organisation"),
    "project.period": gettext_lazy("Reporting period"),
    "project.result": gettext_lazy("Result"),
    "project.update": gettext_lazy("Results update"),
    "report": gettext_lazy("Report"),
    "reminder": gettext_lazy("Reminder"),
    "role": gettext_lazy("Role"),
    "saved_filter": gettext_lazy("Saved filter"),
    "user": gettext_lazy("User account"),
    "work_plan": gettext_lazy("Work plan"),
    "workplan": gettext_lazy("Work plan"),
    "workplan.activity": gettext_lazy("Work plan activity"),
    "workplan.area": gettext_lazy("Priority area"),
}

VERBS = {
    "create": gettext_lazy("creation"),
    "add": gettext_lazy("addition"),
    "update": gettext_lazy("change"),
    "edit": gettext_lazy("change"),
    "save": gettext_lazy("change"),
    "change": gettext_lazy("change"),
    "delete": gettext_lazy("deletion"),
    "rename": gettext_lazy("renamed"),
    "reorder": gettext_lazy("moved in the order"),
    "remove": gettext_lazy("removal"),
    "load": gettext_lazy("loaded from the reference data"),
    "admin_create": gettext_lazy("creation in the admin"),
    "admin_update": gettext_lazy("change in the admin"),
    "admin_delete": gettext_lazy("deletion in the admin"),
    "adopt": gettext_lazy("adoption"),
    "grant": gettext_lazy("granted"),
    "revoke": gettext_lazy("revoked"),
    "read": gettext_lazy("read"),
    "read_all": gettext_lazy("all read"),
    "send": gettext_lazy("sent"),
    "regenerate": gettext_lazy("new address made"),
    "lockout": gettext_lazy("locked out"),
    "unlock": gettext_lazy("lockout lifted"),
    "enrol_start": gettext_lazy("enrolment started"),
    "enrol": gettext_lazy("enrolment"),
    "reset": gettext_lazy("reset"),
    "attendance": gettext_lazy("attendance"),
    "end": gettext_lazy("end"),
    "link": gettext_lazy("linked to a project"),
    "import": gettext_lazy("import"),
    "relations": gettext_lazy("countries and sectors"),
    "trade_evidence": gettext_lazy("trade evidence"),
    "submit": gettext_lazy("submitted for review"),
    "approve": gettext_lazy("approved"),
    "return": gettext_lazy("returned"),
    "publish": gettext_lazy("publication"),
    "request": gettext_lazy("requested"),
    "retry": gettext_lazy("requested again"),
    "slots": gettext_lazy("slots generated"),
    "register": gettext_lazy("registration"),
    "record": gettext_lazy("recorded"),
    "project": gettext_lazy("project idea opened"),
    "place": gettext_lazy("placed in the schedule"),
    "unplace": gettext_lazy("taken out of the schedule"),
    "confirm": gettext_lazy("confirmed"),
    "progress": gettext_lazy("progress recorded"),
}

# workflow steps: the code's prefix, its subject and the machine that names the steps
WORKFLOWS = {
    "project.transition.": ("project", "serai.projects.workflow.MACHINE"),
    "minutes.": ("minutes", "serai.governance.workflow.MACHINE"),
    "network.profile.transition.": ("network.profile", "serai.network.workflow.PROFILE_MACHINE"),
    "network.introduction.": ("network.introduction", "serai.network.workflow.INTRODUCTION_MACHINE"),
    "matchmaking.event.": ("matchmaking.event", "serai.matchmaking.workflow.EVENT_MACHINE"),
    "matchmaking.participant.": ("matchmaking.participant", "serai.matchmaking.workflow.PARTICIPANT_MACHINE"),
    "matchmaking.request.": ("matchmaking.request", "serai.matchmaking.workflow.REQUEST_MACHINE"),
    "matchmaking.meeting.": ("matchmaking.meeting", "serai.matchmaking.workflow.ATTENDANCE_MACHINE"),
    "project.update.": ("project.update", "serai.projects.workflow.UPDATE_MACHINE"),
    "meeting.": ("meeting", "serai.governance.workflow.MEETING_MACHINE"),
    "decision.": ("decision", "serai.governance.workflow.DECISION_MACHINE"),
    "action.": ("action", "serai.governance.workflow.ACTION_MACHINE"),
    "workplan.activity.": ("workplan.activity", "serai.governance.workflow.ACTIVITY_MACHINE"),
    "workplan.": ("workplan", "serai.governance.workflow.WORKPLAN_MACHINE"),
}

DEFAULT_REPR = re.compile(r"^\w+ object \((?P<pk>[^)]*)\)$")  # Django's str() of a model without __str__

# fields that many models have without a verbose name of their own
COMMON_FIELDS = {
    "version": gettext_lazy("version"),
    "created_at": gettext_lazy("created"),
    "updated_at": gettext_lazy("updated"),
    "created_by": gettext_lazy("created by"),
    "origin": gettext_lazy("origin"),
    "order": gettext_lazy("order"),
    "sort_order": gettext_lazy("order"),
}


def _subject(code: str) -> str | None:
    if code in SUBJECTS:
        return str(SUBJECTS[code])
    for model in apps.get_models():  # the admin names a model by its model_name
        if model._meta.model_name == code and model.__module__.startswith("serai."):
            return str(capfirst(model._meta.verbose_name))
    return None


def action_label(code: str) -> str:
    """The action in the active language; the code itself if nothing here knows it."""
    for prefix, (subject, machine_path) in WORKFLOWS.items():
        if code.startswith(prefix):
            step = import_string(machine_path).by_name.get(code[len(prefix) :])
            if step is not None:
                return _("%(subject)s: %(action)s") % {"subject": SUBJECTS[subject], "action": step.label}
    subject, _dot, verb = code.rpartition(".")
    subject_label = _subject(subject)
    if subject_label is None or verb not in VERBS:
        return code
    return _("%(subject)s: %(action)s") % {"subject": subject_label, "action": VERBS[verb]}


def model_for(entry: Any) -> type[models.Model] | None:
    """The entry's model (None for an entry about no object, or a model that is gone)."""
    return entry.content_type.model_class() if entry.content_type_id else None


def _field(model: type[models.Model] | None, key: str) -> models.Field | None:
    if model is None:
        return None
    for field in model._meta.get_fields():
        if getattr(field, "attname", None) == key or field.name == key:
            return field
    return None


def field_label(model: type[models.Model] | None, key: str) -> str:
    field = _field(model, key)
    name = getattr(field, "verbose_name", None)
    if isinstance(name, Promise):
        return str(capfirst(name))
    if key in COMMON_FIELDS:
        return str(capfirst(COMMON_FIELDS[key]))
    return key


def value_label(model: type[models.Model] | None, key: str, value: Any) -> Any:
    """A choice field's value as its label; anything else as it was recorded."""
    field = _field(model, key)
    choices = getattr(field, "flatchoices", None) if field is not None else None
    if choices and not isinstance(value, (dict, list)):
        return dict(choices).get(value, value)
    return value


def object_label(entry: Any, model: type[models.Model] | None) -> str:
    """The object's name as recorded; Django's 'X object (12)' becomes the kind and the id."""
    match = DEFAULT_REPR.match(entry.object_repr or "")
    if match and model is not None:
        return f"{capfirst(model._meta.verbose_name)} #{match['pk']}"
    return entry.object_repr


def present(entries) -> list[dict[str, Any]]:
    """Each entry with its action, object and changes in the reader's language (no query: the
    entries come with their content type)."""
    rows = []
    for entry in entries:
        model = model_for(entry)
        changes = []
        for key, change in (entry.changes or {}).items():
            field = _field(model, key)
            changes.append(
                {
                    "key": key,
                    "label": field_label(model, key),
                    "before": value_label(model, key, change.get("before")),
                    "after": value_label(model, key, change.get("after")),
                    "choice": bool(getattr(field, "choices", None)),  # a label in the reader's language, not data
                }
            )
        rows.append(
            {
                "entry": entry,
                "action": action_label(entry.action),
                "object": object_label(entry, model),
                "changes": changes,
            }
        )
    return rows
