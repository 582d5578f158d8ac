"""Demo matchmaking: an event on a (demo) Economy Subcommittee meeting, with a delegate of each demo
organisation that has a published profile, and a few meeting requests (accepted, declined, open).
Everything goes through the matchmaking operations; rows are flagged ``is_demo``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from serai.core.i18n import TranslatedText
from serai.governance import operations as governance_ops
from serai.governance.models import Meeting
from serai.matchmaking import operations
from serai.matchmaking.models import Event, Participant
from serai.matchmaking.operations import Registration, TableSpec
from serai.network.models import CooperationProfile, ProfileStatus
from serai.orgs.models import Organisation
from serai.people import operations as people_ops
from serai.reference.models import Body

THEME = TranslatedText(
    {
        "en": "Demo: partner meetings at the subcommittee",
        "ko": "데모: 분과위원회 파트너 미팅",
        "ru": "Демо: встречи партнёров на подкомитете",
    },
    source="en",
)

# (requester org, requested org, message, outcome: "accept" | "decline" | "")
REQUESTS = [
    ("Hanyang University", "Nazarbayev University", "Battery research: a joint lab?", "accept"),
    ("KEPCO", "KSTU", "Grid losses in Bishkek: a pilot.", "accept"),
    ("KOTRA", "TUIT", "Digital trade services.", "decline"),
    ("KOICA", "TTU", "Vocational training in energy.", ""),
]
LANGUAGES = {"KR": ["ko", "en"], "KZ": ["ru", "kk", "en"], "KG": ["ru", "ky"], "TJ": ["ru", "tg"], "UZ": ["ru", "uz"]}


def _org(key: str) -> Organisation | None:
    demo = Organisation.objects.filter(is_demo=True).order_by("id")
    return demo.filter(acronym=key).first() or demo.filter(name__values__en=key).first()


@transaction.atomic
def load_demo_matchmaking(actor: Any) -> int:
    """Create the demo event and its participants and requests if missing; returns how many
    participants were registered."""
    if Event.objects.filter(is_demo=True).exists():
        return 0
    body = Body.objects.filter(code="economy").first()
    if body is None:
        return 0
    year = timezone.localdate().year + 1
    meeting = Meeting.objects.filter(body=body, year=year, theme__values__en=THEME.values["en"]).first()
    if meeting is None:
        day = dt.date(year, 6, 10)
        meeting = governance_ops.create_meeting(
            actor,
            {"body": body, "year": year, "start_date": day, "end_date": day + dt.timedelta(days=1), "theme": THEME},
        )
    now = timezone.now()
    event = operations.create_event(
        actor,
        meeting,
        {
            "registration_opens": now - dt.timedelta(days=1),
            "registration_closes": now + dt.timedelta(days=60),
            "days": [meeting.start_date.isoformat(), meeting.end_date.isoformat()],
            "day_start": dt.time(9, 0),
            "day_end": dt.time(17, 0),
            "slot_minutes": 30,
            "breaks": [["12:00", "13:30"], ["15:00", "15:30"]],
            "languages": ["ko", "ru", "en"],
            "request_limit": 10,
        },
        [TableSpec(i, "", "ko-ru" if i <= 3 else ("ko-en" if i == 4 else "none")) for i in range(1, 11)],
        is_demo=True,
    )
    event = operations.fire_event(actor, event, "open_registration")
    participants: dict[str, Participant] = {}
    keys = {k for r in REQUESTS for k in r[:2]}
    for key in sorted(keys):
        org = _org(key)
        if org is None:
            continue
        iso2 = org.member_state.iso2 if org.member_state else ""
        person = people_ops.create_person(
            actor,
            {
                "name": TranslatedText({"en": f"Demo delegate ({org.acronym or key})"}, source="en"),
                "organisation": org,
                "member_state": org.member_state,
                "is_demo": True,
            },
        )
        profiles = CooperationProfile.objects.filter(organisation=org, status=ProfileStatus.PUBLISHED)
        needs = iso2 != "KR" and "en" not in LANGUAGES.get(iso2, [])
        participants[key] = operations.register(
            actor,
            event,
            Registration(
                person=person,
                organisation=org,
                profiles=list(profiles),
                languages=LANGUAGES.get(iso2, ["en"]),
                needs_interpreter=needs,
                interpretation="ko-ru" if needs else "none",
            ),
            is_demo=True,
        )
    for a, b, message, outcome in REQUESTS:
        if a not in participants or b not in participants:
            continue
        request = operations.request_meeting(actor, participants[a], participants[b], message, is_demo=True)
        if outcome == "accept":
            operations.accept_request(actor, request)
        elif outcome == "decline":
            operations.decline_request(actor, request, "Not our field this year.")
    return len(participants)
