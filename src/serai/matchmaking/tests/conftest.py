"""A matchmaking event on a new Forum session, with its people: the Secretariat, a Korean
university and a Kazakh institute (each with an editor, a person with a login and a published
profile), the KZ focal point and a signed-in user with no role. Shared by the matchmaking tests."""

import datetime as dt

import pytest
from django.utils import timezone

from serai.access.models import Role
from serai.core.i18n import TranslatedText
from serai.governance import operations as governance
from serai.matchmaking import operations
from serai.matchmaking.operations import Registration, TableSpec
from serai.network import operations as network
from serai.reference.models import Body, BodyKind, CooperationField


@pytest.fixture
def mm(reference, make_user, make_org, make_person, system):
    states = reference["states"]
    sec = make_user(Role.SECRETARIAT, username="mm-sec")
    kr_uni = make_org("Korea Tech University", helix="academia", country="KR")
    kz_inst = make_org("Kazakh Energy Institute", helix="research", country="KZ")
    uz_co = make_org("Tashkent Solar LLC", helix="industry", country="UZ")
    users = {
        "sec": sec,
        "ed_kr": make_user(Role.ORG_EDITOR, kr_uni, username="mm-ed-kr"),
        "ed_kz": make_user(Role.ORG_EDITOR, kz_inst, username="mm-ed-kz"),
        "fp_kz": make_user(Role.FOCAL_POINT, states["KZ"], username="mm-fp-kz"),
        "fp_uz": make_user(Role.FOCAL_POINT, states["UZ"], username="mm-fp-uz"),
        "kim": make_user(username="mm-kim"),
        "nobody": make_user(username="mm-nobody"),
    }
    kim = make_person("Kim Korea", country="KR", organisation=kr_uni, user=users["kim"])
    aigerim = make_person("Aigerim Kazakh", country="KZ", organisation=kz_inst)
    bakyt = make_person("Bakyt Kazakh", country="KZ", organisation=kz_inst)
    energy = CooperationField.objects.get(code="energy")

    def profile(org, editor, title):
        p = network.create_profile(
            editor,
            org,
            {
                "kind": "tech_offer",
                "title": TranslatedText({"en": title}),
                "description": TranslatedText({"en": "Solar power plants and grid storage."}),
                "fields": [energy],
                "valid_until": dt.date.today() + dt.timedelta(days=365),
            },
        )
        p = network.submit_profile(editor, p)
        return network.publish_profile(sec, p)

    forum = Body.objects.filter(kind=BodyKind.FORUM).first()
    meeting = governance.create_meeting(
        sec,
        {
            "body": forum,
            "number": 99,
            "year": 2026,
            "start_date": dt.date(2026, 6, 11),
            "end_date": dt.date(2026, 6, 12),
        },
    )
    now = timezone.now()
    event = operations.create_event(
        sec,
        meeting,
        {
            "registration_opens": now - dt.timedelta(days=1),
            "registration_closes": now + dt.timedelta(days=10),
            "days": ["2026-06-11", "2026-06-12"],
            "day_start": dt.time(9, 0),
            "day_end": dt.time(12, 0),
            "slot_minutes": 30,
            "breaks": [["10:30", "11:00"]],
            "languages": ["ko", "ru", "en"],
            "request_limit": 3,
        },
        [TableSpec(1), TableSpec(2, interpretation="ko-ru")],
    )
    event = operations.fire_event(sec, event, "open_registration")
    return {
        **users,
        "states": states,
        "kr_uni": kr_uni,
        "kz_inst": kz_inst,
        "uz_co": uz_co,
        "kim": kim,
        "aigerim": aigerim,
        "bakyt": bakyt,
        "kim_user": users["kim"],
        "profile_kr": profile(kr_uni, users["ed_kr"], "Smart grid lab"),
        "profile_kz": profile(kz_inst, users["ed_kz"], "Steppe solar parks"),
        "meeting": meeting,
        "event": event,
        "Registration": Registration,
    }


@pytest.fixture
def pair(mm):
    """Kim (KR, self-registered) and Aigerim (KZ, registered by her organisation's editor)."""
    kim = operations.register(
        mm["kim_user"], mm["event"], Registration(person=mm["kim"], organisation=mm["kr_uni"], languages=["ko", "en"])
    )
    aigerim = operations.register(
        mm["ed_kz"],
        mm["event"],
        Registration(
            person=mm["aigerim"],
            organisation=mm["kz_inst"],
            profiles=[mm["profile_kz"]],
            languages=["ru"],
            needs_interpreter=True,
            interpretation="ko-ru",
        ),
    )
    return kim, aigerim
