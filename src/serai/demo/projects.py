"""Demo projects (labelled as demo) and a bulk generator for benchmarks.

``load_demo_projects`` goes through the operations and the workflow like a real user would,
so the demo has a believable timeline and audit trail. ``generate`` writes N projects with
results, participations and transitions in bulk: it is for benchmarks and load tests only, is
flagged ``is_demo``, and skips the audit log on purpose (it is not a user's write).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction

from serai.core.i18n import TranslatedText
from serai.governance.models import Meeting
from serai.orgs.models import Organisation
from serai.projects import operations
from serai.projects.models import (
    Aggregation,
    Indicator,
    IndicatorUpdate,
    Participation,
    Project,
    ProjectCountry,
    ProjectSector,
    ProjectTransition,
    ReportingPeriod,
    Result,
    ResultKind,
    Status,
    UpdateStatus,
)
from serai.projects.operations import SectorShare
from serai.projects.validation import derive_scope
from serai.reference.models import CooperationField, MemberState

TOPICS = {
    "energy": [
        (
            "Solar mini-grids for rural schools",
            "농촌 학교 태양광 마이크로그리드",
            "Солнечные мини-сети для сельских школ",
        ),
        ("Small hydropower rehabilitation", "소수력 발전소 현대화", "Модернизация малых ГЭС"),
        (
            "Grid efficiency and smart metering",
            "전력망 효율화와 스마트 계량",
            "Эффективность сетей и интеллектуальный учёт",
        ),
    ],
    "transport-logistics": [
        (
            "Trans-Caspian logistics hub study",
            "카스피해 횡단 물류 허브 연구",
            "Исследование транскаспийского логистического хаба",
        ),
        ("Railway signalling training centre", "철도 신호 교육센터", "Учебный центр железнодорожной сигнализации"),
        (
            "Cold-chain corridor for fresh produce",
            "신선 농산물 콜드체인 회랑",
            "Холодовой коридор для свежей продукции",
        ),
    ],
    "trade": [
        ("Single window for customs data", "세관 단일창구 데이터 연계", "Единое окно для таможенных данных"),
        (
            "Export readiness for agri-food SMEs",
            "농식품 중소기업 수출 역량 강화",
            "Экспортная готовность агропищевых МСП",
        ),
    ],
    "high-tech-it": [
        (
            "E-government service design lab",
            "전자정부 서비스 디자인 랩",
            "Лаборатория проектирования электронных госуслуг",
        ),
        (
            "Joint data-science master's programme",
            "공동 데이터과학 석사 과정",
            "Совместная магистратура по науке о данных",
        ),
        (
            "Cybersecurity incident response network",
            "사이버보안 사고 대응 네트워크",
            "Сеть реагирования на киберинциденты",
        ),
    ],
    "construction": [
        ("Seismic-safe school buildings", "내진 학교 건축", "Сейсмостойкие школьные здания"),
        ("Green building code exchange", "녹색 건축 기준 교류", "Обмен опытом по зелёным строительным нормам"),
    ],
    "textiles": [
        (
            "Cotton-to-garment value chain upgrade",
            "면화-의류 가치사슬 고도화",
            "Модернизация цепочки «хлопок – одежда»",
        ),
        ("Textile dyeing water recycling", "섬유 염색 폐수 재활용", "Повторное использование воды при крашении тканей"),
    ],
    "agriculture": [
        ("Drip irrigation demonstration farms", "점적 관개 시범 농장", "Демонстрационные фермы капельного орошения"),
        ("Seed potato certification", "씨감자 인증 체계", "Сертификация семенного картофеля"),
        ("Smart greenhouse cooperation", "스마트 온실 협력", "Сотрудничество в области умных теплиц"),
    ],
    "climate-environment": [
        ("Aral Sea forest restoration", "아랄해 산림 복원", "Восстановление лесов в регионе Аральского моря"),
        ("Glacier monitoring network", "빙하 관측 네트워크", "Сеть мониторинга ледников"),
        ("Urban air-quality sensors", "도시 대기질 센서", "Датчики качества городского воздуха"),
    ],
    "culture": [
        ("Silk Road heritage digitisation", "실크로드 유산 디지털화", "Оцифровка наследия Шёлкового пути"),
        ("Koryo-saram oral history archive", "고려인 구술사 아카이브", "Архив устной истории корё-сарам"),
    ],
    "tourism": [
        (
            "Cross-border heritage tourism routes",
            "국경 간 유산 관광 루트",
            "Трансграничные маршруты культурного туризма",
        ),
        ("Hospitality skills academy", "관광 서비스 역량 아카데미", "Академия навыков гостеприимства"),
    ],
    "education": [
        ("Korean language teacher exchange", "한국어 교사 교류", "Обмен преподавателями корейского языка"),
        ("Vocational training in mechatronics", "메카트로닉스 직업 훈련", "Профессиональное обучение мехатронике"),
        ("Joint engineering summer school", "공동 공학 여름학교", "Совместная летняя инженерная школа"),
    ],
    "health": [
        ("Telemedicine for mountain districts", "산간 지역 원격의료", "Телемедицина для горных районов"),
        ("Hospital management training", "병원 경영 연수", "Обучение управлению больницами"),
    ],
}

# status to reach, in workflow order, for the demo's 30 projects
STATUS_MIX = (
    [Status.IDEA] * 3
    + [Status.SUBMITTED] * 3
    + [Status.SCREENING] * 2
    + [Status.APPRAISAL] * 3
    + [Status.RECOMMENDED] * 2
    + [Status.ENDORSED] * 4
    + [Status.IMPLEMENTATION] * 7
    + [Status.COMPLETED] * 2
    + [Status.EVALUATED] * 1
    + [Status.RETURNED] * 1
    + [Status.DECLINED] * 1
    + [Status.SUSPENDED] * 1
)
PATH = ["submit", "screen", "send_to_appraisal", "recommend", "endorse", "start", "complete", "evaluate"]
REACHED_BY = {
    Status.IDEA: 0,
    Status.SUBMITTED: 1,
    Status.SCREENING: 2,
    Status.APPRAISAL: 3,
    Status.RECOMMENDED: 4,
    Status.ENDORSED: 5,
    Status.IMPLEMENTATION: 6,
    Status.COMPLETED: 7,
    Status.EVALUATED: 8,
}
SIDE = {Status.RETURNED: (3, "return"), Status.DECLINED: (3, "decline"), Status.SUSPENDED: (6, "suspend")}


STARTED = {Status.IMPLEMENTATION, Status.SUSPENDED, Status.COMPLETED, Status.EVALUATED}
FINISHED = {Status.COMPLETED, Status.EVALUATED}


def _today() -> dt.date:
    """Today in UTC, the IATI Validator's "now" (Seoul's today is tomorrow in UTC before 09:00)."""
    return dt.datetime.now(dt.UTC).date()


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def demo_dates(rng: random.Random, status: str, today: dt.date | None = None) -> dict[str, dt.date]:
    """Dates that fit a project's status, around today: a project not yet started plans to start in
    the future; a started one started in the past (at least 200 days ago, so its first half-year
    reporting period has ended) and has no actual end; a finished one also ended, in the past.
    Planned periods last one to three years; nothing is zero-length and no actual date is in the
    future."""
    today = today or _today()
    months = rng.choice((12, 18, 24, 30, 36))
    if status in FINISHED:
        end = _month(today - dt.timedelta(days=rng.randrange(60, 500)))
        start = _month(end - dt.timedelta(days=30 * months))
        actual_start = start + dt.timedelta(days=rng.randrange(0, 45))
        actual_end = min(end + dt.timedelta(days=rng.randrange(-20, 40)), today - dt.timedelta(days=1))
        return {
            "planned_start": start,
            "planned_end": end,
            "actual_start": actual_start,
            "actual_end": max(actual_end, actual_start + dt.timedelta(days=200)),
        }
    if status in STARTED:
        start = _month(today - dt.timedelta(days=rng.randrange(250, 700)))
        end = _month(max(start + dt.timedelta(days=30 * months), today + dt.timedelta(days=rng.randrange(90, 700))))
        return {
            "planned_start": start,
            "planned_end": end,
            "actual_start": start + dt.timedelta(days=rng.randrange(0, 45)),
        }
    start = _month(today + dt.timedelta(days=rng.randrange(45, 400)))
    return {"planned_start": start, "planned_end": _month(start + dt.timedelta(days=30 * months + 15))}


def _tt(triple) -> TranslatedText:
    return TranslatedText({"en": triple[0], "ko": triple[1], "ru": triple[2]}, source="en")


def _topics():
    for code, items in TOPICS.items():
        for item in items:
            yield code, item


@transaction.atomic
def load_demo_projects(actor: Any, seed: int = 7) -> int:
    if Project.objects.filter(is_demo=True, code__startswith="DEMO-").exists():
        return 0
    rng = random.Random(seed)
    dates_rng = random.Random(seed + 1)  # its own stream: the other choices stay as they were
    states = list(MemberState.objects.order_by("sort_order"))
    korea = next(s for s in states if s.is_anchor)
    others = [s for s in states if not s.is_anchor]
    fields = {f.code: f for f in CooperationField.objects.prefetch_related("dac_sectors")}
    orgs = list(Organisation.objects.all())
    session = Meeting.objects.filter(body__kind="forum", status="held").order_by("-year").first()
    created = 0
    for index, ((field_code, triple), target) in enumerate(zip(_topics(), STATUS_MIX)):
        field = fields[field_code]
        partners = rng.sample(others, 1 if index % 3 else rng.randint(2, 5))
        dac = list(field.dac_sectors.all())
        dates = demo_dates(dates_rng, target)
        budget = Decimal(rng.randrange(200, 9000) * 1000)
        currency = rng.choice(["USD", "KRW", "USD"])
        values = {
            "code": f"DEMO-{index + 1:03d}",
            "title": _tt(triple),
            "summary": TranslatedText(
                {
                    "en": f"Demo project: {triple[0].lower()} with partners in {', '.join(str(p.name.get('en')) for p in partners)}.",
                    "ko": f"데모 사업: {triple[1]}",
                    "ru": f"Демонстрационный проект: {triple[2].lower()}.",
                },
                source="en",
            ),
            "subcommittee": field.subcommittee,
            **dates,
            "budget_amount": budget if currency == "USD" else budget * 1300,
            "budget_currency": currency,
            "usd_rate": Decimal("0.00072") if currency == "KRW" else None,
            "usd_rate_date": dt.date(2025, 1, 2) if currency == "KRW" else None,
            "tags": ["demo", field_code],
            "is_demo": True,
        }
        shares = [SectorShare(field=field, dac_sector=dac[0] if dac else None, percentage=Decimal(100))]
        project = operations.create_project(actor, values, countries=[korea, *partners], sectors=shares)
        funder, implementer = rng.sample(orgs, 2)
        for role, org in (("1", funder), ("4", implementer)):
            operations.add_participation(actor, project, org, role)
        if target in STARTED:  # endorsed and under way: the funder committed the budget and paid part of it
            committed = dates["planned_start"] - dt.timedelta(days=dates_rng.randrange(20, 90))
            paid_on = min(
                dates["actual_start"] + dt.timedelta(days=dates_rng.randrange(10, 150)), _today() - dt.timedelta(days=1)
            )
            operations.add_funding_source(
                actor,
                project,
                {
                    "organisation": funder,
                    "amount": values["budget_amount"],
                    "currency": currency,
                    "committed_on": committed,
                    "disbursed": (
                        values["budget_amount"] * Decimal(dates_rng.choice((25, 40, 60, 100))) / 100
                    ).quantize(Decimal("0.01")),
                    "disbursed_on": paid_on,
                },
            )
        steps = REACHED_BY.get(target, SIDE.get(target, (0, None))[0])
        for name in PATH[:steps]:
            if name == "recommend":
                operations.save_appraisal(
                    actor,
                    project,
                    {
                        k: rng.randint(3, 5)
                        for k in (
                            "relevance",
                            "feasibility",
                            "multilateral_value",
                            "helix",
                            "sustainability",
                            "evidence",
                        )
                    },
                    "Demo appraisal.",
                    completed=True,
                )
            if name == "start":
                _demo_results(actor, project, rng)
            if name == "evaluate":
                for update in IndicatorUpdate.objects.filter(indicator__result__project=project, status="submitted"):
                    operations.review_update(actor, update, "approve")
            project = operations.fire_transition(actor, project, name, meeting=session if name == "endorse" else None)
            if name == "start":
                _demo_updates(actor, project, rng)
        if target in SIDE:
            operations.fire_transition(
                actor, project, SIDE[target][1], reason="Demo: shown to illustrate the side states."
            )
        created += 1
    return created


def _demo_results(actor, project, rng) -> None:
    result = operations.add_result(
        actor,
        project,
        ResultKind.OUTPUT,
        TranslatedText({"en": "People trained", "ko": "교육 인원", "ru": "Обучено специалистов"}, source="en"),
    )
    operations.add_indicator(
        actor,
        result,
        {
            "title": TranslatedText(
                {"en": "Specialists trained", "ko": "교육받은 전문가 수", "ru": "Число обученных специалистов"},
                source="en",
            ),
            "unit": "people",
            "baseline": Decimal(0),
            "target": Decimal(rng.randrange(40, 200)),
            "aggregation": Aggregation.SUM,
        },
    )


def _demo_updates(actor, project, rng) -> None:
    start = project.actual_start or project.planned_start
    period = operations.add_period(actor, project, start, start + dt.timedelta(days=180))
    for indicator in Indicator.objects.filter(result__project=project):
        update = operations.save_update(actor, indicator, period, Decimal(rng.randrange(5, 40)), "Demo report.")
        operations.review_update(actor, update, "submit")
        operations.review_update(actor, update, "approve")


# --- bulk generator for benchmarks ---------------------------------------------------------------
def _index(projects: list[Project]) -> None:
    """Scope and search document, computed as the write path does, for a batch of projects."""
    batch = Project.objects.filter(pk__in=[p.pk for p in projects]).prefetch_related("countries", "sectors__field")
    refreshed = []
    for project in batch:
        project.scope = derive_scope(project.countries.all())[0] or ""
        project.search_document = operations.search_document(project)
        refreshed.append(project)
    Project.objects.bulk_update(refreshed, ["scope", "search_document"])


def generate(n: int, seed: int = 2026, batch: int = 1000, *, demo: bool = True) -> int:
    """Write ``n`` projects with sectors, countries, participations, results and transitions, with
    dates that fit each one's status (:func:`demo_dates`). They are flagged ``is_demo`` (never
    published to IATI) unless ``demo`` is False (tests that stand in for real content)."""
    rng = random.Random(seed)
    dates_rng = random.Random(seed + 1)  # its own stream: the other choices stay as they were
    today = _today()
    states = list(MemberState.objects.order_by("sort_order"))
    korea = next(s for s in states if s.is_anchor)
    others = [s for s in states if not s.is_anchor]
    fields = list(CooperationField.objects.prefetch_related("dac_sectors"))
    orgs = list(Organisation.objects.values_list("pk", flat=True))
    statuses = [s for s, _l in Status.choices]
    weights = [8, 6, 4, 5, 3, 10, 25, 10, 6, 3, 3, 2, 2]
    topics = list(_topics())
    start_number = Project.objects.filter(code__startswith="GEN-").count()
    made = 0
    while made < n:
        size = min(batch, n - made)
        with transaction.atomic():
            projects, topic_fields = [], []
            for i in range(size):
                number = start_number + made + i + 1
                code, triple = topics[number % len(topics)]
                status = rng.choices(statuses, weights)[0]
                dates = demo_dates(dates_rng, status, today)
                amount = Decimal(rng.randrange(100, 20000) * 1000)
                title = TranslatedText(
                    {"en": f"{triple[0]} #{number}", "ko": f"{triple[1]} #{number}", "ru": f"{triple[2]} #{number}"},
                    source="en",
                )
                field = next(f for f in fields if f.code == code)
                topic_fields.append(field)
                projects.append(
                    Project(
                        code=f"GEN-{number:06d}",
                        title=title,
                        summary=TranslatedText({"en": f"Generated benchmark project {number}."}, source="en"),
                        status=status,
                        subcommittee_id=field.subcommittee_id,
                        **dates,
                        budget_amount=amount,
                        budget_currency="USD",
                        budget_usd=amount,
                        is_demo=demo,
                        tags=["generated"],
                    )
                )
            Project.objects.bulk_create(projects)
            links, sectors, participations, transitions, results = [], [], [], [], []
            for project, field in zip(projects, topic_fields):
                partners = rng.sample(others, rng.choice([1, 1, 1, 2, 3, 5]))
                for state in [korea, *partners]:
                    links.append(ProjectCountry(project=project, member_state=state))
                code = project.code
                sectors.append(
                    ProjectSector(
                        project=project,
                        field=field,
                        percentage=Decimal(100),
                        dac_sector=next(iter(field.dac_sectors.all()), None),
                    )
                )
                for role, org in zip(("1", "4"), rng.sample(orgs, min(2, len(orgs)))):
                    participations.append(Participation(project=project, organisation_id=org, role=role))
                transitions.append(
                    ProjectTransition(
                        project=project,
                        name="submit",
                        from_status="idea",
                        to_status="submitted",
                        actor_label="generator",
                    )
                )
                results.append(
                    Result(
                        project=project, kind="output", title=TranslatedText({"en": f"Output of {code}"}, source="en")
                    )
                )
            ProjectCountry.objects.bulk_create(links)
            ProjectSector.objects.bulk_create(sectors)
            _index(projects)
            Participation.objects.bulk_create(participations)
            ProjectTransition.objects.bulk_create(transitions)
            Result.objects.bulk_create(results)
            indicators = [
                Indicator(
                    result=r,
                    title=TranslatedText({"en": "Indicator"}, source="en"),
                    unit="people",
                    baseline=Decimal(0),
                    target=Decimal(100),
                )
                for r in results
            ]
            Indicator.objects.bulk_create(indicators)
            # a first half-year reporting period from the (actual) start; results reported only once it has begun
            periods = [
                ReportingPeriod(
                    project=p,
                    start=p.actual_start or p.planned_start,
                    end=(p.actual_start or p.planned_start) + dt.timedelta(days=180),
                )
                for p in projects
            ]
            ReportingPeriod.objects.bulk_create(periods)
            values = [Decimal(rng.randrange(1, 60)) for _ in indicators]  # drawn for every one, as before
            IndicatorUpdate.objects.bulk_create(
                [
                    IndicatorUpdate(indicator=ind, period=per, value=value, status=UpdateStatus.APPROVED)
                    for ind, per, value in zip(indicators, periods, values)
                    if per.start <= today
                ]
            )
        made += size
    # One audit entry for the whole batch: the generator is a write too (and the content version
    # that keys cached public pages must move).
    from serai.core import audit
    from serai.core.audit import SystemActor

    audit.record(SystemActor("generateprojects"), "project.generate", None, before={}, after={"projects": made})
    return made
