#!/usr/bin/env bash
# What a shard costs beyond its runs: the wall time and CPU seconds (user + sys, the shard's worker processes
# included) of `bench SUITE --shard i/N --jobs 1` for two shards that do (almost) nothing:
#   - empty: shard N+1 of N+1 shards... more shards than runs, so the last one has no run (start, load, plan, write);
#   - one run: shard R of R, R = the suite's run count: LPT gives every shard one run, the last the shortest
#     predicted (a heuristic); this adds the pool worker's start-up and one cold run.
# Each is repeated REPS times; the script prints every measurement with the load average and the medians. CPU
# seconds are robust to other work on the machine, wall seconds are not (see the load average).
#   benchmarks/shard-overhead.sh [SUITE=default] [REPS=5] [CHECKOUT=.]   (CHECKOUT: another built checkout to compare)
set -euo pipefail
suite=${1:-default}
reps=${2:-5}
checkout=${3:-$(dirname "${BASH_SOURCE[0]}")/..}
cd "$checkout"
[[ -f dist/cli/main.js ]] || npm run build >/dev/null
out=$(mktemp -d "${TMPDIR:-/tmp}/slotlab-shard-overhead-XXXXXX")
trap 'rm -rf "$out"' EXIT
load() { cut -d' ' -f1-3 /proc/loadavg; }
runs=$(node bin/slotlab.js bench "$suite" --dry-run | sed -n 's/^suite .*: \([0-9]*\) runs .*/\1/p')
[[ -n "$runs" ]] || { echo "shard-overhead.sh: could not read the run count of suite $suite" >&2; exit 1; }
measure() { # $1 = label, $2 = shard spec
  local walls=() cpus=()
  for ((k = 1; k <= reps; k++)); do
    rm -f "$out/s.csv"
    /usr/bin/time -f '%e %U %S' -o "$out/time" node bin/slotlab.js bench "$suite" --no-progress --jobs 1 --shard "$2" --out "$out/s.csv" >"$out/log" 2>&1
    read -r wall user sys <"$out/time"
    local cpu
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
    local rows
    rows=$(($(wc -l <"$out/s.csv") - 1))
    echo "  $1 ($2, $rows rows) #$k: wall $wall s, cpu $cpu s (user $user, sys $sys); load $(load)"
    walls+=("$wall")
    cpus+=("$cpu")
  done
  median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
  echo "$1: median wall $(median "${walls[@]}") s, median cpu $(median "${cpus[@]}") s over $reps runs"
}
echo "suite $suite ($runs runs), checkout $(pwd) ($(git rev-parse --short HEAD 2>/dev/null || echo 'not a git checkout')); $(nproc) cores; load before: $(load)"
measure empty "$((runs + 1))/$((runs + 1))"
measure one-run "$runs/$runs"
