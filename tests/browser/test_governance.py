"""A meeting from agenda to adopted minutes, in English, Russian and Korean (issue 14): the
Secretariat creates the meeting, adds an agenda item, records and adopts a decision with an action
owned by Uzbekistan; Uzbekistan's focal point records progress on the action; the Secretariat
writes, circulates and adopts the minutes; the public then sees the adopted decision and minutes,
not the action. Locators are names, URLs, ids and data-* attributes, never a visible label."""

import re

import pytest

from serai.access.models import Role

from .journeys import (
    PASSWORD,
    assert_language,
    fill_translated,
    login,
    logout,
    screenshot,
    success_shown,
)

pytestmark = pytest.mark.browser

TEXTS = {
    "en": (
        "Transport corridors",
        "The subcommittee asks Uzbekistan to prepare a corridor study.",
        "Prepare the corridor study",
        "Terms of reference drafted",
        "1. The subcommittee discussed transport corridors.",
    ),
    "ru": (
        "Транспортные коридоры",
        "Подкомитет просит Узбекистан подготовить исследование коридоров.",
        "Подготовить исследование коридоров",
        "Техническое задание подготовлено",
        "1. Подкомитет обсудил транспортные коридоры.",
    ),
    "ko": (
        "교통 회랑",
        "분과위원회는 우즈베키스탄에 회랑 연구 준비를 요청한다.",
        "타당성 보고서 작성",
        "과업지시서 초안 작성",
        "1. 분과위원회는 교통 회랑을 논의하였다.",
    ),
}


def _meeting_form(page, name):
    """One of the meeting page's forms, by its hidden ``form`` value, opened if it sits in a <details>."""
    details = page.locator(f"details:has(input[name=form][value={name}])")
    if details.count() and not details.first.evaluate("d => d.open"):
        details.first.locator("summary").click()
    return page.locator(f"main form:has(input[name=form][value={name}])")


def _post(page, form, button="button[type=submit]"):
    with page.expect_navigation():
        form.locator(button).first.click()


@pytest.mark.parametrize("lang", ["en", "ru", "ko"])
def test_a_meeting_from_agenda_to_adopted_minutes(site, new_page, make_user, reference, lang):  # noqa: F811
    from serai.governance.models import ActionItem, Decision, Meeting, Minutes

    agenda_title, decision_text, action_title, progress, minutes_text = TEXTS[lang]
    states, bodies = reference["states"], reference["bodies"]
    make_user(Role.SECRETARIAT, username="staff", password=PASSWORD)
    make_user(Role.FOCAL_POINT, states["UZ"], username="fp-uz", password=PASSWORD)
    page, public = new_page(lang), new_page(lang)

    # 1. The Secretariat creates the meeting.
    login(page, site, "staff", lang)
    page.goto(f"{site.url}/{lang}/forum/sessions/")
    with page.expect_navigation():
        page.locator("main a[href$='/meetings/new/']").first.click()
    assert_language(page, lang)
    form = page.locator("main form:has(select[name=body])")
    form.locator("select[name=body]").select_option(str(bodies["economy"].pk))
    form.locator("input[name=number]").fill("4")
    form.locator("input[name=year]").fill("2026")
    form.locator("input[name=start_date]").fill("2026-10-14")
    form.locator("select[name=host_country]").select_option(str(states["UZ"].pk))
    form.locator("select[name=status]").select_option("held")
    fill_translated(page, "theme", lang, agenda_title)
    _post(page, form)
    page.wait_for_url(re.compile(rf"/{lang}/meetings/\d+/$"))
    meeting_url = page.url
    meeting = Meeting.objects.get(pk=int(meeting_url.rstrip("/").rsplit("/", 1)[1]))
    on_meeting = re.compile(re.escape(meeting_url) + r"(#[\w-]+)?$")  # a write returns to its section

    # 2. Agenda, a decision on it, an action owned by Uzbekistan; the decision is adopted.
    agenda = _meeting_form(page, "agenda")
    fill_translated(page, "a-title", lang, agenda_title)
    _post(page, agenda)
    page.wait_for_url(on_meeting)
    item = meeting.agenda_items.get()
    decision = _meeting_form(page, "decision")
    fill_translated(page, "d-text", lang, decision_text)
    decision.locator("select[name=d-agenda_item]").select_option(str(item.pk))
    _post(page, decision)
    recorded = Decision.objects.get(meeting=meeting)
    action = _meeting_form(page, "action")
    fill_translated(page, "t-title", lang, action_title)
    action.locator("select[name=t-decision]").select_option(str(recorded.pk))
    action.locator("select[name=t-owner_country]").select_option(str(states["UZ"].pk))
    action.locator("input[name=t-due_date]").fill("2027-03-31")
    _post(page, action)
    adopt = page.locator(f"main form[action$='/decisions/{recorded.pk}/adopt/']")
    adopt.locator("input[name=confirm]").check()
    _post(page, adopt)
    assert success_shown(page)
    recorded.refresh_from_db()
    assert recorded.status == "adopted"
    logout(page)

    # 3. Uzbekistan's focal point records progress on the action; its status is kept unless changed.
    item = ActionItem.objects.get(meeting=meeting)
    login(page, site, "fp-uz", lang)
    page.goto(meeting_url)
    update = page.locator(f"main form[action$='/actions/{item.pk}/update/']")
    assert update.locator("select[name=status]").input_value() == "open"
    update.locator("select[name=status]").select_option("in_progress")
    update.locator("textarea[name=text]").fill(progress)
    _post(page, update)
    assert success_shown(page)
    item.refresh_from_db()
    assert item.status == "in_progress" and item.updates.get().text == progress
    assert (
        page.locator(f"main form[action$='/actions/{item.pk}/update/'] select[name=status]").input_value()
        == "in_progress"
    )
    logout(page)

    # 4. The Secretariat writes the minutes, circulates them and adopts them; then they are locked.
    login(page, site, "staff", lang)
    page.goto(f"{meeting_url}minutes/")
    assert_language(page, lang)
    fill_translated(page, "text", lang, minutes_text)
    _post(page, page.locator("main form:has(input[name=base_revision])"))
    for move in ("circulate", "adopt"):
        form = page.locator(f"main form:has(input[name=transition][value={move}])")
        if move == "adopt":
            form.locator("input[name=confirm]").check()
        _post(page, form)
        assert page.locator(".messages .message.error").count() == 0  # circulating may warn that nobody was told
        assert Minutes.objects.get(meeting=meeting).status == {"circulate": "circulated", "adopt": "adopted"}[move]
    minutes = Minutes.objects.get(meeting=meeting)
    assert (minutes.status, minutes.revision, minutes.text.values) == ("adopted", 1, {lang: minutes_text})
    assert page.locator("main form:has(input[name=base_revision])").count() == 0
    screenshot(page, f"journey-minutes-adopted-{lang}")
    logout(page)

    # 5. The public sees the adopted decision and minutes, not the action.
    public.goto(meeting_url)
    assert_language(public, lang)
    body = public.locator("main").inner_text()
    assert decision_text in body
    assert public.locator(f"#action-{item.pk}").count() == 0 and action_title not in body
    with public.expect_navigation():
        public.locator(f"main a[href$='/meetings/{meeting.pk}/minutes/']").first.click()
    assert minutes_text in public.locator("main").inner_text()
