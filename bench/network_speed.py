"""Cooperation network speed benchmark (issue 15): the matcher and the consortium builder at scale.

On PostgreSQL: 50,000 organisations, 150,000 published profiles and co-participation in 20,000
public projects (bulk inserts: bench data, not audited writes). The index is built through
``serai.network.index`` (the same code the pages use, from the database); then, in process:

* top-10 matches with reasons for 500 starting points (a profile's own features, half of them
  with a country or helix filter): p50 / p95 (goal p95 < 50 ms);
* consortium proposals for 200 projects (Korea and one or two Central Asian states, a field,
  existing participants): p50 / p95 (goal p95 < 200 ms);
* the time to build the index from the database (reading + MatchIndex.build);
* the "Find partners" page of a profile and the consortium page of a project through Django's
  test client (index already cached): p50 / p95 and queries per page.

``bench/network.py`` (the quality part) calls :func:`main`; run alone with
``python bench/network_speed.py`` after the database is set up by ``bench/run network``.
Sizes: BENCH_NETWORK_ORGS, BENCH_NETWORK_PROFILES, BENCH_NETWORK_PROJECTS.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time

N_ORGS = int(os.environ.get("BENCH_NETWORK_ORGS", "50000"))
N_PROFILES = int(os.environ.get("BENCH_NETWORK_PROFILES", "150000"))
N_PROJECTS = int(os.environ.get("BENCH_NETWORK_PROJECTS", "20000"))
N_MATCH = 500
N_CONSORTIUM = 200
GOAL_MATCH_MS, GOAL_CONSORTIUM_MS = 50.0, 200.0
BATCH = 5000

# A few words per field in the three content languages: titles mix them so text similarity has
# something to find across languages.
WORDS = {
    "energy": (
        ("solar power", "grid", "hydropower"),
        ("태양광 발전", "전력망", "수력 발전"),
        ("солнечная энергетика", "электросети", "гидроэнергетика"),
    ),
    "transport-logistics": (
        ("rail freight", "logistics hub"),
        ("철도 화물", "물류 허브"),
        ("железнодорожные перевозки", "логистический центр"),
    ),
    "trade": (("export promotion", "customs"), ("수출 진흥", "세관"), ("продвижение экспорта", "таможня")),
    "high-tech-it": (
        ("e-government", "data centre", "software"),
        ("전자정부", "데이터 센터", "소프트웨어"),
        ("электронное правительство", "центр обработки данных", "программное обеспечение"),
    ),
    "construction": (("housing", "building materials"), ("주택", "건축 자재"), ("жильё", "строительные материалы")),
    "textiles": (("cotton processing", "garments"), ("면화 가공", "의류"), ("переработка хлопка", "одежда")),
    "agriculture": (("irrigation", "greenhouse", "seeds"), ("관개", "온실", "종자"), ("орошение", "теплица", "семена")),
    "climate-environment": (
        ("water management", "air quality"),
        ("물 관리", "대기질"),
        ("управление водными ресурсами", "качество воздуха"),
    ),
    "culture": (("museum", "heritage"), ("박물관", "문화유산"), ("музей", "наследие")),
    "tourism": (
        ("tourism routes", "hospitality"),
        ("관광 코스", "환대 산업"),
        ("туристические маршруты", "гостеприимство"),
    ),
    "education": (
        ("vocational training", "university exchange"),
        ("직업 훈련", "대학 교류"),
        ("профессиональное обучение", "университетский обмен"),
    ),
    "health": (
        ("telemedicine", "hospital management"),
        ("원격 의료", "병원 경영"),
        ("телемедицина", "управление больницами"),
    ),
}
LANGS = ("en", "ko", "ru")
HELICES = ("government", "industry", "research", "academia", "international", "ngo")
KINDS = ("tech_offer", "tech_request", "research_partner", "business_offer", "business_request", "training_offer")


def p50_p95(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def _text(rng: random.Random, fields: list[str]) -> dict:
    lang = rng.randrange(3)
    words = [rng.choice(WORDS[f][lang]) for f in fields if f in WORDS] or ["cooperation"]
    return {"values": {LANGS[lang]: " · ".join(words)}, "source": LANGS[lang]}


def generate(n_orgs: int = N_ORGS, n_profiles: int = N_PROFILES, n_projects: int = N_PROJECTS, seed: int = 15) -> None:
    """Bulk-insert the bench data (organisations, profiles with their links, public projects with
    participants) into the current database; then VACUUM ANALYZE on PostgreSQL."""
    from django.db import connection, transaction
    from django.utils import timezone

    from serai.network.models import CooperationProfile
    from serai.orgs.models import HELIX_IATI_TYPES, Organisation
    from serai.projects.models import Participation, Project, ProjectCountry
    from serai.reference.models import CooperationField, MemberState

    rng = random.Random(seed)
    states = list(MemberState.objects.order_by("sort_order", "id"))
    korea = next(s for s in states if s.is_anchor)
    others = [s for s in states if not s.is_anchor]
    fields = list(CooperationField.objects.order_by("id"))
    field_dac = {f.pk: list(f.dac_sectors.values_list("pk", flat=True)) for f in fields}
    now = timezone.now()
    t0 = time.perf_counter()
    with transaction.atomic():
        orgs = []
        for i in range(n_orgs):
            helix = rng.choice(HELICES)
            state = korea if rng.random() < 0.4 else rng.choice(others)
            chosen = rng.sample(fields, rng.choice((1, 1, 2, 2, 3)))
            orgs.append(
                (
                    Organisation(
                        name={"values": {"en": f"Bench organisation {i}"}, "source": "en"},
                        helix=helix,
                        iati_type=HELIX_IATI_TYPES[helix][0],
                        member_state=state,
                        description=_text(rng, [f.code for f in chosen]),
                    ),
                    chosen,
                )
            )
        created = Organisation.objects.bulk_create([o for o, _ in orgs], batch_size=BATCH)
        Through = Organisation.fields.through
        Through.objects.bulk_create(
            [
                Through(organisation_id=o.pk, cooperationfield_id=f.pk)
                for o, (_, chosen) in zip(created, orgs)
                for f in chosen
            ],
            batch_size=BATCH,
        )
        org_rows = [(o.pk, o.member_state_id, chosen) for o, (_, chosen) in zip(created, orgs)]
        print(f"  {n_orgs} organisations in {time.perf_counter() - t0:.1f} s", flush=True)

        t1 = time.perf_counter()
        profiles, links = [], []
        for _ in range(n_profiles):
            oid, _state, chosen = org_rows[rng.randrange(len(org_rows))]
            pf = rng.sample(chosen, rng.randint(1, len(chosen)))
            sectors = sorted({rng.choice(field_dac[f.pk]) for f in pf if field_dac[f.pk]})
            targets = [s.pk for s in rng.sample(states, rng.choice((0, 0, 1, 2)))]
            hs4 = [f"{rng.randint(100, 9799):04d}" for _ in range(rng.choice((0, 0, 1, 2, 3)))]
            profiles.append(
                CooperationProfile(
                    organisation_id=oid,
                    kind=rng.choice(KINDS),
                    title=_text(rng, [f.code for f in pf]),
                    description=_text(rng, [f.code for f in pf]),
                    hs4=hs4,
                    seeks_helix=rng.sample(HELICES[:4], rng.choice((1, 1, 2))),
                    status="published",
                    published_at=now,
                    is_demo=False,
                )
            )
            links.append(([f.pk for f in pf], sectors, targets))
        made = CooperationProfile.objects.bulk_create(profiles, batch_size=BATCH)
        PF, PS, PT = (
            CooperationProfile.fields.through,
            CooperationProfile.dac_sectors.through,
            CooperationProfile.target_countries.through,
        )
        PF.objects.bulk_create(
            [PF(cooperationprofile_id=p.pk, cooperationfield_id=f) for p, (fs, _, _) in zip(made, links) for f in fs],
            batch_size=BATCH,
        )
        PS.objects.bulk_create(
            [PS(cooperationprofile_id=p.pk, dacsector_id=s) for p, (_, ss, _) in zip(made, links) for s in ss],
            batch_size=BATCH,
        )
        PT.objects.bulk_create(
            [PT(cooperationprofile_id=p.pk, memberstate_id=t) for p, (_, _, ts) in zip(made, links) for t in ts],
            batch_size=BATCH,
        )
        print(f"  {n_profiles} profiles in {time.perf_counter() - t1:.1f} s", flush=True)

        t1 = time.perf_counter()
        by_state: dict[int, list[int]] = {}
        for oid, state, _chosen in org_rows:
            by_state.setdefault(state, []).append(oid)
        projects, members = [], []
        for i in range(n_projects):
            partners = rng.sample(others, rng.choice((1, 1, 2)))
            projects.append(
                Project(
                    code=f"NETBENCH-{i:06d}",
                    title={"values": {"en": f"Bench project {i}"}, "source": "en"},
                    status="implementation",
                    planned_start=now.date().replace(year=rng.randint(2010, 2026)),
                )
            )
            orgs_in = {rng.choice(by_state[korea.pk])} | {rng.choice(by_state[s.pk]) for s in partners}
            orgs_in |= {rng.choice(by_state[rng.choice(partners).pk]) for _ in range(rng.randint(0, 2))}
            members.append(([korea.pk, *(s.pk for s in partners)], orgs_in))
        made = Project.objects.bulk_create(projects, batch_size=BATCH)
        ProjectCountry.objects.bulk_create(
            [ProjectCountry(project_id=p.pk, member_state_id=s) for p, (ss, _) in zip(made, members) for s in ss],
            batch_size=BATCH,
        )
        Participation.objects.bulk_create(
            [
                Participation(project_id=p.pk, organisation_id=o, role="4")
                for p, (_, os_) in zip(made, members)
                for o in os_
            ],
            batch_size=BATCH,
        )
        print(f"  {n_projects} public projects with participants in {time.perf_counter() - t1:.1f} s", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _set_up_database() -> None:
    """Migrate and load the reference data into the database of DATABASE_URL."""
    import subprocess

    for args in (("migrate", "-v0"), ("loadreference",)):
        subprocess.run([sys.executable, "-m", "serai", *args], check=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "serai.settings")
    import django

    django.setup()


def measure(index, *, seed: int = 7) -> dict:
    """p50/p95 (wall clock and this process's CPU time, in ms) of top-10 matching with reasons
    and of consortium proposals on ``index``."""
    from serai.network import consortium
    from serai.network.starts import query_for_entity

    rng = random.Random(seed)
    entities = [e for e in index.entities if e.key.startswith("profile:")]
    countries = sorted({e.country for e in index.entities})
    wall, cpu = [], []
    for i in range(N_MATCH):
        entity = rng.choice(entities)
        query = query_for_entity(entity)
        filters = {}
        if i % 4 == 1:
            filters["country"] = rng.choice(countries)
        elif i % 4 == 2:
            filters["helix"] = rng.choice(HELICES[:4])
        t, c = time.perf_counter(), time.process_time()
        found = index.match(query, k=10, **filters)
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        assert found and all(m.reasons for m in found)
    figures = {"match": p50_p95(wall), "match_cpu": p50_p95(cpu)}
    anchor = "KR"
    others = [c for c in countries if c != anchor]
    fields = sorted({f for e in entities[:2000] for f in e.fields})
    for batch in (True, False):
        wall, cpu = [], []
        rng = random.Random(seed + 1)
        for _ in range(N_CONSORTIUM if batch else N_CONSORTIUM // 4):
            chosen = [anchor, *rng.sample(others, rng.choice((1, 2)))]
            participants = [consortium.Participant(e.org_id, e.country, e.helix) for e in rng.sample(entities, 3)]
            t, c = time.perf_counter(), time.process_time()
            consortium.propose(
                index, countries=chosen, fields=rng.sample(fields, 1), participants=participants, batch=batch
            )
            wall.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
        name = "consortium" if batch else "consortium_per_slot"
        figures[name], figures[name + "_cpu"] = p50_p95(wall), p50_p95(cpu)
    return figures


def pages(focal_point) -> dict:
    """p50/p95 and queries of the match and consortium pages (Django test client, index cached)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from serai.network.models import CooperationProfile
    from serai.projects.models import Project

    setup_test_environment()  # the test client's host name
    client = Client()
    client.force_login(focal_point)
    rng = random.Random(3)
    profile_ids = rng.sample(list(CooperationProfile.objects.values_list("pk", flat=True)), 60)
    project_ids = rng.sample(
        list(Project.objects.filter(code__startswith="NETBENCH-").values_list("pk", flat=True)), 40
    )
    out = {}
    for name, urls in (
        ("find partners (profile)", [reverse("network_match_profile", args=[p]) for p in profile_ids]),
        ("consortium (project)", [reverse("network_consortium", args=[p]) for p in project_ids]),
    ):
        client.get(urls[0])  # warm the index
        times, queries = [], 0
        for url in urls[1:]:
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            queries = max(queries, len(ctx.captured_queries))
        out[name] = (*p50_p95(times), queries)
    return out


def bench_user():
    """Korea's focal point: may edit every bench project (all include Korea); no second factor.
    Created before the index is built, so its audited writes do not make the pages rebuild it."""
    from serai.access.models import Role
    from serai.access.operations import create_user, grant_role
    from serai.core.audit import SystemActor
    from serai.reference.models import MemberState

    system = SystemActor("bench")
    user = create_user(system, "netbench-fp-kr", password="netbench-pw-1")
    grant_role(system, user, Role.FOCAL_POINT, MemberState.objects.get(is_anchor=True))
    return user


def main(*, set_up: bool = False) -> dict:
    """Generate the data (and with ``set_up`` migrate first), build the index, print and return the figures."""
    if set_up:
        _set_up_database()
    from serai.network import index as network_index

    print(f"generating {N_ORGS} organisations, {N_PROFILES} profiles, {N_PROJECTS} projects", flush=True)
    t0 = time.perf_counter()
    generate()
    print(f"generated in {time.perf_counter() - t0:.1f} s", flush=True)
    focal_point = bench_user()
    network_index.forget()
    timings: dict = {}
    t0 = time.perf_counter()
    idx = network_index.get_index(timings=timings)  # built once and cached, as the pages use it
    t_full = time.perf_counter() - t0
    print(f"index built in {t_full:.1f} s; measuring", flush=True)
    figures = measure(idx)
    page_figures = pages(focal_point)
    print(
        f"\nindex: {timings['n_entities']} entities, {timings['n_collaborations']} collaboration pairs; "
        f"built from the database in {t_full:.1f} s (entities read {timings['entities']:.1f} s, collaborations "
        f"{timings['collaborations']:.1f} s, trade evidence {timings['trade']:.1f} s, MatchIndex.build "
        f"{timings['build']:.1f} s); rebuilt only when the content version moves"
    )
    print(f"{'operation':36} {'p50 ms':>8} {'p95 ms':>8} {'CPU p95':>8}  goal (p95)")
    rows = [
        ("top-10 matches with reasons", "match", GOAL_MATCH_MS),
        ("consortium proposal", "consortium", GOAL_CONSORTIUM_MS),
        ("consortium, one query per slot", "consortium_per_slot", GOAL_CONSORTIUM_MS),
    ]
    for label, key, goal in rows:
        p50, p95 = figures[key]
        cpu95 = figures[key + "_cpu"][1]
        print(
            f"{label:36} {p50:8.1f} {p95:8.1f} {cpu95:8.1f}  < {goal:.0f} ms: wall {'met' if p95 < goal else 'NOT met'}, "
            f"CPU {'met' if cpu95 < goal else 'NOT met'}"
        )
    for name, (p50, p95, queries) in page_figures.items():
        print(f"{'page: ' + name:36} {p50:8.1f} {p95:8.1f} {'':>8}  ({queries} queries)")
    try:
        load = os.getloadavg()
        print(
            f"machine: {os.cpu_count()} CPUs, load average {load[0]:.1f} (wall-clock figures include waiting for a "
            "CPU on a shared machine; the CPU column is this process's own time)"
        )
    except OSError:
        pass
    return {"timings": timings, "full_build_s": t_full, **figures, "pages": page_figures}


if __name__ == "__main__":
    main(set_up=True)
