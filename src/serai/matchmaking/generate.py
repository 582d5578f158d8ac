"""Realistic generated events for the scheduler (issue 16): a plain library, no Django; seeded.

The default event: 1,000 participants from Korea and the five Central Asian states, 6,000
accepted requests, 16 slots (two days of eight 30-minute slots), 150 tables of which some offer
interpretation, 10 % of the requests needing an interpreter.

- **Availability is uneven**: 55 % of the participants stay both days (each slot kept with
  p 0.95), 30 % come for one day only (its slots with p 0.9), 15 % come for a few slots (2 to 6 at
  random).
- **Popularity is skewed**: each participant has an appeal drawn from a Pareto law (shape 1.3);
  a request's two sides are drawn in proportion to appeal (the asker with weight √appeal, as
  everybody asks, the asked with appeal, as the popular are asked more). A few participants get
  many accepted requests (seed 3: one has 971), many get two or three; every participant has at
  least one. With ``accept_cap`` (e.g. 2), nobody accepts more than that many times as many
  requests as they have slots (people decline what they cannot attend); without it (the default,
  the harder case) the popular accept everything.
- **Cross-border**: a pair from the same country is kept with p 0.15; a pair is never drawn twice.
- **Interpretation**: ``interpreted`` (10 %) of the requests, drawn among the pairs that join Korea
  and Central Asia, need an interpreter: "ko-ru" for 75 % of them, "ko-en" for the rest. 8 % of the tables offer
  ko-ru, 4 % ko-en, 2 % both.
"""

from __future__ import annotations

import itertools
import random

from .schedule import Participant, Problem, Request, Table

COUNTRIES = ("KR", "KZ", "UZ", "KG", "TJ", "TM")
COUNTRY_WEIGHTS = (0.35, 0.2, 0.2, 0.1, 0.08, 0.07)


def generate(
    *,
    participants: int = 1000,
    requests: int = 6000,
    slots: int = 16,
    tables: int = 150,
    interpreted: float = 0.10,
    seed: int = 1,
    accept_cap: float | None = None,
) -> Problem:
    if requests > participants * (participants - 1) // 2:
        raise ValueError("requests: more than there are pairs of participants")
    rng = random.Random(seed)
    slot_ids = list(range(slots))
    day = max(1, slots // 2)
    people = []
    country = {}
    for i in range(participants):
        kind = rng.random()
        if kind < 0.55:
            avail = [s for s in slot_ids if rng.random() < 0.95]
        elif kind < 0.85:
            first = rng.choice([0, day]) if slots > day else 0
            avail = [s for s in slot_ids[first : first + day] if rng.random() < 0.9]
        else:
            avail = rng.sample(slot_ids, min(slots, rng.randint(2, 6)))
        if not avail:
            avail = [rng.choice(slot_ids)]
        people.append(Participant(i, frozenset(avail)))
        country[i] = rng.choices(COUNTRIES, COUNTRY_WEIGHTS)[0]
    appeal = [rng.paretovariate(1.3) for _ in range(participants)]
    ids = range(participants)
    appeal_cum = list(itertools.accumulate(appeal))
    ask_cum = list(itertools.accumulate(a**0.5 for a in appeal))
    pairs = set()
    reqs = []
    accepted = [0] * participants
    # with accept_cap, nobody accepts more than accept_cap times as many meetings as they have slots
    most = [max(2, round(accept_cap * len(p.available))) if accept_cap else requests for p in people]

    def add(a, b):
        key = (min(a, b), max(a, b))
        if a == b or key in pairs or accepted[a] >= most[a] or accepted[b] >= most[b]:
            return False
        if country[a] == country[b] and rng.random() < 0.85:  # mostly cross-border
            return False
        pairs.add(key)
        accepted[a] += 1
        accepted[b] += 1
        reqs.append(Request(len(reqs), a, b))
        return True

    # everybody has at least one request
    for i in range(participants):
        if len(reqs) >= requests:
            break
        while not accepted[i] and not add(i, rng.choices(ids, cum_weights=appeal_cum)[0]):
            pass
    draws = 0
    while len(reqs) < requests:
        draws += 1
        if draws > 1000 * requests:
            raise ValueError("requests: too many for these participants and their acceptance cap")
        a = rng.choices(ids, cum_weights=ask_cum)[0]
        b = rng.choices(ids, cum_weights=appeal_cum)[0]
        add(a, b)
    # interpretation: a share of the pairs that join Korea and Central Asia, `interpreted` of all requests
    korean = [i for i, r in enumerate(reqs) if (country[r.a] == "KR") != (country[r.b] == "KR")]
    for i in rng.sample(korean, min(len(korean), round(interpreted * len(reqs)))):
        reqs[i] = Request(reqs[i].id, reqs[i].a, reqs[i].b, "ko-ru" if rng.random() < 0.75 else "ko-en")
    rng.shuffle(reqs)  # the order in which they were accepted
    n_both = round(tables * 0.02)
    n_ru = round(tables * 0.08)
    n_en = round(tables * 0.04)
    tabs = []
    for i in range(tables):
        if i < n_both:
            interp = frozenset({"ko-ru", "ko-en"})
        elif i < n_both + n_ru:
            interp = frozenset({"ko-ru"})
        elif i < n_both + n_ru + n_en:
            interp = frozenset({"ko-en"})
        else:
            interp = frozenset()
        tabs.append(Table(i + 1, interp))
    return Problem(slots=slot_ids, tables=tabs, participants=people, requests=reqs)
