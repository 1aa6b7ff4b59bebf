import { describe, expect, it } from 'vitest';
import { createDagPlacementInstance } from './instance.ts';
import { validateDagPlacement } from './validator.ts';
import { evaluateDagPlacement, earliestSchedule } from './evaluate.ts';
import { makespanLowerBounds } from './bounds.ts';
import { dagPlacementInfeasibility } from './feasibility.ts';
import { documentExampleSpec, documentPlacement } from '../test/document-example.ts';
import { toIndexedPlacement, toSchedule, type Placement, type Schedule } from '../solution.ts';
import { CyclicGraphError, InvalidInstanceError } from '../errors.ts';

describe('the document example (A -> B all-to-all, B -> C forward, parallelism 2, 2 TMs x 3 slots)', () => {
  const instance = createDagPlacementInstance(documentExampleSpec('exclusive'));

  it('expands into 6 subtasks and 6 subtask edges', () => {
    expect(instance.subtasks).toHaveLength(6);
    expect(instance.edges).toHaveLength(6);
    expect(instance.executionGraph.order).toBe(6);
    expect(instance.executionGraph.size).toBe(6);
    expect(instance.slots).toHaveLength(6);
    // forward is pointwise, hash is all-to-all
    expect(instance.executionGraph.hasDirectedEdge('B#0', 'C#0')).toBe(true);
    expect(instance.executionGraph.hasDirectedEdge('B#0', 'C#1')).toBe(false);
    expect(instance.executionGraph.hasDirectedEdge('A#0', 'B#1')).toBe(true);
  });

  it('the typed edge arrays list the execution graph\'s subtask edges, with in and out lists in edge order', () => {
    const { from, to, bytes, inStart, inList, outStart, outList } = instance.edgeArrays;
    const id = (s: number) => instance.subtasks[s]!.id;
    expect(from).toHaveLength(instance.executionGraph.size);
    for (let e = 0; e < from.length; e++) {
      expect(instance.executionGraph.getDirectedEdgeAttributes(id(from[e]!), id(to[e]!)).bytes).toBe(bytes[e]);
      expect(instance.edges[e]).toEqual({ index: e, from: from[e], to: to[e], bytes: bytes[e] });
    }
    for (let s = 0; s < instance.subtasks.length; s++) {
      expect(Array.from(inList.subarray(inStart[s], inStart[s + 1]))).toEqual(instance.inEdges[s]);
      expect(Array.from(outList.subarray(outStart[s], outStart[s + 1]))).toEqual(instance.outEdges[s]);
      expect(instance.inEdges[s]!.every((e, j, list) => to[e] === s && (j === 0 || list[j - 1]! < e))).toBe(true);
      expect(instance.outEdges[s]!.every((e, j, list) => from[e] === s && (j === 0 || list[j - 1]! < e))).toBe(true);
    }
    expect(inStart[instance.subtasks.length]).toBe(6);
  });

  it("the document's placement is valid under exclusive", () => {
    expect(validateDagPlacement(instance, documentPlacement, 'exclusive')).toEqual([]);
  });

  it('two subtasks of A in one slot are rejected under shared, naming both', () => {
    const bad: Placement = {
      assignments: documentPlacement.assignments.map((a) => (a.subtask === 'A#1' ? { ...a, slot: 0 } : a)),
    };
    const violations = validateDagPlacement(instance, bad, 'shared');
    expect(violations.length).toBeGreaterThan(0);
    const v = violations.find((x) => x.constraint === 'operator-distinct-slots')!;
    expect(v.message).toContain('A#0');
    expect(v.message).toContain('A#1');
    expect(v.message).toContain('tm1/0');
  });

  it('the same shared slot holding subtasks of different operators is fine under shared', () => {
    const packed: Placement = {
      assignments: [
        { subtask: 'A#0', taskManager: 'tm1', slot: 0 },
        { subtask: 'B#0', taskManager: 'tm1', slot: 0 },
        { subtask: 'C#0', taskManager: 'tm1', slot: 0 },
        { subtask: 'A#1', taskManager: 'tm2', slot: 0 },
        { subtask: 'B#1', taskManager: 'tm2', slot: 0 },
        { subtask: 'C#1', taskManager: 'tm2', slot: 0 },
      ],
    };
    expect(validateDagPlacement(instance, packed, 'shared')).toEqual([]);
    expect(validateDagPlacement(instance, packed, 'exclusive').map((v) => v.constraint)).toContain('slot-capacity');
  });

  it('predicted completion time with cross-TM transfers equals the hand computation (38 ms, 300 bytes)', () => {
    // A#0, A#1: 0-10 on tm1. B#0 (tm1): inputs local, 10-30. B#1 (tm2): inputs cross (3 ms), 13-33.
    // C#0 (tm2): from B#0 across, 30 + 3 = 33, 33-38. C#1 (tm2): from B#1 locally, 33-38.
    const evaluation = evaluateDagPlacement(instance, documentPlacement);
    expect(evaluation.makespanMs).toBeCloseTo(38, 9);
    expect(evaluation.crossTmBytes).toBeCloseTo(300, 9);
    const schedule = toSchedule(instance, evaluation.schedule);
    const b1 = schedule.assignments.find((a) => a.subtask === 'B#1')!;
    expect([b1.startMs, b1.endMs]).toEqual([13, 33]);
    expect(validateDagPlacement(instance, schedule, 'exclusive')).toEqual([]);
    expect(evaluation.taskManagers.map((t) => t.slotUtilization)).toEqual([1, 1]);
    expect(evaluation.slotUtilization.jainIndex).toBeCloseTo(1, 12);
  });

  it('predicted completion time without transfers: sequenced on one TaskManager of speed 2 (17.5 ms)', () => {
    const spec = documentExampleSpec('sequenced');
    const single = createDagPlacementInstance({ ...spec, cluster: { taskManagers: [{ id: 'fast', slotCount: 2, speedFactor: 2 }] } });
    const placement: Placement = {
      assignments: ['A#0', 'B#0', 'C#0', 'A#1', 'B#1', 'C#1'].map((subtask, i) => ({ subtask, taskManager: 'fast', slot: i < 3 ? 0 : 1 })),
    };
    // slot 0: A#0 0-5, B#0 5-15 (needs both A), C#0 15-17.5; slot 1 the same.
    const evaluation = evaluateDagPlacement(single, placement);
    expect(evaluation.makespanMs).toBeCloseTo(17.5, 9);
    expect(evaluation.crossTmBytes).toBe(0);
    expect(evaluation.taskManagers[0]!.busyMs).toBeCloseTo(35, 9);
    expect(evaluation.busyUtilization.max).toBeCloseTo(35 / (2 * 17.5), 9);
    expect(validateDagPlacement(single, toSchedule(single, evaluation.schedule))).toEqual([]);
  });

  it('the validator reports precedence, duration and overlap violations in words', () => {
    const good = toSchedule(instance, earliestSchedule(instance, toIndexedPlacement(instance, documentPlacement), 'exclusive'));
    const early: Schedule = {
      assignments: good.assignments.map((a) => (a.subtask === 'B#1' ? { ...a, startMs: 10, endMs: 30 } : a)),
    };
    const v = validateDagPlacement(instance, early, 'exclusive');
    expect(v.map((x) => x.constraint)).toEqual(['precedence', 'precedence']);
    expect(v[0]!.message).toMatch(/B#1 starts at 10 ms, before A#\d ends at 10 ms plus the 3 ms transfer from tm1 to tm2/);
    const stretched: Schedule = { assignments: good.assignments.map((a) => (a.subtask === 'A#0' ? { ...a, endMs: 12 } : a)) };
    expect(validateDagPlacement(instance, stretched, 'exclusive').map((x) => x.constraint)).toContain('duration');
    const missing: Placement = { assignments: documentPlacement.assignments.slice(1) };
    expect(validateDagPlacement(instance, missing)[0]!.message).toBe('A#0 is not placed (every subtask gets exactly one slot)');
  });

  it('sequenced slots may not overlap; shared TaskManagers may not run more subtasks than cores', () => {
    const seq = createDagPlacementInstance(documentExampleSpec('sequenced'));
    const overlapping: Schedule = {
      assignments: [
        { subtask: 'A#0', taskManager: 'tm1', slot: 0, startMs: 0, endMs: 10 },
        { subtask: 'A#1', taskManager: 'tm1', slot: 0, startMs: 5, endMs: 15 },
        { subtask: 'B#0', taskManager: 'tm1', slot: 1, startMs: 15, endMs: 35 },
        { subtask: 'B#1', taskManager: 'tm1', slot: 2, startMs: 15, endMs: 35 },
        { subtask: 'C#0', taskManager: 'tm1', slot: 1, startMs: 35, endMs: 40 },
        { subtask: 'C#1', taskManager: 'tm1', slot: 2, startMs: 35, endMs: 40 },
      ],
    };
    const v = validateDagPlacement(seq, overlapping);
    expect(v).toHaveLength(1);
    expect(v[0]!.constraint).toBe('slot-overlap');
    expect(v[0]!.message).toContain('A#0');
    expect(v[0]!.message).toContain('A#1');

    const spec = documentExampleSpec('shared');
    const oneCore = createDagPlacementInstance({ ...spec, cluster: { taskManagers: [{ id: 'tm1', slotCount: 2, cpuCores: 1 }] } });
    const placement: Placement = {
      assignments: ['A#0', 'B#0', 'C#0', 'A#1', 'B#1', 'C#1'].map((subtask, i) => ({ subtask, taskManager: 'tm1', slot: i < 3 ? 0 : 1 })),
    };
    const schedule = toSchedule(oneCore, earliestSchedule(oneCore, toIndexedPlacement(oneCore, placement)));
    expect(validateDagPlacement(oneCore, schedule)).toEqual([]);
    expect(evaluateDagPlacement(oneCore, schedule).makespanMs).toBeCloseTo(70, 9); // one core runs all 70 ms of work
    const parallel: Schedule = { assignments: schedule.assignments.map((a) => (a.subtask === 'A#1' ? { ...a, startMs: 0, endMs: 10 } : a)) };
    expect(validateDagPlacement(oneCore, parallel).map((x) => x.constraint)).toContain('cpu');
  });

  it('lower bounds: critical path 35 ms; work bound under sequenced 70 / 6 slots', () => {
    const seq = createDagPlacementInstance(documentExampleSpec('sequenced'));
    const lb = makespanLowerBounds(seq);
    expect(lb.criticalPathMs).toBe(35);
    expect(lb.workMs).toBeCloseTo(70 / 6, 12);
    expect(lb.lowerBoundMs).toBe(35);
  });
});

describe('bad input is refused with a clear message', () => {
  it('a cyclic job graph names the cycle', () => {
    const spec = documentExampleSpec();
    const cyclic = { ...spec, job: { ...spec.job, edges: [...spec.job.edges, { from: 'C', to: 'A', partitioning: 'rebalance' as const }] } };
    expect(() => createDagPlacementInstance(cyclic, 'cyclic.json')).toThrow(CyclicGraphError);
    expect(() => createDagPlacementInstance(cyclic, 'cyclic.json')).toThrow(/cyclic\.json: the graph must be acyclic, but it has the cycle (A -> B -> C -> A|B -> C -> A -> B|C -> A -> B -> C)/);
  });

  it('a negative cost names the field', () => {
    const spec = documentExampleSpec();
    const negative = { ...spec, job: { ...spec.job, operators: spec.job.operators.map((o) => (o.id === 'B' ? { ...o, workMs: -4 } : o)) } };
    expect(() => createDagPlacementInstance(negative, 'neg.json')).toThrow(InvalidInstanceError);
    expect(() => createDagPlacementInstance(negative, 'neg.json')).toThrow('neg.json: job.operators[1].workMs: should be a finite number >= 0, got -4');
  });

  it('a forward edge between unequal parallelisms names both operators', () => {
    const spec = documentExampleSpec();
    const unequal = { ...spec, job: { ...spec.job, operators: spec.job.operators.map((o) => (o.id === 'C' ? { ...o, parallelism: 3 } : o)) } };
    expect(() => createDagPlacementInstance(unequal, 'fwd.json')).toThrow(/fwd\.json: job\.edges\[1\]\.partitioning: a forward edge needs equal parallelism on both ends, but B has 2 and C has 3/);
  });

  it('more subtasks than slots under exclusive is infeasible, with the reason', () => {
    const spec = documentExampleSpec();
    const small = createDagPlacementInstance({ ...spec, cluster: { taskManagers: [{ id: 'tm1', slotCount: 4 }] } });
    expect(dagPlacementInfeasibility(small)).toBe('the job has 6 subtasks but the cluster has 4 slots, and under exclusive every subtask needs a slot of its own');
    expect(dagPlacementInfeasibility(small, 'shared')).toBeUndefined();
    expect(dagPlacementInfeasibility(createDagPlacementInstance(spec))).toBeUndefined();
  });
});
