"""The staff workspace: what waits for me, notifications in the app and by e-mail (after
commit, once, in my language), preferences and saved filters."""

import datetime as dt

import pytest
from django.core import mail
from django.test import Client

from serai.core.i18n import TranslatedText
from serai.core.models import AuditEntry
from serai.core.testing import assert_constant_queries
from serai.desk import queries as desk_queries
from serai.governance import operations as governance
from serai.governance.models import Meeting
from serai.projects import operations as projects
from serai.projects.tests.helpers import complete_appraisal
from serai.workspace import delivery, operations, queries
from serai.workspace.models import EmailState, Notification, SavedFilter


@pytest.fixture
def with_emails(roles):
    for key in ("secretariat", "fp_kz", "fp_uz", "economy", "social", "editor", "nobody"):
        roles[key].email = f"{roles[key].username}@example.org"
        roles[key].save(update_fields=["email"])
    return roles


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def texts(user, lang="en"):
    from django.utils import translation

    with translation.override(lang):
        return [i.text for i in queries.rendered(queries.notifications(user))]


def test_a_submission_tells_the_secretariat_and_an_appraisal_the_subcommittee(
    with_emails, make_project, walk, django_capture_on_commit_callbacks
):
    roles = with_emails
    project = make_project(title=TranslatedText({"en": "Solar schools", "ru": "Солнечные школы"}, source="en"))
    with django_capture_on_commit_callbacks(execute=True):
        walk(project, "submitted")
    assert texts(roles["secretariat"]) == [
        f"“Solar schools” ({project.code}) was submitted and awaits Secretariat screening."
    ]
    assert texts(roles["fp_kz"]) == []  # the actor is not told of their own move
    assert texts(roles["economy"]) == []  # not yet theirs
    assert [m.to for m in mail.outbox] == [["sec@example.org"]]
    assert "awaits Secretariat screening" in mail.outbox[0].subject
    assert f"/en/projects/{project.pk}/" in mail.outbox[0].body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        projects.fire_transition(roles["secretariat"], project, "screen")
        projects.add_participation(roles["secretariat"], project, roles["partner"], "4")
        projects.fire_transition(roles["secretariat"], project, "send_to_appraisal")
    assert texts(roles["economy"])[0] == f"“Solar schools” ({project.code}) awaits your subcommittee's appraisal."
    assert texts(roles["social"]) == []  # another subcommittee
    # the proponent hears of each move made by others, once each
    assert texts(roles["fp_kz"]) == [
        f"“Solar schools” ({project.code}) is now “Subcommittee appraisal”.",
        f"“Solar schools” ({project.code}) is now “Secretariat screening”.",
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["econ@example.org", "fp-kz@example.org", "fp-kz@example.org"]
    assert all(n.email_state == EmailState.SENT for n in Notification.objects.all() if n.recipient.email)


def test_my_work_lists_what_waits_for_me_until_it_is_done(with_emails, make_project, walk, reference):
    roles = with_emails
    project = walk(make_project(), "appraisal")
    other = walk(make_project(subcommittee=reference["bodies"]["social-culture"]), "appraisal")
    work = desk_queries.my_work(roles["economy"])
    assert [p.pk for p in work.sections["appraise"].rows] == [project.pk]  # not the other subcommittee's
    assert {p.pk for p in desk_queries.my_work(roles["secretariat"]).sections["appraise"].rows} == {
        project.pk,
        other.pk,
    }
    complete_appraisal(roles["economy"], project)
    assert desk_queries.my_work(roles["economy"]).sections["appraise"].count == 0
    assert desk_queries.my_work(roles["nobody"]).total == 0

    idea = make_project(actor=roles["fp_uz"], countries=("KR", "UZ"))
    assert [p.pk for p in desk_queries.my_work(roles["fp_uz"]).sections["returned"].rows] == [idea.pk]
    assert desk_queries.my_work(roles["fp_kz"]).sections["returned"].count == 0


def test_an_action_is_announced_to_its_owner_and_waits_in_their_work(with_emails, reference):
    roles, states = with_emails, reference["states"]
    meeting = Meeting.objects.filter(body__kind="forum", status="held").first()
    action = governance.add_action(
        roles["secretariat"],
        meeting,
        TranslatedText({"en": "Send the rail study"}),
        owner=states["KZ"],
        due_date=dt.date(2020, 1, 31),
    )
    assert texts(roles["fp_kz"]) == [f"An action of {meeting} is yours: “Send the rail study” (due Jan. 31, 2020)."]
    assert texts(roles["fp_uz"]) == []
    work = desk_queries.my_work(roles["fp_kz"])
    assert [a.pk for a in work.sections["actions"].rows] == [action.pk]
    page = client_for(roles["fp_kz"]).get("/en/my/").content.decode()
    assert "Send the rail study" in page and "overdue" in page
    governance.update_action(roles["fp_kz"], action, status="done", text="Sent.")
    assert desk_queries.my_work(roles["fp_kz"]).sections["actions"].count == 0


def test_circulated_minutes_reach_the_body_members(with_emails, reference):
    roles = with_emails
    economy = reference["bodies"]["economy"]
    meeting = Meeting.objects.create(body=economy, year=2026, status="held")
    minutes = governance.save_minutes(
        roles["secretariat"], meeting, TranslatedText({"en": "1. Opening."}), base_revision=0
    )
    assert [m.pk for m in desk_queries.my_work(roles["secretariat"]).sections["minutes"].rows] == [
        minutes.pk
    ]  # a draft to finish
    assert desk_queries.my_work(roles["economy"]).sections["minutes"].count == 0  # drafts are not theirs yet
    governance.move_minutes(roles["secretariat"], minutes, "circulate")
    assert texts(roles["economy"]) == [f"The minutes of {meeting} were circulated to the members for review."]
    assert texts(roles["social"]) == []
    assert [m.pk for m in desk_queries.my_work(roles["economy"]).sections["minutes"].rows] == [minutes.pk]


def test_results_updates_go_to_the_secretariat_and_back_to_their_author(with_emails, make_project, walk):
    from serai.projects.models import Indicator, IndicatorUpdate

    roles = with_emails
    project = walk(make_project(), "implementation")
    indicator = Indicator.objects.get(result__project=project)
    period = projects.add_period(roles["secretariat"], project, dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    update = projects.save_update(roles["fp_kz"], indicator, period, 5)
    projects.review_update(roles["fp_kz"], update, "submit")
    assert any("awaits review" in t for t in texts(roles["secretariat"]))
    assert [u.pk for u in desk_queries.my_work(roles["secretariat"]).sections["updates"].rows] == [update.pk]
    projects.review_update(roles["secretariat"], IndicatorUpdate.objects.get(pk=update.pk), "return", "Add the source.")
    assert texts(roles["fp_kz"])[0].endswith("was reviewed: Returned.")


def test_e_mails_are_sent_once_in_the_recipients_language_and_retried_after_a_failure(
    with_emails, make_project, walk, settings
):
    roles = with_emails
    operations.set_preference(roles["secretariat"], language="ru", email=True)
    operations.set_preference(roles["fp_uz"], language="en", email=False)
    project = make_project(
        countries=("KR", "KZ", "UZ"),
        title=TranslatedText({"en": "Solar schools", "ru": "Солнечные школы"}, source="en"),
    )
    settings.EMAIL_BACKEND = "serai.workspace.tests.failing_backend.Backend"
    walk(project, "submitted")  # no on-commit here: nothing is sent until send_pending runs
    pending = Notification.objects.filter(email_state=EmailState.PENDING)
    assert [n.recipient for n in pending] == [roles["secretariat"]]  # fp-uz chose the app only
    assert Notification.objects.get(recipient=roles["fp_uz"]).email_state == EmailState.NONE
    report = delivery.send_pending()
    assert (report.sent, report.failed) == (0, 1)
    failed = Notification.objects.get(recipient=roles["secretariat"])
    assert failed.email_state == EmailState.PENDING and failed.email_attempts == 1 and "refused" in failed.email_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert delivery.send_pending().sent == 1
    assert delivery.send_pending().sent == 0  # idempotent: a second run finds nothing to claim
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == f"[Serai] «Солнечные школы» ({project.code}) подан и ждёт проверки Секретариатом."
    assert f"/ru/projects/{project.pk}/" in message.body and "/ru/my/" in message.body

    # a process that died while sending leaves a claim behind; it is sent again later
    Notification.objects.filter(pk=failed.pk).update(
        email_state=EmailState.SENDING, emailed_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    assert delivery.requeue_stale() == 1
    assert delivery.send_pending().sent == 1


def test_notifications_page_marks_read_and_opens_the_thing(with_emails, make_project, walk):
    roles = with_emails
    project = walk(make_project(), "submitted")
    sec = client_for(roles["secretariat"])
    page = sec.get("/en/my/notifications/").content.decode()
    assert "awaits Secretariat screening" in page and "Unread:" in page
    assert '<span class="badge">1<' in sec.get("/en/projects/").content.decode()  # the menu shows the count
    n = Notification.objects.get(recipient=roles["secretariat"])
    response = sec.post(f"/en/my/notifications/{n.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/en/projects/{project.pk}/"
    n.refresh_from_db()
    assert n.read_at is not None and AuditEntry.objects.filter(action="notification.read").exists()
    # nobody else can open (or learn of) it
    assert client_for(roles["fp_uz"]).post(f"/en/my/notifications/{n.pk}/").status_code == 404
    walk(make_project(), "submitted")
    assert queries.unread_count(roles["secretariat"]) == 1
    sec.post("/en/my/notifications/")
    assert queries.unread_count(roles["secretariat"]) == 0
    assert Client().get("/en/my/").status_code == 302  # sign in first


def test_preferences_are_saved_from_the_workspace_page(with_emails):
    client = client_for(with_emails["fp_kz"])
    response = client.post("/en/my/", {"language": "ko"})  # e-mail box unticked
    assert response.status_code == 302
    pref = queries.preference(with_emails["fp_kz"])
    assert (pref.language, pref.email) == ("ko", False)
    assert client.post("/en/my/", {"language": "xx", "email": "on"}).status_code == 200  # refused, form shown again


def test_saved_filters_are_personal_and_land_on_the_filtered_list(with_emails, make_project):
    roles = with_emails
    client = client_for(roles["fp_kz"])
    response = client.post(
        "/en/my/filters/",
        {
            "page": "project_list",
            "name": "Kazakh energy",
            "query": "page=3&country=KZ&field=energy",
            "next": "/en/projects/",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/en/projects/?country=KZ&field=energy"
    saved = SavedFilter.objects.get(user=roles["fp_kz"])
    listing = client.get("/en/projects/?country=KZ&field=energy").content.decode()
    assert "Kazakh energy" in listing and 'aria-current="true"' in listing
    assert "Kazakh energy" not in client_for(roles["fp_uz"]).get("/en/projects/").content.decode()
    assert "Kazakh energy" not in Client().get("/en/projects/").content.decode()
    # the same name replaces the filter; an empty filter is refused
    operations.save_filter(roles["fp_kz"], "project_list", "Kazakh energy", "country=KZ")
    assert SavedFilter.objects.get(pk=saved.pk).query == "country=KZ"
    response = client.post(
        "/en/my/filters/",
        {"page": "project_list", "name": "All", "query": "page=2", "next": "/en/projects/"},
        follow=True,
    )
    assert "Choose at least one filter" in response.content.decode()
    # someone else's filter cannot be deleted
    client_for(roles["fp_uz"]).post(f"/en/my/filters/{saved.pk}/delete/")
    assert SavedFilter.objects.filter(pk=saved.pk).exists()
    client.post(f"/en/my/filters/{saved.pk}/delete/")
    assert not SavedFilter.objects.filter(pk=saved.pk).exists()
    for page in ("/en/actions/", "/en/organisations/", "/en/iati/landscape/"):
        assert "Saved filters" in client.get(page + "?status=open&helix=research&country=KZ").content.decode(), page


def test_the_workspace_pages_keep_a_constant_query_count(with_emails, make_project, walk, reference):
    roles = with_emails
    sec = client_for(roles["secretariat"])
    meeting = Meeting.objects.filter(body__kind="forum", status="held").first()

    def grow():
        for _ in range(3):
            walk(make_project(), "appraisal")
            operations.save_filter(
                roles["secretariat"], "project_list", f"f{Notification.objects.count()}", "country=KZ"
            )
            governance.add_action(
                roles["secretariat"], meeting, TranslatedText({"en": "Report"}), owner=reference["states"]["KZ"]
            )

    walk(make_project(), "appraisal")

    def check(first, second):
        assert second.content.decode().count("action-list") >= 1

    for path in ("/en/my/", "/en/my/notifications/"):
        assert_constant_queries(lambda path=path: sec.get(path), grow, check=check if path == "/en/my/" else None)
    assert desk_queries.my_work(roles["secretariat"]).sections["appraise"].count >= 4


def test_the_e_mail_language_shown_is_the_one_e_mails_are_written_in(with_emails, settings):
    """Issue 14, also seen j: with no stored choice (or one no longer offered) the select showed the
    page's language while e-mails went out in the default one."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LANGUAGES = [("en", "English"), ("ko", "한국어"), ("ru", "Русский")]
    user = with_emails["fp_kz"]

    def shown() -> list[str]:
        page = client_for(user).get("/ko/my/").content.decode()
        select = page.split('id="id_language"')[1].split("</select>")[0]
        import re

        return re.findall(r'<option value="(\w+)" selected>', select)

    def written() -> str:
        mail.outbox.clear()
        operations.notify(
            with_emails["secretariat"], "minutes.circulated", [user], params={"meeting": "SOM 1"}, link=("my_work", [])
        )
        delivery.send_pending()
        (message,) = mail.outbox
        return message.body.split("/my/")[0].rsplit("/", 1)[1]  # the language of the workspace link

    assert shown() == [written()] == ["en"]  # nothing stored: the default, not the page's Korean
    operations.set_preference(user, language="ru", email=True)
    assert shown() == [written()] == ["ru"]
    from serai.workspace.models import Preference

    Preference.objects.filter(user=user).update(language="kk")  # a language switched off since
    assert shown() == [written()] == ["en"]
