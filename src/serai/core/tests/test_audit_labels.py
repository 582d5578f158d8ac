"""The audit log reads in the reader's language: actions, field names and choice values are
labels, and no object is called 'X object (12)' (issue 14, item 10)."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

import serai
from serai.access.models import Role
from serai.core import audit, audit_labels
from serai.core.i18n import TranslatedText
from serai.orgs import operations as org_ops
from serai.orgs.models import Helix
from serai.projects import workflow

SOURCE = Path(serai.__file__).parent
# the action passed to the audit writers: record / create_object / update_object / delete_object
ACTION = re.compile(
    r"(?:record|create_object|update_object|delete_object|_correct|_upsert)\([^)]*?\"([a-z_]+(?:\.[a-z_]+)+)\""
)


def _recorded_actions():
    found = set()
    for path in SOURCE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        found |= set(ACTION.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_action_the_code_records_has_a_label():
    actions = _recorded_actions()
    assert {"project.update", "action.progress", "role.grant", "meeting.agenda.add"} <= actions
    with translation.override("ru"):
        unlabelled = sorted(a for a in actions if audit_labels.action_label(a) == a)
    assert unlabelled == []


def test_dynamic_actions_have_labels():
    with translation.override("en"):
        assert audit_labels.action_label("project.transition.endorse") == "Project: Record endorsement by the Forum"
        assert audit_labels.action_label("minutes.amend") == "Minutes: Amend"
        assert audit_labels.action_label("password.reset") == "Password: reset"
        assert audit_labels.action_label("organisation.admin_update") == "Organisation: change in the admin"
        assert audit_labels.action_label("meeting.admin_delete") == "Meeting: deletion in the admin"
        assert audit_labels.action_label("something.unknown") == "something.unknown"
    with translation.override("ru"):
        step = str(workflow.MACHINE.by_name["endorse"].label)
        assert step in audit_labels.action_label("project.transition.endorse")


def test_every_model_names_its_objects():
    nameless = [
        m._meta.label
        for m in apps.get_models()
        if m.__module__.startswith("serai.") and m.__str__ is models.Model.__str__
    ]
    assert nameless == []


@pytest.mark.django_db
def test_the_audit_page_in_russian(client, make_user, reference):
    staff = make_user(Role.SECRETARIAT, username="alice")
    org = org_ops.create_organisation(
        staff,
        {
            "name": TranslatedText({"en": "Steppe Energy Institute"}),
            "helix": "research",
            "member_state": reference["states"]["KZ"],
        },
    )
    # an entry written before every model had a name
    audit.record(staff, "project.relations", org, after={"helix": "industry"})
    from serai.core.models import AuditEntry

    AuditEntry.objects.filter(action="project.relations").update(object_repr=f"Organisation object ({org.pk})")
    client.force_login(staff)
    page = client.get("/ru/audit/").content.decode()
    with translation.override("ru"):
        assert audit_labels.action_label("organisation.create") in page
        assert str(Helix("research").label) in page and str(Helix("industry").label) in page
        helix_label = str(org._meta.get_field("helix").verbose_name)
        assert helix_label.lower() in page.lower()
    assert "<code>organisation.create</code>" not in page
    assert "object (" not in page
    assert f"#{org.pk}" in page
