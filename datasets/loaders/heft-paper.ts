import { z } from 'zod';
import { InstanceFormatError } from '../../models/errors.ts';
import type { DagPlacementSpec } from '../../models/dag-placement/instance.ts';
import type { Schedule } from '../../models/solution.ts';
import { dataPath } from '../paths.ts';
import { readJsonFile } from './files.ts';
import { list, nonEmptyString, nonNegative, parseWithSchema } from './schema.ts';

/**
 * The HEFT/CPOP paper example (Topcuoglu, Hariri, Wu, IEEE TPDS 13(3):260-274, 2002, doi:10.1109/71.993206,
 * Fig. 2), in the fixture layout of datasets/data/heft-fixtures/README.md.
 *
 * Mapping: paper task n_i = operator `n_i` with parallelism 1 (so its one subtask is `n_i#0`); paper processor
 * P_k = TaskManager `P_k` with one slot; the cost table becomes `durationMsByTaskManager` (1 time unit = 1 ms,
 * unrelated machines); an edge's communication cost becomes its `bytes`, sent over links of 1 byte/ms and
 * latency 0, so a transfer between different processors takes exactly the paper's cost and nothing on the same
 * processor. Variant `sequenced` (a processor runs one task at a time).
 */
export const HEFT_PAPER_FILE = 'heft-fixtures/topcuoglu2002_fig2.json';

const scheduleEntry = z.looseObject({ task: nonEmptyString(), processor: nonEmptyString(), start: nonNegative(), finish: nonNegative() });

export const heftFixtureSchema = z.looseObject({
  name: nonEmptyString(),
  processors: list(nonEmptyString(), 'processor names'),
  tasks: list(z.looseObject({ id: nonEmptyString(), cost: list(nonNegative(), 'costs, one per processor') }), 'tasks { id, cost }'),
  edges: list(z.looseObject({ from: nonEmptyString(), to: nonEmptyString(), comm: nonNegative() }), 'edges { from, to, comm }'),
  expected: z
    .looseObject({
      heft: z.looseObject({ makespan: nonNegative(), schedule: list(scheduleEntry, 'scheduled tasks').optional() }).optional(),
      cpop: z.looseObject({ makespan: nonNegative(), critical_path: list(nonEmptyString(), 'task ids').optional() }).optional(),
    })
    .optional(),
});
export type HeftFixture = z.output<typeof heftFixtureSchema>;

export function looksLikeHeftFixture(data: unknown): boolean {
  if (typeof data !== 'object' || data === null) return false;
  const d = data as Record<string, unknown>;
  return Array.isArray(d['processors']) && Array.isArray(d['tasks']) && Array.isArray(d['edges']);
}

export function parseHeftFixture(data: unknown, file: string): HeftFixture {
  const fixture = parseWithSchema(heftFixtureSchema, data, file);
  const P = fixture.processors.length;
  if (new Set(fixture.processors).size !== P) throw new InstanceFormatError(file, '$.processors', 'distinct processor names', fixture.processors);
  fixture.tasks.forEach((t, i) => {
    if (t.cost.length !== P) throw new InstanceFormatError(file, `$.tasks[${i}].cost`, `${P} costs, one per processor (${fixture.processors.join(', ')})`, t.cost);
  });
  return fixture;
}

export function heftFixtureDagPlacementSpec(fixture: HeftFixture): DagPlacementSpec {
  return {
    name: fixture.name,
    variant: 'sequenced',
    job: {
      operators: fixture.tasks.map((t) => ({
        id: t.id,
        parallelism: 1,
        durationMsByTaskManager: Object.fromEntries(fixture.processors.map((p, k) => [p, t.cost[k]!])),
      })),
      edges: fixture.edges.map((e) => ({ from: e.from, to: e.to, partitioning: 'forward' as const, bytes: e.comm })),
    },
    cluster: {
      taskManagers: fixture.processors.map((p) => ({ id: p, slotCount: 1 })),
      defaultLink: { bandwidthBytesPerMs: 1, latencyMs: 0 },
    },
  };
}

export function readHeftFixture(file = dataPath(HEFT_PAPER_FILE)): HeftFixture {
  return parseHeftFixture(readJsonFile(file), file);
}

/** The published figures of the HEFT paper example: HEFT makespan 80 with its schedule, CPOP makespan 86. */
export interface HeftPaperExpected {
  readonly heftMakespanMs: number;
  readonly cpopMakespanMs: number | undefined;
  readonly cpopCriticalPath: readonly string[] | undefined;
  /** The paper's HEFT schedule (Fig. 4a) as a slotlab Schedule: subtask `n_i#0`, TaskManager `P_k`, slot 0. */
  readonly heftSchedule: Schedule;
}

export function heftPaperExpected(file = dataPath(HEFT_PAPER_FILE)): HeftPaperExpected {
  const fixture = readHeftFixture(file);
  const heft = fixture.expected?.heft;
  if (!heft || !heft.schedule) throw new InstanceFormatError(file, '$.expected.heft.schedule', 'the published HEFT schedule, but the field is missing');
  return {
    heftMakespanMs: heft.makespan,
    cpopMakespanMs: fixture.expected?.cpop?.makespan,
    cpopCriticalPath: fixture.expected?.cpop?.critical_path,
    heftSchedule: {
      assignments: heft.schedule.map((s) => ({ subtask: `${s.task}#0`, taskManager: s.processor, slot: 0, startMs: s.start, endMs: s.finish })),
    },
  };
}
