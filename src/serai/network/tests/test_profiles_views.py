"""The profile pages: list, detail, create, moderation, interest, introductions, expertise."""

import datetime as dt

import pytest

from serai.core.testing import assert_constant_queries
from serai.network import operations
from serai.network.models import CooperationProfile, Expertise, Introduction, ProfileStatus

pytestmark = pytest.mark.django_db


def test_list_shows_published_profiles_and_filters(client, net, make_profile):
    make_profile("kz_inst", title="Солнечные электростанции", lang="ru")
    make_profile("kr_uni", status="draft", title="Hidden draft")
    body = client.get("/en/network/profiles/").content.decode()
    assert "Солнечные электростанции" in body and "Hidden draft" not in body
    body = client.get("/en/network/profiles/?country=KR").content.decode()
    assert "Солнечные" not in body


@pytest.mark.parametrize(
    "query",
    ["kind=nonsense", "country=KAZ", "page=0", "language=xx", "field=%3Cscript%3E", "seeks=aliens", "q=" + "x" * 300],
)
def test_bad_list_parameters_answer_400_naming_the_parameter(client, net, query):
    response = client.get(f"/en/network/profiles/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.content.decode()


def test_list_has_constant_queries(client, net, make_profile, reference):
    make_profile("kz_inst", title="Seed profile")
    counter = iter(range(100))

    def grow():
        for _ in range(4):
            n = next(counter)
            make_profile(
                ["kz_inst", "kr_uni", "uz_co"][n % 3],
                title=f"Grown profile {n}",
                target_countries=[reference["states"]["KR"], reference["states"]["UZ"]],
            )

    def check(first, second):
        assert "Grown profile 0" not in first.content.decode() and "Grown profile 0" in second.content.decode()

    assert_constant_queries(lambda: client.get("/en/network/profiles/"), grow, check=check)
    client.force_login(net["ed_kz"])  # "my profiles" are those of the organisations one edits
    assert_constant_queries(
        lambda: client.get("/en/network/profiles/mine/"),
        grow,
        check=lambda a, b: b.content.decode().count("Grown profile") > a.content.decode().count("Grown profile"),
    )


def test_detail_of_a_draft_is_404_for_others_and_shown_to_its_editors(client, net, make_profile):
    draft = make_profile("kz_inst", status="draft", title="Secret draft")
    assert client.get(f"/en/network/profiles/{draft.pk}/").status_code == 404
    client.force_login(net["ed_kr"])
    assert client.get(f"/en/network/profiles/{draft.pk}/").status_code == 404
    client.force_login(net["ed_kz"])
    response = client.get(f"/en/network/profiles/{draft.pk}/")
    assert response.status_code == 200 and "Secret draft" in response.content.decode()
    assert "Submit for moderation" in response.content.decode()


def test_create_submit_moderate_publish_through_the_pages(client, net, reference):
    client.force_login(net["ed_kr"])
    data = {
        "organisation": net["kr_uni"].pk,
        "kind": "tech_request",
        # the translatable widgets: text and flag per content language (en, ko, ru), then the source
        "title_2": "태양광 저장 기술",
        "title_6": "ko",
        "description_2": "배터리 저장 장치가 필요합니다.",
        "description_6": "ko",
        "fields": [net["energy"].pk],
        "hs4_text": "8507, 8541",
        "seeks_helix": ["research"],
        "target_countries": [reference["states"]["KZ"].pk],
        "valid_until": "2099-01-01",
    }
    response = client.post("/en/network/profiles/new/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    profile = CooperationProfile.objects.get()
    assert profile.hs4 == ["8507", "8541"] and profile.seeks_helix == ["research"]
    assert profile.organisation == net["kr_uni"] and profile.status == ProfileStatus.DRAFT
    client.post(f"/en/network/profiles/{profile.pk}/move/", {"name": "submit"})
    assert CooperationProfile.objects.get().status == ProfileStatus.SUBMITTED
    client.force_login(net["secretariat"])
    assert "태양광" in client.get("/en/network/moderation/").content.decode()
    client.post(f"/en/network/profiles/{profile.pk}/move/", {"name": "publish", "next": "moderation"})
    assert CooperationProfile.objects.get().status == ProfileStatus.PUBLISHED
    client.logout()
    assert "태양광" in client.get("/en/network/profiles/?language=ko").content.decode()


def test_bad_hs4_is_a_form_error_naming_the_field(client, net):
    client.force_login(net["ed_kz"])
    response = client.post(
        "/en/network/profiles/new/",
        {
            "organisation": net["kz_inst"].pk,
            "kind": "tech_offer",
            "title_0": "X",
            "title_6": "en",
            "hs4_text": "85, abcd",
        },
    )
    assert response.status_code == 200
    assert "hs4_text" in response.context["form"].errors and not CooperationProfile.objects.exists()


def test_a_user_cannot_create_for_an_organisation_they_do_not_edit(client, net):
    client.force_login(net["ed_kz"])
    response = client.post(
        "/en/network/profiles/new/",
        {"organisation": net["kr_uni"].pk, "kind": "tech_offer", "title_0": "X", "title_6": "en"},
    )
    assert response.status_code == 200 and "organisation" in response.context["form"].errors
    assert not CooperationProfile.objects.exists()
    client.force_login(net["nobody"])
    assert client.get("/en/network/profiles/new/").status_code == 403
    assert client.get("/en/network/moderation/").status_code == 403


def test_express_interest_and_accept_through_the_pages(client, net, make_profile):
    offer = make_profile("kz_inst", title="Солнечные электростанции", lang="ru")
    client.force_login(net["ed_kr"])
    page = client.get(f"/en/network/profiles/{offer.pk}/").content.decode()
    assert "Express interest" in page and "aigerim@example.kz" not in page
    response = client.post(
        f"/en/network/profiles/{offer.pk}/interest/", {"requester_org": net["kr_uni"].pk, "message": "Let us talk."}
    )
    assert response.status_code == 302
    intro = Introduction.objects.get()
    client.force_login(net["ed_kz"])
    assert "Let us talk." in client.get("/en/network/introductions/").content.decode()
    assert "Express interest" not in client.get(f"/en/network/profiles/{offer.pk}/").content.decode()  # own profile
    client.post(f"/en/network/introductions/{intro.pk}/decide/", {"name": "accept"})
    client.force_login(net["ed_kr"])
    assert "aigerim@example.kz" in client.get(f"/en/network/profiles/{offer.pk}/").content.decode()
    assert "aigerim@example.kz" in client.get("/en/network/introductions/").content.decode()


def test_interest_for_another_organisation_is_refused(client, net, make_profile):
    offer = make_profile("kz_inst")
    client.force_login(net["ed_kr"])
    client.post(f"/en/network/profiles/{offer.pk}/interest/", {"requester_org": net["uz_co"].pk})
    assert not Introduction.objects.exists()
    client.force_login(net["nobody"])
    assert (
        client.post(f"/en/network/profiles/{offer.pk}/interest/", {"requester_org": net["kr_uni"].pk}).status_code
        == 403
    )


def test_deciding_someone_else_s_introduction_is_404(client, net, make_profile):
    offer = make_profile("kz_inst")
    intro = operations.express_interest(net["ed_kr"], offer, net["kr_uni"])
    client.force_login(net["ed_uz"])
    assert client.post(f"/en/network/introductions/{intro.pk}/decide/", {"name": "accept"}).status_code == 404
    assert Introduction.objects.get().status == "requested"


def test_expertise_edit_page_and_public_list_of_listed_experts(client, net):
    client.force_login(net["ed_kz"])
    response = client.post(
        f"/en/network/experts/{net['person_kz'].pk}/edit/",
        {"fields": [net["energy"].pk], "keywords": "solar, grids", "languages": ["ru", "kk"], "listed": "on"},
    )
    assert response.status_code == 302
    assert Expertise.objects.get().languages == ["kk", "ru"]
    client.logout()
    body = client.get("/en/network/experts/").content.decode()
    assert "Aigerim Kazakh" in body and "aigerim@example.kz" not in body
    client.force_login(net["ed_kr"])
    assert client.get(f"/en/network/experts/{net['person_kz'].pk}/edit/").status_code in (403, 404)


def test_navigation_links_to_the_network(client, net):
    assert 'href="/en/network/profiles/"' in client.get("/en/").content.decode()


def test_expired_profile_is_not_listed(client, net, make_profile):
    profile = make_profile("kz_inst", title="Old offer")
    CooperationProfile.objects.filter(pk=profile.pk).update(valid_until=dt.date(2020, 1, 1))
    assert "Old offer" not in client.get("/en/network/profiles/").content.decode()
    assert client.get(f"/en/network/profiles/{profile.pk}/").status_code == 404


def test_site_search_finds_published_profiles_only(client, net, make_profile):
    make_profile("kz_inst", title="Солнечные электростанции", lang="ru")
    make_profile("kr_uni", status="submitted", title="Солнечные панели черновик", lang="ru")
    body = client.get("/ru/search/?q=Солнечные").content.decode()
    assert "Солнечные электростанции" in body and "черновик" not in body


def test_out_of_range_ids_are_404_not_500(client, net):
    client.force_login(net["ed_kz"])
    huge = "9" * 25
    for url in (
        f"/en/network/profiles/{huge}/",
        f"/en/network/profiles/{huge}/edit/",
        f"/api/v1/network/profiles/{huge}/",
        f"/en/network/experts/{huge}/edit/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/en/network/introductions/{huge}/decide/", {"name": "accept"}).status_code == 404


@pytest.mark.parametrize("lang", ["en", "ko", "ru"])
def test_the_network_section_address_opens_the_profile_list(client, lang):
    response = client.get(f"/{lang}/network/")
    assert response.status_code == 302 and response["Location"] == f"/{lang}/network/profiles/"
