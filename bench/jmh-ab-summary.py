#!/usr/bin/env python3
"""Summarises bench/jmh-ab.sh output: per benchmark, A and B per round (wall ns/op, cpu.ns/op, B/op), means, B/A.
   bench/jmh-ab-summary.py bench/results/tuning-ab/jmh-hotpath   (the OUT prefix given to jmh-ab.sh)"""
import glob, json, re, sys
prefix = sys.argv[1]
data = {}  # (bench, params) -> side -> metric -> [values]
loads = {}
for f in sorted(glob.glob(prefix + "-[AB]-*.json")):
    side, rnd = re.search(r"-([AB])-(\d+)\.json$", f).groups()
    txt = open(f[:-5] + ".txt").read()
    lb = re.search(r"load average before: ([\d.]+)", txt); la = re.search(r"load average after: ([\d.]+)", txt)
    loads.setdefault(side, []).append(f"{lb.group(1) if lb else '?'}→{la.group(1) if la else '?'}")
    for r in json.load(open(f)):
        key = (r["benchmark"].split(".")[-2] + "." + r["benchmark"].split(".")[-1],
               ",".join(f"{k}={v}" for k, v in (r.get("params") or {}).items()))
        m = data.setdefault(key, {}).setdefault(side, {})
        m.setdefault("wall", []).append(r["primaryMetric"]["score"])
        sec = r.get("secondaryMetrics", {})
        for name, label in (("cpu.ns/op", "cpu"), ("gc.alloc.rate.norm", "bop")):
            if name in sec:
                m.setdefault(label, []).append(sec[name]["score"])
mean = lambda v: sum(v) / len(v) if v else float("nan")
print("| benchmark | metric | before (A) per round | after (B) per round | before mean | after mean | after / before |")
print("|---|---|---|---|---|---|---|")
for (bench, params), sides in data.items():
    name = bench + (f" ({params})" if params else "")
    for metric, label in (("wall", "wall ns/op"), ("cpu", "CPU ns/op"), ("bop", "B/op")):
        a = sides.get("A", {}).get(metric, []); b = sides.get("B", {}).get(metric, [])
        if not a or not b:
            continue
        fmt = lambda v: " / ".join(f"{x:,.0f}" for x in v)
        print(f"| {name} | {label} | {fmt(a)} | {fmt(b)} | {mean(a):,.0f} | {mean(b):,.0f} | **{mean(b)/mean(a):.2f}** |")
print()
print("load average (1 min) before→after each run: " + "; ".join(f"{s}: {', '.join(v)}" for s, v in sorted(loads.items())))
