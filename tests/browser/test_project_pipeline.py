"""Journeys of the project pipeline, each step by the role that owns it, in English, Russian and
Korean (issue 14): a focal point proposes, the Secretariat screens, the subcommittee expert opens
the appraisal from the notification in My work and appraises, the Secretariat recommends and
records the Forum's endorsement, and only then does the public see the project; a partner
organisation's editor reports a results update and the Secretariat approves it.

Locators are names, ids, URLs and data-* attributes (``journeys.py``), never a visible label, so
one journey runs in every language; each page is checked to be in the journey's language."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from serai.access.models import Role

from .journeys import (
    LANGUAGES,
    PASSWORD,
    assert_language,
    fill_translated,
    fire,
    login,
    logout,
    open_notification,
    screenshot,
    status_of,
    submit_main_form,
    success_shown,
)

pytestmark = pytest.mark.browser

TITLES = {"en": "Steppe solar schools", "ru": "Солнечные школы степи", "ko": "초원 태양광 학교"}
SUMMARIES = {
    "en": "Solar power for rural schools in Kazakhstan.",
    "ru": "Солнечная энергия для сельских школ Казахстана.",
    "ko": "카자흐스탄 농촌 학교를 위한 태양광 발전.",
}


def _login(page, site, username, lang="en"):  # kept for tests that import it
    login(page, site, username, lang)


def _logout(page):
    logout(page)


__all__ = ["PASSWORD", "_login", "_logout"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_proposal_to_public_walked_by_each_role(site, new_page, make_user, make_org, reference, lang):
    from serai.governance.models import Meeting
    from serai.projects.models import Project
    from serai.reference.models import CooperationField

    states, bodies = reference["states"], reference["bodies"]
    make_user(Role.FOCAL_POINT, states["KZ"], username="fp-kz", password=PASSWORD)
    make_user(Role.SECRETARIAT, username="staff", password=PASSWORD)
    make_user(Role.SUBCOMMITTEE_MEMBER, bodies["economy"], username="econ", password=PASSWORD)
    partner = make_org("Steppe Solar Institute", country="KZ")
    energy = CooperationField.objects.get(code="energy")
    session = Meeting.objects.get(body__kind="forum", number=17)
    page, anonymous = new_page(lang), new_page(lang)

    # 1. The Kazakh focal point writes the proposal in the journey's language and submits it.
    login(page, site, "fp-kz", lang)
    page.goto(f"{site.url}/{lang}/projects/new/")
    assert_language(page, lang)
    form = page.locator("main form.form")
    fill_translated(page, "title", lang, TITLES[lang])
    fill_translated(page, "summary", lang, SUMMARIES[lang])
    form.locator("select[name=subcommittee]").select_option(str(bodies["economy"].pk))
    form.locator("input[name=planned_start]").fill("2026-09-01")
    form.locator("input[name=planned_end]").fill("2028-08-31")
    form.locator(f"input[name=countries][value='{states['KR'].pk}']").check()
    form.locator(f"input[name=countries][value='{states['KZ'].pk}']").check()
    form.locator("select[name=sector_field_0]").select_option(str(energy.pk))
    form.locator("input[name=sector_pct_0]").fill("100")
    submit_main_form(page, form)
    page.wait_for_url(re.compile(rf"/{lang}/projects/\d+/$"))
    project_url = page.url
    project = Project.objects.get(pk=int(project_url.rstrip("/").rsplit("/", 1)[1]))
    assert project.title.values == {lang: TITLES[lang]} and project.title.source == lang
    assert status_of(page) == "idea"
    fire(page, "submit")
    assert status_of(page) == "submitted" and success_shown(page)
    logout(page)

    # Nobody outside sees it yet.
    assert anonymous.goto(project_url).status == 404
    anonymous.goto(f"{site.url}/{lang}/projects/?q={TITLES[lang].split()[0]}")
    assert TITLES[lang] not in anonymous.content()

    # 2. The Secretariat opens it from its notification, screens it, adds a partner, sends it to appraisal.
    login(page, site, "staff", lang)
    open_notification(page, site, lang, "project.submitted")
    assert page.url == project_url
    fire(page, "screen")
    participation = page.locator("form[action$='/participation/']")
    participation.locator("select[name=organisation]").select_option(str(partner.pk))
    participation.locator("select[name=role]").select_option("4")  # implementing
    with page.expect_navigation():
        participation.locator("button[type=submit]").click()
    assert project.participations.filter(organisation=partner).exists()
    fire(page, "send_to_appraisal")
    assert status_of(page) == "appraisal"
    logout(page)

    # 3. The Economy Subcommittee expert opens the appraisal from the notification in My work.
    login(page, site, "econ", lang)
    open_notification(page, site, lang, "project.appraisal")
    assert page.url == f"{site.url}/{lang}/projects/{project.pk}/appraisal/"
    assert_language(page, lang)
    appraisal = page.locator(f"main form[action$='/projects/{project.pk}/appraisal/']")
    for select in appraisal.locator("select[name^=score_]").all():
        select.select_option("4")
    appraisal.locator("input[name=completed]").check()
    with page.expect_navigation():
        appraisal.locator("button[type=submit]").click()
    assert success_shown(page)
    assert project.appraisals.get().completed
    screenshot(page, f"journey-appraisal-{lang}")
    logout(page)

    # 4. The Secretariat recommends it and records the endorsement at a Forum session.
    login(page, site, "staff", lang)
    page.goto(project_url)
    fire(page, "recommend")
    assert status_of(page) == "recommended"
    assert anonymous.goto(project_url).status == 404
    fire(page, "endorse", meeting=session.pk)
    assert status_of(page) == "endorsed"
    timeline = page.locator("section[aria-labelledby=timeline-title] ol.timeline > li")
    assert timeline.count() >= 5
    assert [t.to_status for t in project.transitions.order_by("pk")] == [
        "submitted",
        "screening",
        "appraisal",
        "recommended",
        "endorsed",
    ]
    logout(page)

    # 5. Now the public sees it, in the journey's language.
    assert anonymous.goto(project_url).status == 200
    assert_language(anonymous, lang)
    assert anonymous.locator("main h1").inner_text().strip() == TITLES[lang]
    screenshot(anonymous, f"journey-public-project-{lang}")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_partner_editor_reports_results_and_the_secretariat_approves(
    site, new_page, make_user, make_org, reference, system, lang
):
    from serai.access.operations import grant_role
    from serai.core.i18n import TranslatedText
    from serai.projects import operations
    from serai.projects.models import IndicatorUpdate, Project, Status
    from serai.projects.operations import SectorShare
    from serai.reference.models import CooperationField

    states = reference["states"]
    staff = make_user(Role.SECRETARIAT, username="staff", password=PASSWORD)
    university = make_org("Nazarbayev University", helix="academia", country="KZ")
    editor = make_user(username="nu-editor", password=PASSWORD)
    grant_role(system, editor, Role.ORG_EDITOR, university)
    # an endorsed project with a results framework, set up directly (the pipeline is walked above)
    project = operations.create_project(
        staff,
        {"title": TranslatedText({lang: TITLES[lang]}, lang), "subcommittee": reference["bodies"]["economy"]},
        countries=[states["KR"], states["KZ"]],
        sectors=[SectorShare(field=CooperationField.objects.get(code="energy"), percentage=Decimal(100))],
    )
    operations.add_participation(staff, project, university, "4")
    result = operations.add_result(staff, project, "output", TranslatedText({lang: "Schools"}, lang))
    indicator = operations.add_indicator(
        staff,
        result,
        {"title": TranslatedText({lang: "Schools powered"}, lang), "unit": "schools", "baseline": 0, "target": 40},
    )
    period = operations.add_period(staff, project, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    Project.objects.filter(pk=project.pk).update(status=Status.ENDORSED)
    page = new_page(lang)
    results_url = f"{site.url}/{lang}/projects/{project.pk}/results/"

    # 1. The partner organisation's editor reports progress from the project page and submits it.
    login(page, site, "nu-editor", lang)
    page.goto(f"{site.url}/{lang}/projects/{project.pk}/")
    with page.expect_navigation():
        page.locator(f"main a[href$='/projects/{project.pk}/results/']").first.click()
    assert page.url == results_url
    assert_language(page, lang)
    draft = page.locator("#update-grid form:has(input[name=action][value=update])").first
    assert draft.locator("input[name=u-period]").get_attribute("value") == str(period.pk)
    draft.locator("input[name=u-value]").fill("12.5")
    draft.locator("textarea[name=u-narrative]").fill(
        {"en": "Twelve schools and a half", "ru": "Двенадцать с половиной школ", "ko": "학교 12.5곳"}[lang]
    )
    with page.expect_navigation():
        draft.locator("button[type=submit]").click()
    assert success_shown(page)
    submit = page.locator("#update-grid form:has(input[name=v-move][value=submit])")
    with page.expect_navigation():
        submit.locator("button[type=submit]").click()
    update = IndicatorUpdate.objects.get(indicator=indicator, period=period)
    assert (update.status, update.value) == ("submitted", Decimal("12.5"))
    logout(page)

    # 2. The Secretariat opens the review from its notification and approves.
    login(page, site, "staff", lang)
    open_notification(page, site, lang, "results.submitted")
    assert page.url == results_url
    review = page.locator("#update-grid form:has(input[name=action][value=review]):has(button[name=v-move])")
    review.locator("textarea[name=v-comment]").fill("OK")
    with page.expect_navigation():
        review.locator("button[name=v-move][value=approve]").click()
    assert success_shown(page)
    assert page.locator("#update-grid .status-approved").count() == 1
    update.refresh_from_db()
    assert (update.status, update.reviewer) == ("approved", staff)
    screenshot(page, f"journey-results-approved-{lang}")
    assert editor.notifications.filter(kind="results.reviewed").exists()  # the editor is told
