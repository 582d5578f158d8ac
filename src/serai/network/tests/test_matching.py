"""Partner matching (pure: no database)."""

from __future__ import annotations

import random

import pytest

from serai.network.matching import Entity, Match, MatchIndex, Query, Reason

KO_NEED = "카자흐스탄 연구기관과 태양광 발전소 및 수소 연료전지 기술 협력을 원합니다"
RU_OFFER = "Предлагаем технологии солнечных электростанций и водородных топливных элементов"


def entities():
    return [
        Entity("org:1", 1, "KR", "academia", {"energy"}, {"23230"}, texts=(("ko", "에너지 연구 대학"),)),
        Entity(
            "profile:10",
            1,
            "KR",
            "academia",
            {"energy"},
            set(),
            seeks_helix={"research"},
            target_countries={"KZ"},
            kind="tech_request",
            texts=(("ko", KO_NEED),),
        ),
        # the Kazakh research institute: its offer is in Russian and has no codes in common
        Entity(
            "org:2",
            2,
            "KZ",
            "research",
            {"education"},
            {"11420"},
            languages={"ru", "kk"},
            texts=(("ru", "Научно-исследовательский институт"),),
        ),
        Entity(
            "profile:20",
            2,
            "KZ",
            "research",
            set(),
            set(),
            kind="tech_offer",
            target_countries={"KR"},
            texts=(("ru", RU_OFFER),),
        ),
        Entity(
            "org:3",
            3,
            "KZ",
            "industry",
            {"energy"},
            {"23230", "23210"},
            hs4={"2709"},
            languages={"ru"},
            texts=(("ru", "Нефтегазовая компания"),),
        ),
        Entity(
            "org:4",
            4,
            "UZ",
            "industry",
            {"agriculture"},
            {"31140"},
            hs4={"5201"},
            languages={"en"},
            texts=(("en", "Cotton growing with drip irrigation"),),
        ),
        Entity("org:5", 5, "KZ", "government", {"energy"}, {"23110"}, texts=(("ru", "Министерство энергетики"),)),
        Entity("org:6", 6, "KG", "research", {"energy"}, {"23230"}, texts=(("ru", "Гидроэнергетика"),)),
        Entity("org:7", 7, "KR", "industry", {"energy"}, {"23230"}, texts=(("en", "Solar modules"),)),
    ]


COLLABORATIONS = [(1, 7, "project", 2022), (7, 3, "project", 2023), (5, 6, "delegation", 2021), (1, 7, "body", 2020)]
SUPPLY = {"KZ": {"2709"}, "UZ": {"5201"}, "KR": {"8703"}}
DEMAND = {"KR": {"2709", "5201"}, "KZ": {"8703"}}


@pytest.fixture(scope="module")
def index():
    return MatchIndex.build(entities(), COLLABORATIONS, SUPPLY, DEMAND)


def reasons_of(match: Match) -> dict[str, Reason]:
    return {r.code: r for r in match.reasons}


def test_korean_need_meets_russian_offer_through_concepts(index):
    need = index.entity("profile:10")
    results = index.match(Query.from_entity(need), k=5)
    keys = [m.key for m in results]
    assert keys[0] == "profile:20"
    text = reasons_of(results[0])["text"]
    assert {"solar", "hydrogen"} <= set(text.params["concepts"])
    assert text.weight > 0
    # the offer is also the kind the request asks for, from the helix it seeks, in its target country
    top = reasons_of(results[0])
    assert top["kind"].params == {"kind": "tech_offer", "query_kind": "tech_request"}
    assert top["helix"].params["helix"] == "research" and top["helix"].params["sought"] is True
    assert top["country"].params["country"] == "KZ" and top["country"].params["targets_query_country"] is True


def test_without_the_concepts_the_texts_share_nothing():
    """The Korean and Russian texts have no token in common: only the vocabulary joins them."""
    from serai.network import text

    assert not set(text.tokens(KO_NEED)) & set(text.tokens(RU_OFFER))


def test_structured_reasons_name_their_codes(index):
    q = Query(
        org_id=1, country="KR", helix="academia", fields={"energy"}, sectors={"23230", "23210"}, target_countries={"KZ"}
    )
    results = index.match(q, k=10, kinds=("org",))
    by_key = {m.key: m for m in results}
    org3 = reasons_of(by_key["org:3"])
    assert org3["sector"].params == {"sectors": ["23210", "23230"]}  # the rarer code first
    assert org3["field"].params["fields"] == ["energy"]
    assert org3["helix"].params["helix"] == "industry" and org3["helix"].params["missing"] is True
    assert org3["helix"].params["present"] == ["academia"]
    assert org3["country"].params == {"country": "KZ", "target": True, "new": True, "targets_query_country": False}
    # Korea imports the oil Kazakhstan supplies, and the organisation names that product
    assert org3["trade"].params["exporter_to_query"] == ["2709"]
    # worked with org 7, which worked with the asking organisation: a friend of a friend
    assert org3["collaboration"].params["hops"] == 2 and org3["collaboration"].params["via"] == [7]
    # reasons are strongest first and make up the score with the activity prior
    weights = [r.weight for r in by_key["org:3"].reasons]
    assert weights == sorted(weights, reverse=True)
    assert sum(weights) == pytest.approx(by_key["org:3"].score, abs=0.25)


def test_direct_collaboration_names_partner_and_kinds(index):
    q = Query(fields={"energy"}, partner_orgs={1})
    results = index.match(q, k=10, kinds=("org",))
    org7 = reasons_of(next(m for m in results if m.key == "org:7"))
    assert org7["collaboration"].params["with"] == [1]
    assert org7["collaboration"].params["kinds"] == ["body", "project"]
    assert org7["collaboration"].params["hops"] == 1


def test_params_hold_codes_and_numbers_only(index):
    for m in index.match(Query.from_entity(index.entity("profile:10")), k=10):
        for r in m.reasons:
            for value in r.params.values():
                items = value if isinstance(value, list) else [value]
                for item in items:
                    assert isinstance(item, (str, int, float, bool))
                    assert not isinstance(item, str) or " " not in item  # a code, not a sentence


def test_query_org_and_project_partners_are_excluded(index):
    q = Query(org_id=2, fields={"energy"}, partner_orgs={3, 7}, exclude_orgs={5})
    orgs = {m.org_id for m in index.match(q, k=20)}
    assert orgs and not orgs & {2, 3, 5, 7}
    # the query's own profile is not a result of itself either
    need = index.entity("profile:10")
    assert "profile:10" not in {m.key for m in index.match(Query(fields={"energy"}, key=need.key), k=20)}


def test_filters(index):
    q = Query(fields={"energy"}, texts=(("en", "solar energy research"),))
    assert {m.org_id for m in index.match(q, k=20, country="KZ")} <= {2, 3, 5}
    assert {m.key for m in index.match(q, k=20, helix="industry")} <= {"org:3", "org:4", "org:7"}
    assert {m.key for m in index.match(q, k=20, helix=["industry", "government"], country="KZ")} == {"org:3", "org:5"}
    field_keys = {m.key for m in index.match(q, k=20, field="agriculture")}
    assert field_keys <= {"org:4"}
    assert {m.key for m in index.match(q, k=20, language="kk")} <= {"org:2"}
    assert all(m.key.startswith("profile:") for m in index.match(q, k=20, kinds=("profile",)))
    assert all(m.key.startswith("org:") for m in index.match(q, k=20, kinds=("org",)))
    assert index.match(q, k=20, country="TM") == []


def test_nothing_in_common_gives_no_match(index):
    assert index.match(Query(fields={"tourism"}), k=10) == []
    assert index.match(Query(), k=10) == []


def test_ordering_is_deterministic_and_independent_of_input_order():
    ents = entities()
    # equal candidates: the key decides
    twins = [Entity(f"org:{i}", i, "TJ", "ngo", {"culture"}, {"16061"}) for i in (30, 31, 32)]
    shuffled = ents + twins
    random.Random(4).shuffle(shuffled)
    a = MatchIndex.build(ents + twins, COLLABORATIONS, SUPPLY, DEMAND)
    b = MatchIndex.build(shuffled, list(reversed(COLLABORATIONS)), SUPPLY, DEMAND)
    q = Query(fields={"culture"}, sectors={"16061"})
    ra, rb = a.match(q, k=3), b.match(q, k=3)
    assert [m.key for m in ra] == [m.key for m in rb] == ["org:30", "org:31", "org:32"]
    q2 = Query.from_entity(a.entity("profile:10"))
    assert [(m.key, m.score) for m in a.match(q2)] == [(m.key, m.score) for m in b.match(q2)]


def test_k_limits_and_the_best_come_first(index):
    q = Query(fields={"energy"}, sectors={"23230"})
    full = index.match(q, k=50)
    assert [m.key for m in index.match(q, k=2)] == [m.key for m in full[:2]]
    scores = [m.score for m in full]
    assert scores == sorted(scores, reverse=True)


def test_entity_and_query_accept_plain_collections():
    e = Entity("org:1", 1, "KR", "academia", ["energy"], ("23230",), texts=[("en", "solar")])
    assert e.fields == frozenset({"energy"}) and e.texts == (("en", "solar"),)
    q = Query(fields=["energy"], partner_orgs=[1, 2], texts="solar")
    assert q.partner_orgs == frozenset({1, 2}) and q.texts == (("", "solar"),)


def test_empty_index():
    assert MatchIndex.build([]).match(Query(fields={"energy"})) == []


def test_earlier_joint_work_in_the_field_is_field_evidence():
    """An organisation that names no field but worked on energy projects is found for energy."""
    ents = [
        Entity("org:1", 1, "KR", "academia", {"energy"}),
        Entity("org:2", 2, "KZ", "industry"),
        Entity("org:3", 3, "KZ", "industry", {"health"}),
        Entity("org:4", 4, "UZ", "research", {"energy"}),
    ]
    edges = [(2, 4, "project", 2020, ("energy",)), (2, 4, "project", 2021, ("energy",)), (3, 4, "project", 2021)]
    index = MatchIndex.build(ents, edges)
    results = index.match(Query(fields={"energy"}), k=5)
    by_key = {m.key: reasons_of(m) for m in results}
    assert by_key["org:2"]["field"].params == {"fields": [], "from_text": [], "earlier_links_in_field": 2}
    assert "org:3" not in by_key  # worked with the same partner, but not in energy


def test_a_selective_filter_gives_the_same_scores_and_reasons_as_no_filter(index):
    """With a selective filter the matcher scores the eligible entities only; nothing changes."""
    q = Query.from_entity(index.entity("profile:10"), partner_orgs={7})
    full = [m for m in index.match(q, k=50) if index.entity(m.key).country == "KZ"]
    filtered = index.match(q, k=50, country="KZ")
    assert [(m.key, m.score, m.reasons) for m in filtered] == [(m.key, m.score, m.reasons) for m in full]
    assert filtered


def test_the_matcher_is_a_plain_library():
    """No Django import: the benchmark and the consortium builder use it without settings."""
    import subprocess
    import sys

    code = (
        "import sys, serai.network.matching, serai.network.text; "
        "sys.exit(1 if any(m == 'django' or m.startswith('django.') for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def _fit_world(n_examples: int):
    """Partners always share the query's field; the query's sector says nothing about them."""
    rng = random.Random(5)
    fields, sectors = ["energy", "health", "agriculture", "transport"], ["23230", "12220", "31140", "21020"]
    ents = [Entity(f"org:{i}", i, "KZ", "industry", {rng.choice(fields)}, {rng.choice(sectors)}) for i in range(1, 201)]
    by_field = {f: [e for e in ents if f in e.fields] for f in fields}
    examples = []
    for _ in range(n_examples):
        f = rng.choice(fields)
        examples.append((Query(fields={f}, sectors={rng.choice(sectors)}), rng.choice(by_field[f]).key))
    return ents, examples


def test_fit_gives_the_predictive_part_a_larger_weight_than_the_noise_part():
    ents, examples = _fit_world(200)
    index = MatchIndex.build(ents)
    weights = index.fit(examples, seed=1)
    assert index.fitted is not None
    assert index.fitted["field"] > 2 * index.fitted["sector"]
    assert weights["field"] == index.fitted["field"]  # applied to the index
    assert index.fit(examples, seed=1) == weights  # seeded: the same weights again


def test_fit_keeps_the_default_weights_with_too_few_examples():
    ents, examples = _fit_world(20)
    index = MatchIndex.build(ents)
    before = dict(index.weights)
    assert index.fit(examples) == before and index.fitted is None


def test_activity_is_a_reason_with_the_number_of_earlier_links():
    ents = [
        Entity("org:1", 1, "KR", "academia", {"energy"}),
        Entity("org:2", 2, "KZ", "industry", {"energy"}),
        Entity("org:3", 3, "KZ", "industry", {"energy"}),
        Entity("org:4", 4, "UZ", "research", {"health"}),
    ]
    edges = [(2, 4, "project", 2020, ("energy",)), (2, 4, "project", 2021, ("energy",)), (2, 1, "body", 2021)]
    index = MatchIndex.build(ents, edges, weights={"activity": 1.0})
    results = {m.key: reasons_of(m) for m in index.match(Query(fields={"energy"}), k=5)}
    assert results["org:2"]["activity"].params == {"count": 2, "in_fields": 2}
    assert "activity" not in results["org:3"]  # no earlier links


def gap_entities():
    same = {"fields": {"energy"}, "sectors": {"23230"}, "texts": (("en", "Solar power plants"),)}
    return [
        Entity("org:11", 11, "KZ", "academia", **same),  # partners: academia and government, both in KZ
        Entity("org:12", 12, "KZ", "government", **same),
        # candidates, alike but for helix and country; the one filling both gaps has the last key
        Entity("org:21", 21, "KZ", "academia", **same),  # fills nothing
        Entity("org:22", 22, "KZ", "industry", **same),  # the missing helix only
        Entity("org:23", 23, "UZ", "academia", **same),  # the uncovered country only
        Entity("org:29", 29, "UZ", "industry", **same),  # the missing helix and the uncovered country
    ]


GAP_QUERY = Query(fields={"energy"}, sectors={"23230"}, target_countries={"KZ", "UZ"}, partner_orgs={11, 12})


@pytest.mark.parametrize("weights", [None, {"helix": 0.0, "country": 0.0}])
def test_gap_ranks_the_candidate_of_the_missing_helix_and_country_first(weights):
    index = MatchIndex.build(gap_entities(), weights=weights)
    results = index.match(GAP_QUERY, k=4)
    assert [m.key for m in results][0] == "org:29"
    gap = reasons_of(results[0])["gap"]
    assert gap.params == {"helix": "industry", "country": "UZ"} and gap.weight > 0
    by_key = {m.key: reasons_of(m) for m in results}
    assert by_key["org:22"]["gap"].params == {"helix": "industry", "country": ""}
    assert by_key["org:23"]["gap"].params == {"helix": "", "country": "UZ"}
    assert "gap" not in by_key["org:21"]  # academia in Kazakhstan: the consortium has both
    if weights:  # only the gap part separates them: both gaps beat one, one beats none
        scores = {m.key: m.score for m in results}
        assert scores["org:29"] > scores["org:22"] == scores["org:23"] > scores["org:21"]


def test_no_partners_no_gap():
    index = MatchIndex.build(gap_entities())
    results = index.match(Query(fields={"energy"}, target_countries={"KZ", "UZ"}, helix="academia"), k=4)
    assert results and all("gap" not in reasons_of(m) for m in results)
