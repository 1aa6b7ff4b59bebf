#!/usr/bin/env bash
# Wall time of a sharded bench against one bench of the same suite, on this machine:
#   1. one bench at --jobs 1 (one worker process);
#   2. N shards (bench --shard i/N --jobs 1), P processes at a time, shards balanced on predicted times, then merge;
#   3. the same with --shard-times: balanced on the run_ms that run 1 measured;
#   4. one bench at --jobs 2 (the default on 2 cores: the pool's own parallelism).
# Checks that each merge reports nothing missing or duplicated and that the merged rows have the runs and statuses of
# run 1, and prints the speed-ups with the load average beside every figure (the 1-minute load average of a quiet
# 2-core machine is below 2; anything above means other work shared the cores), and the CPU seconds (user + sys, the
# pool's worker processes included, from /usr/bin/time when it is there) of every bench and shard: CPU seconds hold
# when the machine is shared, wall seconds do not.
#   benchmarks/shard-speedup.sh [SUITE=default] [N=4] [P=2]      (from the checkout; builds dist/ if it is missing)
set -euo pipefail
suite=${1:-default}
n=${2:-4}
p=${3:-2}
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[[ -f dist/cli/main.js ]] || npm run build >/dev/null
out=results/shard-speedup
rm -rf "$out"
mkdir -p "$out"
load() { cut -d' ' -f1-3 /proc/loadavg; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
# `timed FILE cmd...`: runs cmd, writing "wall user sys" seconds to FILE when /usr/bin/time is there.
if [[ -x /usr/bin/time ]]; then timed() { local f=$1; shift; /usr/bin/time -f '%e %U %S' -o "$f" "$@"; }; else timed() { shift; "$@"; }; fi
cpu() { [[ -s "$1" ]] && awk '{ printf "%.1f", $2 + $3 }' "$1" || printf '?'; } # CPU seconds in a `timed` file

sharded() { # $1 = label, then extra bench flags for every shard
  local label=$1
  shift
  local start
  start=$(now)
  # each shard under /usr/bin/time when it is there (SLOTLAB_TIME_FORMAT set), writing $label-shard-i.time
  seq 1 "$n" | SLOTLAB_TIME_FORMAT=$([[ -x /usr/bin/time ]] && echo '%e %U %S') xargs -P "$p" -I{} sh -c 'n=$1 o=$2 l=$3; shift 3
    if [ -n "$SLOTLAB_TIME_FORMAT" ]; then set -- /usr/bin/time -f "$SLOTLAB_TIME_FORMAT" -o "$o/$l-shard-{}.time" node bin/slotlab.js bench "$0" --no-progress --jobs 1 --shard "{}/$n" --out "$o/$l-shard-{}-of-$n.csv" "$@"
    else set -- node bin/slotlab.js bench "$0" --no-progress --jobs 1 --shard "{}/$n" --out "$o/$l-shard-{}-of-$n.csv" "$@"; fi
    exec "$@" >"$o/$l-shard-{}.log" 2>&1' "$suite" "$n" "$out" "$label" "$@"
  local shards_done
  shards_done=$(now)
  local code=0
  timed "$out/$label-merge.time" node bin/slotlab.js merge "$out/$label"-shard-*-of-"$n".csv --out "$out/$label-merged.csv" --no-summary >"$out/$label-merge.log" 2>&1 || code=$?
  local merged
  merged=$(now)
  echo "$label: $n shards, $p at a time, --jobs 1 each: $(secs "$start" "$shards_done") s wall, merge $(secs "$shards_done" "$merged") s (exit $code); load $(load)"
  grep -E '^(missing|duplicated):' "$out/$label-merge.log" | sed 's/^/  /'
  grep -h '^shard .* runs, predicted' "$out/$label"-shard-*.log | sed 's/^/  /'
  local i
  for i in $(seq 1 "$n"); do
    [[ -s "$out/$label-shard-$i.time" ]] && echo "  shard $i/$n: $(awk '{ printf "%.1f s wall, %.1f s CPU", $1, $2 + $3 }' "$out/$label-shard-$i.time"); its runs' run_ms sum to $(runs_s "$out/$label-shard-$i-of-$n.csv") s"
  done
  echo "  CPU: shards $(cat "$out/$label"-shard-*.time 2>/dev/null | awk '{ c += $2 + $3 } END { printf "%.1f", c }') s, merge $(cpu "$out/$label-merge.time") s"
  eval "${label//-/_}_s=$(secs "$start" "$merged")"
}

# Sum of the run_ms column of a result CSV, in seconds.
runs_s() { node --input-type=module -e "import { readFileSync } from 'node:fs'; import Papa from 'papaparse'; const rows = Papa.parse(readFileSync(process.argv[1], 'utf8'), { header: true, skipEmptyLines: true }).data; console.log((rows.reduce((t, r) => t + Number(r.run_ms || 0), 0) / 1000).toFixed(1))" "$1"; }

echo "suite $suite; $(nproc) cores; load before: $(load)"
start=$(now)
timed "$out/one-j1.time" node bin/slotlab.js bench "$suite" --no-progress --jobs 1 --out "$out/one-j1.csv" >"$out/one-j1.log" 2>&1
one_j1_s=$(secs "$start" "$(now)")
echo "one bench --jobs 1: $one_j1_s s wall, $(cpu "$out/one-j1.time") s CPU, its runs' run_ms sum to $(runs_s "$out/one-j1.csv") s; load $(load)"

sharded predicted
sharded measured --shard-times "$out/one-j1.csv"

start=$(now)
timed "$out/one-j2.time" node bin/slotlab.js bench "$suite" --no-progress --jobs 2 --out "$out/one-j2.csv" >"$out/one-j2.log" 2>&1
one_j2_s=$(secs "$start" "$(now)")
echo "one bench --jobs 2: $one_j2_s s wall, $(cpu "$out/one-j2.time") s CPU; load $(load)"

node --input-type=module - "$out" <<'JS'
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
const dir = process.argv[2];
const rows = (f) => Papa.parse(readFileSync(`${dir}/${f}`, 'utf8'), { header: true, skipEmptyLines: true }).data;
const key = (f) => rows(f).map((r) => `${r.run_id} ${r.status}`);
const base = key('one-j1.csv');
for (const f of ['predicted-merged.csv', 'measured-merged.csv', 'one-j2.csv']) {
  const other = key(f);
  const a = new Set(base), b = new Set(other);
  const differ = [...base.filter((k) => !b.has(k)), ...other.filter((k) => !a.has(k))];
  console.log(`${f} vs one-j1.csv: ${other.length} rows vs ${base.length}; same runs in the same order with the same statuses: ${differ.length === 0 && other.join('\n') === base.join('\n') ? 'yes' : `no (${differ.slice(0, 6).join('; ')})`}`);
}
JS
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "speed-up of $n shards ($p at a time, merge included) over one bench --jobs 1: predicted $(ratio "$one_j1_s" "$predicted_s")x, measured $(ratio "$one_j1_s" "$measured_s")x"
echo "speed-up over one bench --jobs 2: predicted $(ratio "$one_j2_s" "$predicted_s")x, measured $(ratio "$one_j2_s" "$measured_s")x"
