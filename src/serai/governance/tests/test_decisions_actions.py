"""Decisions endorse projects through the workflow; actions carry over; who sees and does what; the calendar."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError

from serai.core.i18n import TranslatedText
from serai.core.models import AuditEntry
from serai.core.testing import assert_constant_queries
from serai.governance import operations
from serai.governance.models import ActionItem, Decision, Meeting
from serai.projects.models import ProjectTransition
from serai.projects.workflow import TransitionError


def t(text):
    return TranslatedText({"en": text, "ru": text + " (ru)"}, source="en")


@pytest.fixture
def sessions(reference):
    forum = Meeting.objects.filter(body__kind="forum", status="held").order_by("-year")
    return forum[1], forum[0]  # an earlier and the latest held session


def test_adopting_a_decision_endorses_its_projects_through_the_workflow(roles, make_project, walk, sessions):
    _, session = sessions
    project = make_project()
    walk(project, "recommended")
    sec = roles["secretariat"]
    item = operations.add_agenda_item(sec, session, t("Cooperation projects"))
    decision = operations.record_decision(
        sec,
        session,
        t("The Forum endorses the project."),
        agenda_item=item,
        number=7,
        kind="joint_statement",
        projects=[project],
    )
    operations.adopt_decision(sec, decision)
    project.refresh_from_db()
    decision.refresh_from_db()
    assert project.status == "endorsed" and project.endorsed_at_id == session.pk
    row = ProjectTransition.objects.get(project=project, name="endorse")
    assert row.meeting_id == session.pk and "§7" in row.note and row.reason == ""
    assert decision.status == "adopted" and decision.adopted_on is not None
    assert AuditEntry.objects.filter(action="decision.adopt").exists()
    with pytest.raises(ValidationError):
        operations.adopt_decision(sec, decision)  # only once


def test_a_project_that_cannot_be_endorsed_stops_the_whole_adoption(roles, make_project, walk, sessions):
    _, session = sessions
    ready, early = make_project(), make_project()
    walk(ready, "recommended")
    walk(early, "submitted")
    decision = operations.record_decision(roles["secretariat"], session, t("Endorse both."), projects=[ready, early])
    with pytest.raises(TransitionError):
        operations.adopt_decision(roles["secretariat"], decision)
    ready.refresh_from_db()
    decision.refresh_from_db()
    assert ready.status == "recommended" and decision.status == "draft"


def test_only_a_forum_session_endorses_and_only_the_secretariat_decides(roles, make_project, reference):
    from django.core.exceptions import PermissionDenied

    meeting = Meeting.objects.create(body=reference["bodies"]["economy"], number=3, year=2025, status="held")
    with pytest.raises(ValidationError):
        operations.record_decision(roles["secretariat"], meeting, t("x"), projects=[make_project()])
    with pytest.raises(PermissionDenied):
        operations.record_decision(roles["fp_kz"], meeting, t("x"))


def test_actions_carry_over_until_done(client, roles, sessions, reference):
    earlier, latest = sessions
    sec = roles["secretariat"]
    kz, uz = reference["states"]["KZ"], reference["states"]["UZ"]
    open_one = operations.add_action(
        sec, earlier, t("Draft the logistics roadmap"), owner=kz, due_date=dt.date(2024, 3, 1)
    )
    done_one = operations.add_action(sec, earlier, t("Circulate the statement"), owner=uz)
    operations.update_action(sec, done_one, status="done", text="Circulated.")
    client.force_login(roles["fp_kz"])
    page = client.get(f"/en/meetings/{latest.pk}/").content.decode()
    carried = page[page.index("Still open from earlier meetings") :]
    assert "Draft the logistics roadmap" in carried and "Circulate the statement" not in carried
    # The focal point records progress on its own country's action; not on another's.
    response = client.post(
        f"/en/actions/{open_one.pk}/update/", {"status": "in_progress", "text": "First draft shared."}
    )
    assert response.status_code == 302
    open_one.refresh_from_db()
    assert open_one.status == "in_progress" and open_one.updates.get().text == "First draft shared."
    other = operations.add_action(sec, earlier, t("Host the working group"), owner=uz)
    client.post(f"/en/actions/{other.pk}/update/", {"status": "done", "text": "Done."})
    other.refresh_from_db()
    assert other.status == "open"
    overdue = client.get("/en/actions/?overdue=1&mine=1").content.decode()
    assert "Draft the logistics roadmap" in overdue and "Host the working group" not in overdue


def test_public_sees_adopted_decisions_and_no_actions(client, roles, sessions):
    _, session = sessions
    sec = roles["secretariat"]
    adopted = operations.record_decision(sec, session, t("Adopted paragraph."))
    operations.adopt_decision(sec, adopted)
    operations.record_decision(sec, session, t("Draft paragraph."))
    operations.add_action(sec, session, t("Secret follow-up"), owner=roles["partner"])
    page = client.get(f"/en/meetings/{session.pk}/").content.decode()
    assert "Adopted paragraph." in page and "Draft paragraph." not in page and "Secret follow-up" not in page
    ru = client.get(f"/ru/meetings/{session.pk}/").content.decode()
    assert "Adopted paragraph. (ru)" in ru


def test_secretariat_builds_a_meeting_on_its_page(client, roles, sessions):
    _, session = sessions
    client.force_login(roles["secretariat"])
    url = f"/en/meetings/{session.pk}/"
    text = {f"a-title_{i}": "" for i in range(6)} | {"a-title_0": "Opening", "a-title_6": "en"}
    assert client.post(url, {"form": "agenda", **text}).status_code == 302
    item = session.agenda_items.get()
    sub = {f"a-title_{i}": "" for i in range(6)} | {
        "a-title_0": "Welcome by the host",
        "a-title_6": "en",
        "a-parent": item.pk,
    }
    assert client.post(url, {"form": "agenda", **sub}).status_code == 302
    decision = {f"d-text_{i}": "" for i in range(6)} | {
        "d-text_0": "The Forum welcomes the report.",
        "d-text_6": "en",
        "d-kind": "decision",
        "d-number": "1",
        "d-agenda_item": item.pk,
    }
    assert client.post(url, {"form": "decision", **decision}).status_code == 302
    action = {f"t-title_{i}": "" for i in range(6)} | {
        "t-title_0": "Send the report to members",
        "t-title_6": "en",
        "t-owner_organisation": roles["partner"].pk,
        "t-due_date": "2030-01-31",
    }
    assert client.post(url, {"form": "action", **action}).status_code == 302
    no_owner = {f"t-title_{i}": "" for i in range(6)} | {"t-title_0": "Nobody's", "t-title_6": "en"}
    assert client.post(url, {"form": "action", **no_owner}).status_code == 400
    d = Decision.objects.get(meeting=session)
    client.post(f"/en/decisions/{d.pk}/adopt/", {"confirm": "on"})
    page = client.get(url).content.decode()
    assert re.search(r"Opening.*Welcome by the host", page, re.S) and "Send the report to members" in page
    assert Decision.objects.get(pk=d.pk).status == "adopted"
    assert ActionItem.objects.filter(meeting=session).count() == 1


def test_calendar_feeds_parse_back(client, sessions):
    from icalendar import Calendar

    _, session = sessions
    body = client.get("/calendar.ics")
    assert body["Content-Type"].startswith("text/calendar")
    raw = body.content
    assert b"\r\n" in raw and all(len(line) <= 75 for line in raw.split(b"\r\n"))
    cal = Calendar.from_ical(raw)
    events = [c for c in cal.walk("VEVENT")]
    assert events and any(str(e["UID"]).startswith(f"meeting-{session.pk}@") for e in events)
    ev = next(e for e in events if str(e["UID"]).startswith(f"meeting-{session.pk}@"))
    assert ev.decoded("DTSTART") == session.start_date and ev.decoded("DTEND") > ev.decoded("DTSTART")
    forum = Calendar.from_ical(client.get("/calendar/forum.ics").content)
    dated = Meeting.objects.filter(body__kind="forum", start_date__isnull=False).exclude(status="cancelled")
    assert len(list(forum.walk("VEVENT"))) == dated.count()  # a session without a date is left out
    assert client.get("/calendar/nothing.ics").status_code == 404


def test_action_tracker_queries_are_constant(client, roles, sessions, reference):
    _, session = sessions
    client.force_login(roles["secretariat"])
    n = iter(range(100))
    operations.add_action(roles["secretariat"], session, t("First"), owner=reference["states"]["UZ"])
    client.get("/en/actions/")  # what the shell keeps between requests (the viewer's roles, the menu) is warm
    assert_constant_queries(
        lambda: client.get("/en/actions/").content,
        lambda: operations.add_action(
            roles["secretariat"], session, t(f"Action {next(n)}"), owner=reference["states"]["KZ"]
        ),
        check=lambda a, b: b.count(b"<tr>") > a.count(b"<tr>"),
    )
    xlsx = client.get("/en/actions/?format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_meeting_page_queries_are_constant(client, roles, sessions, reference):
    earlier, latest = sessions
    sec = roles["secretariat"]
    client.force_login(sec)
    n = iter(range(100))

    def grow():
        i = next(n)
        d = operations.record_decision(sec, latest, t(f"Decision {i}"), number=i)
        a = operations.add_action(sec, latest, t(f"Action {i}"), owner=reference["states"]["KZ"], decision=d)
        operations.update_action(sec, a, status="in_progress", text=f"Started {i}")
        operations.add_action(sec, earlier, t(f"Older action {i}"), owner=roles["partner"])
        operations.add_agenda_item(sec, latest, t(f"Item {i}"))

    grow()
    client.get(f"/en/meetings/{latest.pk}/")  # what the shell keeps between requests is warm
    assert_constant_queries(
        lambda: client.get(f"/en/meetings/{latest.pk}/").content,
        grow,
        check=lambda a, b: b.count(b"<article") > a.count(b"<article"),
    )


def test_the_secretariat_withdraws_a_draft_decision_from_the_meeting_page(client, roles, sessions):
    _, session = sessions
    sec = roles["secretariat"]
    draft = operations.record_decision(sec, session, t("A text the body will not adopt."))
    adopted = operations.record_decision(sec, session, t("A text the body adopted."))
    operations.adopt_decision(sec, adopted)
    client.force_login(roles["fp_kz"])  # may not edit decisions: refused, nothing moves
    assert client.post(f"/en/decisions/{draft.pk}/withdraw/", {"reason": "No."}).status_code in (403, 404)
    assert Decision.objects.get(pk=draft.pk).status == "draft"
    client.force_login(sec)
    page = client.get(f"/en/meetings/{session.pk}/").content.decode()
    assert f"/en/decisions/{draft.pk}/withdraw/" in page and f"/en/decisions/{adopted.pk}/withdraw/" not in page
    client.post(f"/en/decisions/{draft.pk}/withdraw/", {"reason": "Replaced by §2."})
    assert Decision.objects.get(pk=draft.pk).status == "withdrawn"
    entry = AuditEntry.objects.filter(action="decision.withdraw", object_id=str(draft.pk)).get()
    assert entry.reason == "Replaced by §2." and entry.actor == sec
    refused = client.post(f"/en/decisions/{adopted.pk}/withdraw/", follow=True)  # an adopted decision stays
    assert Decision.objects.get(pk=adopted.pk).status == "adopted"
    assert "cannot be moved" in refused.content.decode()
    page = client.get(f"/en/meetings/{session.pk}/").content.decode()
    assert f"/en/decisions/{draft.pk}/withdraw/" not in page
