#!/usr/bin/env bash
# Top frames of a JFR recording's execution samples: bench/jfr-top.sh FILE.jfr [N] [FILTER-REGEX]
#   self: the sampled (leaf) frame; total: any frame of the stack (first FILTER match only, if given).
set -euo pipefail
FILE=$1 N=${2:-20} FILTER=${3:-}
jfr print --events jdk.ExecutionSample --stack-depth 64 "$FILE" | python3 -c '
import re, sys, collections
n, flt = int(sys.argv[1]), sys.argv[2]
self_c, total_c, samples, stack = collections.Counter(), collections.Counter(), 0, None
def flush(st):
    global samples
    if not st: return
    samples += 1
    self_c[st[0]] += 1
    seen = set()
    for f in st:
        if f in seen: continue
        seen.add(f)
        if not flt or re.search(flt, f): total_c[f] += 1
for line in sys.stdin:
    s = line.strip()
    if s.startswith("jdk.ExecutionSample"):
        flush(stack); stack = []
    elif stack is not None and re.match(r"^[\w$.]+\(.*\)\s+line:", s):
        stack.append(re.sub(r"\s+line:.*", "", s))
flush(stack)
print(f"samples: {samples}")
print("-- self (leaf) --")
for f, c in self_c.most_common(n): print(f"{100*c/samples:5.1f}%  {f}")
print("-- total (on stack)" + (f", matching {flt}" if flt else "") + " --")
for f, c in total_c.most_common(n): print(f"{100*c/samples:5.1f}%  {f}")
' "$N" "$FILTER"
