#!/usr/bin/env bash
# Runs the Kubernetes campaign: the Indexed Job of shards, then (when it has ended, complete or failed) the merge
# Job, and prints the merge's report. Needs kubectl with a context; the image slotlab:latest must be pullable.
#   benchmarks/cluster/k8s-run.sh [TIMEOUT=24h]
set -euo pipefail
timeout=${1:-24h}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
kubectl apply -f "$here/k8s-indexed-job.yaml"
# complete, or failed (some index out of retries): the merge then reports the missing runs
kubectl wait --for=condition=complete --timeout="$timeout" job/slotlab-shards &
complete=$!
kubectl wait --for=condition=failed --timeout="$timeout" job/slotlab-shards &
failed=$!
wait -n "$complete" "$failed" || true
kill "$complete" "$failed" 2>/dev/null || true
kubectl delete job slotlab-merge --ignore-not-found
kubectl apply -f "$here/k8s-merge-job.yaml"
kubectl wait --for=condition=complete --timeout=1h job/slotlab-merge || true
kubectl logs job/slotlab-merge
