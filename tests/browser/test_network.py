"""Issue 15, end to end in the browser: a Korean university's editor, with the interface in Korean,
writes a technology request in Korean and submits it; the Secretariat opens it from its
notification and publishes it; a Kazakh research institute's Russian-language offer is matched to
it with reasons (one from the structured codes, one from the texts' concepts across languages);
the consortium builder fills the helix gaps of the university's project (Korea + Kazakhstan) and
the chosen partners become participants; the Kazakh editor expresses interest, the Korean editor
accepts the introduction, both sides then see each other's contacts; and the collaboration graph
gains the link between the two organisations.

Locators are names, ids, URLs and data-* attributes (``journeys.py``), never a visible label."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest

from serai.access.models import Role

from .journeys import (
    PASSWORD,
    assert_language,
    fill_translated,
    login,
    logout,
    open_notification,
    screenshot,
    submit_main_form,
    success_shown,
)

pytestmark = pytest.mark.browser

KO_TITLE = "태양광 발전 및 수소 기술 협력 요청"
KO_NEED = "카자흐스탄 연구기관과 태양광 발전소 및 수소 연료전지 기술 협력을 원합니다"
RU_TITLE = "Технологии солнечной и водородной энергетики"
RU_OFFER = "Предлагаем технологии солнечных электростанций и водородных топливных элементов"
STRUCTURED = {"field", "sector", "helix", "country", "kind", "trade", "collaboration"}


@pytest.fixture
def cast(site, make_user, make_org, make_person, reference, system):
    """The organisations, their editors and contacts, the Kazakh offer (published through the
    operations) and the Korean university's project in Korea and Kazakhstan."""
    from serai.access.operations import grant_role
    from serai.core.i18n import TranslatedText
    from serai.network import operations as network
    from serai.orgs.operations import create_organisation
    from serai.projects import operations as projects
    from serai.projects.operations import SectorShare
    from serai.reference.models import CooperationField

    states = reference["states"]
    energy = CooperationField.objects.get(code="energy")
    staff = make_user(Role.SECRETARIAT, username="staff", password=PASSWORD)
    university = make_org("Hanbit University", helix="academia", country="KR")
    institute = make_org("Kazakh Energy Research Institute", helix="research", country="KZ")
    plant = create_organisation(
        system,
        {"name": TranslatedText({"en": "Almaty Solar Plant"}), "helix": "industry", "member_state": states["KZ"]},
        fields=[energy],
    )
    kr_editor = make_user(username="kr-editor", password=PASSWORD)
    grant_role(system, kr_editor, Role.ORG_EDITOR, university)
    kz_editor = make_user(username="kz-editor", password=PASSWORD)
    grant_role(system, kz_editor, Role.ORG_EDITOR, institute)
    make_person("Kim Minji", country="KR", organisation=university, email="minji.kim@hanbit.example")
    make_person("Aigerim Nurlanova", country="KZ", organisation=institute, email="a.nurlanova@keri.example")

    offer = network.create_profile(
        kz_editor,
        institute,
        {
            "kind": "tech_offer",
            "title": TranslatedText({"ru": RU_TITLE}, "ru"),
            "description": TranslatedText({"ru": RU_OFFER}, "ru"),
            "fields": [energy],
            "target_countries": [states["KR"]],
            "seeks_helix": ["academia"],
            "valid_until": dt.date.today() + dt.timedelta(days=365),
        },
    )
    network.submit_profile(kz_editor, offer)
    network.publish_profile(staff, offer)

    project = projects.create_project(
        kr_editor,
        {
            "title": TranslatedText({"ko": "카자흐스탄 태양광·수소 공동연구"}, "ko"),
            "subcommittee": reference["bodies"]["economy"],
        },
        countries=[states["KR"], states["KZ"]],
        sectors=[SectorShare(field=energy, percentage=Decimal(100))],
    )
    projects.add_participation(kr_editor, project, university, "2")  # accountable: the proponent
    return {
        "states": states,
        "energy": energy,
        "university": university,
        "institute": institute,
        "plant": plant,
        "offer": offer,
        "project": project,
        "kr_editor": kr_editor,
    }


def _graph_edge(page, site, lang: str, a: int, b: int) -> dict | None:
    """The collaboration graph's link between organisations ``a`` and ``b`` as ``page``'s user sees it."""
    response = page.goto(f"{site.url}/{lang}/network/graph/data.json")
    assert response.status == 200
    edges = json.loads(response.text())["elements"]["edges"]
    ends = {f"org:{a}", f"org:{b}"}
    return next((e for e in edges if {e["source"], e["target"]} == ends), None)


def test_korean_request_meets_kazakh_offer_consortium_introduction_and_graph(site, new_page, cast):
    from serai.core.models import AuditEntry
    from serai.network.models import CooperationProfile, Introduction
    from serai.projects.models import Participation

    states, university, institute = cast["states"], cast["university"], cast["institute"]
    project = cast["project"]
    korean, staff_page, kazakh, anonymous = new_page("ko"), new_page("en"), new_page("ru"), new_page("ko")

    # 1. The Korean university's editor writes a technology request in Korean and submits it.
    login(korean, site, "kr-editor", "ko")
    korean.goto(f"{site.url}/ko/network/profiles/new/")
    assert_language(korean, "ko")
    form = korean.locator("main form.form")
    form.locator("select[name=organisation]").select_option(str(university.pk))
    form.locator("select[name=kind]").select_option("tech_request")
    fill_translated(korean, "title", "ko", KO_TITLE)
    fill_translated(korean, "description", "ko", KO_NEED)
    form.locator(f"input[name=fields][value='{cast['energy'].pk}']").check()
    form.locator(f"input[name=target_countries][value='{states['KZ'].pk}']").check()
    form.locator("input[name=seeks_helix][value=research]").check()
    form.locator("input[name=valid_until]").fill((dt.date.today() + dt.timedelta(days=300)).isoformat())
    submit_main_form(korean, form)
    korean.wait_for_url(re.compile(r"/ko/network/profiles/\d+/$"))
    profile_url = korean.url
    request = CooperationProfile.objects.get(pk=int(profile_url.rstrip("/").rsplit("/", 1)[1]))
    assert (request.title.values, request.title.source) == ({"ko": KO_TITLE}, "ko")
    assert request.status == "draft" and korean.locator("main .status.status-draft").count() == 1
    with korean.expect_navigation():
        korean.locator("form[action$='/move/']:has(input[name=name][value=submit]) button[type=submit]").click()
    assert success_shown(korean) and korean.locator("main .status.status-submitted").count() == 1
    assert anonymous.goto(profile_url).status == 404  # not public before moderation

    # 2. The Secretariat opens it from its notification and publishes it.
    login(staff_page, site, "staff", "en")
    open_notification(staff_page, site, "en", "network.profile_submitted")
    assert staff_page.url == f"{site.url}/en/network/profiles/{request.pk}/"
    with staff_page.expect_navigation():
        staff_page.locator("form[action$='/move/']:has(input[name=name][value=publish]) button[type=submit]").click()
    assert success_shown(staff_page) and staff_page.locator("main .status.status-published").count() == 1
    request.refresh_from_db()
    assert request.status == "published" and request.published_at is not None
    assert AuditEntry.objects.filter(action="network.profile.transition.publish", object_id=str(request.pk)).exists()
    logout(staff_page)
    assert anonymous.goto(profile_url).status == 200
    assert anonymous.locator("main h1").inner_text().strip() == KO_TITLE

    # 3. Find partners for the Korean request: the Kazakh institute, with reasons from the
    #    structured codes and from the texts (Korean need, Russian offer: shared concepts).
    korean.goto(profile_url)
    with korean.expect_navigation():
        korean.locator("#find-partners").click()
    assert korean.url.startswith(f"{site.url}/ko/network/match/profile/{request.pk}/")
    assert_language(korean, "ko")
    results = korean.locator(f"li.match-result[data-org='{institute.pk}']")
    assert results.count() >= 1
    assert korean.locator(f"li.match-result[data-org='{university.pk}']").count() == 0  # never itself
    offer_row = korean.locator(f"li.match-result[data-profile='{cast['offer'].pk}']")
    assert offer_row.count() == 1
    codes = {li.get_attribute("data-reason") for li in results.locator("ul.reasons > li").all()}
    assert codes & STRUCTURED, codes
    assert "text" in {li.get_attribute("data-reason") for li in offer_row.locator("ul.reasons > li").all()}
    text_reason = offer_row.locator("ul.reasons > li[data-reason=text]").inner_text()
    assert "태양광" in text_reason or "수소" in text_reason, text_reason  # the concepts, named in Korean
    screenshot(korean, "network-match-ko")

    # 4. The consortium builder of the university's project proposes a partner for each open
    #    helix place; the editor adds the proposed ones and they become participants.
    korean.goto(f"{site.url}/ko/projects/{project.pk}/")
    with korean.expect_navigation():
        korean.locator(f"main a[href$='/network/consortium/{project.pk}/']").first.click()
    assert_language(korean, "ko")
    assert korean.locator(f"td[data-country=KR][data-helix=academia] li[data-org='{university.pk}']").count() == 1
    research_kz = korean.locator("td[data-country=KZ][data-helix=research] input[name=organisations]")
    assert research_kz.first.get_attribute("value") == str(institute.pk)  # the proposed one
    chosen = {}
    for cell in korean.locator("table.consortium td[data-country]").all():
        boxes = cell.locator("input[name=organisations]")
        if boxes.count():
            boxes.first.check()
            chosen[(cell.get_attribute("data-country"), cell.get_attribute("data-helix"))] = int(
                boxes.first.get_attribute("value")
            )
    assert chosen[("KZ", "research")] == institute.pk and ("KZ", "industry") in chosen
    add = korean.locator("main form:has(input[name=organisations])")
    add.locator("select[name=role]").select_option("4")
    with korean.expect_navigation():
        add.locator("button[type=submit].primary").click()
    assert success_shown(korean)
    for (country, helix), org in chosen.items():
        assert korean.locator(f"td[data-country={country}][data-helix={helix}] li[data-org='{org}']").count() == 1
    screenshot(korean, "network-consortium-ko")
    assert set(
        Participation.objects.filter(project=project, role="4").values_list("organisation_id", flat=True)
    ) == set(chosen.values())
    assert AuditEntry.objects.filter(action="project.participation.add").count() == 1 + len(chosen)
    korean.goto(f"{site.url}/ko/projects/{project.pk}/")
    partners = korean.locator("section[aria-labelledby=partners-title]")
    for org in chosen.values():
        assert partners.locator(f"a[href$='/organisations/{org}/']").count() == 1

    # 5. The Kazakh editor (interface in Russian) sees no contacts yet and expresses interest.
    login(kazakh, site, "kz-editor", "ru")
    assert _graph_edge(kazakh, site, "ru", university.pk, institute.pk) is None  # no link they may see yet
    kazakh.goto(f"{site.url}/ru/network/profiles/{request.pk}/")
    assert_language(kazakh, "ru")
    contacts = kazakh.locator("section[aria-labelledby=contacts-h]")
    assert contacts.locator("a[href^='mailto:']").count() == 0
    interest = kazakh.locator(f"form[action$='/profiles/{request.pk}/interest/']")
    interest.locator("select[name=requester_org]").select_option(str(institute.pk))
    interest.locator("textarea[name=message]").fill("Готовы обсудить совместный проект по солнечной энергетике.")
    with kazakh.expect_navigation():
        interest.locator("button[type=submit]").click()
    assert kazakh.url == f"{site.url}/ru/network/introductions/" and success_shown(kazakh)
    intro = Introduction.objects.get(profile=request, requester_org=institute)
    assert intro.status == "requested"
    assert kazakh.locator("main .status.status-requested").count() == 1

    # 6. The Korean editor opens the interest from the notification and accepts, in Korean.
    open_notification(korean, site, "ko", "network.interest")
    assert korean.url == f"{site.url}/ko/network/introductions/"
    assert_language(korean, "ko")
    accept = korean.locator(f"form[action$='/introductions/{intro.pk}/decide/']:has(input[name=name][value=accept])")
    with korean.expect_navigation():
        accept.locator("button[type=submit]").click()
    assert success_shown(korean) and korean.locator("main .status.status-accepted").count() == 1
    intro.refresh_from_db()
    assert (intro.status, intro.decided_by) == ("accepted", cast["kr_editor"])
    assert AuditEntry.objects.filter(action="network.introduction.accept", object_id=str(intro.pk)).exists()
    # both contacts are now visible: the Kazakh one to the Korean editor ...
    revealed = korean.locator("section[aria-labelledby=contacts-h]")
    assert revealed.locator("a[href='mailto:a.nurlanova@keri.example']").count() == 1
    screenshot(korean, "network-introduction-accepted-ko")
    # ... and the Korean one to the Kazakh editor, on the request's page
    kazakh.goto(f"{site.url}/ru/network/profiles/{request.pk}/")
    assert kazakh.locator("section[aria-labelledby=contacts-h] a[href='mailto:minji.kim@hanbit.example']").count() == 1

    # 7. The collaboration graph shows the new link between the two organisations.
    edge = _graph_edge(kazakh, site, "ru", university.pk, institute.pk)
    assert edge is not None and "introduction" in edge["kinds"], edge
    assert edge["last"] == intro.decided_at.year
    korean_edge = _graph_edge(korean, site, "ko", university.pk, institute.pk)
    assert korean_edge is not None and {"introduction", "project"} <= set(korean_edge["kinds"]), korean_edge
    # the table alternative lists the institute with its link
    kazakh.goto(f"{site.url}/ru/network/graph/table/?sort=label")
    row = kazakh.locator(f"#graph-nodes tr[data-node='org:{institute.pk}']")
    assert row.count() == 1 and int(row.locator("td.num").first.inner_text()) >= 1  # degree
