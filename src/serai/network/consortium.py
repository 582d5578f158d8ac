"""Consortium proposals on top of the matcher (PURE: no Django import).

A Forum project should bring each helix of each of its countries to the table. Given a
:class:`serai.network.matching.MatchIndex`, the project's countries, its fields / DAC sectors / HS4
products and its current participants, :func:`propose` fills a grid of *slots*, one per
(country, helix):

* a slot already held by a participant is **filled** (no proposal);
* otherwise the matcher is asked for the best organisations *of that country and that helix*
  for the project's features (its fields, sectors, products and texts, seeking that helix, the
  project's countries as targets), with the current participants and the partners already
  proposed for earlier countries as ``partner_orgs`` — so earlier collaboration with the
  consortium counts — and the participants excluded. The best one is **proposed**, the next ones
  are kept as alternatives, each with the matcher's reasons (one candidate per organisation: an
  organisation and its profiles may all match);
* a slot nobody fills is a **gap** (the web layer words it: "no Tajik academic partner yet").

Countries are visited in the order given, helices in ``helices`` order; the choice is greedy per
country (the proposals for one country join ``partner_orgs`` for the next ones), so the result is
deterministic for the same index and input.

Cost: one ``match`` pass per country with open slots, filtered to that country and its open
helices, all of them sought (so within a helix the order is the one a query for that helix alone
gives) and asking ``BATCH_PER_SLOT × alternatives`` results per open slot; a slot that gets fewer
than ``alternatives`` candidates from a pass that was cut at its limit is asked again on its own
(a pass that returned fewer results than asked already holds every candidate, so a gap costs
nothing more). ``batch=False`` asks each open slot on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

# The four helices the Forum's founding papers name; a consortium covers each in each country.
CORE_HELICES: tuple[str, ...] = ("government", "industry", "research", "academia")
# A country's open slots are first asked in one pass for this many results per slot and candidate.
BATCH_PER_SLOT = 8


@dataclass(frozen=True)
class Participant:
    """An organisation already in the project."""

    org_id: int
    country: str
    helix: str


@dataclass
class Slot:
    """One (country, helix) cell of the consortium grid."""

    country: str
    helix: str
    members: tuple[int, ...] = ()  # current participants holding this cell
    candidates: list[Any] = field(default_factory=list)  # matching.Match, best first, one per organisation

    @property
    def filled(self) -> bool:
        return bool(self.members)

    @property
    def proposal(self) -> Any | None:
        """The proposed partner (a ``Match``), or None when filled or a gap."""
        return self.candidates[0] if self.candidates and not self.members else None

    @property
    def alternatives(self) -> list[Any]:
        return self.candidates[1:] if not self.members else []

    @property
    def gap(self) -> bool:
        return not self.members and not self.candidates


@dataclass
class Proposal:
    countries: tuple[str, ...]
    helices: tuple[str, ...]
    slots: list[Slot]

    def cell(self, country: str, helix: str) -> Slot:
        return self.slots[self.countries.index(country) * len(self.helices) + self.helices.index(helix)]

    @property
    def gaps(self) -> list[Slot]:
        return [s for s in self.slots if s.gap]

    @property
    def proposed(self) -> list[Slot]:
        return [s for s in self.slots if s.proposal is not None]

    @property
    def filled(self) -> list[Slot]:
        return [s for s in self.slots if s.filled]

    def rows(self) -> list[tuple[str, list[Slot]]]:
        """(country, its slots in helix order) for a country × helix table."""
        n = len(self.helices)
        return [(c, self.slots[i * n : (i + 1) * n]) for i, c in enumerate(self.countries)]


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for v in values:
        if v and v not in seen:
            seen[v] = None
    return tuple(seen)


def propose(
    index: Any,
    *,
    countries: Sequence[str],
    fields: Iterable[str] = (),
    sectors: Iterable[str] = (),
    hs4: Iterable[str] = (),
    texts: Iterable[tuple[str, str]] = (),
    participants: Iterable[Participant] = (),
    helices: Sequence[str] = CORE_HELICES,
    alternatives: int = 3,
    exclude_orgs: Iterable[int] = (),
    language: str | None = None,
    batch: bool = True,
) -> Proposal:
    """Propose a consortium covering each helix in each country (see the module docstring).

    ``index`` is a ``MatchIndex`` (anything with the same ``match`` method). ``alternatives`` is
    how many candidates each open slot keeps (the proposal and the next best). ``exclude_orgs``
    never appear (e.g. organisations the viewer may not see). ``language`` filters like the
    matcher's ``language`` filter."""
    from .matching import Query

    countries = _unique(c.upper() for c in countries)
    helices = _unique(helices)
    if alternatives < 1:
        raise ValueError("alternatives must be at least 1")
    participants = list(participants)
    members: dict[tuple[str, str], list[int]] = {}
    for p in participants:
        members.setdefault((p.country.upper(), p.helix), []).append(p.org_id)
    partner_orgs = {p.org_id for p in participants}
    excluded = set(exclude_orgs) | partner_orgs
    base = {
        "fields": frozenset(fields),
        "sectors": frozenset(sectors),
        "hs4": frozenset(hs4),
        "texts": tuple(texts),
        "target_countries": frozenset(countries),
    }
    slots: list[Slot] = [Slot(c, h, members=tuple(sorted(members.get((c, h), ())))) for c in countries for h in helices]

    def take(slot: Slot, found: list[Any]) -> None:
        seen = {m.org_id for m in slot.candidates}
        for m in found:
            if len(slot.candidates) == alternatives:
                break
            if m.org_id in seen or m.org_id in excluded:
                continue
            seen.add(m.org_id)
            slot.candidates.append(m)

    def query(seeks: Iterable[str]) -> Any:
        return Query(
            **base, seeks_helix=frozenset(seeks), exclude_orgs=frozenset(excluded), partner_orgs=frozenset(partner_orgs)
        )

    helix_of = getattr(index, "entity", None)
    for i, country in enumerate(countries):
        open_slots = [s for s in slots[i * len(helices) : (i + 1) * len(helices)] if not s.filled]
        if not open_slots:
            continue
        complete: set[str] = set()
        if batch and helix_of is not None and len(open_slots) > 1:
            # One pass for the country's open helices: every one is sought, so within a helix the
            # ranking is the one a query for that helix alone gives; a result list shorter than
            # asked holds every candidate there is.
            k = BATCH_PER_SLOT * alternatives * len(open_slots)
            found = index.match(
                query(s.helix for s in open_slots),
                k=k,
                country=country,
                helix=[s.helix for s in open_slots],
                language=language,
            )
            by_helix: dict[str, list[Any]] = {}
            for m in found:
                entity = helix_of(m.key)
                if entity is not None:
                    by_helix.setdefault(entity.helix, []).append(m)
            for slot in open_slots:
                take(slot, by_helix.get(slot.helix, []))
                if len(found) < k or len(slot.candidates) == alternatives:
                    complete.add(slot.helix)
        for slot in open_slots:
            if slot.helix not in complete:  # one query for this slot alone
                take(
                    slot,
                    index.match(
                        query((slot.helix,)), k=alternatives * 4, country=country, helix=slot.helix, language=language
                    ),
                )
        # the proposals join the partners for the next countries (earlier collaboration counts)
        for slot in open_slots:
            if slot.candidates:
                partner_orgs.add(slot.candidates[0].org_id)
                excluded.add(slot.candidates[0].org_id)
    return Proposal(countries, helices, slots)
