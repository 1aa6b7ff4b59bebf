#!/usr/bin/env bash
# Runs one shard of a suite: `slotlab bench SUITE --shard i/N --out DIR/shard-i-of-N.csv --resume`.
# i and N come from the scheduler:
#   Slurm job array:          i = SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN + 1, N = SLURM_ARRAY_TASK_COUNT
#                             (so --array=1-N and --array=0-(N-1) both work; the range must be contiguous)
#   Kubernetes Indexed Job:   i = JOB_COMPLETION_INDEX + 1, N = SLOTLAB_SHARDS (= the Job's completions)
# Settings (environment): SLOTLAB_SUITE (a shipped suite name or a suite file; default "default"),
# SLOTLAB_RESULTS (the folder every shard and the merge share; default results/<suite>),
# SLOTLAB_BENCH_ARGS (more bench flags, e.g. "--shard-times results/previous.csv" or "--jobs 4"),
# SLOTLAB_HOME (the slotlab checkout; default the folder this script is in, two levels up).
# --resume: a requeued or restarted shard keeps the rows it already wrote.
set -euo pipefail
home=${SLOTLAB_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
suite=${SLOTLAB_SUITE:-default}
results=${SLOTLAB_RESULTS:-results/$(basename "$suite" .json)}
if [[ -n ${SLURM_ARRAY_TASK_ID:-} ]]; then
  i=$((SLURM_ARRAY_TASK_ID - ${SLURM_ARRAY_TASK_MIN:-1} + 1))
  n=${SLURM_ARRAY_TASK_COUNT:?SLURM_ARRAY_TASK_COUNT is not set (submit with sbatch --array=1-N)}
elif [[ -n ${JOB_COMPLETION_INDEX:-} ]]; then
  i=$((JOB_COMPLETION_INDEX + 1))
  n=${SLOTLAB_SHARDS:?SLOTLAB_SHARDS is not set (it must equal the Indexed Job completions)}
else
  echo "shard-entry.sh: neither SLURM_ARRAY_TASK_ID (Slurm job array) nor JOB_COMPLETION_INDEX (Kubernetes Indexed Job) is set" >&2
  exit 1
fi
cd "$home"
mkdir -p "$results"
# shellcheck disable=SC2086 # SLOTLAB_BENCH_ARGS is a list of flags
exec node bin/slotlab.js bench "$suite" --shard "$i/$n" --out "$results/shard-$i-of-$n.csv" --resume --no-progress ${SLOTLAB_BENCH_ARGS:-}
