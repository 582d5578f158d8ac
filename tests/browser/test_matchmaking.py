"""Issue 16, end to end in the browser: a Korean university's researcher (interface in Korean) and
a Kazakh institute's researcher (interface in Russian) register for the Forum's matchmaking; the
Korean asks for a meeting from the marketplace, the Kazakh accepts in Russian; the Secretariat
closes registration and runs the scheduler; both agendas show the same slot and table (the
interpreted one: the Kazakh side needs Korean ↔ Russian); each downloads the agenda as .ics
(parsed back) and as PDF (text read back with pypdf, in the reader's language); the Secretariat
checks the meeting in at the day's desk; the Korean side records a follow-up and opens a project
idea with both organisations. And the agenda page fits a phone.

Locators are names, ids, URLs and data-* attributes (``journeys.py``), never a visible label."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from pathlib import Path

import pytest
from django.utils import translation
from icalendar import Calendar

from serai.access.models import Role

from .journeys import PASSWORD, assert_language, login, screenshot, status_of, success_shown

pytestmark = pytest.mark.browser

KO_NAME, KO_ORG = "김민지", "한빛대학교"
RU_NAME, RU_ORG = "Айгерим Нурланова", "Казахский институт энергетики"
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def cast(site, make_user, system):
    """The Forum session's matchmaking (registration open, table 1 without interpretation, table 2
    with Korean ↔ Russian, Almaty time), the two organisations with an editor each whose own person
    record carries their login, and the Secretariat."""
    from serai.access.operations import grant_role
    from serai.core.i18n import TranslatedText
    from serai.governance import operations as governance
    from serai.matchmaking import operations
    from serai.matchmaking.operations import TableSpec
    from serai.orgs.operations import create_organisation
    from serai.people.operations import create_person
    from serai.reference.models import Body, BodyKind, MemberState

    states = {s.iso2: s for s in MemberState.objects.all()}
    staff = make_user(Role.SECRETARIAT, username="staff", password=PASSWORD)
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
    kr_user = make_user(username="kr-researcher", password=PASSWORD)
    grant_role(system, kr_user, Role.ORG_EDITOR, kr_org)
    kz_user = make_user(username="kz-researcher", password=PASSWORD)
    grant_role(system, kz_user, Role.ORG_EDITOR, kz_org)
    kim = create_person(
        system,
        {
            "name": TranslatedText({"ko": KO_NAME, "en": "Kim Minji"}, "ko"),
            "member_state": states["KR"],
            "organisation": kr_org,
            "user": kr_user,
        },
    )
    aigerim = create_person(
        system,
        {
            "name": TranslatedText({"ru": RU_NAME}, "ru"),
            "member_state": states["KZ"],
            "organisation": kz_org,
            "user": kz_user,
        },
    )
    forum = Body.objects.filter(kind=BodyKind.FORUM).first()
    meeting = governance.create_meeting(
        staff,
        {
            "body": forum,
            "number": 21,
            "year": 2027,
            "start_date": dt.date(2027, 6, 10),
            "end_date": dt.date(2027, 6, 10),
        },
    )
    now = dt.datetime.now(dt.UTC)
    event = operations.create_event(
        staff,
        meeting,
        {
            "registration_opens": now - dt.timedelta(days=1),
            "registration_closes": now + dt.timedelta(days=20),
            "days": ["2027-06-10"],
            "day_start": dt.time(10, 0),
            "day_end": dt.time(12, 0),
            "slot_minutes": 30,
            "time_zone": "Asia/Almaty",
            "languages": ["ko", "ru", "en"],
        },
        [TableSpec(1), TableSpec(2, interpretation="ko-ru")],
    )
    event = operations.fire_event(staff, event, "open_registration")
    return {"event": event, "kr_org": kr_org, "kz_org": kz_org, "kim": kim, "aigerim": aigerim, "staff": staff}


def _register(page, site, lang, event, person, org, languages, interpretation=None):
    page.goto(f"{site.url}/{lang}/matchmaking/{event.pk}/register/")
    assert_language(page, lang)
    form = page.locator("main form:has(select[name=person])")
    form.locator("select[name=person]").select_option(str(person.pk))
    form.locator("select[name=organisation]").select_option(str(org.pk))
    for code in languages:
        form.locator(f"input[name=languages][value={code}]").check()
    if interpretation:
        form.locator("input[name=needs_interpreter]").check()
        form.locator("select[name=interpretation]").select_option(interpretation)
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()
    assert page.url.rstrip("/").endswith(f"/{lang}/matchmaking/{event.pk}") and success_shown(page), page.url


def _agenda(page, site, lang, event, participant) -> dict:
    page.goto(f"{site.url}/{lang}/matchmaking/{event.pk}/agenda/")  # one registration: straight to it
    assert page.url == f"{site.url}/{lang}/matchmaking/{event.pk}/agenda/{participant.pk}/"
    assert_language(page, lang)
    row = page.locator("ol.agenda-list > li[data-meeting]")
    assert row.count() == 1
    return {k: row.get_attribute(f"data-{k}") for k in ("meeting", "slot", "table")}


def _download(page, selector) -> bytes:
    with page.expect_download() as info:
        page.locator(selector).click()
    return Path(info.value.path()).read_bytes()


def test_two_participants_meet_through_the_matchmaking(site, new_page, cast, browser):
    from serai.core.models import AuditEntry
    from serai.core.pdf import pdf_fonts, pdf_text
    from serai.matchmaking.models import MeetingRequest, Participant, ScheduledMeeting
    from serai.projects.models import Participation

    event = cast["event"]
    korean, kazakh, staff = new_page("ko"), new_page("ru"), new_page("en")
    for page in (korean, kazakh, staff):  # a shared, busy test machine: PDF renders and the solver take time
        page.set_default_timeout(90_000)

    # 1. Both register, each in their own language; the Kazakh researcher needs Korean ↔ Russian.
    login(korean, site, "kr-researcher", "ko")
    _register(korean, site, "ko", event, cast["kim"], cast["kr_org"], ["ko", "en"])
    login(kazakh, site, "kz-researcher", "ru")
    _register(kazakh, site, "ru", event, cast["aigerim"], cast["kz_org"], ["ru"], interpretation="ko-ru")
    kim = Participant.objects.get(event=event, person=cast["kim"])
    aigerim = Participant.objects.get(event=event, person=cast["aigerim"])
    assert (aigerim.needs_interpreter, aigerim.interpretation) == (True, "ko-ru")

    # 2. The Korean researcher asks for a meeting from the marketplace.
    korean.goto(f"{site.url}/ko/matchmaking/{event.pk}/marketplace/")
    row = korean.locator(f"#mm-marketplace tr[data-participant='{aigerim.pk}']")
    row.locator("input[name=message]").fill("태양광 협력에 대해 논의하고 싶습니다.")
    with korean.expect_navigation():
        row.locator("button[type=submit]").click()
    request = MeetingRequest.objects.get(event=event, requester=kim, requested=aigerim)
    assert request.status == "requested"

    # 3. The Kazakh researcher accepts, in Russian.
    kazakh.goto(f"{site.url}/ru/matchmaking/{event.pk}/requests/")
    assert_language(kazakh, "ru")
    accept = kazakh.locator(f"article[data-request='{request.pk}'] form:has(input[name=name][value=accept])")
    with kazakh.expect_navigation():
        accept.locator("button[type=submit]").click()
    assert success_shown(kazakh)
    request.refresh_from_db()
    assert request.status == "accepted"

    # 4. The Secretariat closes registration and runs the scheduler.
    login(staff, site, "staff", "en")
    staff.goto(f"{site.url}/en/matchmaking/{event.pk}/")
    with staff.expect_navigation():
        staff.locator("form:has(input[name=name][value=close_registration]) button[type=submit]").click()
    with staff.expect_navigation():
        staff.locator("form:has(input[name=name][value=schedule]) button[type=submit]").click()
    assert success_shown(staff), staff.locator("main").inner_text()
    placed = ScheduledMeeting.objects.select_related("slot", "table").get(request=request)
    assert placed.table.interpretation == "ko-ru"  # the interpreted table, as the Kazakh side needs

    # 5. Both agendas show the same meeting, slot and table.
    seen_ko = _agenda(korean, site, "ko", event, kim)
    seen_ru = _agenda(kazakh, site, "ru", event, aigerim)
    assert seen_ko == seen_ru == {"meeting": str(placed.pk), "slot": str(placed.slot_id), "table": str(placed.table_id)}
    assert RU_NAME in korean.locator("ol.agenda-list").inner_text()
    assert KO_NAME in kazakh.locator("ol.agenda-list").inner_text()
    screenshot(korean, "matchmaking-agenda-ko")

    # 6. Each downloads the agenda: the calendar file and the PDF, in their language.
    almaty = zoneinfo.ZoneInfo("Asia/Almaty")
    start = placed.slot.starts_at.astimezone(almaty).replace(tzinfo=None)
    for page, lang, counterpart in ((korean, "ko", RU_NAME), (kazakh, "ru", KO_NAME)):
        ics = _download(page, "#agenda-ics")
        assert f"DTSTART;TZID=Asia/Almaty:{start:%Y%m%dT%H%M%S}".encode() in ics
        events = list(Calendar.from_ical(ics).walk("VEVENT"))
        with translation.override(lang):  # an unnamed table is "Table 2" in the reader's language
            table = str(placed.table)
        assert len(events) == 1 and str(events[0]["location"]) == table
        assert counterpart in str(events[0]["summary"])
        document = _download(page, "#agenda-pdf")
        assert document.startswith(b"%PDF")
        text = "".join(pdf_text(document).split())
        assert "".join(counterpart.split()) in text and f"{start:%H:%M}" in text, text
        fonts = pdf_fonts(document)
        assert fonts and all(fonts.values()), fonts
        with translation.override(lang):
            assert "".join(translation.gettext("Personal agenda").split()) in text

    # 7. The Secretariat checks the meeting in at the day's desk.
    staff.goto(f"{site.url}/en/matchmaking/{event.pk}/agenda/")
    with staff.expect_navigation():
        staff.locator("a[href$='/day/']").first.click()
    card = staff.locator(f"article[data-meeting='{placed.pk}']")
    with staff.expect_navigation():
        card.locator("form:has(input[name=name][value=check_in]) button[type=submit]").click()
    assert success_shown(staff)
    placed.refresh_from_db()
    assert placed.status == "held"
    assert AuditEntry.objects.filter(action="matchmaking.meeting.check_in", object_id=str(placed.pk)).exists()

    # 8. The Korean side records a follow-up and opens a project idea with both organisations.
    korean.goto(f"{site.url}/ko/matchmaking/{event.pk}/requests/")
    outcome = korean.locator(f"article[data-meeting='{placed.pk}'] form[action$='/outcome/']")
    outcome.locator("select[name=result]").select_option("follow_up")
    with korean.expect_navigation():
        outcome.locator("button[type=submit]").click()
    idea = korean.locator(f"article[data-meeting='{placed.pk}'] form[action$='/project/']")
    idea.locator("input[name=title]").fill("한-카자흐 태양광 공동연구")
    with korean.expect_navigation():
        idea.locator("button[type=submit]").click()
    # the new idea's page opens
    assert re.search(r"/ko/projects/\d+/$", korean.url), korean.url
    project_id = int(re.search(r"/projects/(\d+)/$", korean.url).group(1))
    assert status_of(korean) == "idea"
    assert set(Participation.objects.filter(project_id=project_id).values_list("organisation_id", flat=True)) == {
        cast["kr_org"].pk,
        cast["kz_org"].pk,
    }

    # 9. The agenda page fits a phone: nothing wider than the screen.
    context = browser.new_context(locale="ko-KR", viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    try:
        phone = context.new_page()
        phone.set_default_timeout(90_000)
        login(phone, site, "kr-researcher", "ko")
        phone.goto(f"{site.url}/ko/matchmaking/{event.pk}/agenda/{kim.pk}/")
        phone.wait_for_load_state("load")
        width = phone.evaluate("""() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
            wide: [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                  && !e.closest('.table-wrap, .table-scroll, .visually-hidden, .skip-link'))
                  .slice(0, 5).map(e => e.tagName + '.' + e.className)})""")
        assert max(width["scroll"], width["inner"]) <= PHONE["width"] + 1 and not width["wide"], width
        screenshot(phone, "matchmaking-agenda-phone-ko")
    finally:
        context.close()
