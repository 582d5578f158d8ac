"""Personal agendas (page, iCalendar, PDF), table sheets and the day's desk (check-in, no-show,
arrival, table changes), and the bad input of issue 16 at the placement level: an over-full
table, a table without the needed interpretation, a slot outside availability, a participant
withdrawn after scheduling — each a clear error with nothing changed."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from icalendar import Calendar

from serai.access import permissions
from serai.core.i18n import TranslatedText
from serai.core.models import AuditEntry
from serai.core.pdf import pdf_fonts, pdf_text
from serai.core.testing import cold
from serai.matchmaking import operations, workflow
from serai.matchmaking.models import MeetingRequest, Participant, ScheduledMeeting, Slot
from serai.matchmaking.operations import Registration, TableSpec
from serai.orgs.operations import create_organisation
from serai.people.operations import create_person

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
KO_NAME, KO_ORG = "김민지", "한빛대학교"
RU_NAME, RU_ORG = "Айгерим Нурланова", "Казахский институт энергетики"


def _place(request, slot, table):
    """Test data: a placement as the scheduler writes it (its own tests are the scheduler's)."""
    return ScheduledMeeting.objects.create(request=request, event=request.event, slot=slot, table=table)


@pytest.fixture
def day(mm, system, make_user, reference):
    """Kim (Korean, a login, speaks Korean) meets Aigerim (Kazakh, speaks Russian, needs ko↔ru) at
    the interpreted table 2 in the first slot; Bakyt (KZ) meets Dilnoza (UZ) at table 1 in the same
    slot; table 3 is free. The event runs on Almaty time."""
    states, sec = reference["states"], mm["sec"]
    event = operations.update_event(
        sec,
        mm["event"],
        {"time_zone": "Asia/Almaty"},
        [TableSpec(1), TableSpec(2, interpretation="ko-ru"), TableSpec(3)],
    )
    kr_org = create_organisation(
        system,
        {
            "name": TranslatedText({"ko": KO_ORG, "en": "Hanbit University"}, "ko"),
            "helix": "academia",
            "member_state": states["KR"],
        },
    )
    kz_org = create_organisation(
        system, {"name": TranslatedText({"ru": RU_ORG}, "ru"), "helix": "research", "member_state": states["KZ"]}
    )
    kim_user = make_user(username="minji")
    kim = create_person(
        system,
        {
            "name": TranslatedText({"ko": KO_NAME, "en": "Kim Minji"}, "ko"),
            "member_state": states["KR"],
            "organisation": kr_org,
            "user": kim_user,
        },
    )
    aigerim = create_person(
        system, {"name": TranslatedText({"ru": RU_NAME}, "ru"), "member_state": states["KZ"], "organisation": kz_org}
    )
    dilnoza = create_person(
        system,
        {"name": TranslatedText({"en": "Dilnoza Karimova"}), "member_state": states["UZ"], "organisation": mm["uz_co"]},
    )
    p_kim = operations.register(sec, event, Registration(person=kim, organisation=kr_org, languages=["ko"]))
    p_aig = operations.register(
        sec,
        event,
        Registration(
            person=aigerim, organisation=kz_org, languages=["ru"], needs_interpreter=True, interpretation="ko-ru"
        ),
    )
    p_bak = operations.register(
        sec, event, Registration(person=mm["bakyt"], organisation=mm["kz_inst"], languages=["ru"])
    )
    p_dil = operations.register(sec, event, Registration(person=dilnoza, organisation=mm["uz_co"], languages=["en"]))
    r1 = operations.accept_request(sec, operations.request_meeting(kim_user, p_kim, p_aig, "Solar and hydrogen"))
    r2 = operations.accept_request(sec, operations.request_meeting(sec, p_bak, p_dil))
    slots = list(Slot.objects.filter(event=event).order_by("starts_at"))
    tables = {t.number: t for t in event.tables.all()}
    return {
        **mm,
        "event": event,
        "kim_user": kim_user,
        "kim": p_kim,
        "aigerim": p_aig,
        "bakyt": p_bak,
        "dilnoza": p_dil,
        "slots": slots,
        "tables": tables,
        "m1": _place(r1, slots[0], tables[2]),
        "m2": _place(r2, slots[0], tables[1]),
    }


def _url(name, *args):
    return reverse(f"matchmaking:{name}", args=args)


# --- personal agendas -----------------------------------------------------------------------
def test_the_agenda_page_shows_the_meeting_in_the_events_time(client, day):
    client.force_login(day["kim_user"])
    response = client.get(_url("agenda", day["event"].pk, day["kim"].pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-meeting="{day["m1"].pk}"' in html and f'data-table="{day["tables"][2].pk}"' in html
    assert "09:00–09:30" in html and RU_NAME in html  # 09:00 in Almaty, whatever the server's zone
    assert "Asia/Almaty" in html
    assert f'data-meeting="{day["m2"].pk}"' not in html  # not Kim's meeting


def test_own_agenda_only_and_the_secretariat_sees_anyones(client, day):
    client.force_login(day["kim_user"])
    for name in ("agenda", "agenda_ics", "agenda_pdf"):
        assert client.get(_url(name, day["event"].pk, day["bakyt"].pk)).status_code == 404
    # one participant: the index goes straight to it
    assert client.get(_url("agenda_index", day["event"].pk))["Location"] == _url(
        "agenda", day["event"].pk, day["kim"].pk
    )
    client.force_login(day["sec"])
    assert client.get(_url("agenda", day["event"].pk, day["bakyt"].pk)).status_code == 200
    index = client.get(_url("agenda_index", day["event"].pk)).content.decode()
    assert all(
        f'data-participant="{p.pk}"' in index for p in (day["kim"], day["aigerim"], day["bakyt"], day["dilnoza"])
    )
    client.logout()
    assert client.get(_url("agenda", day["event"].pk, day["kim"].pk)).status_code == 302  # to sign in


def test_the_agenda_query_agrees_with_the_rule(day):
    users = [day[k] for k in ("sec", "ed_kr", "ed_kz", "fp_kz", "fp_uz", "kim_user", "nobody")]
    participants = list(Participant.objects.filter(event=day["event"]).select_related("person"))
    for user in users:
        permissions.forget(user)
        listed = set(
            Participant.objects.filter(permissions.mm_agenda_q(user), event=day["event"]).values_list("pk", flat=True)
        )
        for p in participants:
            assert permissions.can(user, "matchmaking.agenda.view", p) == (p.pk in listed), (user, p)
    assert day["kim"].pk in set(
        Participant.objects.filter(permissions.mm_agenda_q(day["kim_user"])).values_list("pk", flat=True)
    )


def test_the_agenda_page_runs_a_constant_number_of_queries(client, day):
    from serai.core.testing import assert_constant_queries

    client.force_login(day["sec"])
    url = _url("agenda", day["event"].pk, day["bakyt"].pk)

    def grow():  # two more meetings for Bakyt, with other people, in later slots
        others = [day["kim"], day["aigerim"]]
        for slot, other in zip(day["slots"][1:3], others, strict=True):
            req = operations.accept_request(day["sec"], operations.request_meeting(day["sec"], day["bakyt"], other))
            _place(req, slot, day["tables"][2])

    def check(first, second):
        assert second.content.decode().count("data-meeting=") == 3 > first.content.decode().count("data-meeting=")

    assert_constant_queries(lambda: client.get(url), grow, check=check)


def test_a_kept_agenda_shows_a_newly_placed_meeting_at_once(client, day):
    """The page is kept for its viewer (serai.core.fragments) until an audited write."""
    client.force_login(day["sec"])
    url = _url("agenda", day["event"].pk, day["bakyt"].pk)
    before = client.get(url).content.decode().count("data-meeting=")
    assert client.get(url).content.decode().count("data-meeting=") == before  # from the cache
    req = operations.accept_request(day["sec"], operations.request_meeting(day["sec"], day["bakyt"], day["kim"]))
    _place(req, day["slots"][1], day["tables"][2])
    assert client.get(url).content.decode().count("data-meeting=") == before + 1


def test_ics_has_each_meeting_in_the_events_time_zone(client, day):
    client.force_login(day["kim_user"])
    response = client.get(_url("agenda_ics", day["event"].pk, day["kim"].pk))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content
    assert b"DTSTART;TZID=Asia/Almaty:20260611T090000" in body and b"BEGIN:VTIMEZONE" in body
    cal = Calendar.from_ical(body)
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == 1
    ev = events[0]
    assert ev.decoded("dtstart") == dt.datetime(2026, 6, 11, 9, 0, tzinfo=ALMATY)
    assert ev.decoded("dtend") == dt.datetime(2026, 6, 11, 9, 30, tzinfo=ALMATY)
    with translation.override("ko"):  # Kim's calendar is in Korean
        assert str(ev["location"]) == str(day["tables"][2])
    description = str(ev["description"])
    with translation.override("ko"):  # Kim reads Korean: the words of the Korean catalog
        assert (
            gettext("Interpretation: %(interpretation)s") % {"interpretation": gettext("Korean ↔ Russian")}
            in description
        )
        assert str(ev["summary"]) == gettext("Meeting with %(name)s") % {"name": f"{RU_NAME} — {RU_ORG}"}
    assert str(ev["status"]) == "TENTATIVE"


def _flat(text: str) -> str:
    """PDF text without white space: a narrow column wraps names and times anywhere."""
    return "".join(text.split())


def _pdf(client, url):
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf", response
    return response.content


@pytest.mark.parametrize(
    ("who", "lang", "own", "other"),
    [("kim", "ko", (KO_NAME, KO_ORG), RU_NAME), ("aigerim", "ru", (RU_NAME, RU_ORG), KO_NAME)],
)
def test_the_agenda_pdf_is_in_the_participants_language_with_fonts_embedded(client, day, who, lang, own, other):
    client.force_login(day["sec"])  # the Secretariat prints it for the participant, in their language
    document = _pdf(client, _url("agenda_pdf", day["event"].pk, day[who].pk))
    text = _flat(pdf_text(document))
    with translation.override(lang):
        table = str(day["tables"][2])  # a table without a name is "Table 2" in the reader's language
    for word in (*own, other, "09:00–09:30", table):
        assert _flat(word) in text, (word, text)
    with translation.override(lang):
        for heading in ("Personal agenda", "Counterpart", "Interpretation", "Korean ↔ Russian"):
            assert _flat(gettext(heading)) in text, (heading, text)
    fonts = pdf_fonts(document)
    assert fonts and all(fonts.values()), fonts  # every font embedded
    assert any("CJK" in name for name in fonts), fonts  # Hangul (and Cyrillic) from Noto CJK


def test_the_table_sheet_lists_the_slot_both_sides_and_interpretation(client, day):
    client.force_login(day["sec"])
    document = _pdf(client, _url("table_pdf", day["event"].pk, day["tables"][2].pk) + "?lang=ru")
    text = _flat(pdf_text(document))
    for word in (KO_NAME, RU_NAME, RU_ORG, "09:00–09:30"):
        assert _flat(word) in text, (word, text)
    with translation.override("ru"):
        for heading in ("Table sheet", "Side A", "Side B", "Korean ↔ Russian"):
            assert _flat(gettext(heading)) in text
    assert "Dilnoza" not in text  # table 1's meeting
    client.force_login(day["kim_user"])
    assert client.get(_url("table_pdf", day["event"].pk, day["tables"][2].pk)).status_code == 403


# --- on the day ------------------------------------------------------------------------------
def test_check_in_and_no_show_are_the_desks_through_the_machine(client, day):
    m1 = day["m1"]
    client.force_login(day["ed_kr"])  # Kim's organisation's editor: not the desk
    assert client.post(_url("meeting_attend", day["event"].pk, m1.pk), {"name": "check_in"}).status_code == 403
    m1.refresh_from_db()
    assert m1.status == "scheduled"
    client.force_login(day["sec"])
    response = client.post(_url("meeting_attend", day["event"].pk, m1.pk), {"name": "check_in"})
    assert response.status_code == 302
    m1.refresh_from_db()
    assert m1.status == "held" and m1.checked_in_at is not None
    assert AuditEntry.objects.filter(action="matchmaking.meeting.check_in", object_id=str(m1.pk)).count() == 1
    m2 = day["m2"]
    client.post(_url("meeting_attend", day["event"].pk, m2.pk), {"name": "no_show", "no_show_by": day["dilnoza"].pk})
    m2.refresh_from_db()
    assert (m2.status, m2.no_show_by_id) == ("no_show", day["dilnoza"].pk)
    # someone who is not a side of the meeting cannot be the one who did not come
    m3 = _place(
        operations.accept_request(day["sec"], operations.request_meeting(day["sec"], day["kim"], day["bakyt"])),
        day["slots"][1],
        day["tables"][1],
    )
    with pytest.raises(workflow.TransitionError):
        operations.mark_no_show(day["sec"], m3, day["dilnoza"])
    m3.refresh_from_db()
    assert m3.status == "scheduled"


def test_arrival_checks_in_the_days_meetings_and_a_missed_one_is_corrected(client, day):
    client.force_login(day["sec"])
    response = client.post(_url("participant_arrival", day["event"].pk, day["kim"].pk), {"day": "2026-06-11"})
    assert response.status_code == 302
    day["m1"].refresh_from_db()
    day["m2"].refresh_from_db()
    assert day["m1"].status == "held" and day["m2"].status == "scheduled"
    # Aigerim never came after all: the desk corrects it
    fixed = operations.mark_no_show(day["sec"], day["m1"], day["aigerim"])
    assert (fixed.status, fixed.no_show_by_id, fixed.checked_in_at) == ("no_show", day["aigerim"].pk, None)
    # a day outside the event is a clear 400
    bad = client.post(_url("participant_arrival", day["event"].pk, day["kim"].pk), {"day": "2026-07-01"})
    assert bad.status_code == 400


def _unchanged(meeting, table, entries):
    meeting.refresh_from_db()
    assert meeting.table_id == table.pk and meeting.status == "scheduled"
    assert AuditEntry.objects.count() == entries


def test_a_table_change_to_a_free_table_with_the_interpretation_needed(client, day):
    m2, t3 = day["m2"], day["tables"][3]
    client.force_login(day["sec"])
    response = client.post(_url("meeting_move", day["event"].pk, m2.pk), {"table": t3.pk})
    assert response.status_code == 302
    m2.refresh_from_db()
    assert m2.table_id == t3.pk and m2.slot_id == day["slots"][0].pk and m2.status == "scheduled"
    entry = AuditEntry.objects.get(action="matchmaking.meeting.move", object_id=str(m2.pk))
    assert entry.changes["table_id"] == {"before": day["tables"][1].pk, "after": t3.pk}


def test_a_move_to_an_over_full_table_is_refused_and_changes_nothing(client, day):
    m1, entries = day["m1"], AuditEntry.objects.count()
    # table 1 holds Bakyt and Dilnoza's meeting in this slot
    client.force_login(day["sec"])
    response = client.post(_url("meeting_move", day["event"].pk, day["m2"].pk), {"table": day["tables"][2].pk})
    assert response.status_code == 400
    with translation.override("en"):
        assert "is full in this slot" in response.content.decode()
    _unchanged(day["m2"], day["tables"][1], entries)
    with pytest.raises(workflow.TransitionError) as exc:
        operations.move_meeting(day["sec"], m1, day["tables"][1])
    assert any("full" in p for p in exc.value.problems)
    _unchanged(m1, day["tables"][2], entries)


def test_a_move_to_a_table_without_the_needed_interpretation_is_refused(client, day):
    m1, entries = day["m1"], AuditEntry.objects.count()
    client.force_login(day["sec"])
    response = client.post(_url("meeting_move", day["event"].pk, m1.pk), {"table": day["tables"][3].pk})
    assert response.status_code == 400
    assert "Korean ↔ Russian" in response.content.decode()
    _unchanged(m1, day["tables"][2], entries)
    # and only the desk moves meetings
    with pytest.raises(workflow.TransitionError) as exc:
        operations.move_meeting(day["ed_kr"], day["m2"], day["tables"][3])
    assert exc.value.problems == ["You may not do this."]
    _unchanged(day["m2"], day["tables"][1], entries)
    # a table of another event, or no table at all, is a form error
    assert client.post(_url("meeting_move", day["event"].pk, m1.pk), {"table": "999999"}).status_code == 400
    _unchanged(m1, day["tables"][2], entries)


def test_a_slot_outside_availability_is_refused_while_a_meeting_is_placed_there(day):
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        operations.update_participant(day["sec"], day["kim"], unavailable_slots=[day["slots"][0]])
    assert "unavailable_slots" in exc.value.message_dict
    assert not day["kim"].unavailable_slots.exists() and AuditEntry.objects.count() == entries
    # another slot is fine
    operations.update_participant(day["sec"], day["kim"], unavailable_slots=[day["slots"][3]])
    assert list(day["kim"].unavailable_slots.all()) == [day["slots"][3]]


def test_a_participant_withdrawn_after_scheduling_no_check_in_no_move_no_arrival(client, day):
    m1 = day["m1"]
    operations.withdraw_participant(day["sec"], day["aigerim"], "Visa refused")
    m1.refresh_from_db()
    assert m1.status == "cancelled"
    entries = AuditEntry.objects.count()
    for attempt in (
        lambda: operations.check_in_meeting(day["sec"], m1),
        lambda: operations.move_meeting(day["sec"], m1, day["tables"][3]),
    ):
        with pytest.raises(workflow.TransitionError):
            attempt()
    with pytest.raises(ValidationError) as exc:
        operations.check_in_arrival(day["sec"], day["aigerim"], dt.date(2026, 6, 11))
    assert RU_NAME in str(exc.value)
    m1.refresh_from_db()
    assert (m1.status, m1.table_id) == ("cancelled", day["tables"][2].pk) and AuditEntry.objects.count() == entries
    # the agenda no longer lists it
    client.force_login(day["kim_user"])
    assert f'data-meeting="{m1.pk}"' not in client.get(_url("agenda", day["event"].pk, day["kim"].pk)).content.decode()


def test_a_meeting_whose_side_withdrew_cannot_be_checked_in(day):
    """The guard itself: should a meeting still be scheduled when a side is withdrawn (a withdrawal
    written by an older path), checking in and moving name the person and change nothing."""
    from serai.core.workflow import fire

    fire(day["sec"], workflow.PARTICIPANT_MACHINE, day["aigerim"], "withdraw", reason="test")
    m1 = ScheduledMeeting.objects.get(pk=day["m1"].pk)
    entries = AuditEntry.objects.count()
    for name, kwargs in (("check_in", {}), ("move", {"table": day["tables"][3]})):
        with pytest.raises(workflow.TransitionError) as exc:
            if name == "move":
                operations.move_meeting(day["sec"], m1, kwargs["table"])
            else:
                operations.check_in_meeting(day["sec"], m1)
        assert any(RU_NAME in p for p in exc.value.problems), exc.value.problems
    _unchanged(m1, day["tables"][2], entries)


def test_the_day_board_runs_a_constant_number_of_queries(client, day):
    from django.db import connection

    client.force_login(day["sec"])
    url = _url("agenda_day", day["event"].pk) + "?day=2026-06-11"
    client.get(url)  # warm-up: a session's first request writes what later ones only read
    cold()  # then cold renders: nothing kept between requests counts
    with CaptureQueriesContext(connection) as before:
        html = client.get(url).content.decode()
    assert html.count("data-meeting=") == 2
    req = operations.accept_request(day["sec"], operations.request_meeting(day["sec"], day["kim"], day["bakyt"]))
    m3 = _place(req, day["slots"][1], day["tables"][3])
    cold()
    with CaptureQueriesContext(connection) as after:
        html = client.get(url).content.decode()
    assert html.count("data-meeting=") == 3 and f'data-meeting="{m3.pk}"' in html
    assert len(after.captured_queries) == len(before.captured_queries)
    client.force_login(day["kim_user"])
    assert client.get(url).status_code == 403
    assert MeetingRequest.objects.filter(event=day["event"]).count() == 3
