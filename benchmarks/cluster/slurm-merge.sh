#!/usr/bin/env bash
# The merge step of a Slurm campaign, submitted by slurm-submit.sh with --dependency=afterany:<array job>, so that it
# runs when every shard has ended (also when some failed: the merge then reports their runs as missing).
#SBATCH --job-name=slotlab-merge
#SBATCH --cpus-per-task=1
#SBATCH --output=slotlab-merge-%j.out
set -euo pipefail
export SLOTLAB_HOME=${SLOTLAB_HOME:-$SLURM_SUBMIT_DIR}
exec "$SLOTLAB_HOME/benchmarks/cluster/merge-entry.sh"
