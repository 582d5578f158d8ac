"""Cooperation network benchmark, quality part (issue 15): partner matching on a generated network
with planted structure.

The generator (knobs: seed and sizes only) makes organisations with a latent expertise (one or
two cooperation fields, DAC sectors of those fields, concepts of those fields, HS4 products for
industry), a country and a helix, and an activity level; each declares a noisy profile (fields and
sectors partly dropped, partly wrong; a text in Korean, Russian or English built from the
vocabulary's terms of its concepts plus filler words; some declare no sectors or no text). Projects
are formed one after another: a field, Korea and one or two Central Asian states, a lead, then
partners drawn with weights for shared field/sector expertise, a helix the project lacks
(academia/research with industry), a project country not yet covered, and earlier collaboration
(direct, or a partner of a partner), and the organisations' activity. Delegations and seats on bodies add noise edges.

The last 20 % of projects are held out: one participant of each is hidden and the matcher is
asked for partners given the rest (fields, sectors and countries of the project, its text, the
remaining participants as ``partner_orgs``; the collaboration graph holds the earlier projects
only, each edge with its project's field). Printed: recall@10 and MRR for the matcher, a few ablations, and two baselines measured in
the same run: random, and the most active organisations in the project's field.
Goal (issue): recall@10 ≥ 2.5 × the popularity baseline.

    python bench/network.py [--seeds 1,2,3] [--orgs 2000] [--projects 1600] [--index-speed] [--speed]

``--index-speed`` then times the library alone in memory at full size (50,000 organisations,
150,000 profiles, 500,000 edges); ``--speed`` does that and runs the PostgreSQL speed part
(``bench/network_speed.py``) if it is present.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import os
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from serai.network import text as textmod  # noqa: E402 (after the sys.path line above)
from serai.network.matching import Entity, MatchIndex, Query  # noqa: E402

# cooperation fields and their DAC sectors (as in serai.reference.data)
FIELD_SECTORS = {
    "energy": [
        "23110",
        "23181",
        "23182",
        "23183",
        "23210",
        "23220",
        "23230",
        "23240",
        "23270",
        "23310",
        "23340",
        "23510",
        "23620",
        "23630",
        "23640",
        "32262",
    ],
    "transport-logistics": ["21010", "21020", "21030", "21040", "21050", "21061", "21081"],
    "trade": ["33110", "33120", "33130", "33140", "33150", "33181", "25010"],
    "high-tech-it": ["22010", "22020", "22040", "32182", "43082"],
    "construction": ["32310", "43030"],
    "textiles": ["32163"],
    "agriculture": ["31110", "31120", "31140", "31150", "31161", "31163", "31182", "31191", "31210", "31220", "32161"],
    "climate-environment": ["41010", "41020", "41030", "41081", "41082", "14010", "14015", "74020"],
    "culture": ["16061", "16065", "16066"],
    "tourism": ["33210"],
    "education": ["11110", "11120", "11130", "11182", "11330", "11420", "11430"],
    "health": ["12110", "12181", "12182", "12191", "12220", "12230", "12250", "12264"],
}
FIELDS = list(FIELD_SECTORS)
COUNTRIES = {"KR": 0.3, "KZ": 0.2, "UZ": 0.2, "KG": 0.1, "TJ": 0.1, "TM": 0.1}
CENTRAL_ASIA = ["KZ", "UZ", "KG", "TJ", "TM"]
HELIXES = {"industry": 0.35, "academia": 0.2, "research": 0.2, "government": 0.15, "international": 0.05, "ngo": 0.05}
FILLER = {
    "en": "we our project cooperation partner company experience years team services development support "
    "regional capacity international quality programme offer seek looking joint".split(),
    "ru": "мы наша проект сотрудничество партнер компания опыт лет команда услуги развитие поддержка "
    "региональный международный качество программа предлагаем ищем совместный".split(),
    "ko": "우리 기관 프로젝트 협력 파트너 회사 경험 년 팀 서비스 개발 지원 지역 국제 품질 프로그램 제공 찾습니다 공동".split(),
}


# generator variants: A is the one the matcher was first measured on; B mixes the structure
# differently (broader and noisier profiles, popularity stronger, repeat collaboration weaker,
# government-industry instead of research-industry pairing, more noise edges)
VARIANTS = {
    "A": {
        "second_field": 0.5,
        "keep_field": 0.8,
        "wrong_field": 0.1,
        "keep_sector": 0.7,
        "no_sector": 0.15,
        "text": 0.8,
        "activity": 0.5,
        "new_country": 2.5,
        "outside": 0.03,
        "missing_helix": 3.0,
        "helix_pairs": [({"academia", "research"}, {"industry"}, 1.8), ({"industry"}, {"academia", "research"}, 1.8)],
        "fof": 2.0,
        "direct": 5.0,
        "noise_edges": 0.5,
    },
    "B": {
        "second_field": 0.8,
        "keep_field": 0.6,
        "wrong_field": 0.25,
        "keep_sector": 0.5,
        "no_sector": 0.3,
        "text": 0.6,
        "activity": 1.0,
        "new_country": 1.5,
        "outside": 0.1,
        "missing_helix": 1.5,
        "helix_pairs": [({"government"}, {"industry"}, 2.0), ({"industry"}, {"government"}, 2.0)],
        "fof": 1.2,
        "direct": 1.5,
        "noise_edges": 1.5,
    },
}


class Network:
    """One generated network: entities, earlier collaborations, trade evidence, held-out cases."""

    def __init__(self, seed: int, n_orgs: int, n_projects: int, holdout: float = 0.2, variant: str = "A"):
        self.rng = rng = random.Random(seed)
        kn = VARIANTS[variant]
        vocab = textmod.vocabulary()
        concepts_of = defaultdict(list)
        for cid, f in vocab.field.items():
            if f in FIELD_SECTORS:
                concepts_of[f].append(cid)
        field_pop = {f: rng.uniform(0.5, 2.0) for f in FIELDS}
        hs4_pool = {f: [f"{rng.randint(100, 9700):04d}" for _ in range(15)] for f in FIELDS}

        # organisations and their latent expertise
        self.orgs = []
        for o in range(n_orgs):
            country = rng.choices(list(COUNTRIES), weights=list(COUNTRIES.values()))[0]
            helix = rng.choices(list(HELIXES), weights=list(HELIXES.values()))[0]
            primary = rng.choices(FIELDS, weights=[field_pop[f] for f in FIELDS])[0]
            fields = [primary] + ([rng.choice(FIELDS)] if rng.random() < kn["second_field"] else [])
            fields = list(dict.fromkeys(fields))
            sectors = set()
            for f in fields:
                sectors.update(rng.sample(FIELD_SECTORS[f], min(len(FIELD_SECTORS[f]), rng.randint(1, 3))))
            concepts = set()
            for f in fields:
                concepts.update(rng.sample(concepts_of[f], min(len(concepts_of[f]), rng.randint(2, 5))))
            hs4 = set(rng.sample(hs4_pool[primary], rng.randint(1, 3))) if helix == "industry" else set()
            self.orgs.append(
                {
                    "id": o + 1,
                    "country": country,
                    "helix": helix,
                    "fields": fields,
                    "sectors": sectors,
                    "concepts": concepts,
                    "hs4": hs4,
                    "activity": rng.lognormvariate(0, 1),
                }
            )

        # trade evidence: each country supplies and imports a part of the products
        every = sorted({h for pool in hs4_pool.values() for h in pool})
        self.supply = {c: frozenset(rng.sample(every, len(every) // 4)) for c in COUNTRIES}
        self.demand = {c: frozenset(rng.sample(every, len(every) // 4)) for c in COUNTRIES}

        # declared profiles: noisy
        self.entities = []
        for org in self.orgs:
            fields = {f for f in org["fields"] if rng.random() < kn["keep_field"]}
            if rng.random() < kn["wrong_field"]:
                fields.add(rng.choice(FIELDS))
            sectors = (
                {s for s in sorted(org["sectors"]) if rng.random() < kn["keep_sector"]}
                if rng.random() > kn["no_sector"]
                else set()
            )
            if rng.random() < 0.2:
                sectors.add(rng.choice(FIELD_SECTORS[rng.choice(FIELDS)]))
            texts = ()
            if rng.random() > 1 - kn["text"]:  # (as drawn in the first version)
                lang = self.language(org["country"])
                texts = ((lang, self.text(org["concepts"], lang, vocab)),)
            self.entities.append(
                Entity(
                    f"org:{org['id']}",
                    org["id"],
                    org["country"],
                    org["helix"],
                    frozenset(fields),
                    frozenset(sectors),
                    frozenset(org["hs4"]),
                    languages=frozenset({texts[0][0]} if texts else set()),
                    texts=texts,
                )
            )

        # projects, in time order
        by_id = {org["id"]: org for org in self.orgs}
        self.by_id = by_id
        act = np.array([org["activity"] for org in self.orgs])
        ids = np.array([org["id"] for org in self.orgs])
        country_of = np.array([org["country"] for org in self.orgs])
        helix_of = np.array([org["helix"] for org in self.orgs])
        expertise = np.zeros((n_orgs, len(FIELDS)))
        for i, org in enumerate(self.orgs):
            for j, f in enumerate(org["fields"]):
                expertise[i, FIELDS.index(f)] = 1.0 if j == 0 else 0.6
        sector_list = sorted({x for v in FIELD_SECTORS.values() for x in v})
        sector_matrix = np.zeros((n_orgs, len(sector_list)))
        for i, org in enumerate(self.orgs):
            for x in org["sectors"]:
                sector_matrix[i, sector_list.index(x)] = 1
        position = {int(o): i for i, o in enumerate(ids)}
        neighbours: dict[int, set[int]] = defaultdict(set)
        nprng = np.random.default_rng(seed)
        self.projects = []
        for p in range(n_projects):
            year = 2010 + int(15 * p / n_projects)
            f = rng.choices(FIELDS, weights=[field_pop[x] for x in FIELDS])[0]
            fi = FIELDS.index(f)
            sectors = set(rng.sample(FIELD_SECTORS[f], min(len(FIELD_SECTORS[f]), rng.randint(1, 3))))
            ca = rng.sample(CENTRAL_ASIA, rng.choice([1, 1, 2]))
            countries = set(ca) | ({"KR"} if rng.random() < 0.8 else set())
            size = rng.randint(3, 6)
            members: list[int] = []
            # the project's topic: some concepts of its field; partners know its sectors and topic
            topic = set(rng.sample(concepts_of[f], min(4, len(concepts_of[f]))))
            overlap = (0.2 + sector_matrix[:, [sector_list.index(x) for x in sorted(sectors)]].sum(axis=1)) * (
                0.5 + np.array([len(topic & org["concepts"]) for org in self.orgs])
            )
            in_country = np.isin(country_of, list(countries))

            def formation_weight(members, neighbours, fi=fi, overlap=overlap, in_country=in_country):
                """How likely each organisation is to join a project that has ``members``."""
                weight = act ** kn["activity"] * (0.03 + expertise[:, fi]) * overlap
                covered = {by_id[m]["country"] for m in members}
                weight *= np.where(
                    in_country, np.where(np.isin(country_of, list(covered)), 1.0, kn["new_country"]), kn["outside"]
                )
                if members:
                    present = {by_id[m]["helix"] for m in members}
                    missing = ~np.isin(helix_of, list(present))
                    weight *= np.where(missing, kn["missing_helix"], 1.0)
                    for have, want, factor in kn["helix_pairs"]:
                        if present & have:
                            weight *= np.where(np.isin(helix_of, list(want)), factor, 1.0)
                    direct = set().union(*(neighbours[m] for m in members))
                    fof = set().union(*(neighbours[n] for n in direct)) if direct else set()
                    bonus = np.ones(n_orgs)
                    if fof:
                        bonus[[position[x] for x in fof]] = kn["fof"]
                    if direct:
                        bonus[[position[x] for x in direct]] = kn["direct"]
                    weight *= bonus
                    weight[[position[x] for x in members]] = 0
                return weight

            for _step in range(size):
                weight = formation_weight(members, neighbours)
                pick = int(ids[nprng.choice(n_orgs, p=weight / weight.sum())])
                members.append(pick)
            for a in members:
                neighbours[a].update(m for m in members if m != a)
            lang = rng.choice(["en", "ko", "ru"])
            self.projects.append(
                {
                    "year": year,
                    "field": f,
                    "sectors": sectors,
                    "countries": countries,
                    "members": members,
                    "text": (lang, self.text(topic, lang, vocab)),
                    "weight": formation_weight,
                }
            )
        self._position = position

        cut = int(n_projects * (1 - holdout))
        self.train, self.test = self.projects[:cut], self.projects[cut:]
        self.collaborations = [
            (a, b, "project", p["year"], (p["field"],))
            for p in self.train
            for i, a in enumerate(p["members"])
            for b in p["members"][i + 1 :]
        ]
        # noise: delegations to the same meeting, seats on the same body (same country, no expertise)
        by_country = defaultdict(list)
        for org in self.orgs:
            by_country[org["country"]].append(org["id"])
        for _ in range(int(n_orgs * kn["noise_edges"])):
            c = rng.choice(list(COUNTRIES))
            a, b = rng.sample(by_country[c], 2)
            self.collaborations.append((a, b, rng.choice(["delegation", "body"]), rng.randint(2010, 2024)))

        # the earlier projects' links (what the oracle may know)
        self.train_neighbours: dict[int, set[int]] = defaultdict(set)
        for p in self.train:
            for a in p["members"]:
                self.train_neighbours[a].update(m for m in p["members"] if m != a)
        # held-out cases: one hidden participant per test project
        self.cases = []
        for p in self.test:
            hidden = rng.choice(p["members"])
            rest = [m for m in p["members"] if m != hidden]
            lead = p["members"][0] if p["members"][0] != hidden else None
            self.cases.append((p, hidden, rest, lead))

    def language(self, country: str) -> str:
        if country == "KR":
            return "ko" if self.rng.random() < 0.7 else "en"
        return "ru" if self.rng.random() < 0.7 else "en"

    def text(self, concepts, lang: str, vocab) -> str:
        rng = self.rng
        words = []
        for c in sorted(concepts):
            terms = vocab.terms[c].get(lang) or vocab.terms[c]["en"]
            if rng.random() < 0.8:
                words.append(rng.choice(terms))
        words += rng.sample(FILLER[lang], rng.randint(4, 10))
        rng.shuffle(words)
        return " ".join(words)

    def query(self, case) -> Query:
        p, _hidden, rest, lead = case
        country = self.by_id[lead]["country"] if lead else ""
        return Query(
            country=country,
            fields=frozenset({p["field"]}),
            sectors=frozenset(p["sectors"]),
            target_countries=frozenset(p["countries"]),
            texts=(p["text"],),
            partner_orgs=frozenset(rest),
        )


def project_query(net: Network, p: dict, rest: list[int], lead: int | None) -> Query:
    country = net.by_id[lead]["country"] if lead else ""
    return Query(
        country=country,
        fields=frozenset({p["field"]}),
        sectors=frozenset(p["sectors"]),
        target_countries=frozenset(p["countries"]),
        texts=(p["text"],),
        partner_orgs=frozenset(rest),
    )


def fit_weights(net: Network, seed: int, share: float = 0.25, weights: dict | None = None) -> dict:
    """Weights fitted on the earlier (not held-out) projects only: the graph of the first 75 %
    of them, and as examples each participant of the last 25 % given the others."""
    cut = int(len(net.train) * (1 - share))
    early, late = net.train[:cut], net.train[cut:]
    collab = [e for e in net.collaborations if e[2] != "project"]
    collab += [
        (a, b, "project", p["year"], (p["field"],))
        for p in early
        for i, a in enumerate(p["members"])
        for b in p["members"][i + 1 :]
    ]
    examples = []
    for p in late:
        for m in p["members"]:
            rest = [x for x in p["members"] if x != m]
            examples.append((project_query(net, p, rest, rest[0] if p["members"][0] != m else None), f"org:{m}"))
    idx = MatchIndex.build(net.entities, collab, net.supply, net.demand, weights=weights)
    idx.fit(examples, seed=seed)
    return {**(weights or {}), **(idx.fitted or {})}


def evaluate(net: Network, weights: dict | None = None, k: int = 100) -> tuple[float, float]:
    idx = MatchIndex.build(net.entities, net.collaborations, net.supply, net.demand, weights=weights)
    hits, rr = 0, 0.0
    for case in net.cases:
        got = [m.org_id for m in idx.match(net.query(case), k, kinds=("org",))]
        hidden = case[1]
        if hidden in got:
            rank = got.index(hidden) + 1
            hits += rank <= 10
            rr += 1 / rank
    return hits / len(net.cases), rr / len(net.cases)


def oracle(net: Network) -> tuple[float, float]:
    """An upper reference, not a method: the generator's own formation weights on the true
    latent expertise (which no matcher sees), given the remaining participants and the earlier
    projects' links."""
    hits, rr = 0, 0.0
    for p, hidden, rest, _lead in net.cases:
        weight = p["weight"](rest, net.train_neighbours)
        rank = int((weight > weight[net._position[hidden]]).sum()) + 1
        hits += rank <= 10
        rr += 1 / rank if rank <= 100 else 0
    return hits / len(net.cases), rr / len(net.cases)


def baselines(net: Network, seed: int) -> dict[str, tuple[float, float]]:
    rng = random.Random(seed)
    all_ids = [org["id"] for org in net.orgs]
    in_field: dict[str, Counter] = defaultdict(Counter)
    total: Counter = Counter()
    for p in net.train:
        for m in p["members"]:
            in_field[p["field"]][m] += 1
            total[m] += 1
    out = {}
    # random: a random order of the organisations not already in the project
    hits, rr = 0, 0.0
    for _p, _hidden, rest, _lead in net.cases:
        pool = [o for o in all_ids if o not in rest]
        rank = rng.randrange(len(pool)) + 1  # the hidden one's place in a random order
        hits += rank <= 10
        rr += 1 / rank if rank <= 100 else 0
    out["random"] = (hits / len(net.cases), rr / len(net.cases))
    # popularity: most active organisations in the project's field (earlier projects), then overall
    hits, rr = 0, 0.0
    for p, hidden, rest, _lead in net.cases:
        order = sorted((o for o in all_ids if o not in rest), key=lambda o: (-in_field[p["field"]][o], -total[o], o))
        rank = order.index(hidden) + 1
        hits += rank <= 10
        rr += 1 / rank if rank <= 100 else 0
    out["popularity"] = (hits / len(net.cases), rr / len(net.cases))
    return out


ABLATIONS = {
    "matcher (default weights)": None,
    "  defaults + activity prior 1.0": {"activity": 1.0},
    "  without collaboration": {"collaboration": 0.0},
    "  without field experience": {"experience": 0.0},
    "  without text": {"text": 0.0},
    "  without helix and country": {"helix": 0.0, "country": 0.0},
    "  codes only (field, sector)": {
        "collaboration": 0.0,
        "text": 0.0,
        "helix": 0.0,
        "country": 0.0,
        "trade": 0.0,
        "activity": 0.0,
    },
}

ESSENTIAL = {"  defaults + activity prior 1.0"}


def run(seeds: list[int], n_orgs: int, n_projects: int, ablations: bool = True, variant: str = "A") -> dict:
    rows: dict[str, list[tuple[float, float]]] = defaultdict(list)
    print(f"\n=== generator variant {variant} ===")
    for seed in seeds:
        t0 = time.perf_counter()
        net = Network(seed, n_orgs, n_projects, variant=variant)
        print(
            f"seed {seed}: {n_orgs} organisations, {len(net.train)} earlier projects, {len(net.cases)} held-out "
            f"cases, {len(net.collaborations)} collaboration edges (generated in {time.perf_counter() - t0:.1f} s)",
            flush=True,
        )
        for name, weights in ABLATIONS.items():
            if name.startswith("  ") and name not in ESSENTIAL and not ablations:
                continue
            rows[name].append(evaluate(net, weights))
        t1 = time.perf_counter()
        fitted = fit_weights(net, seed)
        print(
            f"  fitted weights ({time.perf_counter() - t1:.1f} s): "
            + " ".join(f"{k}={v:.2f}" for k, v in fitted.items()),
            flush=True,
        )
        rows["matcher (weights fitted on earlier projects)"].append(evaluate(net, fitted))
        for name, value in baselines(net, seed).items():
            rows["baseline: " + name].append(value)
        rows["reference: generator's own weights"].append(oracle(net))
    print(
        f"\n{'method':36} {'recall@10':>10} {'MRR':>8}   (mean over seeds {','.join(map(str, seeds))}; per seed recall@10)"
    )
    means = {}
    for name, values in rows.items():
        r = sum(v[0] for v in values) / len(values)
        m = sum(v[1] for v in values) / len(values)
        means[name] = (r, m)
        per_seed = " ".join(f"{v[0]:.3f}" for v in values)
        print(f"{name:36} {r:10.3f} {m:8.3f}   [{per_seed}]")
    pop = means["baseline: popularity"][0]
    for name in ("matcher (default weights)", "matcher (weights fitted on earlier projects)"):
        ratio = means[name][0] / pop if pop else math.inf
        print(
            f"{name} recall@10 / popularity baseline: {ratio:.2f}× (goal ≥ 2.5×: {'met' if ratio >= 2.5 else 'NOT met'})"
        )
    return means


def index_speed(n_orgs: int = 50_000, n_profiles: int = 150_000, n_edges: int = 500_000, seed: int = 7) -> None:
    """The library alone, in memory (the PostgreSQL figures are bench/network_speed.py's): build
    time and top-10-with-reasons latency over random entities with texts in en/ko/ru. Wall and
    CPU time are both printed (on a shared machine the CPU time is the steadier figure)."""
    rng = random.Random(seed)
    vocab = textmod.vocabulary()
    concept_ids = vocab.ids
    helixes = list(HELIXES)
    sectors = sorted({x for v in FIELD_SECTORS.values() for x in v})

    def text() -> tuple[str, str]:
        lang = rng.choice(["en", "ko", "ru"])
        words = [rng.choice(vocab.terms[c][lang] or vocab.terms[c]["en"]) for c in rng.sample(concept_ids, 4)]
        words += rng.sample(FILLER[lang], 8)
        rng.shuffle(words)
        return lang, " ".join(words)

    print(
        f"\nindex speed (library, in memory): {n_orgs} organisations, {n_profiles} profiles, {n_edges} edges",
        flush=True,
    )
    ents = []
    for o in range(n_orgs):
        ents.append(
            Entity(
                f"org:{o}",
                o,
                rng.choice(list(COUNTRIES)),
                rng.choice(helixes),
                frozenset(rng.sample(FIELDS, 2)),
                frozenset(rng.sample(sectors, 3)),
                frozenset(f"{rng.randint(100, 9700):04d}" for _ in range(2)),
                texts=(text(),),
            )
        )
    for p in range(n_profiles):
        org = ents[rng.randrange(n_orgs)]
        ents.append(
            Entity(
                f"profile:{p}",
                org.org_id,
                org.country,
                org.helix,
                frozenset(rng.sample(FIELDS, 1)),
                frozenset(rng.sample(sectors, 3)),
                frozenset(),
                frozenset(rng.sample(list(COUNTRIES), 2)),
                frozenset(rng.sample(helixes, 2)),
                texts=(text(), text()),
                kind=rng.choice(["tech_offer", "tech_request", "research_partner"]),
            )
        )
    edges = [
        (
            rng.randrange(n_orgs),
            rng.randrange(n_orgs),
            rng.choice(["project", "delegation", "body"]),
            rng.randint(2010, 2025),
            (rng.choice(FIELDS),),
        )
        for _ in range(n_edges)
    ]
    products = [f"{rng.randint(100, 9700):04d}" for _ in range(1200)]
    supply = {c: frozenset(rng.sample(products, 300)) for c in COUNTRIES}
    demand = {c: frozenset(rng.sample(products, 300)) for c in COUNTRIES}
    t0, c0 = time.perf_counter(), time.process_time()
    idx = MatchIndex.build(ents, edges, supply, demand)
    print(f"build: {time.perf_counter() - t0:.1f} s wall, {time.process_time() - c0:.1f} s CPU", flush=True)
    for label, filters in (("top-10 with reasons", False), ("top-8, country + helix filter", True)):
        wall, cpu = [], []
        for _ in range(300):
            e = ents[rng.randrange(len(ents))]
            q = Query.from_entity(e, partner_orgs=frozenset(rng.sample(range(n_orgs), 3)))
            kw = {"country": rng.choice(list(COUNTRIES)), "helix": rng.choice(helixes)} if filters else {}
            t0, c0 = time.perf_counter(), time.process_time()
            idx.match(q, 8 if filters else 10, **kw)
            wall.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        wall.sort()
        cpu.sort()
        print(
            f"{label:32} wall p50 {wall[150] * 1000:6.1f} ms p95 {wall[284] * 1000:6.1f} ms; "
            f"CPU p50 {cpu[150] * 1000:6.1f} ms p95 {cpu[284] * 1000:6.1f} ms",
            flush=True,
        )
    print(f"(load average after the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--orgs", type=int, default=2000)
    parser.add_argument("--projects", type=int, default=1600)
    parser.add_argument("--no-ablations", action="store_true")
    parser.add_argument("--variants", default="A,B", help="generator variants (A, B)")
    parser.add_argument("--index-speed", action="store_true", help="then time the library alone at full size")
    parser.add_argument(
        "--speed", action="store_true", help="then run the PostgreSQL speed part (bench/network_speed.py)"
    )
    args = parser.parse_args(argv)
    for variant in args.variants.split(","):
        run(
            [int(s) for s in args.seeds.split(",")],
            args.orgs,
            args.projects,
            ablations=not args.no_ablations,
            variant=variant,
        )
    if args.index_speed or args.speed:
        index_speed()
    if args.speed:
        path = Path(__file__).with_name("network_speed.py")
        if not path.exists():
            print("\nspeed part: bench/network_speed.py is not there; skipped")
            return
        spec = importlib.util.spec_from_file_location("network_speed", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print("\nspeed part (bench/network_speed.py):", flush=True)
        module.main(set_up=True)


if __name__ == "__main__":
    main()
