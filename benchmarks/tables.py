#!/usr/bin/env python3
"""Turns JMH JSON result files into the Markdown tables of RESULTS.md.

usage: tables.py FILE.json [FILE.json ...] > tables.md

Every benchmark gets a row: score ± error (JMH's 99.9 % interval), the median (p50) for single-shot
rows, and the number of measurements. JvmFloorBenchmark rows (issue 18) get a table of their own from
the per-iteration secondary results (FloorPair): for each fork the median of libraryUs, floorUs and of
the per-iteration ratio, then the median over the forks, with the lowest and highest fork median as
the noise. JMH itself prints the sum of the iterations for these secondary results, so read them here.
The JVM's process CPU clock ticks in 10 ms on Linux: a single-shot row's CPU figures are shown only
where one invocation takes 100 ms of CPU or more.
Standard library only.
"""
import json
import statistics
import sys

# issue 18's targets: (benchmark, params) -> (target ratio, what the target is)
TARGETS = {
    "spawnJoin": (1.3, "≤ 1.3× the raw virtual thread"),
    "failureFanOut": (1.1, "≤ 1.1× the latch"),
    "cancelParked": (1.1, "≤ 1.1× the latch"),
    "cancelParkedFromVirtualThread": (1.1, "≤ 1.1× the latch"),
}


def short(name):
    parts = name.split(".")
    return parts[-2].replace("Benchmark", "") + "." + parts[-1]


def params(b):
    p = b.get("params") or {}
    return ", ".join(f"{k}={v}" for k, v in sorted(p.items()))


def fmt(x):
    if x is None:
        return ""
    a = abs(x)
    if a >= 1000:
        return f"{x:,.0f}"
    if a >= 100:
        return f"{x:.1f}"
    if a >= 10:
        return f"{x:.2f}"
    return f"{x:.3f}"


def floor_rows(b):
    sec = b.get("secondaryMetrics", {})
    if "libraryUs" not in sec:
        return None
    per_fork = {k: [statistics.median(fork) for fork in sec[k]["rawData"] if fork]
                for k in ("libraryUs", "floorUs", "ratio", "joinUs", "libraryCpuUs", "floorCpuUs", "cpuRatio")
                if k in sec}
    return per_fork


def main(files):
    benches = []
    for f in files:
        with open(f) as fh:
            for b in json.load(fh):
                b["_file"] = f
                benches.append(b)
    floors = [b for b in benches if floor_rows(b)]
    others = [b for b in benches if not floor_rows(b)]
    if floors:
        print("| row | params | JDK | critical-task (median) | floor (median) | ratio (median of per-iteration ratios) | "
              "ratio per fork | CPU time: critical-task / floor (ratio) | forks × iterations | target | verdict |")
        print("|---|---|---|---:|---:|---:|---|---|---|---|---|")
        for b in floors:
            pf = floor_rows(b)
            name = b["benchmark"].split(".")[-1]
            unit = "µs"
            lib = statistics.median(pf["libraryUs"])
            flo = statistics.median(pf["floorUs"])
            ratio = statistics.median(pf["ratio"])
            scale = 1.0
            if lib >= 10000:
                unit, scale = "ms", 1e-3
            target, text = TARGETS.get(name, (None, ""))
            verdict = "" if target is None else ("✔" if ratio <= target else "✘")
            forks = ", ".join(fmt(r) for r in pf["ratio"])
            n_iter = len(b["secondaryMetrics"]["ratio"]["rawData"][0])
            extra = ""
            if "joinUs" in pf:
                extra = f" (+ {fmt(statistics.median(pf['joinUs']) * scale)} {unit} to join them)"
            cpu = ""
            if "cpuRatio" in pf and b["mode"] == "ss" and statistics.median(pf["floorCpuUs"]) < 100_000:
                cpu = "n/a (< 10 clock ticks)"
            elif "cpuRatio" in pf:
                cpu = (f"{fmt(statistics.median(pf['libraryCpuUs']) * scale)} / "
                       f"{fmt(statistics.median(pf['floorCpuUs']) * scale)} {unit} "
                       f"({statistics.median(pf['cpuRatio']):.2f})")
            print(f"| {name} | {params(b)} | {b['jdkVersion']} | {fmt(lib * scale)} {unit}{extra} | "
                  f"{fmt(flo * scale)} {unit} | {ratio:.2f} | {forks} | {cpu} | {len(pf['ratio'])} × {n_iter} | "
                  f"{text} | {verdict} |")
        print()
    if others:
        print("| benchmark | params | JDK | score ± error | p50 | unit | n |")
        print("|---|---|---|---|---|---|---|")
        for b in others:
            pm = b["primaryMetric"]
            p50 = pm.get("scorePercentiles", {}).get("50.0") if b["mode"] == "ss" else None
            n = sum(len(f) for f in pm.get("rawData", [])) or ""
            print(f"| {short(b['benchmark'])} | {params(b)} | {b['jdkVersion']} | {fmt(pm['score'])} ± "
                  f"{fmt(pm['scoreError']) if pm['scoreError'] == pm['scoreError'] else 'n/a'} | {fmt(p50)} | "
                  f"{pm['scoreUnit']} | {n} |")
            for key, m in sorted(b.get("secondaryMetrics", {}).items()):
                if key.endswith("alloc.rate.norm"):
                    print(f"| ↳ {key} | | | {fmt(m['score'])} ± {fmt(m['scoreError'])} | | {m['scoreUnit']} | |")
        print()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1:])
