import { afterEach, describe, expect, it, vi } from 'vitest';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { parse } from 'yaml';
import { main } from '../main.ts';
import { captureOutput } from '../test/capture.ts';
import { FLINK_CONFIG_REFERENCE } from '../test/flink-config-options.ts';
import { loadInstance } from '../../datasets/loaders/index.ts';
import { parseClusterShorthand } from '../../models/graphs/cluster.ts';
import { validateDagPlacement } from '../../models/dag-placement/validator.ts';
import { evaluateDagPlacement } from '../../models/dag-placement/evaluate.ts';
import { seededRng } from '../../models/rng.ts';
import type { DagPlacementInstance } from '../../models/dag-placement/instance.ts';
import { solversFor } from '../../solver/registry.ts';
import { runPlacement } from '../../runtime/index.ts';
import { exportFlinkSettings } from '../../benchmarks/flink/export.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const plans = join(root, 'datasets', 'examples', 'flink-plans');
const DOCS = join(plans, 'flink-docs-explain-union-aggregate.json');
const COSTS = join(plans, 'union-aggregate.costs.json');

afterEach(() => vi.restoreAllMocks());

function dag(file: string, cluster: string, costs?: string): DagPlacementInstance {
  const instance = loadInstance(file, { cluster: parseClusterShorthand(cluster), ...(costs ? { costs } : {}) });
  if (instance.kind !== 'dag-placement') throw new Error(instance.kind);
  return instance;
}

/** Checks an exported document's Flink options against the configuration reference of its Flink version. */
function expectValidFlinkConfig(doc: { flinkVersion: '1.20' | '2.2'; config: Record<string, unknown> }): void {
  const reference = FLINK_CONFIG_REFERENCE[doc.flinkVersion];
  for (const [key, value] of Object.entries(doc.config)) {
    expect(Object.keys(reference), `option ${key}`).toContain(key);
    const kind = reference[key]!;
    if (Array.isArray(kind)) expect(kind, `${key}: ${String(value)}`).toContain(value);
    else if (kind === 'integer') expect(Number.isInteger(value) && (value as number) >= 1, `${key}: ${String(value)}`).toBe(true);
    else if (kind === 'boolean') expect(typeof value).toBe('boolean');
    else expect(String(value)).toMatch(/^([0-9a-f]{32}:\d+)(,[0-9a-f]{32}:\d+)*$/); // Flink's map syntax k1:v1,k2:v2
  }
}

describe('a Flink plan fixture through every DAG placement solver, the runtime and back to Flink', () => {
  const instance = dag(DOCS, '2x2');

  it('every registered DAG placement solver places it; the validator accepts each placement', async () => {
    const solvers = solversFor('dag-placement');
    expect(solvers.length).toBeGreaterThan(20);
    for (const solver of solvers) {
      const result = await solver.solve(instance, { rng: seededRng(1), timeLimitMs: 10_000 });
      expect(result.solution, `${solver.name}: ${result.status} ${result.message ?? ''}`).toBeDefined();
      expect(validateDagPlacement(instance, result.solution!), solver.name).toEqual([]);
      // 4 subtasks of 10 ms, the three on the critical path (scan, filter, aggregate) in sequence: 30 ms at best
      expect(evaluateDagPlacement(instance, result.solution!).makespanMs, solver.name).toBeGreaterThanOrEqual(30);
    }
  });

  it('runs on the runtime (replayed synthetic operators): every subtask ends, the aggregate reads both inputs', async () => {
    const heft = solversFor('dag-placement').find((s) => s.name === 'heft')!;
    const placement = (await heft.solve(instance, { rng: seededRng(1) })).solution!;
    const report = await runPlacement(instance, placement, { timeScaleMsPerUnit: 1 });
    expect(report.subtasks.map((s) => s.id).sort()).toEqual(['17#0', '18#0', '19#0', '22#0']);
    expect(report.subtasks.find((s) => s.id === '22#0')!.recordsIn).toBe(2);
    expect(report.measuredMs).toBeGreaterThanOrEqual(report.predictedMs);
  });
});

describe('export-flink', () => {
  it('a placement that packs every operator into shared slots is one `default` group; Flink reaches it on a uniform cluster', async () => {
    const instance = dag(DOCS, '2x2', COSTS);
    const heft = solversFor('dag-placement').find((s) => s.name === 'heft')!;
    const exp = await exportFlinkSettings(instance, (await heft.solve(instance, { rng: seededRng(1) })).solution!, 'solver heft');
    expect(exp.settings.slotSharingGroups).toEqual([{ name: 'default', operators: ['17', '19', '18', '22'], slots: 1, resourceProfile: null }]);
    expect(exp.settings.config).toEqual({ 'taskmanager.numberOfTaskSlots': 2, 'taskmanager.load-balance.mode': 'NONE' });
    // the critical path scan (120 ms), filter (180 ms), aggregate (640 ms) at speed 1: 940 ms
    expect(exp.optimisedMakespanMs).toBe(940);
    expect(exp.modes.map((m) => [m.mode, m.makespanMs])).toEqual([['NONE', 940], ['SLOTS', 940]]);
    expect(exp.ratio).toBe(1);
  });

  it('a placement with separate slots per operator gives one group per operator', async () => {
    const instance = dag(DOCS, '2x2');
    const placement = { assignments: ['17#0', '18#0', '19#0', '22#0'].map((subtask, i) => ({ subtask, taskManager: i < 2 ? 'tm1' : 'tm2', slot: i % 2 })) };
    const exp = await exportFlinkSettings(instance, placement, 'by hand', { flinkVersion: '2.2' });
    expect(exp.settings.operators.map((o) => `${o.id}:${o.slotSharingGroup}`)).toEqual(['17:ssg-1', '19:ssg-2', '18:ssg-3', '22:ssg-4']);
    expect(exp.modes.map((m) => m.mode)).toEqual(['NONE', 'SLOTS', 'TASKS']);
    expectValidFlinkConfig({ flinkVersion: '2.2', config: exp.settings.config });
  });

  it('the CLI writes YAML whose options are in Flink 1.20\'s configuration reference; the heterogeneous cluster shows what Flink cannot pin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slotlab-export-flink-'));
    try {
      const out = join(dir, 'flink.yaml');
      const io = captureOutput();
      const code = await main(['export-flink', DOCS, '--cluster', '2x2@1,2', '--costs', COSTS, '--placement', 'heft', '--out', out]);
      expect(io.err()).toBe('');
      expect(code).toBe(0);
      const doc = parse(readFileSync(out, 'utf8')) as { flinkVersion: '1.20'; config: Record<string, unknown>; prediction: { optimisedMakespanMs: number; flinkMakespanMs: number; ratio: number }; notes: string[] };
      expectValidFlinkConfig(doc);
      expect(doc.config).toEqual({ 'taskmanager.numberOfTaskSlots': 2, 'taskmanager.load-balance.mode': 'NONE' });
      // heft puts the one shared slot on the TaskManager twice as fast (470 ms); Flink's strategies cannot be told to and take the first (940 ms)
      expect(doc.prediction).toMatchObject({ optimisedMakespanMs: 470, flinkMakespanMs: 940 });
      expect(doc.prediction.ratio).toBeCloseTo(940 / 470, 9);
      expect(doc.notes[0]).toMatch(/^Flink does not let a job pin a subtask to a TaskManager or a slot/);
      expect(io.out()).toContain('ratio      2.000');
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('a REST plan (job vertex ids) gets pipeline.jobvertex-parallelism-overrides; JSON output', async () => {
    const io = captureOutput();
    const code = await main(['export-flink', join(plans, 'flink-test-statement-set-job-plan.json'), '--cluster', '2x2', '--placement', 'flink-default', '--format', 'json']);
    expect(code).toBe(0);
    const doc = JSON.parse(io.out()) as { flinkVersion: '1.20'; config: Record<string, unknown> };
    expectValidFlinkConfig(doc);
    expect(doc.config['pipeline.jobvertex-parallelism-overrides']).toBe(
      'bc764cd8ddf7a0cff126f51c16239658:1,feca28aff5a3958840bee985ee7de4d3:1,51397532e2d9c7a21097a30d590b3114:1,8b9f3e513101bcc5d198aee685286d98:1',
    );
    expect(io.err()).toMatch(/^warning: .*flink-test-statement-set-job-plan\.json: a Flink plan carries no costs/);
  });

  it('bad options are one line and exit 1', async () => {
    const io = captureOutput();
    expect(await main(['export-flink', DOCS, '--cluster', '2x2', '--placement', 'heft', '--format', 'xml'])).toBe(1);
    expect(await main(['export-flink', DOCS, '--cluster', '2x2'])).toBe(1);
    expect(await main(['export-flink', DOCS, '--cluster', '2x2', '--placement', 'heft', '--flink-version', '1.17'])).toBe(1);
    expect(io.err().trim().split('\n')).toEqual([
      'slotlab: --format: xml: should be one of yaml, json',
      'slotlab: --placement: is required: a placement file or a DAG placement solver name, e.g. heft',
      'slotlab: --flink-version: 1.17: should be one of 1.20, 2.2',
    ]);
  });
});
