"""Public pages render, in every UI language, and list pages keep a constant query count."""

import pytest
from django.utils import translation

from serai.access.models import Role
from serai.core.i18n import TranslatedText
from serai.core.testing import assert_constant_queries
from serai.governance.models import Meeting
from serai.reference.models import Body, CooperationField, MemberState

PUBLIC_PAGES = [
    "/{lang}/",
    "/{lang}/countries/",
    "/{lang}/countries/KZ/",
    "/{lang}/bodies/",
    "/{lang}/bodies/economy/",
    "/{lang}/fields/",
    "/{lang}/forum/sessions/",
    "/{lang}/organisations/",
    "/{lang}/people/",
    "/{lang}/accounts/login/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "ko", "ru"])
def test_public_pages_render_in_each_language(client, reference, lang):
    for template in PUBLIC_PAGES:
        url = template.format(lang=lang)
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert f'<html lang="{lang}"' in body, url
        assert 'id="main"' in body and "<nav" in body, url


@pytest.mark.django_db
def test_home_shows_member_states_and_bodies_in_the_chosen_language(client, reference):
    en = client.get("/en/").content.decode()
    ko = client.get("/ko/").content.decode()
    ru = client.get("/ru/").content.decode()
    assert "Kazakhstan" in en and "Economy Subcommittee" in en
    assert "카자흐스탄" in ko and "경제분과위원회" in ko and "회원국" in ko
    assert "Казахстан" in ru and "Государства-члены" in ru
    assert "Member states" not in ko and "Member states" not in ru


@pytest.mark.django_db
def test_language_switcher_sets_the_language_and_keeps_the_page(client, reference):
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/en/bodies/"})
    assert response.status_code == 302 and response["Location"] == "/ru/bodies/"
    assert client.cookies["serai_language"].value == "ru"
    assert client.get("/").headers["Location"] == "/ru/"


@pytest.mark.django_db
def test_every_page_carries_the_switcher_and_local_htmx(client, reference):
    body = client.get("/en/fields/").content.decode()
    for code in ("en", "ko", "ru"):
        assert f'name="language" value="{code}"' in body
    assert "/static/django_htmx/htmx-2.min.js" in body
    assert "http://" not in body.split("<main")[0].replace("http://www.w3.org", "")  # no CDN in the head


def _grow_organisations(make_org, n=6):
    fields = list(CooperationField.objects.all()[:3])

    def grow():
        for i in range(n):
            org = make_org(f"Grown org {i}", country=["KZ", "UZ", "KG"][i % 3])
            org.fields.set(fields)

    return grow


def _check_grew(marker):
    def check(first, second):
        assert first.status_code == second.status_code == 200
        assert marker not in first.content.decode() and marker in second.content.decode()

    return check


def _check_helix_mix_grew(first, second):
    assert (
        dict((c, n) for c, _l, n in second.context["helix_mix"])["research"]
        > dict((c, n) for c, _l, n in first.context["helix_mix"])["research"]
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url,check",
    [
        ("/en/organisations/", _check_grew("Grown org 0")),
        ("/en/organisations/?helix=research", _check_grew("Grown org 0")),
        ("/en/countries/KZ/", _check_grew("Grown org 0")),
        ("/en/", _check_helix_mix_grew),
    ],
)
def test_organisation_lists_have_constant_queries(client, make_org, url, check):
    make_org("Seed org")
    assert_constant_queries(lambda: client.get(url), _grow_organisations(make_org), check=check)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, Role.SECRETARIAT, Role.FOCAL_POINT])
def test_people_list_has_constant_queries_for_each_role(client, make_person, make_org, make_user, reference, role):
    scope = reference["states"]["KZ"] if role == Role.FOCAL_POINT else None
    if role:
        client.force_login(make_user(role, scope))
    org = make_org("Employer")
    make_person("Seed person", is_public=True)

    def grow():
        for i in range(6):
            make_person(f"Grown person {i}", is_public=True, organisation=org, email=f"p{i}@x.invalid")

    assert_constant_queries(lambda: client.get("/en/people/"), grow, check=_check_grew("Grown person 0"))


@pytest.mark.django_db
def test_reference_lists_have_constant_queries(client, reference, system):
    from serai.reference.operations import create_body

    def grow_bodies():
        for i in range(4):
            create_body(
                system,
                {
                    "code": f"wg-{i}",
                    "kind": "working_group",
                    "name": TranslatedText({"en": f"Grown body {i}"}),
                    "parent": reference["bodies"]["economy"],
                },
            )

    assert_constant_queries(lambda: client.get("/en/bodies/"), grow_bodies, check=_check_grew("Grown body 0"))

    def grow_sessions():
        for i in range(4):
            Meeting.objects.create(
                body=reference["bodies"]["forum"],
                number=40 + i,
                year=2040 + i,
                status="held",
                host_country=reference["states"]["UZ"],
                theme={"values": {"en": f"Grown session {i}"}, "source": "en"},
            )

    assert_constant_queries(
        lambda: client.get("/en/forum/sessions/"), grow_sessions, check=_check_grew("Grown session 0")
    )

    def grow_states():
        MemberState.objects.create(iso2="XA", iso3="XAA", iso_numeric="901", name=TranslatedText({"en": "Grown state"}))

    assert_constant_queries(lambda: client.get("/en/countries/"), grow_states, check=_check_grew("Grown state"))

    def grow_fields():
        for i in range(3):
            CooperationField.objects.create(
                code=f"grown-{i}",
                name=TranslatedText({"en": f"Grown field {i}"}),
                subcommittee=reference["bodies"]["economy"],
            )

    assert_constant_queries(lambda: client.get("/en/fields/"), grow_fields, check=_check_grew("Grown field 0"))


@pytest.mark.django_db
def test_audit_log_has_constant_queries(client, make_user, make_org):
    staff = make_user(Role.SECRETARIAT)
    client.force_login(staff)
    make_org("First")
    assert_constant_queries(
        lambda: client.get("/en/audit/"),
        lambda: [make_org(f"Grown audited {i}") for i in range(5)],
        check=_check_grew("Grown audited 0"),
    )


@pytest.mark.django_db
def test_body_internal_access_is_enforced_for_subcommittees(reference, make_user):
    from serai.access import permissions

    member = make_user(Role.SUBCOMMITTEE_MEMBER, Body.objects.get(code="economy"))
    assert permissions.can(member, "body.view_internal", Body.objects.get(code="economy"))
    assert not permissions.can(member, "body.view_internal", Body.objects.get(code="social-culture"))


def test_translations_exist_for_interface_strings():
    for lang, expected in (("ko", "회원국"), ("ru", "Государства-члены")):
        with translation.override(lang):
            assert translation.gettext("Member states") == expected
