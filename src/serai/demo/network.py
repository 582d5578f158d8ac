"""Demo content of the cooperation network: profiles in Korean, Russian and English (some in one
language only, as organisations really write them), a few experts and introductions.

Made up to show how Serai works, flagged ``is_demo`` and written through the network's
operations, so it is audited like any write. Idempotent: a profile already present (by its
organisation and title) is left as it is. Needs the demo organisations and people
(:func:`serai.demo.registry.load_demo`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from serai.core.i18n import TranslatedText
from serai.network import operations
from serai.network.models import CooperationProfile, Expertise, Introduction, ProfileStatus
from serai.orgs.models import Organisation
from serai.people.models import Person
from serai.reference.models import CooperationField, MemberState

# organisation (acronym or English name), kind, {lang: (title, description)}, fields, target ISO2s,
# partner types sought, HS4 products, status
PROFILES: list[tuple] = [
    (
        "Nazarbayev University",
        "research_partner",
        {
            "en": (
                "Research partners for battery materials and grid-scale energy storage",
                "Our materials science group seeks Korean research institutes and manufacturers to co-develop "
                "sodium-ion and lithium-iron-phosphate cells for storing solar and wind power on the Kazakh grid.",
            ),
        },
        ["energy", "high-tech-it"],
        ["KR"],
        ["research", "industry"],
        ["8507"],
        "published",
    ),
    (
        "KEPCO",
        "tech_offer",
        {
            "ko": (
                "스마트 그리드 및 송배전 손실 저감 기술",
                "한국전력공사는 중앙아시아 전력회사와 함께 지능형 계량기, 변전소 자동화, 송배전 손실 저감 기술을 "
                "시범 적용할 협력 기관을 찾습니다.",
            ),
        },
        ["energy"],
        ["KZ", "UZ", "KG"],
        ["government", "industry"],
        ["8504", "8535"],
        "published",
    ),
    (
        "KSTU",
        "tech_request",
        {
            "ru": (
                "Технологии малых ГЭС и модернизация распределительных сетей",
                "Кыргызский государственный технический университет ищет партнёров с технологиями малых "
                "гидроэлектростанций, снижения потерь в распределительных сетях и интеллектуального учёта "
                "электроэнергии для пилотных проектов в сельских районах.",
            ),
        },
        ["energy"],
        ["KR"],
        ["industry", "research"],
        ["8410", "8504"],
        "published",
    ),
    (
        "TTU",
        "research_partner",
        {
            "ru": (
                "Партнёры для исследований гидроэнергетики и сейсмостойкого строительства",
                "Таджикский технический университет приглашает исследовательские институты к совместным "
                "исследованиям надёжности плотин, сейсмостойких конструкций и подготовке инженеров.",
            ),
        },
        ["energy", "construction"],
        ["KR"],
        ["research", "academia"],
        [],
        "published",
    ),
    (
        "TUIT",
        "tech_request",
        {
            "ru": (
                "Платформа электронного обучения и облачная инфраструктура для университетов",
                "Ташкентский университет информационных технологий ищет компании для внедрения платформы "
                "электронного обучения, облачных центров обработки данных и курсов по кибербезопасности.",
            ),
        },
        ["high-tech-it", "education"],
        ["KR"],
        ["industry"],
        ["8471"],
        "published",
    ),
    (
        "Hanyang University",
        "training_offer",
        {
            "ko": (
                "중앙아시아 공학 인재 교환 및 공동 학위 프로그램",
                "한양대학교는 중앙아시아 대학과 함께 에너지·정보통신 분야의 공동 학위, 교환 학생, 교수 연수 "
                "프로그램을 운영할 협력 대학을 찾습니다.",
            ),
        },
        ["education", "high-tech-it"],
        [],
        ["academia"],
        [],
        "published",
    ),
    (
        "KOICA",
        "training_offer",
        {
            "en": (
                "Fellowship programme on digital government",
                "Short courses in Korea for civil servants of the Central Asian states on e-government "
                "services, open data and public-sector cybersecurity.",
            ),
            "ko": (
                "디지털 정부 연수 프로그램",
                "중앙아시아 공무원을 대상으로 전자정부 서비스, 공공데이터, 공공부문 사이버보안 단기 연수를 "
                "한국에서 운영합니다.",
            ),
            "ru": (
                "Стипендиальная программа по цифровому правительству",
                "Краткосрочные курсы в Корее для государственных служащих стран Центральной Азии: электронные "
                "государственные услуги, открытые данные и кибербезопасность.",
            ),
        },
        ["education", "high-tech-it"],
        [],
        ["government"],
        [],
        "published",
    ),
    (
        "KOTRA",
        "business_offer",
        {
            "en": (
                "Matchmaking for Korean investors in Central Asian logistics hubs",
                "KOTRA introduces Korean logistics and manufacturing investors to free economic zones and "
                "dry ports in Central Asia, with market studies and business meetings.",
            ),
        },
        ["trade", "transport-logistics"],
        ["KZ", "UZ"],
        ["government", "industry"],
        [],
        "published",
    ),
    (
        "IICA",
        "research_partner",
        {
            "ru": (
                "Исследование транспортных коридоров между Центральной Азией и Кореей",
                "Международный институт Центральной Азии ищет исследовательских партнёров для совместного "
                "анализа транспортных коридоров, таможенных процедур и торговых потоков.",
            ),
        },
        ["transport-logistics", "trade"],
        ["KR"],
        ["research"],
        [],
        "published",
    ),
    (
        "KEI",
        "tech_offer",
        {
            "ko": (
                "기후변화 적응을 위한 물 관리 및 대기질 모니터링 기술",
                "한국환경연구원은 중앙아시아 도시의 대기질 측정망, 가뭄 조기경보, 수자원 관리 모형을 공동 "
                "개발할 연구기관과 정부 기관을 찾습니다.",
            ),
        },
        ["climate-environment"],
        ["KZ", "UZ", "TJ"],
        ["research", "government"],
        [],
        "published",
    ),
    (
        "International University of Oil and Gas named after Yagshygeldi Kakayev",
        "business_request",
        {
            "ru": (
                "Инвестиции в переработку попутного газа и газохимию",
                "Университет ищет промышленных партнёров и инвесторов для пилотной установки переработки "
                "попутного нефтяного газа и подготовки кадров для газохимии.",
            ),
        },
        ["energy", "education"],
        ["KR"],
        ["industry"],
        ["2711", "3901"],
        "published",
    ),
    (
        "KIEP",
        "research_partner",
        {
            "en": (
                "Joint study on critical minerals supply chains",
                "KIEP seeks Central Asian research institutes for a joint study of critical minerals — "
                "tungsten, rare earths, lithium — and the processing investment they could attract.",
            ),
        },
        ["trade", "energy"],
        ["KZ", "UZ", "KG", "TJ"],
        ["research", "academia"],
        ["2611", "2805"],
        "published",
    ),
    (
        "CAREC Institute",
        "tech_request",
        {
            "en": (
                "Data for a regional electricity trading platform",
                "We seek partners with metering and market data systems for a study of cross-border "
                "electricity trade in Central Asia.",
            ),
        },
        ["energy", "trade"],
        [],
        ["industry", "research"],
        [],
        "submitted",
    ),
]

# person (English name), fields, keywords, languages, listed
EXPERTISE: list[tuple] = [
    (
        "Demo Expert (Economy Subcommittee)",
        ["energy", "trade"],
        "energy economics, electricity markets, 에너지 시장",
        ["ko", "en", "ru"],
        True,
    ),
    (
        "Demo Editor (Nazarbayev University)",
        ["education", "high-tech-it"],
        "university partnerships, joint degrees, международное партнёрство",
        ["kk", "ru", "en"],
        True,
    ),
    ("Demo Researcher (unlisted)", ["high-tech-it"], "cloud computing, e-learning", ["uz", "ru"], False),
]

# requester organisation, profile owner, message, accept?
INTRODUCTIONS: list[tuple] = [
    ("KSTU", "KEPCO", "Мы хотели бы обсудить пилотный проект по снижению потерь в сетях Бишкека.", True),
    (
        "Hanyang University",
        "Nazarbayev University",
        "We run a battery research centre and would like to discuss a joint project.",
        False,
    ),
]


def _org(key: str) -> Organisation | None:
    demo = Organisation.objects.filter(is_demo=True).order_by("id")
    return demo.filter(acronym=key).first() or demo.filter(name__values__en=key).first()


def _existing(org: Organisation, texts: dict) -> CooperationProfile | None:
    lang, (title, _description) = next(iter(texts.items()))
    return CooperationProfile.objects.filter(organisation=org, **{f"title__values__{lang}": title}).first()


@transaction.atomic
def load_demo_network(actor: Any) -> int:
    """Create the demo profiles, experts and introductions that are missing; returns how many
    profiles were created."""
    fields = {f.code: f for f in CooperationField.objects.all()}
    states = {s.iso2: s for s in MemberState.objects.all()}
    valid_until = timezone.localdate() + dt.timedelta(days=365)
    created = 0
    profiles: dict[str, CooperationProfile] = {}
    for org_key, kind, texts, field_codes, targets, seeks, hs4, status in PROFILES:
        org = _org(org_key)
        if org is None:
            continue
        profile = _existing(org, texts)
        if profile is None:
            source = next(iter(texts))
            profile = operations.create_profile(
                actor,
                org,
                {
                    "kind": kind,
                    "title": TranslatedText({lang: t for lang, (t, _d) in texts.items()}, source=source),
                    "description": TranslatedText({lang: d for lang, (_t, d) in texts.items()}, source=source),
                    "fields": [fields[c] for c in field_codes if c in fields],
                    "target_countries": [states[c] for c in targets if c in states],
                    "seeks_helix": seeks,
                    "hs4": hs4,
                    "valid_until": valid_until,
                    "is_demo": True,
                },
            )
            profile = operations.submit_profile(actor, profile)
            if status == ProfileStatus.PUBLISHED:
                profile = operations.publish_profile(actor, profile)
            created += 1
        profiles[org_key] = profile
    for name, field_codes, keywords, languages, listed in EXPERTISE:
        person = Person.objects.filter(name__values__en=name).first()
        if person is not None and not Expertise.objects.filter(person=person).exists():
            operations.set_expertise(
                actor,
                person,
                fields=[fields[c] for c in field_codes if c in fields],
                keywords=keywords,
                languages=languages,
                listed=listed,
                is_demo=True,
            )
    for requester_key, owner_key, message, accept in INTRODUCTIONS:
        requester, profile = _org(requester_key), profiles.get(owner_key)
        if requester is None or profile is None or profile.status != ProfileStatus.PUBLISHED:
            continue
        if Introduction.objects.filter(profile=profile, requester_org=requester).exists():
            continue
        intro = operations.express_interest(actor, profile, requester, message, is_demo=True)
        if accept:
            operations.accept_introduction(actor, intro)
    return created
