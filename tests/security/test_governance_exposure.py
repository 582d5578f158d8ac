"""Governance pages leak nothing and never answer 500 (issue 13): draft minutes revisions stay with
the body and the Secretariat (item 4), ``next`` never redirects off the site (item 10), the
iCalendar feeds escape every line break (item 13), and odd ids or versions are a 400/404 (item 14)."""

from __future__ import annotations

import pytest
from icalendar import Calendar

from serai.core.i18n import TranslatedText
from serai.governance import operations
from serai.governance.models import Meeting, Minutes


def t(en):
    return TranslatedText({"en": en}, source="en")


DRAFT = "Draft wording the delegations rejected"
ADOPTED = "The adopted wording"


@pytest.fixture
def adopted_minutes(roles, reference):
    sec = roles["secretariat"]
    meeting = Meeting.objects.create(body=reference["bodies"]["economy"], number=3, year=2025, status="held")
    operations.save_minutes(sec, meeting, t(DRAFT), base_revision=0, note="first draft by the rapporteur")
    minutes = operations.save_minutes(sec, meeting, t(ADOPTED), base_revision=1, note="agreed text")
    minutes = operations.move_minutes(sec, minutes, "circulate")
    operations.move_minutes(sec, minutes, "adopt")
    return meeting


@pytest.mark.parametrize("who", [None, "fp_kz", "nobody", "editor", "social"])
def test_adopted_minutes_show_outsiders_the_adopted_text_only(client, roles, adopted_minutes, who):
    if who:
        client.force_login(roles[who])
    meeting = adopted_minutes
    page = client.get(f"/en/meetings/{meeting.pk}/minutes/").content.decode()
    assert ADOPTED in page
    assert DRAFT not in page and "first draft by the rapporteur" not in page
    assert f"/meetings/{meeting.pk}/minutes/1/" not in page and ">sec<" not in page  # no revision list, no author
    for number in (1, 2):
        assert client.get(f"/en/meetings/{meeting.pk}/minutes/{number}/").status_code == 404
    # nor through the meeting page, its outcome document or search
    assert DRAFT not in client.get(f"/en/meetings/{meeting.pk}/").content.decode()
    assert DRAFT.encode() not in client.get(f"/en/meetings/{meeting.pk}/outcome.docx").content
    assert DRAFT not in client.get("/en/search/", {"q": "rejected"}).content.decode()


@pytest.mark.parametrize("who", ["secretariat", "economy"])
def test_the_body_and_the_secretariat_keep_the_revisions(client, roles, adopted_minutes, who):
    client.force_login(roles[who])
    meeting = adopted_minutes
    page = client.get(f"/en/meetings/{meeting.pk}/minutes/").content.decode()
    assert f"/meetings/{meeting.pk}/minutes/1/" in page and "first draft by the rapporteur" in page
    first = client.get(f"/en/meetings/{meeting.pk}/minutes/1/")
    assert first.status_code == 200 and DRAFT in first.content.decode()


def test_draft_minutes_stay_hidden_from_outsiders(client, roles, reference):
    meeting = Meeting.objects.create(body=reference["bodies"]["economy"], number=4, year=2025, status="held")
    operations.save_minutes(roles["secretariat"], meeting, t(DRAFT), base_revision=0)
    client.force_login(roles["fp_kz"])
    assert client.get(f"/en/meetings/{meeting.pk}/minutes/").status_code == 404
    assert client.get(f"/en/meetings/{meeting.pk}/minutes/1/").status_code == 404


# --- item 10: open redirect through ``next`` ------------------------------------------------------
EVIL = [
    "https://evil.example/phish",
    "//evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "http:evil.example",
    "https:///evil.example",
    " //evil.example",
    "javascript:alert(1)",
    "\x00//evil.example",
]


@pytest.fixture
def action(roles, reference):
    meeting = Meeting.objects.filter(body__kind="forum", status="held").order_by("-year").first()
    return operations.add_action(roles["secretariat"], meeting, t("Send the report"), owner=reference["states"]["KZ"])


@pytest.mark.parametrize("target", EVIL)
def test_the_action_update_form_never_redirects_off_site(client, roles, action, target):
    client.force_login(roles["fp_kz"])
    response = client.post(
        f"/en/actions/{action.pk}/update/", {"status": "in_progress", "text": "Started.", "next": target}
    )
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/") and not location.startswith("//") and "evil" not in location
    assert location == f"/en/meetings/{action.meeting_id}/"


def test_the_action_update_form_still_goes_back_to_a_page_of_the_site(client, roles, action):
    client.force_login(roles["fp_kz"])
    response = client.post(
        f"/en/actions/{action.pk}/update/",
        {"status": "in_progress", "text": "Started.", "next": "/en/actions/?status=open"},
    )
    assert response["Location"] == "/en/actions/?status=open"


@pytest.mark.parametrize("url", ["/en/my/filters/", "/en/my/filters/999/delete/"])
@pytest.mark.parametrize("target", EVIL[:3])
def test_other_next_fields_never_redirect_off_site(client, roles, url, target):
    client.force_login(roles["fp_kz"])
    response = client.post(url, {"page": "", "name": "", "query": "", "next": target})
    assert response.status_code == 302 and "evil" not in response["Location"]


# --- item 13: the iCalendar feeds ---------------------------------------------------------------
def test_a_bare_cr_in_theme_or_city_is_escaped_in_the_feeds(client, reference):
    meeting = Meeting.objects.filter(body__kind="forum", status="held").order_by("-year").first()
    # stored before titles were single-line (or by a loader): the feed must still be well-formed
    Meeting.objects.filter(pk=meeting.pk).update(
        theme={"values": {"en": "Green growth\rBEGIN:VEVENT\rSUMMARY:injected"}, "source": "en"},
        host_city={"values": {"en": "Almaty\rX-INJECTED:1"}, "source": "en"},
    )
    for url in ("/calendar.ics", "/calendar/forum.ics"):
        raw = client.get(url).content
        assert b"\r" not in raw.replace(b"\r\n", b"")  # no bare CR anywhere
        assert b"\n" not in raw.replace(b"\r\n", b"")  # no bare LF either
        cal = Calendar.from_ical(raw)
        events = list(cal.walk("VEVENT"))
        ours = [e for e in events if str(e["UID"]).startswith(f"meeting-{meeting.pk}@")]
        assert len(ours) == 1 and len(events) == len({str(e["UID"]) for e in events})
        assert "X-INJECTED" not in ours[0] and str(ours[0]["DESCRIPTION"]).startswith("Green growth")
        assert "Almaty" in str(ours[0]["LOCATION"]) and "X-INJECTED:1" in str(ours[0]["LOCATION"])
        assert all(str(e.get("SUMMARY")) != "injected" for e in events)


# --- item 14: odd versions and ids --------------------------------------------------------------
@pytest.mark.parametrize("version", ["abc", "①", "1.5", "99999999999999999999", "-1"])
def test_a_non_numeric_meeting_version_is_a_form_error(client, roles, version):
    meeting = Meeting.objects.filter(body__kind="forum", status="held").order_by("-year").first()
    client.force_login(roles["secretariat"])
    data = _form_data(client.get(f"/en/meetings/{meeting.pk}/edit/").context["form"])
    data["version"] = version
    before = Meeting.objects.get(pk=meeting.pk).version
    response = client.post(f"/en/meetings/{meeting.pk}/edit/", data)
    assert response.status_code == 400
    assert "version" in response.context["form"].errors
    assert Meeting.objects.get(pk=meeting.pk).version == before


def test_a_stale_meeting_version_is_still_a_conflict(client, roles):
    meeting = Meeting.objects.filter(body__kind="forum", status="held").order_by("-year").first()
    client.force_login(roles["secretariat"])
    data = _form_data(client.get(f"/en/meetings/{meeting.pk}/edit/").context["form"])
    data["version"] = str(meeting.version)
    data["theme_0"] = "A new theme"
    assert client.post(f"/en/meetings/{meeting.pk}/edit/", data).status_code == 302
    data["theme_0"] = "Another theme"  # the same, now stale, version
    response = client.post(f"/en/meetings/{meeting.pk}/edit/", data)
    assert response.status_code in (400, 409)
    assert Meeting.objects.get(pk=meeting.pk).theme.get("en") == "A new theme"


def _form_data(form) -> dict:
    """What the browser would post back for an unbound form."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        widget = field.widget
        if hasattr(widget, "widgets"):  # a multi-widget (translated text)
            for i, sub in enumerate(widget.decompress(value)):
                data[f"{name}_{i}"] = "" if sub is None else sub
        elif value is None:
            data[name] = ""
        elif isinstance(value, (list, tuple)):
            data[name] = [str(v) for v in value]
        else:
            data[name] = str(value)
    return data


@pytest.mark.parametrize("pk", ["abc", "1.5", "①", "99999999999999999999", "%00"])
@pytest.mark.parametrize("model", ["projects.Project", "governance.Meeting", "reference.MemberState"])
def test_the_object_audit_page_answers_404_for_an_odd_id(client, roles, model, pk):
    client.force_login(roles["secretariat"])
    response = client.get(f"/en/audit/{model}/{pk}/")
    assert response.status_code in (400, 404)


@pytest.mark.parametrize("model", ["nothing", "a.b.c", "auth.Nothing", ".", "%00"])
def test_the_object_audit_page_answers_404_for_an_odd_model(client, roles, model):
    client.force_login(roles["secretariat"])
    assert client.get(f"/en/audit/{model}/1/").status_code in (400, 404)


def test_the_object_audit_page_still_shows_an_object(client, roles, reference):
    client.force_login(roles["secretariat"])
    meeting = Meeting.objects.filter(body__kind="forum").first()
    assert client.get(f"/en/audit/governance.Meeting/{meeting.pk}/").status_code == 200
    assert Minutes.objects.count() == 0
