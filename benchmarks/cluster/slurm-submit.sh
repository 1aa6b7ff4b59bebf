#!/usr/bin/env bash
# Submits a sharded campaign to Slurm from the slotlab checkout: N array tasks, then the merge as a dependent job.
#   benchmarks/cluster/slurm-submit.sh SUITE N [RESULTS_DIR] [-- more sbatch flags for the array, e.g. --partition=x]
# Prints the two job ids. The merged file is RESULTS_DIR/<suite>.csv (default results/<suite>/<suite>.csv).
set -euo pipefail
suite=${1:?usage: slurm-submit.sh SUITE N [RESULTS_DIR] [-- sbatch flags]}
n=${2:?usage: slurm-submit.sh SUITE N [RESULTS_DIR] [-- sbatch flags]}
results=${3:-results/$(basename "$suite" .json)}
shift $(($# < 3 ? $# : 3))
[[ ${1:-} == -- ]] && shift
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here/../.."
export SLOTLAB_SUITE=$suite SLOTLAB_RESULTS=$results SLOTLAB_SHARDS=$n
array=$(sbatch --parsable --array="1-$n" --export=ALL "$@" "$here/slurm-array.sh")
array=${array%%;*}
merge=$(sbatch --parsable --dependency="afterany:$array" --export=ALL "$here/slurm-merge.sh")
echo "array job $array ($n shards of $suite), merge job $merge -> $results/$(basename "$suite" .json).csv"
