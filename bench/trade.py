"""Trade engine benchmark (issue: trade complementarity engine).

On one synthetic full-size BACI year (about 220 countries × 5,000 HS6 products, 9 million rows):
  1. ingest of the CSV year to Parquet (seconds per year);
  2. the complexity chain RCA → ECI → PCI → proximity → density → COI/COG: ecomplexity 0.5.3
     (the anchor) against serai.trade on the same input, each in its own process for its peak
     memory; ratio, agreement, and the machine's measured memory bandwidth beside the physical
     floor (about 0.25 s a year on this machine, per the issue);
  3. the full Korea ↔ five indicator set and both-direction opportunity ranking from Parquet,
     cold (a fresh process) and warm.
Goal (issue): ≥ 40× faster than ecomplexity, < 0.8 GB peak, within 4× of the floor.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(os.environ.get("SERAI_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
ROWS = int(os.environ.get("BENCH_TRADE_ROWS", "9000000"))
FLOOR_S = 0.25
DATASET, YEAR = "SYN-HS17", 2020


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss it is not inherited across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(kind: str, store: str, out: str) -> dict:
    """Run one measured side in a fresh process; it prints one JSON line."""
    proc = subprocess.run([sys.executable, __file__, "--child", kind, store, out], capture_output=True, text=True)
    if proc.returncode:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"{kind} failed")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --- the measured sides (each in its own process) ------------------------------------------------
def side_serai(store_dir: str, out: str) -> dict:
    import numpy as np

    from serai.trade import complexity
    from serai.trade.store import TradeStore

    store = TradeStore(store_dir)
    times, r = [], None
    for _ in range(4):
        del r  # one result alive at a time, as in a real run
        t0 = time.perf_counter()
        c, p, x = store.export_matrix(DATASET, YEAR, "hs6")
        r = complexity.compute(x, c, p)
        times.append(time.perf_counter() - t0)
    np.savez(out, countries=c, products=p, eci=r.eci, pci=r.pci, coi=r.coi, density=r.density, cog=r.cog)
    del r
    t0 = time.perf_counter()
    complexity.compute(x, c, p)
    compute_only = time.perf_counter() - t0
    return {
        "cold_s": times[0],
        "warm_s": min(times[1:]),
        "compute_only_s": compute_only,
        "peak_mb": peak_mb(),
        "shape": list(x.shape),
    }


def side_ecomplexity(store_dir: str, ours: str) -> dict:
    import warnings

    import numpy as np
    import pandas as pd
    from ecomplexity import ecomplexity

    from serai.trade.store import TradeStore

    c, p, x = TradeStore(store_dir).export_matrix(DATASET, YEAR, "hs6")
    rows, cols = np.nonzero(x)
    frame = pd.DataFrame({"time": YEAR, "loc": c[rows], "prod": p[cols], "val": x[rows, cols]})
    del x
    before = peak_mb()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        out = ecomplexity(
            frame,
            {"time": "time", "loc": "loc", "prod": "prod", "val": "val"},
            check_logsupermodularity=False,
            verbose=False,
        )
        seconds = time.perf_counter() - t0
    out = out.sort_values(["loc", "prod"])
    ref = np.load(ours)
    grid = lambda name: out.pivot(index="loc", columns="prod", values=name).to_numpy()  # noqa: E731
    diffs = {
        "eci": float(np.abs(grid("eci")[:, 0] - ref["eci"]).max()),
        "pci": float(np.abs(grid("pci")[0] - ref["pci"]).max()),
        "coi": float(np.abs(grid("coi")[:, 0] - ref["coi"]).max()),
        "density": float(np.abs(grid("density") - ref["density"]).max()),
        "cog": float(np.abs(grid("cog") - ref["cog"]).max()),
    }
    return {"seconds": seconds, "peak_mb": peak_mb(), "peak_before_mb": before, "max_abs_diff": diffs}


def side_indicators(store_dir: str, _: str) -> dict:
    from serai.trade import codes, opportunities
    from serai.trade.indicators import Analysis
    from serai.trade.store import TradeStore

    def run() -> int:
        a = Analysis(TradeStore(store_dir), DATASET)
        n = 0
        for ca in codes.CENTRAL_ASIA:
            a.summary(("KOR",), (ca,), YEAR)
            a.tci_by(("KOR",), (ca,), YEAR, "field")
            for e, m in (("KOR", ca), (ca, "KOR")):
                n += len(opportunities.untapped(a, e, m, YEAR, level="hs6", top=None).rows)
        a.summary(("KOR",), codes.CENTRAL_ASIA, YEAR)
        a.similarity(codes.SIX, YEAR)
        a.similarity(codes.CENTRAL_ASIA + ("KOR",), YEAR, market="RUS")
        a.supplier_concentration("KOR", YEAR)
        opportunities.cooperation_matrix(a, YEAR)
        return n

    t0 = time.perf_counter()
    n = run()
    cold = time.perf_counter() - t0
    warm = []
    for _ in range(3):
        t0 = time.perf_counter()
        run()
        warm.append(time.perf_counter() - t0)
    return {"cold_s": cold, "warm_s": min(warm), "opportunity_rows": n, "peak_mb": peak_mb()}


# The loader before issue 17's rework, for the before/after ingest figure measured in the same run,
# and the loader before the one-pass rework (checking path for every file, flows in zstd).
OLD_INGEST = "2881839"
PREV_INGEST = "3db65c9"


def cpu_s() -> float:
    """CPU seconds of this process (DuckDB's threads included): steadier than wall time on a shared machine."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def old_ingest(work: Path, rev: str = OLD_INGEST):
    """serai.trade.ingest as it was at ``rev`` (from git), or None where git or the commit is missing."""
    import importlib.util

    repo = Path(__file__).resolve().parents[1]
    proc = subprocess.run(
        ["git", "-C", str(repo), "show", f"{rev}:src/serai/trade/ingest.py"], capture_output=True, text=True
    )
    if proc.returncode:
        return None
    source = (
        proc.stdout.replace("from . import codes", "from serai.trade import codes")
        .replace("from .errors", "from serai.trade.errors")
        .replace("from .store", "from serai.trade.store")
    )
    name = f"ingest_{rev}"
    path = work / f"{name}.py"
    path.write_text(source, "utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def ingest_only(csv: Path | None, rounds: int) -> None:
    """``--ingest-only [--csv FOLDER] [--rounds N]``: the one-year ingest alone, today's loader against
    those of PREV_INGEST and OLD_INGEST, interleaved in the same process on the same file; wall and
    CPU seconds (user + system of the whole process, DuckDB's threads included) and the load average
    beside each run. A few minutes instead of the full benchmark's half hour."""
    from serai.trade import codes, ingest, synth
    from serai.trade.store import TradeStore

    work = Path(tempfile.mkdtemp(prefix="serai-bench-ingest-"))
    dictionary = SHARED / "trade" / "baci_country_codes_V202201.csv"
    if csv is None:
        products = SHARED / "hs" / "baci_product_codes_HS17_V202301.csv"
        countries = codes.read_country_codes(dictionary) if dictionary.exists() else None
        names = codes.read_product_codes(products) if products.exists() else None
        csv = work / "csv"
        t0 = time.perf_counter()
        synth.generate(csv, [YEAR], countries=countries, products=names, rows=ROWS)
        print(f"synthetic year generated: {time.perf_counter() - t0:.1f} s")
    size = sum(f.stat().st_size for f in csv.glob("BACI_*.csv*"))
    loaders = [("now", ingest)] + [
        (f"{label} ({rev})", m)
        for label, rev in (("before one pass", PREV_INGEST), ("issue baseline", OLD_INGEST))
        if (m := old_ingest(work, rev)) is not None
    ]
    print(f"# ingest only: {csv} ({size / 1e6:.0f} MB CSV), {os.cpu_count()} cores, {rounds} round(s)")
    results: dict[str, list[tuple[float, float, float]]] = {label: [] for label, _ in loaders}
    rows = 0
    for n in range(rounds):
        for label, module in loaders if n % 2 == 0 else loaders[::-1]:
            target = work / "store"
            shutil.rmtree(target, ignore_errors=True)
            t0, c0 = time.perf_counter(), cpu_s()
            report = module.load(csv, TradeStore(target))
            wall, cpu = time.perf_counter() - t0, cpu_s() - c0
            load = os.getloadavg()[0]
            rows = report.rows_loaded
            results[label].append((wall, cpu, load))
            print(f"  {label:<28} {wall:6.2f} s wall  {cpu:6.2f} CPU-s  load average {load:.1f}", flush=True)
    print(f"\n{rows:,} rows a year; goal ≤ 3 s a year")
    print("| loader | wall s (load avg) | CPU s |\n|---|---|---|")
    for label, runs in results.items():
        walls = " / ".join(f"{w:.1f} ({la:.1f})" for w, _, la in runs)
        print(f"| {label} | {walls} | {' / '.join(f'{c:.1f}' for _, c, _ in runs)} |")
    shutil.rmtree(work, ignore_errors=True)


def bandwidth_gbs() -> float:
    import numpy as np

    a = np.ones(2**27)  # 1 GiB
    b = np.empty_like(a)
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        np.copyto(b, a)
        best = min(best, time.perf_counter() - t0)
    return 2 * a.nbytes / best / 1e9  # read + write


def main() -> None:
    from serai.trade import codes, ingest, synth
    from serai.trade.store import TradeStore

    work = Path(tempfile.mkdtemp(prefix="serai-bench-trade-"))
    dictionary = SHARED / "trade" / "baci_country_codes_V202201.csv"
    products = SHARED / "hs" / "baci_product_codes_HS17_V202301.csv"
    countries = codes.read_country_codes(dictionary) if dictionary.exists() else None
    names = codes.read_product_codes(products) if products.exists() else None
    print(f"# serai.trade benchmark — {os.cpu_count()} cores; work folder {work}")
    t0 = time.perf_counter()
    synth.generate(work / "csv", [YEAR], countries=countries, products=names, rows=ROWS)
    print(f"synthetic year generated: {time.perf_counter() - t0:.1f} s")
    size = sum(f.stat().st_size for f in (work / "csv").glob("BACI_*.csv"))
    old = old_ingest(work)  # the full run keeps the baseline; --ingest-only adds PREV_INGEST
    if old is not None:
        t0, c0 = time.perf_counter(), cpu_s()
        old.load(work / "csv", TradeStore(work / "store-old"))
        old_s, old_cpu = time.perf_counter() - t0, cpu_s() - c0
        shutil.rmtree(work / "store-old", ignore_errors=True)
    store = TradeStore(work / "store")
    t0, c0 = time.perf_counter(), cpu_s()
    report = ingest.load(work / "csv", store)
    ingest_s, ingest_cpu = time.perf_counter() - t0, cpu_s() - c0
    print(
        f"ingest: {report.rows_loaded:,} rows ({size / 1e6:.0f} MB CSV) → Parquet in {ingest_s:.2f} s a year "
        f"({report.rows_loaded / ingest_s / 1e6:.1f} M rows/s; {ingest_cpu:.2f} CPU-s; goal ≤ 3 s a year)"
    )
    if old is not None:
        print(
            f"  before (ingest.py of {OLD_INGEST}, same file, same run): {old_s:.2f} s, {old_cpu:.2f} CPU-s; "
            f"now {ingest_s / old_s:.2f}× the time, {ingest_cpu / old_cpu:.2f}× the CPU "
            f"(load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
        )

    ours_file = str(work / "ours.npz")
    ours = child("serai", str(store.root), ours_file)
    theirs = child("ecomplexity", str(store.root), ours_file)
    bw = bandwidth_gbs()
    print(f"\ncomplexity chain on {ours['shape'][0]} countries × {ours['shape'][1]} HS6 products")
    print(
        f"  ecomplexity 0.5.3 (anchor): {theirs['seconds']:.1f} s, peak {theirs['peak_mb']:.0f} MB "
        f"(of which {theirs['peak_before_mb']:.0f} MB before the call: Python, pandas and the input)"
    )
    print(
        f"  serai.trade: cold {ours['cold_s']:.2f} s (fresh process, Parquet read included), warm "
        f"{ours['warm_s']:.2f} s (read + compute), compute only {ours['compute_only_s']:.2f} s; peak {ours['peak_mb']:.0f} MB"
    )
    print(
        f"  ratio: {theirs['seconds'] / ours['warm_s']:.0f}× faster warm, {theirs['seconds'] / ours['cold_s']:.0f}× cold "
        f"(goal ≥ 40×); peak memory {ours['peak_mb'] / 1024:.2f} GB (goal < 0.8 GB)"
    )
    print(
        f"  physical floor ≈ {FLOOR_S} s a year (issue); warm is {ours['warm_s'] / FLOOR_S:.1f}× the floor (goal ≤ 4×); "
        f"measured memory bandwidth {bw:.1f} GB/s (copy, read + write)"
    )
    print(
        "  agreement with ecomplexity (max |difference|): "
        + ", ".join(f"{k} {v:.1e}" for k, v in theirs["max_abs_diff"].items())
    )

    ind = child("indicators", str(store.root), "")
    print(
        f"\nKorea ↔ five: summaries, TCI by field, untapped potential both ways at HS6 ({ind['opportunity_rows']:,} "
        f"ranked rows), bloc summary, export similarity (world and a third market), Korea's supplier screen, "
        f"cooperation matrix at HS4"
    )
    print(f"  cold {ind['cold_s']:.2f} s (fresh process), warm {ind['warm_s']:.2f} s; peak {ind['peak_mb']:.0f} MB")
    print(
        json.dumps(
            {
                "ingest_s": ingest_s,
                "rows": report.rows_loaded,
                "serai": ours,
                "ecomplexity": theirs,
                "bandwidth_gbs": bw,
                "indicators": ind,
            }
        )
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, store_dir, out = sys.argv[2:5]
        fn = {"serai": side_serai, "ecomplexity": side_ecomplexity, "indicators": side_indicators}[kind]
        print(json.dumps(fn(store_dir, out)))
    elif "--ingest-only" in sys.argv:
        args = sys.argv[1:]
        folder = Path(args[args.index("--csv") + 1]) if "--csv" in args else None
        ingest_only(folder, int(args[args.index("--rounds") + 1]) if "--rounds" in args else 2)
    else:
        main()
