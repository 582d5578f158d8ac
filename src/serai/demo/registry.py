"""Demo content for the local demo site: clearly labelled, never loaded in production.

Organisations are real, well-known institutions named from public facts, but their entries
(fields of work, descriptions) are illustrations and flagged ``is_demo``. People and logins are
fictional. Everything goes through the domain operations, so it is audited like any write.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from serai.access import operations as access_ops
from serai.access.models import Role
from serai.core.i18n import TranslatedText
from serai.orgs import operations as org_ops
from serai.orgs.models import Organisation
from serai.people import operations as people_ops
from serai.people.models import Person
from serai.reference.models import Body, CooperationField, MemberState


def T(en: str, ko: str = "", ru: str = "", source: str = "en") -> TranslatedText:
    return TranslatedText({"en": en, "ko": ko, "ru": ru}, source=source)


# name (en, ko, ru), acronym, helix, country ISO2 (or "" + other country), fields, website
ORGANISATIONS = [
    (
        (
            "Korea International Cooperation Agency",
            "한국국제협력단",
            "Корейское агентство международного сотрудничества",
        ),
        "KOICA",
        "government",
        "KR",
        "",
        ["education", "health", "agriculture"],
        "https://www.koica.go.kr",
    ),
    (
        (
            "Korea Trade-Investment Promotion Agency",
            "대한무역투자진흥공사",
            "Корейское агентство по содействию торговле и инвестициям",
        ),
        "KOTRA",
        "government",
        "KR",
        "",
        ["trade"],
        "https://www.kotra.or.kr",
    ),
    (
        (
            "Korea Institute for International Economic Policy",
            "대외경제정책연구원",
            "Корейский институт международной экономической политики",
        ),
        "KIEP",
        "research",
        "KR",
        "",
        ["trade", "energy"],
        "https://www.kiep.go.kr",
    ),
    (
        ("Korea Environment Institute", "한국환경연구원", "Корейский институт окружающей среды"),
        "KEI",
        "research",
        "KR",
        "",
        ["climate-environment"],
        "https://www.kei.re.kr",
    ),
    (
        ("Hanyang University", "한양대학교", "Университет Ханян"),
        "",
        "academia",
        "KR",
        "",
        ["education", "high-tech-it"],
        "https://www.hanyang.ac.kr",
    ),
    (
        ("Korea Electric Power Corporation", "한국전력공사", "Корейская электроэнергетическая корпорация"),
        "KEPCO",
        "industry",
        "KR",
        "",
        ["energy"],
        "https://www.kepco.co.kr",
    ),
    (
        ("Nazarbayev University", "나자르바예프 대학교", "Назарбаев Университет"),
        "",
        "academia",
        "KZ",
        "",
        ["education", "high-tech-it"],
        "https://nu.edu.kz",
    ),
    (
        (
            "Tashkent University of Information Technologies",
            "타슈켄트 정보기술대학교",
            "Ташкентский университет информационных технологий",
        ),
        "TUIT",
        "academia",
        "UZ",
        "",
        ["high-tech-it", "education"],
        "https://tuit.uz",
    ),
    (
        (
            "International Institute for Central Asia",
            "중앙아시아 국제연구소",
            "Международный институт Центральной Азии",
        ),
        "IICA",
        "research",
        "UZ",
        "",
        ["trade", "transport-logistics"],
        "https://iica.uz",
    ),
    (
        (
            "Kyrgyz State Technical University",
            "키르기스 국립기술대학교",
            "Кыргызский государственный технический университет",
        ),
        "KSTU",
        "academia",
        "KG",
        "",
        ["energy", "education"],
        "https://kstu.kg",
    ),
    (
        ("Tajik Technical University", "타지크 기술대학교", "Таджикский технический университет"),
        "TTU",
        "academia",
        "TJ",
        "",
        ["energy", "construction"],
        "https://ttu.tj",
    ),
    (
        (
            "International University of Oil and Gas named after Yagshygeldi Kakayev",
            "야그시겔디 카카예프 국제석유가스대학교",
            "Международный университет нефти и газа имени Ягшигельды Какаева",
        ),
        "",
        "academia",
        "TM",
        "",
        ["energy", "education"],
        "https://iuog.edu.tm",
    ),
    (
        ("CAREC Institute", "CAREC 연구소", "Институт ЦАРЭС"),
        "",
        "international",
        "",
        "CN",
        ["transport-logistics", "trade", "energy"],
        "https://www.carecinstitute.org",
    ),
]

# name (en, ko, ru), position (en, ko, ru), organisation acronym or None, country, public, login username
PEOPLE = [
    (
        ("Demo Person A (Secretariat)", "데모 인물 A (사무국)", "Демо-сотрудник А (Секретариат)"),
        ("Programme officer", "사업 담당관", "Сотрудник по программам"),
        None,
        "KR",
        True,
        "staff",
    ),
    (
        ("Demo Focal Point (Kazakhstan)", "데모 담당관 (카자흐스탄)", "Демо-координатор (Казахстан)"),
        ("National focal point, Ministry of Foreign Affairs", "외교부 국가 담당관", "Национальный координатор, МИД"),
        None,
        "KZ",
        True,
        "fp-kz",
    ),
    (
        ("Demo Focal Point (Uzbekistan)", "데모 담당관 (우즈베키스탄)", "Демо-координатор (Узбекистан)"),
        ("National focal point, Ministry of Foreign Affairs", "외교부 국가 담당관", "Национальный координатор, МИД"),
        None,
        "UZ",
        True,
        "fp-uz",
    ),
    (
        ("Demo Expert (Economy Subcommittee)", "데모 전문가 (경제분과)", "Демо-эксперт (подкомитет по экономике)"),
        ("Energy economist", "에너지 경제 전문가", "Экономист-энергетик"),
        "KIEP",
        "KR",
        False,
        "econ",
    ),
    (
        (
            "Demo Editor (Nazarbayev University)",
            "데모 편집자 (나자르바예프 대학교)",
            "Демо-редактор (Назарбаев Университет)",
        ),
        ("International partnerships office", "국제협력처", "Отдел международного партнёрства"),
        None,
        "KZ",
        False,
        "nu-editor",
    ),
    (
        ("Demo Researcher (unlisted)", "데모 연구원 (비공개)", "Демо-исследователь (не в открытом списке)"),
        ("Researcher", "연구원", "Научный сотрудник"),
        "TUIT",
        "UZ",
        False,
        None,
    ),
]


@transaction.atomic
def load_demo(actor: Any, password: str) -> dict[str, int]:
    """Idempotent: rows already present (by English name) are left as they are."""
    states = {s.iso2: s for s in MemberState.objects.all()}
    fields = {f.code: f for f in CooperationField.objects.all()}
    if not states or not fields:
        raise RuntimeError("load the reference data first (serai loadreference)")
    created = {"organisations": 0, "people": 0, "users": 0}
    orgs: dict[str, Organisation] = {}
    for names, acronym, helix, iso2, other, field_codes, website in ORGANISATIONS:
        org = Organisation.objects.filter(name__values__en=names[0]).first()
        if org is None:
            org = org_ops.create_organisation(
                actor,
                {
                    "name": T(*names),
                    "acronym": acronym,
                    "helix": helix,
                    "member_state": states.get(iso2),
                    "other_country": other,
                    "website": website,
                    "is_demo": True,
                    "description": T(
                        "Illustrative registry entry for the demo site.",
                        "데모 사이트용 예시 등록 정보입니다.",
                        "Пример записи реестра для демонстрационного сайта.",
                    ),
                },
                fields=[fields[c] for c in field_codes],
            )
            created["organisations"] += 1
        orgs[acronym or names[0]] = org
    users = {}
    for username, role, scope in [
        ("staff", Role.SECRETARIAT, None),
        ("fp-kz", Role.FOCAL_POINT, states["KZ"]),
        ("fp-uz", Role.FOCAL_POINT, states["UZ"]),
        ("econ", Role.SUBCOMMITTEE_MEMBER, Body.objects.get(code="economy")),
        ("nu-editor", Role.ORG_EDITOR, orgs["Nazarbayev University"]),
    ]:
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            user = access_ops.create_user(actor, username, password=password, email=f"{username}@demo.serai.invalid")
            created["users"] += 1
        access_ops.grant_role(actor, user, role, scope)
        users[username] = user
    for names, position, org_key, iso2, public, username in PEOPLE:
        if Person.objects.filter(name__values__en=names[0]).exists():
            continue
        people_ops.create_person(
            actor,
            {
                "name": T(*names),
                "position": T(*position),
                "organisation": orgs.get(org_key) if org_key else None,
                "member_state": states[iso2],
                "is_public": public,
                "is_demo": True,
                "email": f"{(username or 'researcher')}@demo.serai.invalid",
                "user": users.get(username),
            },
        )
        created["people"] += 1
    return created
