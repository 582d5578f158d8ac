"""Consortium proposals on top of the matcher (PURE: no Django import).

A Forum project should bring each helix of each of its countries to the table. Given a
:class:`serai.network.matching.MatchIndex`, the project's countries, its fields / DAC sectors / HS4
products and its current participants, :func:`propose` fills a grid of *slots*, one per
(country, helix):

* a slot already held by a participant is **filled** (no proposal);
* otherwise the matcher is asked for the best organisations *of that country and that helix*
  for the project's features (its fields, sectors, products and texts, seeking that helix, the
  project's countries as targets), with the current participants and the partners already
  proposed for earlier slots as ``partner_orgs`` — so earlier collaboration with the consortium
  counts — and the participants excluded. The best one is **proposed**, the next ones are kept as
  alternatives, each with the matcher's reasons;
* a slot nobody fills is a **gap** (the web layer words it: "no Tajik academic partner yet").

Slots are visited country by country in the order given, helices in ``helices`` order; the
choice is greedy (each proposal joins ``partner_orgs`` for the next slots), so the result is
deterministic for the same index and input. Cost: one filtered ``match`` call per open slot.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

# The four helices the Forum's founding papers name; a consortium covers each in each country.
CORE_HELICES: tuple[str, ...] = ("government", "industry", "research", "academia")


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
    members: tuple[int, ...] = ()          # current participants holding this cell
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
        return [(c, self.slots[i * n:(i + 1) * n]) for i, c in enumerate(self.countries)]


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
        "fields": frozenset(fields), "sectors": frozenset(sectors), "hs4": frozenset(hs4),
        "texts": tuple(texts), "target_countries": frozenset(countries),
    }
    slots: list[Slot] = []
    for country in countries:
        for helix in helices:
            held = tuple(sorted(members.get((country, helix), ())))
            slot = Slot(country, helix, members=held)
            slots.append(slot)
            if held:
                continue
            query = Query(**base, seeks_helix=frozenset({helix}), exclude_orgs=frozenset(excluded),
                          partner_orgs=frozenset(partner_orgs))
            # Profiles and organisations both answer; keep the best match of each organisation.
            found = index.match(query, k=alternatives * 4, country=country, helix=helix, language=language)
            seen: set[int] = set()
            for m in found:
                if m.org_id in seen or m.org_id in excluded:
                    continue
                seen.add(m.org_id)
                slot.candidates.append(m)
                if len(slot.candidates) == alternatives:
                    break
            if slot.candidates:
                chosen = slot.candidates[0].org_id
                partner_orgs.add(chosen)
                excluded.add(chosen)
    return Proposal(countries, helices, slots)
