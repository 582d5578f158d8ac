"""Titles and names are one line everywhere; mail subjects are sanitised; a mail that fails never
loses its notification (issue 13, item 9). A newline in a project title (accepted by the API
before) made every notification e-mail about that project fail."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import ValidationError

from serai.core.fields import TranslatableField, TranslatableFormField
from serai.core.i18n import TranslatedText
from serai.projects.models import Project
from serai.workspace import delivery, kinds
from serai.workspace import operations as workspace
from serai.workspace.models import EmailState, Notification

BREAKS = ["\n", "\r", "\r\n", "\u2028", "\x85", "\v"]


def _translatable_fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, TranslatableField):
                yield pytest.param(field, id=f"{model._meta.label}.{field.name}")


@pytest.mark.parametrize("field", list(_translatable_fields()))
def test_every_title_and_name_is_one_line_and_long_texts_keep_their_lines(field):
    text = TranslatedText({"en": "First line", "ru": "Первая\nвторая"}, source="en")
    form_field = field.formfield()
    data = ["First line", "", "", "", "Первая\nвторая", "", "en"]  # en, ko, ru (text, flag), source
    if field.multiline:
        field.validate(text, None)
        assert form_field.clean(data).get("ru") == "Первая\nвторая"
    else:
        with pytest.raises(ValidationError, match="line break"):
            field.validate(text, None)
        with pytest.raises(ValidationError, match="line breaks"):
            form_field.clean(data)


@pytest.mark.parametrize("brk", BREAKS)
def test_the_single_line_form_field_refuses_every_line_break(brk):
    field = TranslatableFormField(max_length=300)
    with pytest.raises(ValidationError):
        field.clean([f"Solar{brk}schools", "", "", "", "", "", "en"])
    assert field.clean(["Solar schools", "", "", "", "", "", "en"]).get("en") == "Solar schools"


@pytest.mark.parametrize("brk", BREAKS)
def test_the_api_answers_400_naming_the_title(client, roles, brk):
    client.force_login(roles["fp_kz"])
    payload = {"title": {"values": {"en": f"Solar{brk}schools"}, "source": "en"}, "countries": ["KOR", "KAZ"]}
    response = client.post("/api/v1/projects/", payload, content_type="application/json")
    assert response.status_code == 400, response.content
    assert "title" in response.json()
    assert not Project.objects.exists()


def test_an_api_edit_with_a_newline_in_the_title_is_a_400(client, make_project, roles):
    project = make_project()
    client.force_login(roles["fp_kz"])
    response = client.patch(
        f"/api/v1/projects/{project.pk}/",
        {"title": {"values": {"en": "Solar\nschools"}, "source": "en"}, "version": project.version},
        content_type="application/json",
    )
    assert response.status_code == 400 and "title" in response.json()
    assert "\n" not in Project.objects.get(pk=project.pk).title.get("en")


def test_the_project_form_names_the_title(client, roles, reference):
    client.force_login(roles["fp_kz"])
    response = client.post(
        "/en/projects/new/",
        {
            "title_0": "Solar\r\nschools",
            "title_6": "en",
            "countries": [str(reference["states"]["KR"].pk), str(reference["states"]["KZ"].pk)],
        },
    )
    assert response.status_code in (200, 400)
    assert "title" in response.context["form"].errors
    assert not Project.objects.exists()


# --- e-mail ------------------------------------------------------------------------------------
@pytest.fixture
def with_emails(roles):
    for key in ("secretariat", "fp_kz", "fp_uz", "economy"):
        roles[key].email = f"{roles[key].username}@example.org"
        roles[key].save(update_fields=["email"])
    return roles


def test_a_title_stored_with_a_line_break_still_makes_a_one_line_subject(with_emails, make_project):
    roles = with_emails
    project = make_project()
    # stored before titles were checked (or written around the checks)
    Project.objects.filter(pk=project.pk).update(
        title={"values": {"en": "Solar\r\nschools\rfor\nBcc: all@example.org"}, "source": "en"}
    )
    project.refresh_from_db()
    rows = workspace.notify(
        roles["fp_kz"],
        "project.submitted",
        [roles["secretariat"], roles["economy"]],
        params={"title": project.title, "code": project.code},
    )
    report = delivery.send_pending([n.pk for n in rows])
    assert (report.sent, report.failed) == (2, 0)
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert "\n" not in message.subject and "\r" not in message.subject
        assert "Solar schools for Bcc: all@example.org" in message.subject
        assert message.to in (["sec@example.org"], ["econ@example.org"])
        assert message.message().get_all("Bcc") is None  # no header smuggled in through the title
    assert all(n.email_state == EmailState.SENT for n in Notification.objects.filter(pk__in=[r.pk for r in rows]))


def test_a_mail_that_cannot_be_built_stays_pending_and_does_not_stop_the_others(with_emails, make_project, monkeypatch):
    roles = with_emails
    project = make_project()
    rows = workspace.notify(
        roles["fp_kz"],
        "project.submitted",
        [roles["secretariat"], roles["economy"], roles["fp_uz"]],
        params={"title": project.title, "code": project.code},
    )
    real_render = kinds.render
    calls = {"n": 0}

    def flaky(kind, params, lang):
        calls["n"] += 1
        if calls["n"] == 2:  # the second notification's message cannot be built
            raise RuntimeError("cannot render this one")
        return real_render(kind, params, lang)

    monkeypatch.setattr(delivery, "render", flaky)
    report = delivery.send_pending([n.pk for n in rows])
    assert (report.sent, report.failed) == (2, 1)
    states = {n.pk: (n.email_state, n.email_attempts) for n in Notification.objects.filter(pk__in=[r.pk for r in rows])}
    assert sorted(states.values()) == sorted([(EmailState.SENT, 1), (EmailState.SENT, 1), (EmailState.PENDING, 1)])
    failed = Notification.objects.get(email_state=EmailState.PENDING)
    assert "cannot render" in failed.email_error
    # the notification itself is still there, in the app, and is sent on the next run
    monkeypatch.setattr(delivery, "render", real_render)
    assert delivery.send_pending().sent == 1
    assert Notification.objects.filter(pk=failed.pk, email_state=EmailState.SENT, email_attempts=2).exists()


def test_subject_line_is_one_line_and_cut():
    assert delivery.subject_line("[Serai] a\r\nb\x00c\u2028d\te") == "[Serai] a b c d e"
    long = delivery.subject_line("x" * 400)
    assert len(long) == 150 and long.endswith("…")
