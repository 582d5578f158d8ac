"""The consortium builder (pure): one slot per country × helix, filled / proposed / gap."""

from __future__ import annotations

from serai.network.consortium import CORE_HELICES, Participant, propose
from serai.network.matching import Entity, MatchIndex
from serai.network.text import Vocabulary

VOCABULARY = Vocabulary.from_dict({"concepts": {}})  # codes only here: no text in these entities


def org(pk: int, country: str, helix: str, fields=("energy",), **kw) -> Entity:
    return Entity(key=f"org:{pk}", org_id=pk, country=country, helix=helix, fields=frozenset(fields), **kw)


def profile(pk: int, org_id: int, country: str, helix: str, fields=("energy",), **kw) -> Entity:
    return Entity(
        key=f"profile:{pk}",
        org_id=org_id,
        country=country,
        helix=helix,
        fields=frozenset(fields),
        kind="tech_offer",
        **kw,
    )


def small_index(collaborations=()):
    entities = [
        org(1, "KR", "academia"),
        org(2, "KR", "industry"),
        org(3, "KR", "government"),
        org(4, "KR", "research"),
        org(10, "KZ", "research"),
        org(11, "KZ", "industry"),
        org(12, "KZ", "government"),
        org(13, "KZ", "industry", fields=("health",)),  # another field: a weaker industry candidate
        org(20, "TJ", "government"),
        org(21, "TJ", "industry"),  # no Tajik academia or research
        org(30, "UZ", "academia"),  # a country outside the project
        profile(100, 11, "KZ", "industry"),
        profile(101, 11, "KZ", "industry"),  # two profiles of one org
    ]
    return MatchIndex.build(entities, collaborations, vocabulary=VOCABULARY)


def test_slots_cover_each_helix_in_each_country_in_order():
    proposal = propose(small_index(), countries=["KR", "KZ", "TJ"], fields=["energy"])
    assert proposal.countries == ("KR", "KZ", "TJ")
    assert proposal.helices == CORE_HELICES
    assert [(s.country, s.helix) for s in proposal.slots] == [(c, h) for c in ("KR", "KZ", "TJ") for h in CORE_HELICES]
    assert proposal.cell("KZ", "industry").proposal.org_id == 11
    # an organisation of another country never fills a slot
    assert all(m.org_id != 30 for s in proposal.slots for m in s.candidates)


def test_gaps_are_the_slots_nobody_fills():
    proposal = propose(small_index(), countries=["KR", "KZ", "TJ"], fields=["energy"])
    assert {(s.country, s.helix) for s in proposal.gaps} == {("KZ", "academia"), ("TJ", "research"), ("TJ", "academia")}
    tj_academia = proposal.cell("TJ", "academia")
    assert tj_academia.gap and tj_academia.proposal is None and tj_academia.candidates == []


def test_participants_fill_their_slot_and_are_never_proposed():
    participants = [Participant(2, "KR", "industry"), Participant(12, "KZ", "government")]
    proposal = propose(small_index(), countries=["KR", "KZ"], fields=["energy"], participants=participants)
    filled = proposal.cell("KR", "industry")
    assert filled.filled and filled.members == (2,) and filled.proposal is None and not filled.gap
    assert proposal.cell("KZ", "government").members == (12,)
    proposed = {m.org_id for s in proposal.slots for m in s.candidates}
    assert not proposed & {2, 12}


def test_one_candidate_per_organisation_best_first_with_alternatives():
    proposal = propose(small_index(), countries=["KZ"], fields=["energy"], alternatives=3)
    industry = proposal.cell("KZ", "industry")
    ids = [m.org_id for m in industry.candidates]
    assert ids == [11, 13]  # org 11 once, although its two profiles also match; the other field last
    assert industry.alternatives[0].org_id == 13
    assert all(m.reasons for m in industry.candidates)


def test_earlier_collaboration_with_a_participant_decides_between_equals():
    # two Kazakh research institutes alike but for one's earlier project with the Korean participant
    entities = [org(1, "KR", "academia"), org(40, "KZ", "research"), org(41, "KZ", "research")]
    index = MatchIndex.build(entities, [(1, 41, "project", 2020)], vocabulary=VOCABULARY)
    proposal = propose(
        index, countries=["KR", "KZ"], fields=["energy"], participants=[Participant(1, "KR", "academia")]
    )
    slot = proposal.cell("KZ", "research")
    assert slot.proposal.org_id == 41
    assert "collaboration" in {r.code for r in slot.proposal.reasons}


def test_excluded_organisations_never_appear():
    proposal = propose(small_index(), countries=["KZ"], fields=["energy"], exclude_orgs=[11])
    assert proposal.cell("KZ", "industry").proposal.org_id == 13


def test_country_codes_are_read_in_capitals_and_once():
    proposal = propose(small_index(), countries=["kz", "KZ"], fields=["energy"])
    assert proposal.countries == ("KZ",)
    assert [c for c, _slots in proposal.rows()] == ["KZ"]


def test_one_pass_per_country_proposes_what_one_query_per_slot_proposes(monkeypatch):
    import serai.network.consortium as consortium

    def ids(proposal):
        return [(s.country, s.helix, s.members, [m.org_id for m in s.candidates]) for s in proposal.slots]

    index = small_index()
    args = {"countries": ["KR", "KZ", "TJ"], "fields": ["energy"], "participants": [Participant(2, "KR", "industry")]}
    one_by_one = ids(propose(index, batch=False, **args))
    assert ids(propose(index, **args)) == one_by_one
    # a pass cut at its limit (one result per slot here) asks the slots it left short again
    monkeypatch.setattr(consortium, "BATCH_PER_SLOT", 1)
    calls = []
    real = index.match

    def counting(query, k=10, **kw):
        calls.append(kw["helix"])
        return real(query, k=k, **kw)

    monkeypatch.setattr(index, "match", counting)
    assert ids(propose(index, alternatives=2, batch=True, **args)) == ids(
        propose(index, alternatives=2, batch=False, **args)
    )
    assert any(isinstance(h, str) for h in calls) and any(isinstance(h, list) for h in calls)
