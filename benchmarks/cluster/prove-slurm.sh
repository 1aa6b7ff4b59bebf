#!/usr/bin/env bash
# Proves the Slurm scripts on a single-node Slurm on this machine (slurmctld + slurmd on localhost, munge): submits
# SUITE (default smoke) as N (default 2) array tasks plus the dependent merge with slurm-submit.sh, waits, and
# checks that the merge reports nothing missing. Not for CI: it needs root, Debian's slurm-wlm and munge
# (`apt-get install -y slurm-wlm`), writes /etc/slurm/slurm.conf when there is none, and stops the daemons it
# started. Run from anywhere: benchmarks/cluster/prove-slurm.sh [SUITE] [N]
set -euo pipefail
suite=${1:-smoke}
n=${2:-2}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
home=$(cd "$here/../.." && pwd)
for tool in slurmctld slurmd sbatch squeue munged; do
  command -v "$tool" >/dev/null || { echo "prove-slurm.sh: $tool is missing: apt-get install -y slurm-wlm" >&2; exit 1; }
done
[[ -f $home/dist/cli/main.js ]] || (cd "$home" && npm run build >/dev/null)

host=$(hostname -s)
cpus=$(nproc)
mem=$(awk '/MemTotal/ {print int($2 / 1024 * 0.9)}' /proc/meminfo)
state=$(mktemp -d /tmp/slotlab-slurm-XXXXXX)
mkdir -p "$state/ctld" "$state/d" /etc/slurm
conf=/etc/slurm/slurm.conf
if [[ ! -f $conf ]]; then
  cat >"$conf" <<CONF
# single-node Slurm written by slotlab's benchmarks/cluster/prove-slurm.sh
ClusterName=slotlab
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/d
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SlurmctldLogFile=$state/slurmctld.log
SlurmdLogFile=$state/slurmd.log
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  wrote_conf=1
else
  wrote_conf=0
fi

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [[ $wrote_conf == 1 ]]; then rm -f "$conf"; fi
}
trap cleanup EXIT

if ! pgrep -x munged >/dev/null; then
  [[ -f /etc/munge/munge.key ]] || { mungekey --create 2>/dev/null || dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 2>/dev/null; }
  chown munge:munge /etc/munge/munge.key 2>/dev/null || true
  chmod 400 /etc/munge/munge.key
  mkdir -p /run/munge && chown munge:munge /run/munge 2>/dev/null || true
  runuser -u munge -- munged --foreground &
  pids+=($!)
  sleep 1
fi
slurmctld -D -f "$conf" &
pids+=($!)
sleep 2
slurmd -D -f "$conf" &
pids+=($!)
for _ in $(seq 1 30); do
  sinfo -h -o '%T' 2>/dev/null | grep -q -E 'idle|mixed' && break
  sleep 1
done
sinfo

results=$(mktemp -d /tmp/slotlab-slurm-results-XXXXXX)
cd "$home"
start=$(date +%s)
"$here/slurm-submit.sh" "$suite" "$n" "$results"
while [[ -n $(squeue -h -o '%i' 2>/dev/null) ]]; do sleep 2; done
echo "all jobs ended after $(($(date +%s) - start)) s"
name=$(basename "$suite" .json)
echo "--- merge job output:"
cat slotlab-merge-*.out
ls -l "$results"
grep -q '^missing: none' slotlab-merge-*.out
grep -q '^duplicated: none' slotlab-merge-*.out
test -s "$results/$name.csv"
rm -f slotlab-shard-*.out slotlab-merge-*.out
echo "prove-slurm.sh: $n shards of $suite ran as a Slurm job array and merged into $results/$name.csv: nothing missing"
