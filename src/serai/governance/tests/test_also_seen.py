"""Issue 14, "Also seen": undated meetings, minutes revisions' status, confirming adoptions,
circulating to nobody, nested agenda numbers, action owners and the decision picker."""

import re

import pytest
from django.utils import timezone

from serai.core.i18n import TranslatedText
from serai.governance import operations
from serai.governance.forms import ActionForm
from serai.governance.models import ActionItem, Decision, Meeting, Minutes
from serai.people.models import Person


def t(text):
    return TranslatedText({"en": text}, source="en")


@pytest.fixture
def session(reference):
    return Meeting.objects.filter(body__kind="forum", status="held").order_by("-year").first()


@pytest.fixture
def undated(reference):
    this_year = timezone.localdate().year  # the timeline runs up to this year
    return Meeting.objects.create(body=reference["bodies"]["forum"], number=77, year=this_year, status="planned")


# --- a. a meeting without a date --------------------------------------------------------------
def test_an_undated_meeting_is_left_out_of_the_calendar_feeds(client, undated):
    for path in ("/calendar.ics", "/calendar/forum.ics"):
        feed = client.get(path).content.decode()
        assert f"meeting-{undated.pk}@" not in feed
        assert f"DTSTART;VALUE=DATE:{undated.year}0101" not in feed  # no invented 1 January


def test_pages_say_an_undated_meeting_has_no_date_yet(client, undated):
    page = client.get(f"/en/meetings/{undated.pk}/").content.decode()
    assert re.search(r"<dt>Dates</dt><dd>\s*<span[^>]*>date not set</span>", page)
    sessions = client.get("/en/forum/sessions/").content.decode()
    assert re.search(rf'meetings/{undated.pk}/">77</a>.*?date not set', sessions, re.S)
    timeline = client.get("/en/forum/").content.decode()
    assert re.search(r"Forum session no\. 77</strong></a>\s*· <span[^>]*>date not set", timeline)
    Meeting.objects.filter(status="planned").exclude(pk=undated.pk).update(status="held")
    home = client.get("/en/").content.decode()  # the next session, on the dashboard
    assert re.search(r"no\. 77 \(\d+\)</strong></a><br><span[^>]*>date not set", home)


# --- b. minutes revisions keep the status they reached -----------------------------------------
def test_each_minutes_revision_shows_the_last_status_it_had(client, roles, session):
    sec = roles["secretariat"]
    minutes = operations.save_minutes(sec, session, t("Draft one."), base_revision=0)
    minutes = operations.save_minutes(sec, session, t("Draft two."), base_revision=1)
    minutes = operations.move_minutes(sec, minutes, "circulate")
    minutes = operations.move_minutes(sec, minutes, "adopt")
    statuses = dict(minutes.revisions.values_list("number", "status"))
    assert statuses == {1: "draft", 2: "adopted"}
    client.force_login(sec)
    page = client.get(f"/en/meetings/{session.pk}/minutes/").content.decode()
    rows = re.findall(r'<tr><th scope="row"><a [^>]*>(\d+)</a></th>.*?</tr>', page, re.S)
    assert rows == ["2", "1"]
    table = page.split('id="history-title"')[1]
    assert re.search(r">2</a></th>(?:(?!</tr>).)*<td>Adopted</td>", table, re.S)
    assert re.search(r">1</a></th>(?:(?!</tr>).)*<td>Draft</td>", table, re.S)
    assert '<span class="status status-adopted">Adopted</span>' in page


# --- c. adopting asks for a confirmation -------------------------------------------------------
def test_adopting_a_decision_needs_the_confirmation_box(client, roles, session):
    sec = roles["secretariat"]
    decision = operations.record_decision(sec, session, t("The Forum welcomes the report."))
    client.force_login(sec)
    page = client.get(f"/en/meetings/{session.pk}/").content.decode()
    assert re.search(r'<input type="checkbox" name="confirm"[^>]*required', page)
    refused = client.post(f"/en/decisions/{decision.pk}/adopt/", follow=True)
    assert Decision.objects.get(pk=decision.pk).status == "draft"
    assert "Tick the box to confirm" in refused.content.decode()
    client.post(f"/en/decisions/{decision.pk}/adopt/", {"confirm": "on"})
    assert Decision.objects.get(pk=decision.pk).status == "adopted"


def test_adopting_minutes_needs_the_confirmation_box(client, roles, session):
    sec = roles["secretariat"]
    minutes = operations.save_minutes(sec, session, t("Text."), base_revision=0)
    operations.move_minutes(sec, minutes, "circulate")
    client.force_login(sec)
    url = f"/en/meetings/{session.pk}/minutes/"
    page = client.get(url).content.decode()
    assert re.search(r'<input type="checkbox" name="confirm"[^>]*required', page)
    refused = client.post(url + "move/", {"transition": "adopt"}, follow=True)
    assert Minutes.objects.get(pk=minutes.pk).status == "circulated"
    assert "Tick the box to confirm" in refused.content.decode()
    client.post(url + "move/", {"transition": "adopt", "confirm": "on"})
    assert Minutes.objects.get(pk=minutes.pk).status == "adopted"


# --- d. circulating to a body nobody sits on ---------------------------------------------------
def test_circulating_to_a_body_without_members_warns_before_and_after(client, roles, reference):
    sec = roles["secretariat"]
    som = Meeting.objects.create(body=reference["bodies"]["som"], number=91, year=2024, status="held")
    operations.save_minutes(sec, som, t("Text."), base_revision=0)
    client.force_login(sec)
    url = f"/en/meetings/{som.pk}/minutes/"
    before = client.get(url).content.decode()
    assert "Nobody will be notified" in before
    after = client.post(url + "move/", {"transition": "circulate"}, follow=True).content.decode()
    assert Minutes.objects.get(meeting=som).status == "circulated"
    assert "nobody was notified" in after


def test_circulating_to_a_body_with_members_names_how_many_were_told(client, roles, reference):
    sec = roles["secretariat"]
    meeting = Meeting.objects.create(body=reference["bodies"]["economy"], number=92, year=2024, status="held")
    operations.save_minutes(sec, meeting, t("Text."), base_revision=0)
    client.force_login(sec)
    url = f"/en/meetings/{meeting.pk}/minutes/"
    assert "Nobody will be notified" not in client.get(url).content.decode()
    after = client.post(url + "move/", {"transition": "circulate"}, follow=True).content.decode()
    assert "nobody was notified" not in after and "1 person was notified" in after


# --- e. nested agenda items are numbered 2.1, 2.2 ----------------------------------------------
def test_nested_agenda_items_are_numbered_hierarchically(client, roles, session):
    sec = roles["secretariat"]
    operations.add_agenda_item(sec, session, t("Opening"))
    second = operations.add_agenda_item(sec, session, t("Reports"))
    operations.add_agenda_item(sec, session, t("Transport"), parent=second)
    sub = operations.add_agenda_item(sec, session, t("Energy"), parent=second)
    operations.add_agenda_item(sec, session, t("Grid"), parent=sub)
    operations.add_agenda_item(sec, session, t("Closing"))
    page = client.get(f"/en/meetings/{session.pk}/").content.decode()
    agenda = page.split('id="agenda-title"')[1].split("</ol>")[0]
    found = re.findall(r'<span class="agenda-number">([\d.]+)</span>\s*(\w+)', agenda)
    assert found == [
        ("1.", "Opening"),
        ("2.", "Reports"),
        ("2.1.", "Transport"),
        ("2.2.", "Energy"),
        ("2.2.1.", "Grid"),
        ("3.", "Closing"),
    ]


# --- f. action owners and the decision picker --------------------------------------------------
def test_the_action_form_offers_people_and_labels_decisions_by_their_own_number(client, roles, session, reference):
    sec = roles["secretariat"]
    person = Person.objects.create(name=t("Aigerim Bekova"), is_public=True)
    operations.record_decision(sec, session, t("The Forum welcomes the transport report."), number=4)
    form = ActionForm(meeting=session, people=Person.objects.all())
    labels = [label for _value, label in form.fields["decision"].choices][1:]
    assert len(labels) == 1 and labels[0].startswith("§4") and "welcomes the transport report" in labels[0]
    assert str(session.body.name) not in labels[0]
    client.force_login(sec)
    url = f"/en/meetings/{session.pk}/"
    assert f'<option value="{person.pk}">Aigerim Bekova</option>' in client.get(url).content.decode()
    action = {f"t-title_{i}": "" for i in range(6)} | {
        "t-title_0": "Draft the note",
        "t-title_6": "en",
        "t-owner_person": person.pk,
    }
    assert client.post(url, {"form": "action", **action}).status_code == 302
    assert ActionItem.objects.get(meeting=session).owner_person_id == person.pk
    two = action | {"t-title_0": "Two owners", "t-owner_organisation": roles["partner"].pk}
    response = client.post(url, {"form": "action", **two})
    assert response.status_code == 400 and "exactly one owner" in response.content.decode()
    assert ActionItem.objects.filter(meeting=session).count() == 1
