"""Placing accepted meeting requests into slots and tables (issue 16): a plain library, no Django.

The problem
-----------
An event has ordered **slots** and **tables**; a table may offer interpretation for one or more
language pairs (opaque labels such as ``"ko-ru"``). Each **participant** is available in a set of
slots. Each accepted **request** is a meeting between two participants; it may need an
interpreter for one language pair. **Pinned** placements (meetings already confirmed) stay exactly
where they are. A schedule places some requests, each at one slot and one table, such that

- nobody is in two meetings in the same slot (pinned ones included);
- both participants are available in the meeting's slot;
- a meeting that needs interpretation ``L`` sits at a table that offers ``L``;
- a table holds at most one meeting per slot.

:func:`check` / :func:`violations` name every broken rule of a set of placements (also usable
for a manual placement).

What is maximised
-----------------
Lexicographically, in two solver stages: (1) **the number of meetings**; (2) with that number
kept, **fairness**: ``sum_p sum_{k <= min(m_p, 6)} w_k`` with ``w = 32, 16, 8, 4, 2, 1``, where
``m_p`` is the number of meetings of participant ``p`` (pinned ones included). Each participant's
first meeting is worth twice their second, and so on: a schedule gains more by giving someone
with none or one a meeting than by giving someone with five a sixth (a weighted leximin of the
low end; beyond six meetings all are equal).

Why the count first: at the Forum the tables are the scarce resource (150 tables × 16 slots for
6,000 accepted requests); a table-slot left empty is a meeting lost for two people, and among the
schedules that fill the tables there is still ample room to choose who meets. Why weights rather
than a strict "maximise the minimum": one participant whose only request cannot be placed (or
who is there for one slot whose partner is busy) pins the minimum for everybody and the objective
then says nothing about the rest; the weighted levels keep improving everyone else. The weight of
a meeting in :func:`objective` exceeds all fairness terms together, so comparing two schedules by
it is exactly "count, then fairness".

Keeping the model small
-----------------------
Tables with the same interpretation are interchangeable, so the model never chooses a table: one
boolean ``x[r, s]`` per request and common free slot. A slot's table capacity is exact by Hall's
theorem: the meetings in slot ``s`` can be seated iff, for every set ``U`` of language pairs, the
meetings needing a pair in ``U`` fit in the free tables offering some pair of ``U``, and all
meetings fit in all free tables (a meeting without interpretation may sit anywhere). That is
``2^L`` linear constraints per slot for ``L`` language pairs (2 or 3 at the Forum; more than
:data:`MAX_LANGUAGE_PAIRS` is refused). Tables are numbered afterwards, slot by slot: interpreted
meetings by a bipartite matching (augmenting paths), then the others at the tables left (tables
with the fewest interpretations are kept for them). For 6,000 requests and 16 slots this is about
50,000 booleans.

Solver, start and fallback
--------------------------
Both greedy placements (:func:`greedy`) are computed first; the better one (by :func:`objective`)
is the solver's hint. If it already reaches :func:`upper_bound` the count stage is skipped (its
count is proved optimal). OR-Tools CP-SAT then runs within ``time_limit`` (stage 1 up to 60 % of
it, stage 2 the rest, 10 % kept back). :func:`solve` returns the solver's schedule only if it is
strictly better than the greedy start; otherwise, or if the solver finds nothing in time (or
OR-Tools is missing), the greedy placement, with its ``method`` saying so.

Greedy (baseline and start)
---------------------------
Rounds ``k = 1, 2, ...``: in round ``k`` a request is placed only if both participants have fewer
than ``k`` meetings (so everybody gets a first meeting before anybody gets a second, as far as
the order allows).

- ``"fcfs"`` (the baseline: what a careful person with a spreadsheet does): requests in the given
  order (e.g. when they were accepted), each at the earliest slot where both are free and a
  suitable table is free.
- ``"scarce"``: requests of the participants with the fewest placeable requests first (their
  options are scarce), each at the slot with the most free tables (spreading the load keeps
  slots open for later pairs).

Neither looks ahead: an early choice of slot can take the only slot of someone else.

Upper bound (:func:`upper_bound`)
---------------------------------
The least of these, each a valid bound on the number of meetings of any schedule:

- ``pinned + placeable``: placeable = requests whose two participants have a common free slot
  with a suitable free table;
- ``pinned + floor(sum_p min(placeable requests of p, usable slots of p) / 2)``: each meeting uses
  two participants' slots;
- ``pinned + sum_s min(free tables in s, floor(n_s / 2))``, ``n_s`` = participants with a
  placeable request that could use ``s``;
- ``pinned + placeable without interpretation + sum_L min(placeable needing L, sum_s free tables
  offering L)``.
"""

from __future__ import annotations

import itertools
import math
import time
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

MAX_LANGUAGE_PAIRS = 10
# fairness: having a first, second, third meeting is worth this much (after the count)
LEVEL_WEIGHTS = (32, 16, 8, 4, 2, 1)
LEVELS = len(LEVEL_WEIGHTS)
LARGE_MODEL = 5000  # booleans; see solve()
RESERVE = 0.1  # of the time limit, kept for the work after the solver (numbering tables, checking)
STAGE_ONE_SHARE = 0.6  # of the time limit, at most, for the count; the rest for fairness


class ScheduleError(ValueError):
    """The problem is inconsistent (unknown ids, a pinned placement that breaks a rule, ...)."""


@dataclass(frozen=True)
class Participant:
    id: Hashable
    available: frozenset = frozenset()  # slot ids


@dataclass(frozen=True)
class Table:
    id: Hashable
    interpretation: frozenset = frozenset()  # language pairs offered, e.g. {"ko-ru"}


@dataclass(frozen=True)
class Request:
    id: Hashable
    a: Hashable  # participant ids
    b: Hashable
    interpretation: str | None = None  # language pair needed, or None


@dataclass(frozen=True)
class Placement:
    request: Hashable
    slot: Hashable
    table: Hashable
    pinned: bool = False


@dataclass(frozen=True)
class Problem:
    slots: Sequence[Hashable]  # in time order
    tables: Sequence[Table]
    participants: Sequence[Participant]
    requests: Sequence[Request]
    pinned: Sequence[Placement] = ()


@dataclass
class Schedule:
    placements: list[Placement]
    method: str  # "solver" or "greedy"
    status: str = ""  # the solver's last status, or why the greedy placement was returned
    value: int = 0  # the objective (see meeting_value)
    seconds: float = 0.0
    stages: list[tuple[str, str, float]] = field(default_factory=list)  # (stage, status, seconds)

    def meetings_per_participant(self, problem: Problem) -> dict:
        return meetings_per_participant(problem, self.placements)


# --- checking -----------------------------------------------------------------------------------
def _index(problem: Problem):
    slots = list(problem.slots)
    if len(set(slots)) != len(slots):
        raise ScheduleError("slots: a slot id is repeated")
    slot_set = set(slots)
    tables = {}
    for t in problem.tables:
        if t.id in tables:
            raise ScheduleError(f"tables: table {t.id!r} is repeated")
        tables[t.id] = t
    people = {}
    for p in problem.participants:
        if p.id in people:
            raise ScheduleError(f"participants: participant {p.id!r} is repeated")
        unknown = set(p.available) - slot_set
        if unknown:
            raise ScheduleError(f"participants: {p.id!r} is available in unknown slots {sorted(map(str, unknown))}")
        people[p.id] = p
    requests = {}
    for r in problem.requests:
        if r.id in requests:
            raise ScheduleError(f"requests: request {r.id!r} is repeated")
        for side in (r.a, r.b):
            if side not in people:
                raise ScheduleError(f"requests: request {r.id!r} names unknown participant {side!r}")
        if r.a == r.b:
            raise ScheduleError(f"requests: request {r.id!r} is a meeting of {r.a!r} with themself")
        requests[r.id] = r
    return slots, tables, people, requests


def violations(problem: Problem, placements: Iterable[Placement]) -> list[str]:
    """Every rule the placements break, in words (empty when the schedule is valid)."""
    slots, tables, people, requests = _index(problem)
    slot_set = set(slots)
    out = []
    seen_request = set()
    at_table = {}
    busy = {}
    for pl in placements:
        r = requests.get(pl.request)
        if r is None:
            out.append(f"request {pl.request!r} is unknown")
            continue
        if pl.request in seen_request:
            out.append(f"request {pl.request!r} is placed twice")
        seen_request.add(pl.request)
        if pl.slot not in slot_set:
            out.append(f"request {pl.request!r}: slot {pl.slot!r} is unknown")
            continue
        table = tables.get(pl.table)
        if table is None:
            out.append(f"request {pl.request!r}: table {pl.table!r} is unknown")
            continue
        if (pl.slot, pl.table) in at_table:
            out.append(
                f"table {pl.table!r} is over-full in slot {pl.slot!r} "
                f"(requests {at_table[(pl.slot, pl.table)]!r} and {pl.request!r})"
            )
        else:
            at_table[(pl.slot, pl.table)] = pl.request
        if r.interpretation is not None and r.interpretation not in table.interpretation:
            out.append(f"request {pl.request!r} needs {r.interpretation} interpretation; table {pl.table!r} has none")
        for side in (r.a, r.b):
            if pl.slot not in people[side].available:
                out.append(f"participant {side!r} is not available in slot {pl.slot!r} (request {pl.request!r})")
            if (side, pl.slot) in busy:
                out.append(
                    f"participant {side!r} is double-booked in slot {pl.slot!r} "
                    f"(requests {busy[(side, pl.slot)]!r} and {pl.request!r})"
                )
            else:
                busy[(side, pl.slot)] = pl.request
    return out


def check(problem: Problem, placements: Iterable[Placement]) -> None:
    """Raise :class:`ScheduleError` naming every broken rule."""
    found = violations(problem, placements)
    if found:
        raise ScheduleError("; ".join(found))


def meetings_per_participant(problem: Problem, placements: Iterable[Placement]) -> dict:
    """Meetings of every participant who has at least one request (0 included)."""
    requests = {r.id: r for r in problem.requests}
    counts = {}
    for r in problem.requests:
        counts.setdefault(r.a, 0)
        counts.setdefault(r.b, 0)
    for pl in placements:
        r = requests[pl.request]
        counts[r.a] += 1
        counts[r.b] += 1
    return counts


# --- the reduced problem ------------------------------------------------------------------------
class _Prepared:
    """The problem after pinned placements: free tables per slot, options of each request."""

    def __init__(self, problem: Problem):
        self.problem = problem
        slots, tables, people, requests = _index(problem)
        pinned = list(problem.pinned)
        bad = violations(problem, pinned)
        if bad:
            raise ScheduleError("pinned placements: " + "; ".join(bad))
        self.slots = slots
        self.slot_pos = {s: i for i, s in enumerate(slots)}
        self.tables = tables
        self.people = people
        self.requests = requests
        self.pinned = [Placement(p.request, p.slot, p.table, True) for p in pinned]
        pinned_ids = {p.request for p in pinned}
        busy = set()
        used_tables = defaultdict(set)
        self.pinned_count = defaultdict(int)
        for pl in pinned:
            r = requests[pl.request]
            busy.add((r.a, pl.slot))
            busy.add((r.b, pl.slot))
            used_tables[pl.slot].add(pl.table)
            self.pinned_count[r.a] += 1
            self.pinned_count[r.b] += 1
        self.busy = busy
        # free tables per slot, grouped by interpretation
        self.free_tables = {s: [t for t in problem.tables if t.id not in used_tables[s]] for s in slots}
        langs = sorted({r.interpretation for r in problem.requests if r.interpretation is not None})
        if len(langs) > MAX_LANGUAGE_PAIRS:
            raise ScheduleError(f"requests: more than {MAX_LANGUAGE_PAIRS} interpretation pairs ({len(langs)})")
        self.langs = langs
        # capacity of every non-empty set of language pairs, per slot (Hall's condition)
        self.subsets = [frozenset(c) for n in range(1, len(langs) + 1) for c in itertools.combinations(langs, n)]
        self.cap = {}
        for s in slots:
            free = self.free_tables[s]
            self.cap[(s, None)] = len(free)
            for u in self.subsets:
                self.cap[(s, u)] = sum(1 for t in free if t.interpretation & u)
        # options: the free slots common to both sides where a suitable table is free
        self.options = {}
        for r in problem.requests:
            if r.id in pinned_ids:
                continue
            pa, pb = people[r.a], people[r.b]
            opts = []
            for s in slots:
                if s not in pa.available or s not in pb.available:
                    continue
                if (r.a, s) in busy or (r.b, s) in busy:
                    continue
                key = None if r.interpretation is None else frozenset([r.interpretation])
                if self.cap[(s, key)] == 0:
                    continue
                opts.append(s)
            self.options[r.id] = opts
        self.open_requests = [r for r in problem.requests if r.id not in pinned_ids]
        self.placeable = [r for r in self.open_requests if self.options[r.id]]
        # cap_p: what p could have at most (pinned included)
        placeable_of = defaultdict(int)
        for r in self.placeable:
            placeable_of[r.a] += 1
            placeable_of[r.b] += 1
        self.cap_p = {}
        for r in problem.requests:
            for side in (r.a, r.b):
                if side in self.cap_p:
                    continue
                free_slots = sum(1 for s in people[side].available if (side, s) not in busy)
                self.cap_p[side] = self.pinned_count[side] + min(placeable_of[side], free_slots)


def _seat(prep: _Prepared, chosen: dict) -> list[Placement]:
    """Number the tables: ``chosen`` maps request id -> slot; a bipartite matching per slot."""
    by_slot = defaultdict(list)
    for rid, s in chosen.items():
        by_slot[s].append(prep.requests[rid])
    out = []
    for s, reqs in by_slot.items():
        free = sorted(prep.free_tables[s], key=lambda t: len(t.interpretation))  # stable: input order
        owner = {}  # table index -> request

        def augment(r, seen, free=free, owner=owner):
            for i, t in enumerate(free):
                if i in seen or r.interpretation not in t.interpretation:
                    continue
                seen.add(i)
                if i not in owner or augment(owner[i], seen):
                    owner[i] = r
                    return True
            return False

        # interpreted meetings by augmenting paths; the others fit any table left (Hall)
        for r in reqs:
            if r.interpretation is not None and not augment(r, set()):
                raise ScheduleError(f"slot {s!r}: the meetings do not fit the free tables")
        left = (i for i in range(len(free)) if i not in owner)
        for r in reqs:
            if r.interpretation is None:
                i = next(left, None)
                if i is None:
                    raise ScheduleError(f"slot {s!r}: more meetings than free tables")
                owner[i] = r
        for i, r in owner.items():
            out.append(Placement(r.id, s, free[i].id))
    return out


def _meeting_weight(prep: _Prepared) -> int:
    """Weight of one meeting: more than all fairness terms together (so the count comes first)."""
    return len(prep.cap_p) * sum(LEVEL_WEIGHTS) + 1


def objective(prep: _Prepared, placements: Sequence[Placement]) -> int:
    """The solver's objective: meetings first, then the lower end of the meetings per participant."""
    counts = meetings_per_participant(prep.problem, placements)
    fair = sum(w for m in counts.values() for w in LEVEL_WEIGHTS[:m])
    return _meeting_weight(prep) * (len(placements) - len(prep.pinned)) + fair


# --- greedy -------------------------------------------------------------------------------------
GREEDY_ORDERS = ("fcfs", "scarce")


def greedy(problem: Problem, *, order: str = "fcfs", _prep: _Prepared | None = None) -> Schedule:
    """A greedy placement (see the module's docstring); pinned placements kept.

    ``order="fcfs"``: rounds of first-come-first-served, earliest slot (the baseline).
    ``order="scarce"``: the same rounds, but in each round the requests of participants with the
    fewest placeable requests first, each at the slot with the most free tables left.
    """
    if order not in GREEDY_ORDERS:
        raise ScheduleError(f"order: must be one of {', '.join(GREEDY_ORDERS)}")
    started = time.perf_counter()
    prep = _prep or _Prepared(problem)
    busy = set(prep.busy)
    free = {s: sorted(prep.free_tables[s], key=lambda t: len(t.interpretation)) for s in prep.slots}
    count = defaultdict(int)
    placed = []
    todo = list(prep.placeable)
    if order == "scarce":
        demand = defaultdict(int)
        for r in todo:
            demand[r.a] += 1
            demand[r.b] += 1
        todo.sort(key=lambda r: min(demand[r.a], demand[r.b]))  # stable: input order among equals
    k = 0
    # a participant never has more meetings than slots, so after len(slots) + 1 rounds nobody waits
    while todo and k <= len(prep.slots):
        k += 1
        waiting = []
        for r in todo:
            if count[r.a] >= k or count[r.b] >= k:
                waiting.append(r)  # its turn comes in a later round
                continue
            best = None
            for s in prep.options[r.id]:
                if (r.a, s) in busy or (r.b, s) in busy:
                    continue
                tables = free[s]
                if r.interpretation is None:
                    pick = 0 if tables else None
                else:
                    pick = next((i for i, t in enumerate(tables) if r.interpretation in t.interpretation), None)
                if pick is None:
                    continue
                if best is None or len(tables) > len(free[best[0]]):
                    best = (s, pick)
                if order == "fcfs":
                    break  # the earliest slot
            if best is None:
                continue  # no common free slot with a free table now, nor later (places only get taken)
            s, pick = best
            table = free[s].pop(pick)
            busy.add((r.a, s))
            busy.add((r.b, s))
            count[r.a] += 1
            count[r.b] += 1
            placed.append(Placement(r.id, s, table.id))
        todo = waiting
    placements = prep.pinned + placed
    return Schedule(
        placements=placements,
        method=f"greedy ({order})",
        status="greedy",
        value=objective(prep, placements),
        seconds=time.perf_counter() - started,
    )


# --- upper bound --------------------------------------------------------------------------------
def upper_bound(problem: Problem) -> int:
    """The tightest of the cheap bounds in the module's docstring (pinned meetings included)."""
    return _upper_bound(_Prepared(problem))


def _upper_bound(prep: _Prepared) -> int:
    pinned = len(prep.pinned)
    placeable = prep.placeable
    bounds = [len(placeable)]
    per_person = defaultdict(int)
    usable_slot = defaultdict(set)
    for r in placeable:
        per_person[r.a] += 1
        per_person[r.b] += 1
        usable_slot[r.a].update(prep.options[r.id])
        usable_slot[r.b].update(prep.options[r.id])
    bounds.append(sum(min(n, len(usable_slot[p])) for p, n in per_person.items()) // 2)
    n_s = defaultdict(int)
    for slots in usable_slot.values():
        for s in slots:
            n_s[s] += 1
    bounds.append(sum(min(prep.cap[(s, None)], n_s[s] // 2) for s in prep.slots))
    need = defaultdict(int)
    for r in placeable:
        need[r.interpretation] += 1
    interp = need.pop(None, 0)
    for lang, n in need.items():
        interp += min(n, sum(prep.cap[(s, frozenset([lang]))] for s in prep.slots))
    bounds.append(interp)
    return pinned + min(bounds)


# --- the solver ---------------------------------------------------------------------------------
def solve(
    problem: Problem,
    *,
    time_limit: float = 20.0,
    workers: int = 2,
    seed: int = 0,
) -> Schedule:
    """The best schedule found within ``time_limit`` seconds (see the module's docstring).

    Always returns a valid schedule: the solver's, or the greedy one when it scores at least as
    well or the solver found none in time.
    """
    started = time.perf_counter()
    if not isinstance(time_limit, int | float) or time_limit < 0 or math.isnan(time_limit):
        raise ScheduleError("time_limit: must be a number of seconds, not negative")
    prep = _Prepared(problem)
    base = max((greedy(problem, order=o, _prep=prep) for o in GREEDY_ORDERS), key=lambda g: g.value)
    base_value = base.value
    left = time_limit - (time.perf_counter() - started)
    if left <= 0:
        return _fallback(base, started, "no time left for the solver")
    try:
        from ortools.sat.python import cp_model
    except ImportError:  # pragma: no cover - ortools is a dependency
        return _fallback(base, started, "OR-Tools is not installed")

    model = cp_model.CpModel()
    x = {}
    by_person_slot = defaultdict(list)
    by_person = defaultdict(list)
    by_slot_lang = defaultdict(list)
    for r in prep.placeable:
        for s in prep.options[r.id]:
            v = model.new_bool_var("")
            x[(r.id, s)] = v
            by_person_slot[(r.a, s)].append(v)
            by_person_slot[(r.b, s)].append(v)
            by_person[r.a].append(v)
            by_person[r.b].append(v)
            by_slot_lang[(s, r.interpretation)].append(v)
        model.add_at_most_one(x[(r.id, s)] for s in prep.options[r.id])
    for vs in by_person_slot.values():
        if len(vs) > 1:
            model.add_at_most_one(vs)
    for s in prep.slots:
        everyone = [v for lang in [None, *prep.langs] for v in by_slot_lang.get((s, lang), ())]
        if len(everyone) > prep.cap[(s, None)]:
            model.add(sum(everyone) <= prep.cap[(s, None)])
        for u in prep.subsets:
            vs = [v for lang in u for v in by_slot_lang.get((s, lang), ())]
            if len(vs) > prep.cap[(s, u)]:
                model.add(sum(vs) <= prep.cap[(s, u)])
    # y[p][k]: "p has at least pinned_p + k + 1 meetings", for the first LEVELS meetings
    fairness = []
    ys = {}
    for p, vs in by_person.items():
        pinned_p = prep.pinned_count[p]
        n = max(0, min(LEVELS - pinned_p, len(vs)))
        if n:
            ys[p] = [model.new_bool_var("") for _ in range(n)]
            model.add(sum(ys[p]) <= sum(vs))
            fairness.extend(LEVEL_WEIGHTS[pinned_p + k] * y for k, y in enumerate(ys[p]))
    total = sum(x.values())

    def hint(chosen):
        model.clear_hints()
        count = defaultdict(int)
        for rid in chosen:
            count[prep.requests[rid].a] += 1
            count[prep.requests[rid].b] += 1
        for (rid, s), v in x.items():
            model.add_hint(v, chosen.get(rid) == s)
        for p, y in ys.items():
            for k, v in enumerate(y):
                model.add_hint(v, k < count[p])

    found = {pl.request: pl.slot for pl in base.placements if not pl.pinned}
    hint(found)

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = seed
    if len(x) > LARGE_MODEL:
        # Measured on the generated Forum (50,000 booleans, 2 cores shared with other jobs):
        # presolve and the LP took most of a 20 s limit and the search did not move from the
        # hint; large-neighbourhood search from the hint does. Small models keep the defaults
        # (and are proved optimal).
        solver.parameters.cp_model_presolve = False
        solver.parameters.use_lns_only = True
    log = []
    improved = False

    def run(name, goal, share, last=False):
        nonlocal found, improved
        # a little kept back for numbering the tables and checking
        budget = (time_limit * (1 - RESERVE) - (time.perf_counter() - started)) * share
        if budget <= 0.05:
            log.append((name, "no time left", 0.0))
            return None
        model.maximize(goal)
        solver.parameters.max_time_in_seconds = budget
        t0 = time.perf_counter()
        status = solver.solve(model)
        log.append((name, solver.status_name(status), time.perf_counter() - t0))
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        found = {rid: s for (rid, s), v in x.items() if solver.boolean_value(v)}
        improved = True
        if not last:
            hint(found)  # the next stage starts from this solution
        return round(solver.objective_value)

    n_open = len(found)
    if n_open + len(prep.pinned) < _upper_bound(prep):
        n_open = run("meetings", total, STAGE_ONE_SHARE)
    else:
        log.append(("meetings", "the starting placement reaches the upper bound", 0.0))
    if n_open is not None and fairness:
        model.add(total >= n_open)
        run("fairness", sum(fairness), 1.0, last=True)
    name = log[-1][1] if log else "no time"
    if not improved:
        base.stages = log
        return _fallback(base, started, f"the solver found no schedule in time ({name})")
    placements = prep.pinned + _seat(prep, found)
    value = objective(prep, placements)
    if base_value >= value:
        base.stages = log
        return _fallback(base, started, f"the greedy placement scores at least as well ({name})")
    return Schedule(
        placements=placements,
        method="solver",
        status=name,
        value=value,
        seconds=time.perf_counter() - started,
        stages=log,
    )


def _fallback(base: Schedule, started: float, why: str) -> Schedule:
    base.status = f"{why}: greedy placement"
    base.seconds = time.perf_counter() - started
    return base
