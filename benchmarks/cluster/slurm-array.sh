#!/usr/bin/env bash
# Slurm job array: one array task per shard. Submit both steps with slurm-submit.sh, or by hand from the checkout:
#   sbatch --array=1-N --export=ALL,SLOTLAB_SUITE=default benchmarks/cluster/slurm-array.sh
# Each task runs shard SLURM_ARRAY_TASK_ID of SLURM_ARRAY_TASK_COUNT (shard-entry.sh); the merge is a second job
# that depends on the array (slurm-merge.sh).
#SBATCH --job-name=slotlab-shard
#SBATCH --cpus-per-task=2
#SBATCH --output=slotlab-shard-%A_%a.out
set -euo pipefail
# sbatch runs a copy of this script from its spool folder: find the checkout from where the job was submitted.
export SLOTLAB_HOME=${SLOTLAB_HOME:-$SLURM_SUBMIT_DIR}
exec "$SLOTLAB_HOME/benchmarks/cluster/shard-entry.sh"
