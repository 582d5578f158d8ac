import datetime as dt

import pytest

from serai.access.models import Role
from serai.core.i18n import TranslatedText
from serai.network import operations
from serai.reference.models import CooperationField


@pytest.fixture
def net(reference, make_user, make_org, make_person):
    """A Korean university, a Kazakh research institute, an Uzbek company; their editors, the KZ
    focal point, the Secretariat and a signed-in user with no role."""
    states = reference["states"]
    kr_uni = make_org("Korea Tech University", helix="academia", country="KR")
    kz_inst = make_org("Kazakh Energy Institute", helix="research", country="KZ")
    uz_co = make_org("Tashkent Solar LLC", helix="industry", country="UZ")
    return {
        "kr_uni": kr_uni,
        "kz_inst": kz_inst,
        "uz_co": uz_co,
        "secretariat": make_user(Role.SECRETARIAT, username="net-sec"),
        "fp_kz": make_user(Role.FOCAL_POINT, states["KZ"], username="net-fp-kz"),
        "ed_kr": make_user(Role.ORG_EDITOR, kr_uni, username="net-ed-kr"),
        "ed_kz": make_user(Role.ORG_EDITOR, kz_inst, username="net-ed-kz"),
        "ed_uz": make_user(Role.ORG_EDITOR, uz_co, username="net-ed-uz"),
        "nobody": make_user(username="net-nobody"),
        "person_kz": make_person(
            "Aigerim Kazakh", country="KZ", organisation=kz_inst, email="aigerim@example.kz", phone="+7 700 000 0000"
        ),
        "person_kr": make_person("Kim Korea", country="KR", organisation=kr_uni, email="kim@example.kr"),
        "energy": CooperationField.objects.get(code="energy"),
        "states": states,
    }


@pytest.fixture
def make_profile(net):
    """make_profile(org_key="kz_inst", status="published", **values): a profile through the operations."""

    def factory(org_key="kz_inst", status="published", title=None, lang="en", **values):
        org = net[org_key]
        editor = net[{"kr_uni": "ed_kr", "kz_inst": "ed_kz", "uz_co": "ed_uz"}[org_key]]
        base = {
            "kind": "tech_offer",
            "title": TranslatedText({lang: title or f"Profile of {org}"}),
            "description": TranslatedText({lang: "Solar power plants and grid storage."}),
            "fields": [net["energy"]],
            "valid_until": dt.date.today() + dt.timedelta(days=365),
        }
        base.update(values)
        profile = operations.create_profile(editor, org, base)
        if status in ("submitted", "published"):
            profile = operations.submit_profile(editor, profile)
        if status == "published":
            profile = operations.publish_profile(net["secretariat"], profile)
        if status == "withdrawn":
            profile = operations.fire_profile(editor, profile, "withdraw")
        return profile

    return factory
