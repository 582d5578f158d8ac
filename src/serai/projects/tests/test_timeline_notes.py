"""What Serai writes on a project's timeline is stored as a kind and parameters and read in the
reader's language, not as an English sentence fixed when it was written (issue 14, item 10)."""

import importlib

import pytest
from django.apps import apps
from django.utils import translation

from serai.core.i18n import TranslatedText
from serai.governance import operations as governance
from serai.governance.models import Meeting
from serai.projects.models import ProjectTransition

migration = importlib.import_module("serai.projects.migrations.0003_transition_notes")


@pytest.fixture
def endorsed(roles, make_project, walk, reference):
    session = Meeting.objects.filter(body__kind="forum", status="held").order_by("-year").first()
    project = make_project()
    walk(project, "recommended")
    decision = governance.record_decision(
        roles["secretariat"],
        session,
        TranslatedText({"en": "Endorsed."}),
        number=4,
        kind="joint_statement",
        projects=[project],
    )
    with translation.override("en"):  # the Secretariat works in English
        governance.adopt_decision(roles["secretariat"], decision)
    return project, session


def _body(session, lang):
    return TranslatedText.coerce(session.body.name).get(lang)


def test_an_endorsement_note_reads_in_the_readers_language(endorsed):
    project, session = endorsed
    row = ProjectTransition.objects.get(project=project, name="endorse")
    assert row.reason == "" and row.note_kind == "endorsed_by_decision"
    assert _body(session, "ko") != _body(session, "en")
    with translation.override("ko"):
        assert _body(session, "ko") in row.note and "§4" in row.note
        assert _body(session, "en") not in row.note


def test_the_project_page_shows_the_note_in_korean(client, roles, endorsed):
    project, session = endorsed
    client.force_login(roles["secretariat"])
    page = client.get(f"/ko/projects/{project.pk}/").content.decode()
    assert _body(session, "ko") + " " in page.split('id="timeline-title"')[1]
    assert "Endorsed by decision" not in page


def test_rows_written_before_are_converted(endorsed):
    project, session = endorsed
    row = ProjectTransition.objects.get(project=project, name="endorse")
    with translation.override("en"):
        legacy = f"Endorsed by decision {session} §4"
    ProjectTransition.objects.filter(pk=row.pk).update(reason=legacy, note_kind="", note_params={})
    kept = ProjectTransition.objects.create(
        project=project,
        name="endorse",
        from_status="recommended",
        to_status="endorsed",
        actor_label="x",
        reason="Our own words.",
    )
    migration.forwards(apps, None)
    row.refresh_from_db()
    kept.refresh_from_db()
    assert row.reason == "" and row.note_kind == "endorsed_by_decision"
    with translation.override("ru"):
        assert row.note.endswith("§4") and _body(session, "ru") in row.note
    assert kept.reason == "Our own words." and kept.note_kind == ""
    migration.backwards(apps, None)
    row.refresh_from_db()
    assert row.reason == legacy
