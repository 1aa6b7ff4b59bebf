import { slotAllocationDesignExampleSpec, slotAllocationOverDemandSpec } from '../models/test/document-example.ts';
import { describe, expect, it } from 'vitest';
import { createDagPlacementInstance } from '../models/dag-placement/instance.ts';
import { createLoadBalancingInstance } from '../models/load-balancing/instance.ts';
import { createSlotAllocationInstance } from '../models/slot-allocation/instance.ts';
import { dagPlacementInfeasibility } from '../models/dag-placement/feasibility.ts';
import { loadBalancingInfeasibility } from '../models/load-balancing/feasibility.ts';
import { slotAllocationInfeasibility } from '../models/slot-allocation/feasibility.ts';
import { MODEL_KINDS, type InstanceByModel, type ModelKind } from '../models/model-kind.ts';
import { OptionError } from '../models/errors.ts';
import { seededRng } from '../models/rng.ts';
import { validateSolution } from '../models/validate.ts';
import { findSolver, solversFor, solveWith } from './registry.ts';
import { createMilpBackend } from './milp/backends.ts';

// The registry entry runs the model's one infeasibility check (models/<model>/feasibility.ts) before any solver:
// a known infeasible instance is answered `infeasible` with that reason by every registered solver of its model.
const infeasible = {
  'slot-allocation': createSlotAllocationInstance(slotAllocationOverDemandSpec()),
  'load-balancing': createLoadBalancingInstance({
    name: 'task-larger-than-any-tm',
    taskManagers: [
      { id: 'tm1', slotCount: 2, memoryBytes: 100 },
      { id: 'tm2', slotCount: 2, memoryBytes: 100 },
    ],
    tasks: [
      { id: 'a', load: 5, memoryBytes: 150 },
      { id: 'b', load: 5, memoryBytes: 10 },
    ],
  }),
  'dag-placement': createDagPlacementInstance({
    name: 'three-subtasks-two-slots',
    variant: 'exclusive',
    job: { operators: [{ id: 'a', parallelism: 3, workMs: 1 }], edges: [] },
    cluster: { taskManagers: [{ id: 'tm1', slotCount: 2 }] },
  }),
} as const;

const reasons = {
  'slot-allocation': 'the jobs need at least 5 slots in all but the TaskManagers offer 4',
  'load-balancing': 'task a needs 150 bytes of memory, more than any TaskManager has (100)',
  'dag-placement': 'the job has 3 subtasks but the cluster has 2 slots, and under exclusive every subtask needs a slot of its own',
};

// Small feasible instances: every registered solver's answer goes through the model's validator.
const feasible: { readonly [M in ModelKind]: InstanceByModel[M] } = {
  'slot-allocation': createSlotAllocationInstance(slotAllocationDesignExampleSpec()),
  'load-balancing': createLoadBalancingInstance({
    name: 'five-tasks',
    taskManagers: [{ id: 'tm1', slotCount: 3 }, { id: 'tm2', slotCount: 3 }],
    tasks: [5, 4, 3, 3, 2].map((load, i) => ({ id: `t${i}`, load })),
  }),
  'dag-placement': createDagPlacementInstance({
    name: 'chain-of-two',
    variant: 'exclusive',
    job: { operators: [{ id: 'a', parallelism: 2, workMs: 2 }, { id: 'b', parallelism: 1, workMs: 3 }], edges: [{ from: 'a', to: 'b', partitioning: 'rebalance', bytes: 0 }] },
    cluster: { taskManagers: [{ id: 'tm1', slotCount: 2 }, { id: 'tm2', slotCount: 1 }] },
  }),
};

const options = { rng: seededRng(1), timeLimitMs: 10_000 };

describe('one infeasibility check per model, run by the registry entry', () => {
  it('each model check names the reason for its known infeasible case', () => {
    expect(slotAllocationInfeasibility(infeasible['slot-allocation'])).toBe(reasons['slot-allocation']);
    expect(loadBalancingInfeasibility(infeasible['load-balancing'])).toBe(reasons['load-balancing']);
    expect(dagPlacementInfeasibility(infeasible['dag-placement'])).toBe(reasons['dag-placement']);
    for (const model of MODEL_KINDS) expect(solversFor(model).length, model).toBeGreaterThan(1);
  });

  it.each(MODEL_KINDS)('%s: every registered solver answers the infeasible case with the reason', async (model) => {
    for (const solver of solversFor(model)) {
      const r = await solveWith(solver.name, infeasible[model], options);
      expect({ solver: solver.name, status: r.status, message: r.message }).toEqual({ solver: solver.name, status: 'infeasible', message: `Infeasible: ${reasons[model]}.` });
      expect(r.solution).toBeUndefined();
    }
  });

  it('under a variant given in the options: a shared instance is infeasible when asked for exclusive', async () => {
    const shared = createDagPlacementInstance({ ...{ name: 'shared-three', variant: 'shared' }, job: { operators: [{ id: 'a', parallelism: 2, workMs: 1 }, { id: 'b', parallelism: 2, workMs: 1 }], edges: [] }, cluster: { taskManagers: [{ id: 'tm1', slotCount: 2 }] } });
    expect((await solveWith('heft', shared, options)).status).toBe('feasible');
    const r = await solveWith('heft', shared, { ...options, variant: 'exclusive' });
    expect(r).toMatchObject({ status: 'infeasible', message: 'Infeasible: the job has 4 subtasks but the cluster has 2 slots, and under exclusive every subtask needs a slot of its own.' });
  });

  it.each(MODEL_KINDS)('%s: every registered solver answers the small feasible case with a solution the validator accepts', async (model) => {
    const instance = feasible[model];
    for (const solver of solversFor(model)) {
      const r = await solveWith(solver.name, instance, options);
      if (r.status === 'error') {
        // a solver that does not apply says so (water-filling with caps, bnb for another objective); none here
        throw new Error(`${solver.name}: ${r.message}`);
      }
      expect(r.solution, `${solver.name} ${r.status} ${r.message}`).toBeDefined();
      expect(validateSolution(instance, r.solution!), solver.name).toEqual([]);
    }
  });
});

describe('typed solver params, checked by the registry entry', () => {
  const lb = feasible['load-balancing'];
  const dag = feasible['dag-placement'];

  it('refuses a misspelt key, naming the solver and the params it takes', async () => {
    const error = await solveWith('bnb', lb, { ...options, params: { targetMS: 10 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OptionError);
    expect((error as OptionError).message).toBe(
      'bnb (load-balancing) params.targetMS: should be absent: it is not a param of bnb (load-balancing); bnb (load-balancing) takes targetMs (timeLimitMs and gap are fields of the solver entry, not params; see `slotlab solvers --params`)',
    );
  });

  it('refuses a mistyped value with the type and unit expected', async () => {
    await expect(solveWith('bnb', lb, { ...options, params: { targetMs: '100' } })).rejects.toThrow('bnb (load-balancing) params.targetMs: should be number > 0 (ms), got "100"');
    await expect(findSolver('bnb', 'load-balancing').solve(lb, { ...options, params: { targetMs: -1 } })).rejects.toThrow(OptionError);
    await expect(solveWith('heft', dag, { ...options, params: { slotSharing: 'local-input' } })).rejects.toThrow(/heft \(dag-placement\) params\.slotSharing: should be absent: .*heft \(dag-placement\) takes no params/);
  });

  it('refuses a variant that is not one, as an option error', async () => {
    await expect(solveWith('heft', dag, { ...options, variant: 'batch' as never })).rejects.toThrow('solve options.variant: should be one of exclusive, shared, sequenced, got "batch"');
  });

  it('hands the solver typed params: targetMs puts bnb in decision mode', async () => {
    const optimum = await solveWith('bnb', lb, options);
    expect(optimum.status).toBe('optimal');
    const decided = await solveWith('bnb', lb, { ...options, params: { targetMs: optimum.objective! + 1 } });
    expect(decided.solution).toBeDefined();
    expect(validateSolution(lb, decided.solution!)).toEqual([]);
    expect(decided.objective!).toBeLessThanOrEqual(optimum.objective! + 1);
  });
});

// Fine-grained resource profiles (models/resources): TaskManagers with total resources, cut dynamically or in fixed
// equal slots; jobs whose slots have profiles.
const GIB = 1024 ** 3;
const profile = (cpuCores: number, gib: number) => ({ cpuCores, taskHeapBytes: gib * GIB, taskOffHeapBytes: 0, managedBytes: gib * GIB, networkBytes: 0 });
const fineGrained = (jobProfile: ReturnType<typeof profile>) =>
  createSlotAllocationInstance({
    name: 'fine-grained',
    taskManagers: [
      { id: 'tm1', slotCount: 4, resources: profile(4, 4), slotCutting: 'dynamic' },
      { id: 'tm2', slotCount: 4, resources: profile(2, 8), slotCutting: 'dynamic' },
      { id: 'tm3', slotCount: 2, resources: profile(2, 4), slotCutting: 'fixed' },
    ],
    jobs: [
      { id: 'etl', slotDemand: 3, resourceProfile: profile(1, 1) },
      { id: 'ml', slotDemand: 2, resourceProfile: jobProfile },
      { id: 'plain', minSlots: 1, maxSlots: 2 },
    ],
  });

describe('fine-grained resource profiles in the registry', () => {
  it('a job whose slot profile fits no TaskManager is infeasible with the reason, for every solver', async () => {
    const instance = fineGrained(profile(3, 6));
    const reason = "job ml's slot profile {3 cores, task heap 6144 MiB, task off-heap 0, managed 6144 MiB, network 0} fits no TaskManager";
    expect(slotAllocationInfeasibility(instance)).toBe(reason);
    for (const solver of solversFor('slot-allocation')) {
      const r = await solveWith(solver.name, instance, options);
      expect({ solver: solver.name, status: r.status, message: r.message }).toEqual({ solver: solver.name, status: 'infeasible', message: `Infeasible: ${reason}.` });
    }
  });

  it('every slot allocation solver answers with an allocation the validator accepts, and reports stranded resources', async () => {
    const instance = fineGrained(profile(1, 3));
    const backend = createMilpBackend('highs'); // one HiGHS worker for milp, milp:highs and min-stranded
    const options = { rng: seededRng(1), timeLimitMs: 10_000, backend };
    try {
      for (const solver of solversFor('slot-allocation')) {
        const r = await solveWith(solver.name, instance, options);
        if (solver.name === 'water-filling') {
          expect(r.status).toBe('error'); // the model without profiles only
          continue;
        }
        expect(r.solution, `${solver.name} ${r.status} ${r.message}`).toBeDefined();
        expect(validateSolution(instance, r.solution!), solver.name).toEqual([]);
        expect(r.metrics, solver.name).toHaveProperty('strandedCpuCores');
        expect(r.metrics, solver.name).toHaveProperty('strandedMemoryBytes');
      }
      const exact = await solveWith('min-stranded', instance, options);
      expect(exact.status).toBe('optimal');
      for (const name of ['first-fit', 'best-fit']) expect((await solveWith(name, instance, options)).metrics!.strandedShare).toBeGreaterThanOrEqual(exact.metrics!.strandedShare! - 1e-9);
    } finally {
      backend.dispose();
    }
  });

  it('the validator refuses slots a TaskManager cannot cut', () => {
    const instance = fineGrained(profile(1, 3));
    const v = validateSolution(instance, { grants: [{ taskManager: 'tm2', job: 'etl', slots: 3 }, { taskManager: 'tm2', job: 'ml', slots: 1 }, { taskManager: 'tm3', job: 'ml', slots: 1 }, { taskManager: 'tm1', job: 'plain', slots: 1 }] });
    expect(v.map((x) => x.message)).toEqual([
      'tm2 cannot cut the slots it grants: the slots cut from tm2 need {4 cores, task heap 6144 MiB, task off-heap 0, managed 6144 MiB, network 0} but it has {2 cores, task heap 8192 MiB, task off-heap 0, managed 8192 MiB, network 0} (short in cpuCores)',
      "tm3 cannot cut the slots it grants: a request of {1 cores, task heap 3072 MiB, task off-heap 0, managed 3072 MiB, network 0} exceeds tm3's fixed slots of {1 cores, task heap 2048 MiB, task off-heap 0, managed 2048 MiB, network 0} in taskHeapBytes, managedBytes",
    ]);
  });
});

describe('fine-grained resource profiles in DAG placement', () => {
  const cluster = (cores: number) => ({
    taskManagers: [
      { id: 'tm1', slotCount: 4, resources: profile(cores, 4), slotCutting: 'dynamic' as const },
      { id: 'tm2', slotCount: 4, resources: profile(cores - 1, 3), slotCutting: 'dynamic' as const },
    ],
  });
  const job = {
    operators: [
      { id: 'src', parallelism: 2, workMs: 2 },
      { id: 'map', parallelism: 2, workMs: 3 },
      { id: 'agg', parallelism: 1, workMs: 4, slotSharingGroup: 'heavy' },
    ],
    edges: [
      { from: 'src', to: 'map', partitioning: 'forward' as const, bytes: 0 },
      { from: 'map', to: 'agg', partitioning: 'hash' as const, bytes: 0 },
    ],
    slotSharingGroups: { default: profile(1, 1), heavy: profile(3, 2) },
  };

  it('a slot sharing group whose profile fits no TaskManager is infeasible with the reason, for every solver', async () => {
    const instance = createDagPlacementInstance({ name: 'heavy-group', variant: 'shared', job, cluster: cluster(2) });
    const reason = "slot sharing group heavy's profile {3 cores, task heap 2048 MiB, task off-heap 0, managed 2048 MiB, network 0} fits no TaskManager";
    expect(dagPlacementInfeasibility(instance)).toBe(reason);
    for (const solver of solversFor('dag-placement')) {
      const r = await solveWith(solver.name, instance, options);
      expect({ solver: solver.name, status: r.status, message: r.message }).toEqual({ solver: solver.name, status: 'infeasible', message: `Infeasible: ${reason}.` });
    }
  });

  it('every solver answers with a placement that fits the profiles, or says it found none', async () => {
    const instance = createDagPlacementInstance({ name: 'profiled', variant: 'shared', job, cluster: cluster(4) });
    let valid = 0;
    for (const solver of solversFor('dag-placement')) {
      const r = await solveWith(solver.name, instance, { ...options, timeLimitMs: 5_000 });
      if (r.status === 'error') {
        expect(r.message, solver.name).toMatch(/found no placement that fits the resource profiles|does not apply|not apply/);
        continue;
      }
      expect(r.solution, `${solver.name} ${r.status} ${r.message}`).toBeDefined();
      expect(validateSolution(instance, r.solution!), solver.name).toEqual([]);
      valid++;
    }
    expect(valid).toBeGreaterThan(0); // heuristics that ignore profiles answer error (the registry checks every answer)
  });

  it('the validator names the TaskManager that cannot cut the slots', () => {
    const instance = createDagPlacementInstance({ name: 'profiled', variant: 'shared', job, cluster: cluster(4) });
    const v = validateSolution(instance, {
      assignments: [
        { subtask: 'src#0', taskManager: 'tm2', slot: 0 }, { subtask: 'map#0', taskManager: 'tm2', slot: 0 },
        { subtask: 'src#1', taskManager: 'tm2', slot: 1 }, { subtask: 'map#1', taskManager: 'tm2', slot: 1 },
        { subtask: 'agg#0', taskManager: 'tm2', slot: 2 },
      ],
    });
    expect(v.map((x) => x.message)).toEqual([
      'tm2 cannot cut the slots the placement uses: the slots cut from tm2 need {5 cores, task heap 4096 MiB, task off-heap 0, managed 4096 MiB, network 0} but it has {3 cores, task heap 3072 MiB, task off-heap 0, managed 3072 MiB, network 0} (short in cpuCores, taskHeapBytes, managedBytes)',
    ]);
  });
});
