"""Bodies' membership, meeting details, participants, documents, the work plan with progress,
the Forum timeline, overdue actions per owner and the outcome document."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from serai.access import permissions
from serai.core.i18n import TranslatedText
from serai.core.testing import assert_constant_queries
from serai.governance import operations, queries
from serai.governance.models import Meeting, MeetingDocument, WorkPlan


def t(en, ko=None, ru=None):
    return TranslatedText({"en": en, **({"ko": ko} if ko else {}), **({"ru": ru} if ru else {})}, source="en")


@pytest.fixture
def session(reference):
    return Meeting.objects.filter(body__kind="forum", status="held").order_by("-year").first()


# --- membership ----------------------------------------------------------------------------------
def test_members_hold_positions_for_a_term_and_may_have_no_login(client, roles, reference, make_person, make_user):
    sec, som = roles["secretariat"], reference["bodies"]["som"]
    chair = make_person("Deputy Minister A", country="KR", is_public=True)
    delegate = make_person("Ambassador B", country="KZ")  # no login, not listed publicly
    operations.add_member(
        sec, som, chair, position="chair", country=reference["states"]["KR"], start_date=dt.date(2024, 1, 1)
    )
    operations.add_member(
        sec, som, delegate, position="member", country=reference["states"]["KZ"], start_date=dt.date(2024, 1, 1)
    )
    former = operations.add_member(
        sec,
        som,
        make_person("Former C", country="UZ", is_public=True),
        position="member",
        country=reference["states"]["UZ"],
        start_date=dt.date(2019, 1, 1),
    )
    operations.end_membership(sec, former, on=dt.date(2022, 12, 31))
    with pytest.raises(ValidationError):  # represents a country or an organisation, not both or neither
        operations.add_member(sec, som, chair, position="member", start_date=dt.date(2024, 1, 1))
    members = queries.memberships(None, som)
    assert [m.person_id for m in members["current"]] == [chair.pk, delegate.pk]
    assert [m.person_id for m in members["past"]] == [former.person_id]
    page = client.get("/en/bodies/som/").content.decode()
    assert "Deputy Minister A" in page and "Ambassador B" not in page and "not listed publicly" in page
    assert "Former C" in page


def test_a_seat_gives_its_holder_the_body_s_internal_view_while_the_term_runs(roles, reference, make_person, make_user):
    from serai.people.models import Person

    user = make_user()
    person = make_person("Senior official", country="TJ")
    Person.objects.filter(pk=person.pk).update(user=user)
    person.refresh_from_db()
    som = reference["bodies"]["som"]
    assert not permissions.can(user, "body.view_internal", som)
    seat = operations.add_member(
        roles["secretariat"],
        som,
        person,
        position="member",
        country=reference["states"]["TJ"],
        start_date=dt.date(2020, 1, 1),
    )
    permissions.forget(user)
    assert permissions.can(user, "body.view_internal", som)
    operations.end_membership(roles["secretariat"], seat, on=dt.date(2021, 1, 1))
    permissions.forget(user)
    assert not permissions.can(user, "body.view_internal", som)


# --- meetings: details, participants, documents ---------------------------------------------------
def test_meeting_details_and_delegations_with_attendance(client, roles, reference, session, make_person):
    sec = roles["secretariat"]
    operations.update_meeting(
        sec,
        session,
        {
            "mode": "hybrid",
            "online_link": "https://meet.example.org/forum17",
            "chair": make_person("Foreign Minister", country="KR", is_public=True),
        },
    )
    kz = reference["states"]["KZ"]
    head = operations.add_participant(sec, session, {"country": kz, "name": "Head of KZ delegation", "role": "head"})
    operations.add_participant(sec, session, {"country": kz, "name": "KZ delegate", "role": "delegate"})
    operations.record_attendance(sec, head, "attended")
    with pytest.raises(ValidationError):
        operations.add_participant(sec, session, {"country": kz})  # nobody named
    groups = queries.delegations(roles["fp_uz"], session)
    assert len(groups) == 1 and groups[0].size == 2 and groups[0].attended == 1
    assert {p.display_name for p in groups[0].members} == {"Head of KZ delegation", "KZ delegate"}
    public = client.get(f"/en/meetings/{session.pk}/").content.decode()
    assert "Foreign Minister" in public and "hybrid" in public
    assert "meet.example.org" not in public  # the link is for participants
    assert "KZ delegate" not in public and "1 / 2" in public  # the public sees the delegation, not names
    client.force_login(roles["fp_uz"])
    inside = client.get(f"/en/meetings/{session.pk}/").content.decode()
    assert "KZ delegate" in inside and "meet.example.org" in inside


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_documents_are_checked_stored_and_served_by_visibility(client, roles, session, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    sec = roles["secretariat"]
    public = operations.attach_document(
        sec,
        session,
        SimpleUploadedFile("statement.pdf", PDF),
        title=t("Joint statement"),
        kind="statement",
        language="en",
        is_public=True,
    )
    internal = operations.attach_document(
        sec, session, SimpleUploadedFile("notes.pdf", PDF), title=t("Delegation notes"), kind="background"
    )
    assert public.size == len(PDF) and len(public.sha256) == 64
    with pytest.raises(ValidationError, match="fake.pdf does not look like a .pdf file"):
        operations.attach_document(
            sec, session, SimpleUploadedFile("fake.pdf", b"MZ\x90\x00"), title=t("x"), kind="other"
        )
    with pytest.raises(ValidationError, match="tool.exe: files of this type are not accepted"):
        operations.attach_document(sec, session, SimpleUploadedFile("tool.exe", b"MZ"), title=t("x"), kind="other")
    assert MeetingDocument.objects.count() == 2
    response = client.get(f"/en/documents/{public.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert 'filename="statement.pdf"' in response["Content-Disposition"]
    assert client.get(f"/en/documents/{internal.pk}/").status_code == 404
    page = client.get(f"/en/meetings/{session.pk}/").content.decode()
    assert "Joint statement" in page and "Delegation notes" not in page


def test_the_secretariat_uploads_a_document_from_the_meeting_page(client, roles, session, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(roles["secretariat"])
    response = client.post(
        f"/en/meetings/{session.pk}/",
        {
            "form": "document",
            "dt-title_0": "Concept note",
            "dt-title_6": "en",
            "dt-kind": "background",
            "dt-language": "en",
            "dt-is_public": "on",
            "dt-file": SimpleUploadedFile("concept.pdf", PDF),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert MeetingDocument.objects.get().filename == "concept.pdf"


# --- work plan -----------------------------------------------------------------------------------
def test_the_2022_work_plan_is_reference_data_with_six_priority_areas(client, reference):
    plan = WorkPlan.objects.get(year=2022)
    assert plan.status == "adopted" and plan.adopted_at.number == 15
    assert [a.title.get("en") for a in plan.areas.all()] == [
        "Transport and logistics",
        "Energy",
        "Industrial modernisation",
        "Climate and environment",
        "Health",
        "Education, culture and tourism",
    ]
    page = client.get("/ru/workplan/2022/").content.decode()
    assert "Модернизация промышленности" in page


def test_work_plan_progress_comes_from_activities_and_actions(client, roles, reference, session, make_project):
    sec = roles["secretariat"]
    plan = operations.create_work_plan(sec, 2026, t("Work plan 2026"))
    transport = operations.add_priority_area(sec, plan, t("Transport and logistics"))
    health = operations.add_priority_area(sec, plan, t("Health"))
    project = make_project()
    corridor = operations.add_activity(
        sec,
        transport,
        {"title": t("Middle Corridor study"), "budget_line": "2026-TL-01", "budget": 120000, "currency": "USD"},
        projects=[project],
    )
    operations.add_activity(sec, transport, {"title": t("Logistics forum"), "status": "done", "budget": 30000})
    operations.add_activity(sec, health, {"title": t("Telemedicine pilot"), "status": "in_progress"})
    operations.add_activity(sec, health, {"title": t("Dropped idea"), "status": "cancelled", "budget": 99})
    kz, uz = reference["states"]["KZ"], reference["states"]["UZ"]
    a1 = operations.add_action(sec, session, t("Collect data"), owner=kz, activity=corridor)
    operations.add_action(sec, session, t("Draft report"), owner=uz, activity=corridor)
    operations.update_action(sec, a1, status="done", text="Collected.")
    page = queries.work_plan_page(sec, 2026)
    by_title = {a.title.get("en"): a for area in page["areas"] for a in area.activities.all()}
    assert by_title["Middle Corridor study"].progress == 0.5  # one of two actions done
    assert by_title["Logistics forum"].progress == 1.0
    assert by_title["Telemedicine pilot"].progress == 0.5  # in progress, no actions
    assert by_title["Dropped idea"].progress is None
    assert page["areas"][0].progress == 0.75 and page["areas"][1].progress == 0.5
    assert page["progress"] == pytest.approx((0.5 + 1.0 + 0.5) / 3)
    assert page["budget_totals"] == {"USD": 150000}
    # drafts are the Secretariat's; adoption needs a Forum session
    assert client.get("/en/workplan/2026/").status_code == 404
    with pytest.raises(ValidationError):
        operations.adopt_work_plan(sec, plan, Meeting.objects.create(body=reference["bodies"]["economy"], year=2026))
    operations.adopt_work_plan(sec, plan, session)
    html = client.get("/en/workplan/2026/").content.decode()
    assert "Middle Corridor study" in html and "67 %" in html and "150,000 USD" in html


def test_work_plan_page_query_count_is_constant(client, roles, reference, session):
    sec = roles["secretariat"]
    plan = operations.create_work_plan(sec, 2026, t("Work plan"))
    client.force_login(sec)

    def grow():
        area = operations.add_priority_area(sec, plan, t("Area"), fields=reference["states"] and [])
        for n in range(3):
            activity = operations.add_activity(sec, area, {"title": t(f"Activity {n}")})
            operations.add_action(sec, session, t("Action"), owner=reference["states"]["KZ"], activity=activity)

    grow()
    client.get("/en/workplan/2026/")  # what the shell keeps between requests is warm
    assert_constant_queries(
        lambda: client.get("/en/workplan/2026/"), grow, check=lambda a, b: b.content.decode().count("Activity 2") == 2
    )


# --- timeline, overdue actions, outcome ----------------------------------------------------------
def test_the_forum_timeline_runs_from_2007_to_this_year_at_a_constant_query_count(client, roles, reference):
    from django.utils import timezone

    page = client.get("/en/forum/").content.decode()
    assert 'id="y2007"' in page and f'id="y{timezone.localdate().year}"' in page
    assert "Forum session no. 1" in page and "Secretariat work plan 2022" in page
    economy = reference["bodies"]["economy"]

    def grow():
        for year in (2019, 2020, 2021):
            meeting = Meeting.objects.create(body=economy, year=year, number=year, status="held")
            decision = operations.record_decision(roles["secretariat"], meeting, t(f"Decision {year}"))
            operations.adopt_decision(roles["secretariat"], decision)

    assert_constant_queries(
        lambda: client.get("/en/forum/"), grow, check=lambda a, b: "1 decision adopted" in b.content.decode()
    )


def test_overdue_actions_are_listed_per_owner(client, roles, reference, session):
    sec = roles["secretariat"]
    kz, uz = reference["states"]["KZ"], reference["states"]["UZ"]
    for title in ("Send the roadmap", "Name the contact"):
        operations.add_action(sec, session, t(title), owner=kz, due_date=dt.date(2025, 1, 1))
    operations.add_action(sec, session, t("Host the workshop"), owner=uz, due_date=dt.date(2025, 1, 1))
    operations.add_action(sec, session, t("Not yet due"), owner=uz, due_date=dt.date(2099, 1, 1))
    groups = queries.overdue_by_owner(sec)
    assert [(owner.iso2, len(items)) for owner, items in groups] == [("KZ", 2), ("UZ", 1)]
    client.force_login(roles["fp_kz"])
    page = client.get("/en/actions/overdue/").content.decode()
    assert "Send the roadmap" in page and "Host the workshop" in page and "Not yet due" not in page


def test_the_outcome_document_is_docx_in_the_page_language(client, roles, session):
    from docx import Document

    sec = roles["secretariat"]
    operations.add_agenda_item(sec, session, t("Opening", "개회", "Открытие"))
    adopted = operations.record_decision(
        sec, session, t("We welcome the corridor.", "회랑을 환영한다.", "Мы приветствуем коридор.")
    )
    operations.adopt_decision(sec, adopted)
    operations.record_decision(sec, session, t("A draft paragraph.", "초안 문단.", "Проект пункта."))
    for language, expected, draft in (
        ("ko", "회랑을 환영한다.", "초안 문단."),
        ("ru", "Мы приветствуем коридор.", "Проект пункта."),
    ):
        response = client.get(f"/{language}/meetings/{session.pk}/outcome.docx")
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
        assert expected in text and draft not in text  # the public document holds adopted decisions only
        assert ("개회" if language == "ko" else "Открытие") in text
    client.force_login(sec)
    doc = Document(io.BytesIO(client.get(f"/en/meetings/{session.pk}/outcome.docx").content))
    assert "A draft paragraph." in "\n".join(p.text for p in doc.paragraphs)


def test_members_overdue_and_minutes_pages_keep_a_constant_query_count(client, roles, reference, session, make_person):
    sec, som, kz = roles["secretariat"], reference["bodies"]["som"], reference["states"]["KZ"]
    client.force_login(sec)
    counter = {"n": 0}

    def grow():
        for _ in range(3):
            counter["n"] += 1
            n = counter["n"]
            operations.add_member(
                sec,
                som,
                make_person(f"Member {n}", country="KZ", is_public=True),
                position="member",
                country=kz,
                start_date=dt.date(2024, 1, 1),
            )
            operations.add_action(sec, session, t(f"Late action {n}"), owner=kz, due_date=dt.date(2025, 1, 1))
            operations.save_minutes(sec, session, t(f"Minutes, revision {n}"), base_revision=n - 1)

    grow()
    client.get("/en/bodies/som/")  # what the shell keeps between requests is warm
    assert_constant_queries(
        lambda: client.get("/en/bodies/som/"), grow, check=lambda a, b: "Member 6" in b.content.decode()
    )
    assert_constant_queries(
        lambda: client.get("/en/actions/overdue/"), grow, check=lambda a, b: "Late action 9" in b.content.decode()
    )
    assert_constant_queries(
        lambda: client.get(f"/en/meetings/{session.pk}/minutes/"),
        grow,
        check=lambda a, b: b.content.decode().count("/minutes/1") >= 1 and "revision 12" in b.content.decode(),
    )


def test_the_secretariat_ends_a_term_from_the_body_page(client, roles, reference, make_person):
    sec = roles["secretariat"]
    som = reference["bodies"]["som"]
    seat = operations.add_member(
        sec,
        som,
        make_person("Delegate D", country="KG", is_public=True),
        position="member",
        country=reference["states"]["KG"],
        start_date=dt.date(2020, 1, 1),
    )
    url = f"/en/memberships/{seat.pk}/end/"
    client.force_login(roles["fp_kz"])  # may not edit the body's membership
    assert url not in client.get("/en/bodies/som/").content.decode()
    assert client.post(url, {"end_date": "2021-06-30"}).status_code == 403
    client.force_login(sec)
    assert url in client.get("/en/bodies/som/").content.decode()
    refused = client.post(url, {"end_date": "2019-12-31"}, follow=True)  # before the term starts
    assert "The term ends before it starts." in refused.content.decode()
    assert client.post(url, {"end_date": "not a date"}).status_code == 302  # a form error, not a 500
    seat.refresh_from_db()
    assert seat.end_date is None
    client.post(url, {"end_date": "2021-06-30"})
    seat.refresh_from_db()
    assert seat.end_date == dt.date(2021, 6, 30)
    assert [m.pk for m in queries.memberships(sec, som)["past"]] == [seat.pk]
    assert url not in client.get("/en/bodies/som/").content.decode()  # a former member has no button
