"""Find partners and the consortium builder, through the pages: reasons in words in three
languages, bad filters answered 400, visibility, a constant query count, and adding partners
through the projects' audited participation operation."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from serai.access.models import Role
from serai.core.i18n import TranslatedText
from serai.core.models import AuditEntry
from serai.network import index as match_index
from serai.network.models import CooperationProfile
from serai.projects.models import Participation
from serai.projects.tests import conftest as _projects
from serai.reference.models import CooperationField

# the projects' fixtures: roles, a project factory and the energy field
roles, make_project, energy = _projects.roles, _projects.make_project, _projects.energy


@pytest.fixture(autouse=True)
def _fresh_index():
    """Audit ids repeat across tests that roll back, so each test starts without a cached index."""
    match_index.forget()
    yield
    match_index.forget()


@pytest.fixture
def make_profile(reference):
    """Profiles are another part's writes; here they are rows (and the index is told to forget)."""

    def factory(org, title: dict, *, kind="tech_offer", status="published", fields=("energy",), hs4=(), seeks=()):
        profile = CooperationProfile.objects.create(
            organisation=org,
            kind=kind,
            title=TranslatedText(title),
            status=status,
            hs4=list(hs4),
            seeks_helix=list(seeks),
        )
        profile.fields.set(CooperationField.objects.filter(code__in=fields))
        match_index.forget()
        return profile

    return factory


@pytest.fixture
def network(make_org, make_profile):
    korean = make_org("Hanbit University", helix="academia", country="KR")
    kazakh = make_org("Kazakh Energy Research Institute", helix="research", country="KZ")
    request = make_profile(korean, {"ko": "태양광 발전 기술이 필요합니다"}, kind="tech_request", seeks=["research"])
    offer = make_profile(kazakh, {"ru": "Предлагаем технологии солнечной энергетики"}, kind="tech_offer")
    return {"korean": korean, "kazakh": kazakh, "request": request, "offer": offer}


def reasons_html(body: str) -> str:
    return "".join(part.split("</ul>", 1)[0] for part in body.split('<ul class="reasons')[1:])


@pytest.mark.parametrize(
    "lang, field_name, kind_name",
    [
        ("en", "Energy", "Technology offer"),
        ("ko", "에너지", "기술"),
        ("ru", "Энергетика", "Предложение"),
    ],
)
def test_profile_matches_show_the_partner_and_the_reasons_in_words(client, network, lang, field_name, kind_name):
    response = client.get(f"/{lang}/network/match/profile/{network['request'].pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Kazakh Energy Research Institute" in body
    assert "Предлагаем технологии солнечной энергетики" in body  # the matched profile, in its own language
    reasons = reasons_html(body)
    assert field_name in reasons  # "shared cooperation field: <the field's name in the page's language>"
    assert "%(" not in reasons and "{" not in reasons  # every parameter filled in


def test_the_asking_organisation_is_never_its_own_partner(client, network):
    body = client.get(f"/en/network/match/profile/{network['request'].pk}/").content.decode()
    assert "Hanbit University</strong>" not in body


@pytest.mark.parametrize(
    "query",
    [
        "helix=alien",
        "country=KAZ",
        "field=no-such-field",
        "language=xx",
        "kind=people",
    ],
)
def test_bad_filters_are_a_400_naming_the_parameter(client, network, query):
    response = client.get(f"/en/network/match/profile/{network['request'].pk}/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "sector=2323",
        "hs4=85a1",
        "q=" + "x" * 301,
    ],
)
def test_bad_free_query_is_a_400(client, network, query):
    assert client.get(f"/en/network/match/?{query}").status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "exporter=KOR&market=KOR&level=hs4&code=8541",
        "exporter=KOR&market=KAZ&level=hs4&code=854",
        "exporter=XXX&market=KAZ&level=hs4&code=8541",
        "exporter=KOR&market=KAZ&level=hs9&code=8541",
        "exporter=KOR&market=KAZ&level=hs4",
    ],
)
def test_bad_trade_row_is_a_400(client, network, query):
    assert client.get(f"/en/network/match/trade/?{query}").status_code == 400


def test_filters_narrow_the_results(client, network, make_org, make_profile):
    uzbek = make_org("Tashkent Solar Works", helix="industry", country="UZ")
    make_profile(uzbek, {"en": "Solar panels made in Uzbekistan"})
    url = f"/en/network/match/profile/{network['request'].pk}/"
    assert "Tashkent Solar Works" in client.get(url).content.decode()
    body = client.get(url + "?country=KZ").content.decode()
    assert "Tashkent Solar Works" not in body and "Kazakh Energy Research Institute" in body
    body = client.get(url + "?helix=industry").content.decode()
    assert "Tashkent Solar Works" in body and "Kazakh Energy Research Institute</strong>" not in body


def test_a_draft_profile_never_appears_for_the_public(client, network, make_org, make_profile):
    secret = make_org("Quiet Lab", helix="research", country="KZ")
    draft = make_profile(secret, {"en": "Unpublished solar grid offer"}, status="draft")
    submitted = make_profile(secret, {"en": "Pending solar storage offer"}, status="submitted")
    pages = [
        f"/en/network/match/profile/{network['request'].pk}/",
        "/en/network/match/?q=solar&field=energy",
        f"/en/network/match/profile/{network['request'].pk}/?kind=profile",
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert "Unpublished solar grid offer" not in body and "Pending solar storage offer" not in body
    # nor may the public start from it
    assert client.get(f"/en/network/match/profile/{draft.pk}/").status_code == 404
    assert client.get(f"/en/network/match/profile/{submitted.pk}/").status_code == 404


def test_the_owner_may_match_from_a_draft(client, network, make_user, make_profile):
    draft = make_profile(network["korean"], {"en": "Draft: solar research partner"}, status="draft")
    client.force_login(make_user(Role.ORG_EDITOR, network["korean"]))
    response = client.get(f"/en/network/match/profile/{draft.pk}/")
    assert response.status_code == 200
    assert "Kazakh Energy Research Institute" in response.content.decode()


def test_free_query_across_languages(client, network):
    response = client.get("/en/network/match/", {"q": "солнечная энергетика", "field": "energy"})
    assert response.status_code == 200
    assert "Kazakh Energy Research Institute" in response.content.decode()
    assert client.get("/en/network/match/").status_code == 200  # the empty form


def test_trade_row_finds_partners_on_the_product(client, network, make_org, make_profile):
    maker = make_org("Almaty Photovoltaics", helix="industry", country="KZ")
    make_profile(maker, {"en": "Photovoltaic cells"}, hs4=["8541"], fields=("high-tech-it",))
    response = client.get("/en/network/match/trade/?exporter=KOR&market=KAZ&level=hs6&code=854140")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Almaty Photovoltaics" in body and "8541" in reasons_html(body)


def _queries(client, url) -> int:
    client.get(url)  # the index is built once
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_results(client, network, make_org, make_profile):
    url = f"/en/network/match/profile/{network['request'].pk}/"
    few = _queries(client, url)
    for i in range(6):
        org = make_org(f"Solar partner {i}", helix="research", country="KZ")
        make_profile(org, {"en": f"Solar offer {i}"})
        make_profile(org, {"ru": f"Солнечное предложение {i}"})
    many = _queries(client, url)
    assert "Solar partner 5" in client.get(url).content.decode()
    assert many == few


# --- projects and the consortium builder -----------------------------------------------------------
def test_project_matching_only_for_who_may_see_the_project(client, network, make_project, roles):
    project = make_project()  # an idea: not public
    url = f"/en/network/match/project/{project.pk}/"
    assert client.get(url).status_code == 404
    client.force_login(roles["fp_uz"])
    assert client.get(url).status_code == 404
    client.force_login(roles["fp_kz"])
    response = client.get(url)
    assert response.status_code == 200
    assert "Kazakh Energy Research Institute" in response.content.decode()


def test_consortium_page_names_the_gaps_and_proposes_partners(client, network, make_project, roles):
    project = make_project(countries=("KR", "KZ", "TJ"))
    client.force_login(roles["fp_kz"])
    response = client.get(f"/en/network/consortium/{project.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "No academia partner from Tajikistan yet" in body
    assert f'name="organisations" value="{network["kazakh"].pk}"' in body
    ru = client.get(f"/ru/network/consortium/{project.pk}/").content.decode()
    assert "Таджикистан" in ru  # the country named in the page's language


def test_adding_chosen_partners_creates_participations_and_audit_entries(client, network, make_project, roles):
    project = make_project(countries=("KR", "KZ"))
    client.force_login(roles["fp_kz"])
    url = f"/en/network/consortium/{project.pk}/"
    before = AuditEntry.objects.filter(action="project.participation.add").count()
    response = client.post(url, {"organisations": [network["kazakh"].pk, network["korean"].pk], "role": "4"})
    assert response.status_code == 302
    assert set(Participation.objects.filter(project=project).values_list("organisation_id", flat=True)) == {
        network["kazakh"].pk,
        network["korean"].pk,
    }
    assert AuditEntry.objects.filter(action="project.participation.add").count() == before + 2
    # now they hold their slots: no longer offered
    body = client.get(url).content.decode()
    assert f'name="organisations" value="{network["kazakh"].pk}"' not in body


def test_adding_partners_is_refused_for_who_may_not_edit(client, network, make_project, roles):
    project = make_project(countries=("KR", "KZ"))
    url = f"/en/network/consortium/{project.pk}/"
    for who in ("nobody", "fp_uz", "editor"):
        client.force_login(roles[who])
        assert client.post(url, {"organisations": [network["kazakh"].pk], "role": "4"}).status_code in (403, 404)
    client.logout()
    assert client.post(url, {"organisations": [network["kazakh"].pk], "role": "4"}).status_code == 302  # to sign in
    assert not Participation.objects.filter(project=project, organisation=network["kazakh"]).exists()


def test_a_partner_not_proposed_is_refused_and_nothing_is_written(client, network, make_project, roles, make_org):
    project = make_project(countries=("KR", "KZ"))
    stranger = make_org("Not Proposed Ltd", helix="industry", country="UZ")
    client.force_login(roles["fp_kz"])
    response = client.post(
        f"/en/network/consortium/{project.pk}/", {"organisations": [network["kazakh"].pk, stranger.pk], "role": "4"}
    )
    assert response.status_code == 200
    assert "not among the proposed partners" in response.content.decode()
    assert not Participation.objects.filter(project=project).exists()


def test_project_page_links_to_partners_and_the_builder(client, network, make_project, roles):
    project = make_project()
    client.force_login(roles["fp_kz"])
    body = client.get(f"/en/projects/{project.pk}/").content.decode()
    assert f'href="/en/network/match/project/{project.pk}/"' in body
    assert f'href="/en/network/consortium/{project.pk}/"' in body


def test_trade_row_of_the_five_states_together(client, network):
    response = client.get("/en/network/match/trade/?exporter=KOR&market=CA5&level=field&code=energy")
    assert response.status_code == 200
    assert "Kazakh Energy Research Institute" in response.content.decode()


@pytest.fixture(scope="module")
def trade_dir(tmp_path_factory):
    from serai.evidence.tests.helpers import build_store

    return build_store(tmp_path_factory.mktemp("trade")).root


def test_opportunity_rows_link_to_partners_for_the_row(client, settings, trade_dir, network):
    import html as htmllib
    import re

    settings.SERAI_TRADE_DIR = trade_dir
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "n3"}}
    page = client.get("/en/trade/UZB/?year=2020&top=3&level=hs4").content.decode()
    links = [htmllib.unescape(u) for u in re.findall(r'href="(/en/network/match/trade/\?[^"]+)"', page)]
    assert len(links) == 3 and all("exporter=KOR" in u and "market=UZB" in u and "level=hs4" in u for u in links)
    match_index.forget()
    response = client.get(links[0])  # with trade data loaded, the index carries supply and demand
    assert response.status_code == 200
    assert match_index.get_index().supply  # Korea's and the partners' HS4 supply from the evidence
