"""No leak from the cooperation network: draft, submitted, withdrawn and expired profiles and
unlisted expertise never reach anonymous visitors or other organisations — not through the list,
the detail page, the API or the site search — and contacts stay hidden until an introduction is
accepted."""

import datetime as dt

import pytest

from serai.access.models import Role
from serai.core.i18n import TranslatedText
from serai.network import operations
from serai.network.models import CooperationProfile
from serai.reference.models import CooperationField

pytestmark = pytest.mark.django_db

SECRET = "Zyxwvu"  # a word that appears only in hidden rows
LEAK = "Hiddenrow"  # follows SECRET in every hidden text; searched pages echo SECRET, never this


@pytest.fixture
def world(reference, make_user, make_org, make_person, system):
    owner = make_org("Owner Institute", country="KZ")
    other = make_org("Other Company", helix="industry", country="KR")
    users = {
        "owner": make_user(Role.ORG_EDITOR, owner),
        "other": make_user(Role.ORG_EDITOR, other),
        "nobody": make_user(),
        "fp_uz": make_user(Role.FOCAL_POINT, reference["states"]["UZ"]),
    }
    energy = CooperationField.objects.get(code="energy")
    hidden = {}

    def profile(status, n):
        p = operations.create_profile(
            users["owner"],
            owner,
            {
                "kind": "tech_offer",
                "title": TranslatedText({"en": f"{SECRET} {LEAK} {status} title {n}"}),
                "description": TranslatedText({"en": f"{SECRET} {LEAK} {status} description"}),
                "fields": [energy],
                "valid_until": dt.date.today() + dt.timedelta(days=30),
            },
        )
        if status in ("submitted", "published", "expired"):
            p = operations.submit_profile(users["owner"], p)
        if status in ("published", "expired"):
            p = operations.publish_profile(system, p)
        if status == "expired":
            CooperationProfile.objects.filter(pk=p.pk).update(valid_until=dt.date(2020, 1, 1))
        if status == "withdrawn":
            p = operations.fire_profile(users["owner"], p, "withdraw")
        return p

    for n, status in enumerate(("draft", "submitted", "withdrawn", "expired")):
        hidden[status] = profile(status, n)
    visible = operations.create_profile(
        users["owner"],
        owner,
        {
            "kind": "tech_offer",
            "title": TranslatedText({"en": "Open offer"}),
            "description": TranslatedText({"en": "Public text"}),
            "fields": [energy],
        },
    )
    visible = operations.publish_profile(system, operations.submit_profile(users["owner"], visible))
    person = make_person(
        f"{SECRET} {LEAK} Expert", country="KZ", organisation=owner, email="secret@example.kz", phone="+7 777 123 4567"
    )
    operations.set_expertise(system, person, keywords=f"{SECRET} {LEAK} keyword", listed=False)
    return {"users": users, "hidden": hidden, "visible": visible, "owner": owner, "other": other, "person": person}


def _viewers(client, world):
    yield "anonymous", client
    for key in ("other", "nobody", "fp_uz"):
        client.force_login(world["users"][key])
        yield key, client
    client.logout()


def test_hidden_profiles_never_reach_others(client, world):
    for who, c in _viewers(client, world):
        for page in (
            "/en/network/profiles/",
            f"/en/network/profiles/?q={SECRET}",
            "/en/network/experts/",
            "/api/v1/network/profiles/",
            f"/api/v1/network/profiles/?q={SECRET}",
            f"/en/search/?q={SECRET}",
        ):
            response = c.get(page)
            assert response.status_code == 200, (who, page)
            assert LEAK not in response.content.decode(), (who, page)
        for status, profile in world["hidden"].items():
            for page in (
                f"/en/network/profiles/{profile.pk}/",
                f"/api/v1/network/profiles/{profile.pk}/",
                f"/en/network/profiles/{profile.pk}/edit/",
            ):
                response = c.get(page)
                assert response.status_code in (302, 403, 404), (who, status, page, response.status_code)
                assert LEAK not in response.content.decode(), (who, status, page)


def test_the_owner_sees_its_own_hidden_profiles(client, world):
    client.force_login(world["users"]["owner"])
    for profile in world["hidden"].values():
        assert client.get(f"/en/network/profiles/{profile.pk}/").status_code == 200
    assert client.get("/en/network/profiles/mine/").content.decode().count(LEAK) >= 4


def test_contacts_hidden_until_an_introduction_is_accepted(client, world):
    page = f"/en/network/profiles/{world['visible'].pk}/"
    for who, c in _viewers(client, world):
        body = c.get(page).content.decode()
        assert "secret@example.kz" not in body and "+7 777" not in body, who
    intro = operations.express_interest(world["users"]["other"], world["visible"], world["other"])
    client.force_login(world["users"]["other"])
    assert "secret@example.kz" not in client.get(page).content.decode()  # requested is not enough
    assert "secret@example.kz" not in client.get("/en/network/introductions/").content.decode()
    operations.fire_introduction(world["users"]["owner"], intro, "decline", reason="No.")
    assert "secret@example.kz" not in client.get(page).content.decode()  # declined reveals nothing
    intro = operations.express_interest(world["users"]["other"], world["visible"], world["other"])
    operations.accept_introduction(world["users"]["owner"], intro)
    assert "secret@example.kz" in client.get(page).content.decode()
    for key in ("nobody", "fp_uz"):  # only the two organisations
        client.force_login(world["users"][key])
        assert "secret@example.kz" not in client.get(page).content.decode()
        assert "secret@example.kz" not in client.get("/en/network/introductions/").content.decode()
