#!/usr/bin/env bash
# The final step of a sharded campaign: merges DIR/shard-*-of-N.csv into DIR/<suite>.csv with `slotlab merge`,
# which refuses shards of different suites or versions and reports missing or duplicated runs (exit 2; the merged
# file is written all the same). Same settings as shard-entry.sh, plus SLOTLAB_SHARDS (N).
set -euo pipefail
home=${SLOTLAB_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
suite=${SLOTLAB_SUITE:-default}
name=$(basename "$suite" .json)
results=${SLOTLAB_RESULTS:-results/$name}
n=${SLOTLAB_SHARDS:?SLOTLAB_SHARDS (the number of shards) is not set}
cd "$home"
shopt -s nullglob
files=("$results"/shard-*-of-"$n".csv)
if [[ ${#files[@]} -eq 0 ]]; then
  echo "merge-entry.sh: no shard file $results/shard-*-of-$n.csv: did any shard run?" >&2
  exit 1
fi
exec node bin/slotlab.js merge "${files[@]}" --suite "$suite" --out "$results/$name.csv"
