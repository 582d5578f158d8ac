"""Matchmaking scheduler benchmark (issue 16): the solver against the greedy baseline, same run.

A generated event (``serai.matchmaking.generate``: by default 1,000 participants, 6,000 accepted
requests, 16 slots, 150 tables, 10 % of the requests needing an interpreter, uneven availability,
popular participants) is scheduled by

- the greedy baseline (first-come-first-served in rounds, earliest slot),
- the scarce-first greedy (the solver's starting point),
- the solver (CP-SAT from that start, ``--time-limit`` seconds, default 20),

and, with ``--reschedule``, once more by the solver after half of its meetings are confirmed
(pinned) and 5 % of the participants have withdrawn (their requests dropped).

Printed per method: meetings placed, the upper bound (``schedule.upper_bound``) and the share of
it, the meetings per participant who has an accepted request (zeros, minimum, percentiles, the
distribution), wall and CPU seconds (CPU = the process's user + system time, CP-SAT's threads
included: on a shared machine it is the figure an idle machine would show as wall time), and the
load average. Goal (issue): ≥ 98 % of the upper bound within 20 s, and strictly more than greedy.

    python bench/matchmaking.py [--seeds 1,2,3] [--time-limit 20] [--participants 1000]
        [--requests 6000] [--slots 16] [--tables 150] [--reschedule] [--accept-cap 2] [--lp-bound]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from serai.matchmaking.generate import generate  # noqa: E402 (after the sys.path line above)
from serai.matchmaking.schedule import (  # noqa: E402
    Placement,
    greedy,
    meetings_per_participant,
    solve,
    upper_bound,
    violations,
)


def lp_bound(problem):
    """The LP relaxation of "most meetings" (the solver's count model with x in [0, 1]), by HiGHS:
    a bound at least as tight as upper_bound's, too slow for every run (``--lp-bound``)."""
    import numpy as np
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix

    from serai.matchmaking.schedule import _Prepared

    prep = _Prepared(problem)
    cols = [(r, s) for r in prep.placeable for s in prep.options[r.id]]
    rows, data_r, data_c, rhs = 0, [], [], []

    def add(indices, bound):
        nonlocal rows
        for j in indices:
            data_r.append(rows)
            data_c.append(j)
        rhs.append(bound)
        rows += 1

    by_request, by_person_slot, by_slot_lang = {}, {}, {}
    for j, (r, s) in enumerate(cols):
        by_request.setdefault(r.id, []).append(j)
        by_person_slot.setdefault((r.a, s), []).append(j)
        by_person_slot.setdefault((r.b, s), []).append(j)
        by_slot_lang.setdefault((s, r.interpretation), []).append(j)
    for js in by_request.values():
        add(js, 1)
    for js in by_person_slot.values():
        add(js, 1)
    for s in prep.slots:
        add([j for lang in [None, *prep.langs] for j in by_slot_lang.get((s, lang), ())], prep.cap[(s, None)])
        for u in prep.subsets:
            add([j for lang in u for j in by_slot_lang.get((s, lang), ())], prep.cap[(s, u)])
    a = coo_matrix((np.ones(len(data_r)), (data_r, data_c)), shape=(rows, len(cols))).tocsr()
    res = linprog(-np.ones(len(cols)), A_ub=a, b_ub=np.array(rhs, dtype=float), bounds=(0, 1), method="highs")
    return len(prep.pinned) + int(-res.fun + 1e-6)


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * (len(values) - 1) + 0.5))]


def measure(name, run, problem, bound):
    load = os.getloadavg()[0]
    cpu0, wall0 = time.process_time(), time.perf_counter()
    result = run()
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    bad = violations(problem, result.placements)
    if bad:
        raise SystemExit(f"{name}: invalid schedule: {bad[:3]}")
    counts = list(meetings_per_participant(problem, result.placements).values())
    return {
        "name": name,
        "method": result.method,
        "status": result.status,
        "placed": len(result.placements),
        "bound": bound,
        "share": len(result.placements) / bound if bound else 1.0,
        "zeros": sum(1 for c in counts if c == 0),
        "min": min(counts),
        "p10": percentile(counts, 0.10),
        "p50": percentile(counts, 0.50),
        "p90": percentile(counts, 0.90),
        "max": max(counts),
        "dist": sorted(Counter(counts).items()),
        "wall": wall,
        "cpu": cpu,
        "load": load,
        "stages": getattr(result, "stages", []),
        "result": result,
    }


def row(m):
    return (
        f"| {m['name']} | {m['placed']:,} | {m['bound']:,} | {100 * m['share']:.1f} % | {m['zeros']} | {m['min']} "
        f"| {m['p10']} / {m['p50']} / {m['p90']} | {m['max']} | {m['wall']:.1f} s | {m['cpu']:.1f} s | {m['load']:.1f} |"
    )


HEADER = (
    "| method | placed | upper bound | of bound | with none | min | p10 / p50 / p90 | max | wall | CPU | load |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|"
)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", default="1")
    ap.add_argument("--time-limit", type=float, default=20.0)
    ap.add_argument("--participants", type=int, default=1000)
    ap.add_argument("--requests", type=int, default=6000)
    ap.add_argument("--slots", type=int, default=16)
    ap.add_argument("--tables", type=int, default=150)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--reschedule", action="store_true")
    ap.add_argument("--accept-cap", type=float, default=None, help="nobody accepts more than this × their slots")
    ap.add_argument("--lp-bound", action="store_true", help="also the LP relaxation's bound (HiGHS, slower)")
    args = ap.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    print(f"# Matchmaking scheduler, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores")
    print(
        f"event: {args.participants} participants, {args.requests} accepted requests, {args.slots} slots, "
        f"{args.tables} tables; acceptance cap {args.accept_cap or 'none'}; "
        f"solver time limit {args.time_limit:g} s, {args.workers} workers"
    )
    verdicts = []
    for seed in seeds:
        problem = generate(
            participants=args.participants,
            requests=args.requests,
            slots=args.slots,
            tables=args.tables,
            seed=seed,
            accept_cap=args.accept_cap,
        )
        bound = upper_bound(problem)
        if args.lp_bound:
            t0 = time.perf_counter()
            lp = lp_bound(problem)
            print(f"\nseed {seed}: LP relaxation bound {lp} (upper_bound: {bound}; {time.perf_counter() - t0:.1f} s)")
            bound = min(bound, lp)
        interp = sum(1 for r in problem.requests if r.interpretation)
        print(
            f"\n## seed {seed}: {interp} requests need an interpreter; "
            f"{sum(1 for t in problem.tables if t.interpretation)} tables offer one; upper bound {bound}\n"
        )
        rows = [
            measure("greedy, first come first served (baseline)", lambda p=problem: greedy(p), problem, bound),
            measure(
                "greedy, scarce first (solver's start)", lambda p=problem: greedy(p, order="scarce"), problem, bound
            ),
            measure(
                "**solver** (CP-SAT)",
                lambda p=problem, sd=seed: solve(p, time_limit=args.time_limit, workers=args.workers, seed=sd),
                problem,
                bound,
            ),
        ]
        if args.reschedule:
            sol = rows[-1]["result"]
            rng = random.Random(seed)
            placed = [p for p in sol.placements if not p.pinned]
            confirmed = rng.sample(placed, len(placed) // 2)
            gone = set(rng.sample([p.id for p in problem.participants], len(problem.participants) // 20))
            keep = [r for r in problem.requests if r.a not in gone and r.b not in gone]
            kept_ids = {r.id for r in keep}
            pinned = [Placement(p.request, p.slot, p.table) for p in confirmed if p.request in kept_ids]
            again = replace(problem, requests=keep, pinned=pinned)
            b2 = upper_bound(again)
            m = measure(
                "solver, re-run: half confirmed, 5 % withdrawn",
                lambda p=again, sd=seed: solve(p, time_limit=args.time_limit, workers=args.workers, seed=sd),
                again,
                b2,
            )
            moved = {(p.request, p.slot, p.table) for p in m["result"].placements}
            assert all((p.request, p.slot, p.table) in moved for p in pinned), "a confirmed meeting moved"
            rows.append(m)
        print(HEADER)
        for m in rows:
            print(row(m))
        print()
        for m in rows:
            print(f"- {m['name']}: {m['method']}; {m['status']}; stages {m['stages']}")
            print(f"  meetings per participant (count: participants): {dict(m['dist'])}")
        base, sol = rows[0], rows[2]
        ok = sol["share"] >= 0.98 and sol["placed"] > base["placed"] and sol["wall"] <= args.time_limit + 1
        verdicts.append(ok)
        print(
            f"\nseed {seed}: solver {100 * sol['share']:.1f} % of the bound in {sol['wall']:.1f} s wall "
            f"({sol['cpu']:.1f} s CPU), {sol['placed'] - base['placed']:+d} meetings and "
            f"{sol['zeros'] - base['zeros']:+d} participants with none against greedy: "
            f"goal {'met' if ok else 'NOT met'}"
        )
    print(
        f"\ngoal (≥ 98 % of the bound within {args.time_limit:g} s, more than greedy): {sum(verdicts)}/{len(verdicts)} seeds"
    )


if __name__ == "__main__":
    main()
