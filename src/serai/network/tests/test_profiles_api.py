"""The read-only profile API: published profiles for everyone, filters validated, constant queries."""

import pytest

from serai.core.testing import assert_constant_queries

pytestmark = pytest.mark.django_db

URL = "/api/v1/network/profiles/"


def test_api_lists_published_profiles_with_their_codes(client, net, make_profile, reference):
    ru = make_profile(
        "kz_inst",
        title="Солнечные электростанции",
        lang="ru",
        hs4=["8541"],
        target_countries=[reference["states"]["KR"]],
        seeks_helix=["academia"],
    )
    make_profile("kr_uni", status="draft", title="Draft")
    data = client.get(URL).json()
    assert data["count"] == 1
    row = data["results"][0]
    assert row["id"] == ru.pk and row["title"]["values"] == {"ru": "Солнечные электростанции"}
    assert row["fields"] == ["energy"] and row["hs4"] == ["8541"] and row["target_countries"] == ["KR"]
    assert row["organisation"]["country"] == "KZ" and row["seeks_helix"] == ["academia"]
    assert client.get(f"{URL}{ru.pk}/").json()["id"] == ru.pk
    assert client.get(f"{URL}?country=kr").json()["count"] == 0
    assert client.get(f"{URL}?language=ru&field=energy").json()["count"] == 1


@pytest.mark.parametrize("query", ["kind=x", "country=KAZ", "language=xx", "page=0", "page=①", "seeks=x"])
def test_api_bad_parameters_answer_400_naming_them(client, net, query):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400 and query.split("=")[0] in response.json()


def test_api_hides_drafts_even_by_id_and_unknown_ids_are_404(client, net, make_profile):
    draft = make_profile("kz_inst", status="draft")
    assert client.get(f"{URL}{draft.pk}/").status_code == 404
    assert client.get(f"{URL}abc/").status_code == 404
    client.force_login(net["ed_kz"])
    assert client.get(f"{URL}{draft.pk}/").status_code == 200
    assert client.get(URL).json()["count"] == 0  # the list holds published profiles only


def test_api_list_has_constant_queries(client, net, make_profile, reference):
    make_profile("kz_inst", title="Seed")
    counter = iter(range(100))

    def grow():
        for _ in range(3):
            n = next(counter)
            make_profile(
                ["kz_inst", "kr_uni", "uz_co"][n % 3],
                title=f"Grown {n}",
                target_countries=[reference["states"]["KR"]],
                seeks_helix=["industry"],
            )

    def check(first, second):
        assert second.json()["count"] > first.json()["count"]

    assert_constant_queries(lambda: client.get(URL), grow, check=check)
