"""The personal calendar feed: a secret address (only its hash kept), revocable and replaceable
from the settings page (audited), readable without signing in, 404 once revoked or unknown."""

import datetime as dt
import re

from django.test import Client
from icalendar import Calendar

from serai.core.i18n import TranslatedText
from serai.core.models import AuditEntry
from serai.governance import operations as governance
from serai.governance.models import Meeting
from serai.reminders.models import CalendarFeed

FEED = re.compile(r"http://testserver(/calendar/me/[A-Za-z0-9_-]+\.ics)")


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def new_address(client) -> str:
    response = client.post("/en/my/calendar/", {"do": "new"})
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    return FEED.search(response.content.decode()).group(1)


def events(path):
    response = Client().get(path)  # no login
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def test_the_feed_lists_my_deadlines_and_meetings_and_can_be_replaced_and_revoked(roles, reference):
    meeting = Meeting.objects.filter(body__kind="forum", status="held").exclude(start_date=None).first()
    mine = governance.add_action(
        roles["secretariat"],
        meeting,
        TranslatedText({"en": "Send the rail study"}),
        owner=reference["states"]["KZ"],
        due_date=dt.date(2027, 3, 1),
    )
    theirs = governance.add_action(
        roles["secretariat"],
        meeting,
        TranslatedText({"en": "Uzbek study"}),
        owner=reference["states"]["UZ"],
        due_date=dt.date(2027, 3, 2),
    )
    client = client_for(roles["fp_kz"])
    assert "You have no calendar address." in client.get("/en/my/calendar/").content.decode()
    first = new_address(client)
    token = first.rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarFeed.objects.get(user=roles["fp_kz"])
    assert token not in feed.token_hash and len(feed.token_hash) == 64  # only the hash is kept
    found = events(first)
    due = found[f"action-{mine.pk}-due@testserver"]
    assert str(due["summary"]) == "Due: Send the rail study"
    assert due.decoded("dtstart") == dt.date(2027, 3, 1) and due.decoded("dtend") == dt.date(2027, 3, 2)
    assert f"action-{theirs.pk}-due@testserver" not in found  # another country's action
    assert f"meeting-{meeting.pk}@testserver" in found  # a focal point's Forum sessions
    assert "made on" in client.get("/en/my/calendar/").content.decode()  # the address is not shown again

    second = new_address(client)
    assert Client().get(first).status_code == 404 and second != first
    assert events(second)
    client.post("/en/my/calendar/", {"do": "revoke"})
    assert Client().get(second).status_code == 404
    assert Client().get("/calendar/me/not-a-token.ics").status_code == 404
    actions = list(AuditEntry.objects.filter(action__startswith="calendar_feed.").values_list("action", flat=True))
    assert sorted(actions) == ["calendar_feed.create", "calendar_feed.regenerate", "calendar_feed.revoke"]
    assert all(token not in str(e.changes) for e in AuditEntry.objects.filter(action__startswith="calendar_feed."))


def test_an_inactive_user_s_feed_answers_404_and_the_page_needs_a_login(roles):
    client = client_for(roles["fp_kz"])
    path = new_address(client)
    roles["fp_kz"].is_active = False
    roles["fp_kz"].save(update_fields=["is_active"])
    assert Client().get(path).status_code == 404
    assert Client().get("/en/my/calendar/").status_code == 302


def test_the_feed_keeps_a_constant_query_count(roles, reference):
    from serai.core.testing import assert_constant_queries

    meetings = Meeting.objects.filter(body__kind="forum").exclude(start_date=None)
    path = new_address(client_for(roles["fp_kz"]))
    made = []

    def grow():
        for n, meeting in enumerate(meetings[:3]):
            made.append(
                governance.add_action(
                    roles["secretariat"],
                    meeting,
                    TranslatedText({"en": f"Report {n}"}),
                    owner=reference["states"]["KZ"],
                    due_date=dt.date(2027, 4, 1 + n),
                )
            )

    def check(first, second):
        text = second.content.decode()
        return all(f"action-{a.pk}-due@" in text for a in made) and len(made) == 3

    assert_constant_queries(lambda: Client().get(path), grow, check=check)
