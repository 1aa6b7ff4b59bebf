import { createHash } from 'node:crypto';
import { seededRng } from '../../../models/rng.ts';
import { createDagPlacementInstance, PLACEMENT_VARIANTS, type DagPlacementInstance } from '../../../models/dag-placement/instance.ts';
import type { ClusterSpec } from '../../../models/graphs/cluster.ts';
import { randomLayeredDag } from '../../../datasets/generators/layered-dag.ts';
import { heterogeneousCluster } from '../../../datasets/generators/heterogeneous-cluster.ts';
import { rackCluster } from '../../../datasets/generators/rack-cluster.ts';
import { solveWith } from '../../registry.ts';
import type { Placement } from '../../../models/solution.ts';

/**
 * The seeded instances on which the list schedulers' schedules are pinned (../schedule-identity.test.ts): every
 * variant, related speeds, transfers (uniform and rack networks), limited memory, operators of parallelism > 1
 * (hash edges, one-operator-per-slot). `schedule-identity.digests.json` holds the digests that the code before
 * the speed work (commit 2cb7aa5) gave on them: a faster scheduler must give exactly the same slots and times (BIL's
 * and FLB's were added from the code of commit 7bf17f1, before the ready-set speed work of issue 18).
 * Regenerate only for an intended change of a schedule: `npx tsx solver/heuristics/test/schedule-identity-cases.ts`.
 */
export const PINNED_SOLVERS = [
  'heft', 'cpop', 'peft', 'critical-path', 'etf', 'mct', 'met', 'olb', 'min-min', 'max-min', 'sufferage', 'dls',
  'list:upward-rank:append:eft', 'list:downward-rank:insertion:est', 'list:cpop:insertion:eft', 'list:topological:insertion:est',
  'bil', 'flb',
] as const;

export interface PinnedCase {
  readonly name: string;
  readonly instance: DagPlacementInstance;
}

export function pinnedCases(): PinnedCase[] {
  const cases: PinnedCase[] = [];
  for (let seed = 1; seed <= 6; seed++) {
    const rng = seededRng(1000 + seed);
    const memory = seed % 3 === 0;
    const job = randomLayeredDag(rng, {
      layers: [6, 12],
      width: [3, 8],
      edgeProbability: 0.35,
      skipProbability: 0.2,
      parallelism: seed % 2 === 0 ? [1, 4] : 1,
      workMs: [1, 60],
      bytes: seed <= 2 ? 0 : [0, 40_000_000],
      forwardProbability: 0.5,
    });
    const operators = job.operators.map((op, i) => (memory ? { ...op, memoryBytes: 1 + (i % 3) } : op));
    const base: ClusterSpec = seed === 5 ? rackCluster({ racks: 2, taskManagersPerRack: 3, slotsPerTaskManager: 2 }) : heterogeneousCluster(rng, { taskManagers: [3, 6], slotsPerTaskManager: [1, 3], speedFactor: [0.5, 2] });
    const K = base.taskManagers.length;
    const subtasks = operators.reduce((t, op) => t + (op.parallelism ?? 1), 0);
    const totalBytes = operators.reduce((t, op) => t + (op.parallelism ?? 1) * (op.memoryBytes ?? 0), 0);
    for (const variant of PLACEMENT_VARIANTS) {
      // exclusive needs a slot per subtask; shared and exclusive reserve memory for the whole job, sequenced only while running
      const cluster: ClusterSpec = {
        ...base,
        taskManagers: base.taskManagers.map((tm, k) => ({
          ...tm,
          ...(variant === 'exclusive' ? { slotCount: Math.ceil(subtasks / K) + 1 + (k % 2) } : {}),
          ...(memory ? { memoryBytes: variant === 'sequenced' ? 3 + (k % 2) : Math.ceil((1.4 * totalBytes) / K) + (k % 2), cpuCores: 1 + (k % 3) } : {}),
        })),
      };
      cases.push({ name: `seed${seed}-${variant}`, instance: createDagPlacementInstance({ name: `identity-${seed}`, variant, job: { ...job, operators }, cluster }) });
    }
  }
  return cases;
}

/** sha256 over each subtask's slot, start and end (exact doubles), or the status when the solver gave no schedule. */
export async function scheduleDigest(solver: string, instance: DagPlacementInstance): Promise<string> {
  const result = await solveWith(solver, instance, { rng: seededRng(1) });
  if (result.solution === undefined) return `no solution: ${result.status}`;
  const h = createHash('sha256');
  for (const a of (result.solution as Placement).assignments) {
    const t = a as { startMs?: number; endMs?: number };
    h.update(`${a.subtask}@${a.taskManager}/${a.slot}:${t.startMs}-${t.endMs};`);
  }
  return h.digest('hex').slice(0, 24);
}

export async function allDigests(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const c of pinnedCases()) for (const solver of PINNED_SOLVERS) out[`${c.name} ${solver}`] = await scheduleDigest(solver, c.instance);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { writeFileSync } = await import('node:fs');
  const digests = await allDigests();
  writeFileSync(new URL('./schedule-identity.digests.json', import.meta.url), `${JSON.stringify(digests, null, 1)}\n`);
  process.stdout.write(`${Object.keys(digests).length} digests written\n`);
}
