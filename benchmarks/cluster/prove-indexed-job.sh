#!/usr/bin/env bash
# Proves the Kubernetes entry scripts without a cluster: runs shard-entry.sh N times (default 2) with
# JOB_COMPLETION_INDEX = 0 .. N-1 and SLOTLAB_SHARDS = N set by hand, as the Indexed Job's pods would, one after
# another, then merge-entry.sh as the merge Job would, and checks that the merge reports nothing missing.
#   benchmarks/cluster/prove-indexed-job.sh [SUITE=smoke] [N=2]
set -euo pipefail
suite=${1:-smoke}
n=${2:-2}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[[ -f $here/../../dist/cli/main.js ]] || (cd "$here/../.." && npm run build >/dev/null)
results=$(mktemp -d /tmp/slotlab-indexed-XXXXXX)
export SLOTLAB_SUITE=$suite SLOTLAB_SHARDS=$n SLOTLAB_RESULTS=$results
for ((k = 0; k < n; k++)); do
  JOB_COMPLETION_INDEX=$k "$here/shard-entry.sh" >"$results/pod-$k.log" 2>&1
  grep '^shard ' "$results/pod-$k.log" | head -1
done
"$here/merge-entry.sh" | tee "$results/merge.log" | grep -E '^(suite|missing|duplicated|wrote)'
grep -q '^missing: none' "$results/merge.log"
grep -q '^duplicated: none' "$results/merge.log"
echo "prove-indexed-job.sh: $n pods' shards of $suite merged into $results/$(basename "$suite" .json).csv: nothing missing"
